// The topic job's steps around the fit: corpus → TF-IDF (the library's TfidfVectorizer, run in
// vectorize.worker.ts), and W, H → what the page draws (top words, representative documents, a
// heatmap sample). The fit itself runs in a WorkerNMF.

import { TfidfVectorizer, topWords, type CsrMatrix, type DenseMatrix } from '../../src/index.js';
import { snippet, type Corpus } from './corpus.js';
import { loadSotu } from './sotu.js';

export interface VectorizerSettings {
  maxFeatures: number;
  /** an absolute document count (int ≥ 1) or a proportion in [0, 1) */
  minDf: number;
  /** a proportion in (0, 1] or an absolute count (int > 1) */
  maxDf: number;
  stopWords: boolean;
  useIdf: boolean;
}

export type CorpusSpec =
  | { kind: 'sotu'; fromYear: number; toYear: number; wordsPerPassage: number }
  | { kind: 'custom'; name: string; documents: string[]; labels: string[] };

export interface TopicSummary {
  words: string[];
  weights: number[];
  /** the proportion of documents whose largest weight is this topic */
  prevalence: number;
  /** the documents with the largest weight for this topic */
  documents: { label: string; snippet: string; weight: number; share: number }[];
}

export interface TextResult {
  topics: TopicSummary[];
  /** sampled rows of W, each normalized to topic shares (sum 1), sorted by dominant topic */
  heatmap: { labels: string[]; shares: Float64Array; rows: number; sampled: boolean; total: number };
}

export interface VectorizedCorpus extends Corpus {
  X: CsrMatrix;
  featureNames: string[];
}

/** Representative documents shown per topic. */
const DOCUMENTS_PER_TOPIC = 3;

/** `stage` shows what is being done (and throws once the user pressed Stop). */
export async function vectorizeCorpus(spec: CorpusSpec, v: VectorizerSettings, stage: (text: string) => Promise<void>): Promise<VectorizedCorpus> {
  let corpus: Corpus;
  if (spec.kind === 'sotu') {
    await stage(`Loading State of the Union addresses, ${spec.fromYear}–${spec.toYear}…`);
    corpus = await loadSotu(spec.fromYear, spec.toYear, spec.wordsPerPassage);
  } else {
    corpus = { documents: spec.documents, labels: spec.labels };
  }
  await stage(`Building the TF-IDF matrix of ${corpus.documents.length.toLocaleString('en-US')} documents…`);
  const vectorizer = new TfidfVectorizer({
    maxFeatures: v.maxFeatures,
    minDf: v.minDf,
    maxDf: v.maxDf,
    stopWords: v.stopWords ? 'english' : null,
    useIdf: v.useIdf,
  });
  const X = vectorizer.fitTransform(corpus.documents);
  return { ...corpus, X, featureNames: vectorizer.featureNames! };
}

export function summarizeTopics(data: VectorizedCorpus, W: DenseMatrix, H: DenseMatrix, nWords: number, heatmapRows: number): TextResult {
  const k = H.rows;
  const n = W.rows;
  const rowSum = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let t = 0; t < k; t++) rowSum[i] += W.data[i * k + t];

  const dominant = (i: number) => {
    let best = 0;
    for (let t = 1; t < k; t++) if (W.data[i * k + t] > W.data[i * k + best]) best = t;
    return best;
  };
  const live = Array.from({ length: n }, (_, i) => i).filter((i) => rowSum[i] > 0);
  const dominantCount = new Float64Array(k);
  for (const i of live) dominantCount[dominant(i)]++;

  const topics: TopicSummary[] = topWords(H, data.featureNames, nWords).map((topic, t) => {
    const best = topIndices(n, DOCUMENTS_PER_TOPIC, (i) => W.data[i * k + t]);
    const documents = best
      .filter((i) => W.data[i * k + t] > 0)
      .map((i) => ({ label: data.labels[i], snippet: snippet(data.documents[i]), weight: W.data[i * k + t], share: W.data[i * k + t] / rowSum[i] }));
    return { words: topic.words, weights: topic.weights, prevalence: dominantCount[t] / Math.max(1, live.length), documents };
  });

  // the heatmap: documents with any weight, sampled evenly when there are many, grouped by topic
  const sampled = live.length > heatmapRows;
  const rows = sampled ? Array.from({ length: heatmapRows }, (_, r) => live[Math.floor((r * live.length) / heatmapRows)]) : live;
  const keyed = rows.map((i) => ({ i, t: dominant(i) })).map((r) => ({ ...r, share: W.data[r.i * k + r.t] / rowSum[r.i] }));
  keyed.sort((a, b) => a.t - b.t || b.share - a.share);
  const shares = new Float64Array(keyed.length * k);
  keyed.forEach(({ i }, r) => {
    for (let t = 0; t < k; t++) shares[r * k + t] = W.data[i * k + t] / rowSum[i];
  });
  return {
    topics,
    heatmap: { labels: keyed.map(({ i }) => data.labels[i]), shares, rows: keyed.length, sampled, total: live.length },
  };
}

/** The indices of the `count` largest values of f over [0, n), largest first. */
function topIndices(n: number, count: number, f: (i: number) => number): number[] {
  const best: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = f(i);
    if (best.length < count || v > f(best[best.length - 1])) {
      best.push(i);
      best.sort((a, b) => f(b) - f(a));
      if (best.length > count) best.pop();
    }
  }
  return best;
}
