// Two fits of the same documents side by side (scikit-learn's topic-extraction example fits
// Frobenius and Kullback-Leibler NMF on one TF-IDF matrix): settings, time, iterations and error of
// each, and each topic of the second run beside the first run's topic nearest to it (cosine
// similarity of their rows of H: both runs share the vocabulary).

import { topWords, type DenseMatrix } from '../../src/index.js';
import type { NmfSettings } from '../shared/nmf-form.js';
import type { FitSummary } from '../shared/session.js';
import { formatInt, formatMs, formatNumber, h, topicColor } from '../shared/ui.js';

export interface Run {
  settings: NmfSettings;
  summary: FitSummary;
  H: DenseMatrix;
}

/** The second run's settings: the first's, with the loss and k asked for ('mu' for a loss 'cd' cannot fit). */
export function secondSettings(first: NmfSettings, betaLoss: NmfSettings['betaLoss'], k: number | null): NmfSettings {
  const solver = first.estimator === 'NMF' && betaLoss !== 'frobenius' ? 'mu' : first.solver === 'mu' && betaLoss === 'frobenius' ? 'cd' : first.solver;
  return { ...first, betaLoss, solver, nComponents: k ?? first.nComponents };
}

function describe(s: NmfSettings): string {
  const loss = s.betaLoss === 'frobenius' ? 'Frobenius' : 'Kullback-Leibler';
  return `${s.estimator === 'NMF' ? s.solver : 'MiniBatchNMF'} · ${loss} · k = ${s.nComponents}`;
}

/** For each row of B, the row of A with the largest cosine similarity, and that similarity. */
export function matchTopics(A: DenseMatrix, B: DenseMatrix): { to: number; cosine: number }[] {
  const m = A.cols;
  const norm = (M: DenseMatrix, t: number) => Math.hypot(...M.data.subarray(t * m, (t + 1) * m)) || 1;
  return Array.from({ length: B.rows }, (_, b) => {
    let best = { to: 0, cosine: -1 };
    for (let a = 0; a < A.rows; a++) {
      let dot = 0;
      for (let j = 0; j < m; j++) dot += A.data[a * m + j] * B.data[b * m + j];
      const cosine = dot / (norm(A, a) * norm(B, b));
      if (cosine > best.cosine) best = { to: a, cosine };
    }
    return best;
  });
}

function column(title: string, run: Run, rows: HTMLElement[]): HTMLElement {
  const s = run.summary;
  return h(
    'section',
    { class: 'run' },
    h('h3', {}, title, h('span', { class: 'sub' }, describe(run.settings))),
    h(
      'dl',
      { class: 'stats compact' },
      h('div', {}, h('dt', {}, 'fit time'), h('dd', {}, formatMs(s.fitMs))),
      h('div', {}, h('dt', {}, 'iterations'), h('dd', {}, formatInt(s.nIter))),
      h('div', {}, h('dt', {}, 'time / iteration'), h('dd', {}, formatMs(s.msPerIteration))),
      h('div', { title: `√(2·β-divergence) of its own loss (${run.settings.betaLoss}): not comparable across losses` }, h('dt', {}, 'error (own loss)'), h('dd', {}, formatNumber(s.reconstructionErr))),
      h('div', {}, h('dt', {}, 'backend'), h('dd', {}, s.backendUsed)),
    ),
    h('ol', { class: 'run-topics' }, ...rows),
  );
}

export function renderCompare(root: HTMLElement, featureNames: string[], a: Run, b: Run): void {
  const wordsA = topWords(a.H, featureNames, 6);
  const wordsB = topWords(b.H, featureNames, 6);
  const match = matchTopics(a.H, b.H);
  const rowsA = wordsA.map((t, i) => h('li', { '--topic': topicColor(i) }, h('b', {}, `T${i + 1}`), ` ${t.words.join(', ')}`));
  // B's topics in the order of the A topics they resemble most
  const order = match.map((m, i) => ({ ...m, i })).sort((x, y) => x.to - y.to || y.cosine - x.cosine);
  const rowsB = order.map(({ i, to, cosine }) =>
    h('li', { '--topic': topicColor(to), title: `cosine similarity of H rows: ${cosine.toFixed(2)}` }, h('b', {}, `T${i + 1}`), h('span', { class: 'match' }, `≈ T${to + 1} (${cosine.toFixed(2)})`), ` ${wordsB[i].words.join(', ')}`),
  );
  const speed = a.summary.fitMs > 0 && b.summary.fitMs > 0 ? `The second fit took ${(b.summary.fitMs / a.summary.fitMs).toFixed(2)}× the first's time.` : '';
  root.replaceChildren(h('div', { class: 'runs' }, column('First fit', a, rowsA), column('Second fit', b, rowsB)), h('p', { class: 'hint' }, speed));
}
