// The topic-modeling page: reads the form, builds the TF-IDF matrix (in a worker of the demo's),
// fits it (shared/session.ts: webnmf/worker, or the page for gpujs), draws the topics while the fit
// runs, then the linked views: topics (λ relevance), their map, topics over time, the heatmap and
// the documents, all following the selected topic and year; side-by-side runs, export, code.

import type { CsrMatrix } from '../../src/index.js';
import { LossChart } from '../shared/loss-chart.js';
import { bindNmfForm, fieldOf, FormError, numberReader, type NmfSettings } from '../shared/nmf-form.js';
import type { DemoProbe } from '../shared/probe.js';
import { FitSession } from '../shared/session.js';
import { $, StatusCard, formatInt, h, markStale, probeEnvironment, showEnvironment } from '../shared/ui.js';
import { bindUrlState } from '../shared/url-state.js';
import { renderCode } from './code-panel.js';
import { renderCompare, secondSettings, type Run } from './compare.js';
import { SOTU_FIRST_YEAR, SOTU_LAST_YEAR, parseUserText, type Corpus } from './corpus.js';
import { exportFiles, renderExport } from './export.js';
import { heatmapCaption, rampCss, renderHeatmap } from './heatmap.js';
import { analyze, sharesByYear, type TopicFit } from './model.js';
import { openDocument, renderRepresentative, renderYear } from './passages.js';
import type { CorpusSpec, VectorizerSettings } from './pipeline.js';
import { SelectionStore } from './selection.js';
import { renderTimeline } from './timeline.js';
import { mapLayout, renderTopicMap } from './topic-map.js';
import { renderLiveTopics, renderTopics } from './topics-view.js';
import { vectorizeOffThread } from './vectorize.js';

const form = $<HTMLFormElement>('#controls');
const field = fieldOf(form);
const num = numberReader(form);
const nmfForm = bindNmfForm(form);
const status = new StatusCard($('#status'));
const chart = new LossChart($('#chart'));
const session = new FitSession({ status, chart, fitButton: $<HTMLButtonElement>('#fit'), stopButton: $<HTMLButtonElement>('#stop') });
const selection = new SelectionStore();
const reader = $<HTMLDialogElement>('#reader');
let custom: (Corpus & { name: string }) | null = null;

/** The last finished fit, the topic words the cards show, and X (the side-by-side run fits it again). */
let current: { fit: TopicFit; X: CsrMatrix } | null = null;
let shownWords: string[][] = [];
/** what the test reads as the topics: the live ones while a fit runs, then the finished fit's */
let lastTopics: string[][] = [];
let liveDraws = 0;
let lambda = 1;

$('#ramp').style.background = rampCss();
void probeEnvironment().then(showEnvironment);

// ---------- form behaviour ----------

const corpusSelect = field<HTMLSelectElement>('corpus');
function showCorpusOptions(): void {
  const own = corpusSelect.value === 'custom';
  $('#sotu-options').hidden = own;
  $('#custom-options').hidden = !own;
}
corpusSelect.addEventListener('change', showCorpusOptions);
showCorpusOptions();

const textArea = field<HTMLTextAreaElement>('customText');
const note = $('#custom-note');
function useCustomText(text: string, name: string): void {
  const parsed = parseUserText(text, name);
  custom = { ...parsed, name };
  note.textContent = parsed.documents.length > 0 ? `${name}: ${parsed.note}.` : `${name}: no text found.`;
}
textArea.addEventListener('input', () => useCustomText(textArea.value, 'pasted text'));

async function readFile(file: File): Promise<void> {
  const text = await file.text();
  textArea.value = text.length > 20_000 ? `${text.slice(0, 20_000)}\n…` : text;
  useCustomText(text, file.name);
  corpusSelect.value = 'custom';
  corpusSelect.dispatchEvent(new Event('change', { bubbles: true }));
}
field<HTMLInputElement>('file').addEventListener('change', (e) => {
  const file = (e.target as HTMLInputElement).files?.[0];
  if (file) void readFile(file);
});

