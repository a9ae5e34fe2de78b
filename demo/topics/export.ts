// What a fit can be taken away as: W, H, the topics and the document × topic table as CSV, all of it
// as one JSON, and the fitted model as a file the library loads — the CLI's topic-model format
// (`webnmf topics --save`: the TF-IDF vectorizer and the NMF together), so
// `webnmf transform topic-model.json new.txt` and NMF.fromJSON(file.model) take it as it is.
// Numbers are written as JavaScript prints them: the shortest text that reads back to the same value.

import { h } from '../shared/ui.js';
import { relevantWords, share, type TopicFit } from './model.js';

/** The CLI's topic-model file (src/cli/model-file.ts, TOPIC_MODEL_FORMAT and its version). */
const TOPIC_MODEL = { format: 'webnmf.TopicModel', version: 1 } as const;

export interface ExportFile {
  name: string;
  what: string;
  type: 'text/csv' | 'application/json';
  text(): string;
}

function csvField(v: string | number): string {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const csv = (rows: (string | number)[][]) => `${rows.map((r) => r.map(csvField).join(',')).join('\n')}\n`;
const topicNames = (k: number) => Array.from({ length: k }, (_, t) => `topic_${t + 1}`);
const matrixJson = (M: { rows: number; cols: number; data: ArrayLike<number> }) => ({ rows: M.rows, cols: M.cols, data: Array.from(M.data) });

/** The files of this fit; `lambda` and `nWords` as the topic cards show them. */
export function exportFiles(fit: TopicFit, lambda: number, nWords: number): ExportFile[] {
  const { k, W, H } = fit;
  const n = W.rows;
  const topics = () => Array.from({ length: k }, (_, t) => relevantWords(fit, t, lambda, nWords));
  const files: ExportFile[] = [
    {
      name: 'W.csv',
      what: `W: documents × topics (${n} × ${k}), as the fit returned it`,
      type: 'text/csv',
      text: () => csv([['document', 'label', ...topicNames(k)], ...Array.from({ length: n }, (_, i) => [i + 1, fit.labels[i], ...Array.from(W.data.subarray(i * k, (i + 1) * k))])]),
    },
    {
      name: 'H.csv',
      what: `H: topics × terms (${k} × ${H.cols}), the model's components`,
      type: 'text/csv',
      text: () => csv([['topic', ...fit.featureNames], ...Array.from({ length: k }, (_, t) => [`topic_${t + 1}`, ...Array.from(H.data.subarray(t * H.cols, (t + 1) * H.cols))])]),
    },
    {
      name: 'topics.csv',
      what: `each topic's top ${nWords} words at λ = ${lambda}, with p(w|t), p(w) and relevance`,
      type: 'text/csv',
      text: () => csv([['topic', 'rank', 'word', 'p_word_given_topic', 'p_word', 'relevance'], ...topics().flatMap((words, t) => words.map((w, r) => [t + 1, r + 1, w.word, w.inTopic, w.overall, w.relevance]))]),
    },
    {
      name: 'document-topics.csv',
      what: 'each document’s topic shares (its row of W over its sum) and largest topic',
      type: 'text/csv',
      text: () =>
        csv([
          ['document', 'label', ...(fit.years ? ['year'] : []), 'largest_topic', ...topicNames(k)],
          ...Array.from({ length: n }, (_, i) => [i + 1, fit.labels[i], ...(fit.years ? [fit.years[i]] : []), fit.dominant[i] + 1, ...Array.from({ length: k }, (_, t) => share(fit, i, t))]),
        ]),
    },
    {
      name: 'topics.json',
      what: 'all of the above as one JSON: settings, figures, terms, topics, W, H, document labels',
      type: 'application/json',
      text: () =>
        JSON.stringify({
          settings: fit.settings,
          fit: fit.summary,
          featureNames: fit.featureNames,
          topics: topics().map((words) => words.map((w) => ({ word: w.word, pWordGivenTopic: w.inTopic, pWord: w.overall, relevance: w.relevance }))),
          W: matrixJson(W),
          H: matrixJson(H),
          documents: fit.labels,
        }),
    },
  ];
  if (fit.model.format === 'webnmf.NMF') {
    files.push({
      name: 'topic-model.json',
      what: 'the fitted vectorizer and model (webnmf.TopicModel): webnmf transform topic-model.json new.txt, or NMF.fromJSON(file.model)',
      type: 'application/json',
      text: () => JSON.stringify({ ...TOPIC_MODEL, vectorizer: fit.vectorizer, model: fit.model }),
    });
  } else {
    files.push(
      { name: 'minibatch-model.json', what: 'the fitted MiniBatchNMF (MiniBatchNMF.fromJSON; partialFit continues it)', type: 'application/json', text: () => JSON.stringify(fit.model) },
      { name: 'vectorizer.json', what: 'the fitted TF-IDF vectorizer (TfidfVectorizer.fromJSON)', type: 'application/json', text: () => JSON.stringify(fit.vectorizer) },
    );
  }
  return files;
}

function download(file: ExportFile): void {
  const url = URL.createObjectURL(new Blob([file.text()], { type: file.type }));
  const a = h('a', { href: url, download: file.name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function renderExport(root: HTMLElement, files: ExportFile[]): void {
  root.replaceChildren(
    h(
      'ul',
      { class: 'exports' },
      ...files.map((f) => {
        const button = h('button', { type: 'button', class: 'secondary', 'data-file': f.name }, f.name);
        button.addEventListener('click', () => download(f));
        return h('li', {}, button, h('span', {}, f.what));
      }),
    ),
  );
}
