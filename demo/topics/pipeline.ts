// The topic job's steps around the fit, run in the worker: corpus → TF-IDF (src/text), and W, H →
// what the page draws (top words, representative documents, a heatmap sample).

import type { CsrMatrix, DenseMatrix } from '../../src/index.js';
import { TfidfVectorizer, topWords } from '../../src/text/index.js';
import type { CorpusSpec, Stage, TextResult, TopicSummary, VectorizerSettings } from '../shared/protocol.js';
import { snippet, type Corpus } from './corpus.js';
import { loadSotu } from './sotu.js';

export interface VectorizedCorpus extends Corpus {
  X: CsrMatrix;
  featureNames: string[];
}

/** Representative documents shown per topic. */
const DOCUMENTS_PER_TOPIC = 3;

export async function vectorizeCorpus(spec: CorpusSpec, v: VectorizerSettings, stage: (s: Stage, detail?: string) => void): Promise<VectorizedCorpus> {
  let corpus: Corpus;
  if (spec.kind === 'sotu') {
    stage('loading', `Loading State of the Union addresses, ${spec.fromYear}–${spec.toYear}…`);
    corpus = await loadSotu(spec.fromYear, spec.toYear, spec.wordsPerPassage);
  } else {
    corpus = { documents: spec.documents, labels: spec.labels };
  }
  stage('vectorizing', `Building the TF-IDF matrix of ${corpus.documents.length.toLocaleString('en-US')} documents…`);
  // let the stage message reach the page before the (synchronous) vectorizer runs
  await new Promise((resolve) => setTimeout(resolve, 0));
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
    kind: 'text',
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