const dropzone = $('#custom-options');
for (const target of [dropzone, document.body]) {
  target.addEventListener('dragover', (e) => {
    e.preventDefault();
    dropzone.classList.add('over');
  });
  target.addEventListener('dragleave', () => dropzone.classList.remove('over'));
  target.addEventListener('drop', (e) => {
    e.preventDefault();
    dropzone.classList.remove('over');
    const file = e.dataTransfer?.files[0];
    if (file) void readFile(file);
  });
}

// ---------- reading the settings ----------

function corpusSpec(): CorpusSpec {
  if (corpusSelect.value === 'custom') {
    if (!custom || custom.documents.length === 0) throw new FormError('customText', 'Paste some text, or drop a .txt or .csv file, first.');
    return { kind: 'custom', ...custom };
  }
  const clampYear = (y: number) => Math.min(SOTU_LAST_YEAR, Math.max(SOTU_FIRST_YEAR, Math.round(y)));
  return { kind: 'sotu', fromYear: clampYear(num('fromYear')), toYear: clampYear(num('toYear')), wordsPerPassage: Math.max(10, num('wordsPerPassage')) };
}

function vectorizerSettings(): VectorizerSettings {
  return { maxFeatures: num('maxFeatures'), minDf: num('minDf'), maxDf: num('maxDf'), stopWords: field('stopWords').checked };
}

const topWordCount = () => Math.max(3, Math.min(30, Math.round(num('topWords', { empty: 10 }))));

// ---------- the settings panel on phones, the address, the code ----------

const toggle = $<HTMLButtonElement>('#settings-toggle');
const narrow = window.matchMedia('(max-width: 900px)');
function setCollapsed(collapsed: boolean): void {
  $('#sidebar').classList.toggle('collapsed', collapsed);
  toggle.setAttribute('aria-expanded', String(!collapsed));
}
toggle.addEventListener('click', () => setCollapsed(toggle.getAttribute('aria-expanded') === 'true'));
// on a phone the results come first: the settings open on demand
setCollapsed(narrow.matches);

function describeSettings(): void {
  const s = (() => {
    try {
      return { corpus: corpusSpec(), nmf: nmfForm.settings(), v: vectorizerSettings() };
    } catch {
      return null;
    }
  })();
  if (!s) return;
  const what = s.corpus.kind === 'sotu' ? `State of the Union ${s.corpus.fromYear}–${s.corpus.toYear}` : s.corpus.name;
  $('#settings-summary').textContent = `${what} · ${s.nmf.estimator === 'NMF' ? s.nmf.solver : 'MiniBatchNMF'} · k = ${s.nmf.nComponents} · ${s.nmf.backend}`;
  renderCode($('#code'), s.nmf, s.v, s.corpus);
}

const unknownInAddress = bindUrlState(form, ['customText']);
if (unknownInAddress.length > 0) status.message(`The link named settings this page does not have (${unknownInAddress.join(', ')}): they were ignored.`);
form.addEventListener('input', describeSettings);
form.addEventListener('change', describeSettings);
nmfForm.sync();
describeSettings();

// ---------- the views ----------

const views = { topics: $('#topics'), map: $('#map'), timeline: $('#timeline'), heatmap: $('#heatmap'), documents: $('#documents') };

function open(i: number): void {
  if (current) openDocument(reader, current.fit, shownWords, i);
}

/** The topic cards at the page's λ: their words are the topics' names in every other view. */
function drawTopics(fit: TopicFit): void {
  shownWords = lastTopics = renderTopics(views.topics, fit, lambda, topWordCount(), selection.get().topic, (t) => selection.toggleTopic(t));
  $('#topics-sub').textContent = lambda === 1 ? 'top words of each row of H; a card selects its topic' : `top words by relevance at λ = ${lambda}; a card selects its topic`;
}

function drawSelection(): void {
  if (!current) return;
  const { fit } = current;
  const { topic, year } = selection.get();
  drawTopics(fit);
  renderTopicMap(views.map, fit, shownWords, topic, (t) => selection.toggleTopic(t));
  const dated = renderTimeline(views.timeline, fit, shownWords, selection.get(), { pickYear: (y) => selection.set({ year: y }), pickTopic: (t) => selection.toggleTopic(t) });
  renderHeatmap(views.heatmap, fit, topic, open);
  $('#heatmap-sub').textContent = heatmapCaption(fit, topic);
  renderRepresentative(views.documents, fit, shownWords, topic, open);
  $('#documents-sub').textContent = topic === null ? 'largest weight in each topic; click one to read it' : `topic ${topic + 1}'s documents with the largest weight; click one to read it`;
  const pill = $('#selection');
  pill.hidden = topic === null;
  if (topic !== null) {
    const clear = h('button', { type: 'button', class: 'link' }, 'clear');
    clear.addEventListener('click', () => selection.set({ topic: null }));
    pill.replaceChildren(`Topic ${topic + 1} selected `, clear);
  }
  $('#year').hidden = !dated || year === null;
  if (dated && year !== null) {
    const count = renderYear($('#year-docs'), fit, shownWords, year, topic, open);
    $('#year-title').textContent = `${year}: ${formatInt(count)} documents${topic === null ? ', in order' : `, by their share of topic ${topic + 1}`}`;
  }
}
selection.subscribe(drawSelection);
$('#year-clear').addEventListener('click', () => selection.set({ year: null }));

// while λ is dragged only the cards follow; the other views take the new words when it is let go
const lambdaInput = $<HTMLInputElement>('#lambda');
lambdaInput.addEventListener('input', () => {
  lambda = Number(lambdaInput.value);
  $('#lambda-out').textContent = lambda.toFixed(2);
  if (current) drawTopics(current.fit);
});
lambdaInput.addEventListener('change', () => {
  drawSelection();
  if (current) renderExport($('#export'), exportFiles(current.fit, lambda, topWordCount()));
});

function showFit(fit: TopicFit, X: CsrMatrix): void {
  current = { fit, X };
  selection.set({ topic: null, year: null });
  drawSelection();
  renderExport($('#export'), exportFiles(fit, lambda, topWordCount()));
  $<HTMLButtonElement>('#compare-run').disabled = false;
  $('#compare').replaceChildren(h('div', { class: 'empty' }, 'Fit the same documents again with another loss or k, and compare.'));
}

// ---------- running ----------

const results = [views.topics, views.map, views.timeline, views.heatmap, views.documents, $('#export')];

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  if (session.running) return;
  let settings: { corpus: CorpusSpec; nmf: NmfSettings; vectorizer: VectorizerSettings; nWords: number };
  try {
    settings = { corpus: corpusSpec(), nmf: nmfForm.settings(), vectorizer: vectorizerSettings(), nWords: topWordCount() };
  } catch (err) {
    if (err instanceof FormError) return session.refuse(err);
    throw err;
  }
  const { corpus, nmf, vectorizer, nWords } = settings;
  if (narrow.matches) setCollapsed(true);
  markStale(results, true);
  let names: string[] = [];
  const outcome = await session.run({
    nmf,
    stats: ['documents', 'terms', 'nonzeros'],
    firstStage: 'Loading the corpus…',
    live: (H, iteration) => {
      views.topics.classList.remove('stale');
      lastTopics = renderLiveTopics(views.topics, H, names, nWords);
      liveDraws++;
      $('#topics-sub').textContent = `live: the running fit's H at iteration ${formatInt(iteration)}`;
    },
    async run(fit, stage, signal) {
      const data = await vectorizeOffThread({ corpus, vectorizer }, stage, signal);
      const X = data.X;
      const nonzeros = X.indptr[X.rows];
      status.stat('documents', formatInt(X.rows));
      status.stat('terms', formatInt(X.cols));
      status.stat('nonzeros', `${formatInt(nonzeros)} (${((100 * nonzeros) / Math.max(1, X.rows * X.cols)).toFixed(2)}%)`);
      for (const line of data.notes) status.message(line);
      const most = Math.min(X.rows, X.cols);
      if (nmf.nComponents > most) {
        throw new FormError(
          'nComponents',
          `k = ${formatInt(nmf.nComponents)} topics, but the TF-IDF matrix is ${formatInt(X.rows)} documents × ${formatInt(X.cols)} terms: NMF finds at most min(documents, terms) = ${most} distinct topics. Choose k ≤ ${most}, or more text or a larger vocabulary.`,
        );
      }
      names = data.featureNames;
      await stage(`Fitting ${nmf.nComponents} topics to ${formatInt(X.rows)} documents…`);
      // X is copied to the worker, not moved: the side-by-side run fits it again
      const out = await fit(X);
      await stage('Reading topics and documents…');
      const topicFit = analyze({
        documents: data.documents,
        labels: data.labels,
        years: data.years ?? null,
        speakers: data.speakers ?? null,
        featureNames: data.featureNames,
        W: out.W,
        H: out.H,
        settings: { nmf, vectorizer },
        summary: out.summary,
        model: out.model,
        vectorizer: data.vectorizer,
      });
      return { fit: topicFit, X };
    },
  });
  if (outcome.status === 'done') {
    markStale(results, false);
    showFit(outcome.result.fit, outcome.result.X);
    document.title = `${formatInt(outcome.summary.nComponents)} topics · webnmf demo`;
  } else if (current) {
    // the last finished fit stays: redraw its topics over the live ones
    drawSelection();
  }
});

// ---------- side by side ----------

const compareForm = $<HTMLFormElement>('#compare-form');
let lastCompare: { first: Run; second: Run } | null = null;
compareForm.addEventListener('submit', async (e) => {
  e.preventDefault();
  if (!current || session.running) return;
  const { fit, X } = current;
  const loss = (compareForm.elements.namedItem('compareLoss') as HTMLSelectElement).value as NmfSettings['betaLoss'];
  const kText = (compareForm.elements.namedItem('compareK') as HTMLInputElement).value.trim();
  const k = kText === '' ? null : Number(kText);
  const second = secondSettings(fit.settings.nmf, loss, k);
  const first: Run = { settings: fit.settings.nmf, summary: fit.summary, H: fit.H };
  $<HTMLButtonElement>('#compare-run').disabled = true;
  const outcome = await session.run({
    nmf: second,
    stats: [],
    title: 'Side by side: ',
    firstStage: `Side by side: fitting the same ${formatInt(X.rows)} documents with ${second.betaLoss}, k = ${second.nComponents}…`,
    run: async (fitAgain) => fitAgain(X),
  });
  $<HTMLButtonElement>('#compare-run').disabled = false;
  if (outcome.status !== 'done') return;
  lastCompare = { first, second: { settings: second, summary: outcome.summary, H: outcome.result.H } };
  renderCompare($('#compare'), fit.featureNames, lastCompare.first, lastCompare.second);
  $('#compare-card').scrollIntoView({ behavior: 'smooth', block: 'start' });
});

// ---------- what the test reads ----------

const plain = (M: { rows: number; cols: number; data: ArrayLike<number> }) => ({ rows: M.rows, cols: M.cols, data: Array.from(M.data) });
const probe: DemoProbe = {
  page: 'topics',
  state: () => ($('#status').dataset.state ?? 'idle') as ReturnType<DemoProbe['state']>,
  series: () => ({ measure: chart.plotted, values: chart.series }),
  topics: () => lastTopics,
  drawn: () => ({ components: 0, reconstructions: 0 }),
  liveDraws: () => liveDraws,
  iteration: () => session.lastIteration,
  result: () => (current ? { W: plain(current.fit.W), H: plain(current.fit.H), labels: current.fit.labels, years: current.fit.years, featureNames: current.fit.featureNames } : null),
  exports: () => (current ? Object.fromEntries(exportFiles(current.fit, lambda, topWordCount()).map((f) => [f.name, f.text()])) : {}),
  selection: () => selection.get(),
  mapLayout: () => (current ? mapLayout(current.fit) : null),
  yearShares: () => {
    const data = current && sharesByYear(current.fit);
    return data ? { years: data.years, shares: Array.from(data.shares) } : null;
  },
  compared: () => (lastCompare ? { first: lastCompare.first.summary, second: lastCompare.second.summary, secondLoss: lastCompare.second.settings.betaLoss } : null),
};
window.demo = probe;
