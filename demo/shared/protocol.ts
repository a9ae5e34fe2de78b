// The messages between a demo page and fit.worker.ts. A page sends one job at a time (with an id);
// every reply about that job carries the id, so a late message from a stopped job is ignored.

import type { BackendName, BetaLossName, Init, Solver } from '../../src/index.js';

/** The NMF options a page can set (scikit-learn's names in camelCase). */
export interface NmfSettings {
  nComponents: number;
  solver: Solver;
  betaLoss: BetaLossName;
  /** null: scikit-learn's rule (nndsvda when k ≤ min(n, m), else random) */
  init: Init | null;
  alphaW: number;
  alphaH: number | 'same';
  l1Ratio: number;
  maxIter: number;
  tol: number;
  randomState: number;
  backend: BackendName;
}

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

export type Job =
  | { kind: 'text'; corpus: CorpusSpec; vectorizer: VectorizerSettings; nmf: NmfSettings; topWords: number; heatmapRows: number }
  | { kind: 'dense'; rows: number; cols: number; data: Float64Array; nmf: NmfSettings };

export type ToWorker = { type: 'fit'; id: number; job: Job } | { type: 'stop'; id: number };

export interface AdapterSummary {
  vendor: string;
  architecture: string;
  description: string;
  /** SwiftShader and other software adapters: backend 'auto' passes them over for the CPU */
  software: boolean;
}

export interface Environment {
  adapter: AdapterSummary | null;
  /** why there is no adapter */
  reason?: string;
  /** SharedArrayBuffer + cross-origin isolation: the CPU backend may use threads */
  crossOriginIsolated: boolean;
  cores: number;
}

export type Stage = 'loading' | 'vectorizing' | 'fitting' | 'summarizing';

export interface CorpusStats {
  documents: number;
  terms: number;
  nonzeros: number;
  /** loading + splitting + vectorizing */
  ms: number;
}

export interface TopicSummary {
  words: string[];
  weights: number[];
  /** the proportion of documents whose largest weight is this topic */
  prevalence: number;
  /** the documents with the largest weight for this topic */
  documents: { label: string; snippet: string; weight: number; share: number }[];
}

export interface TextResult {
  kind: 'text';
  topics: TopicSummary[];
  /** sampled rows of W, each normalized to topic shares (sum 1), sorted by dominant topic */
  heatmap: { labels: string[]; shares: Float64Array; rows: number; sampled: boolean; total: number };
}

export interface DenseResult {
  kind: 'dense';
  /** H: k × nFeatures, row-major */
  components: Float64Array;
  /** W: nSamples × k, row-major */
  codes: Float64Array;
}

export interface FitSummary {
  nIter: number;
  reconstructionErr: number;
  backendUsed: string;
  fitMs: number;
  nComponents: number;
}

export interface ProgressPoint {
  iteration: number;
  value: number;
  elapsedMs: number;
}

export type FromWorker =
  | { type: 'env'; env: Environment }
  | { type: 'stage'; id: number; stage: Stage; detail?: string }
  | { type: 'corpus'; id: number; stats: CorpusStats }
  /** progress reports, batched (a CPU fit may report thousands of iterations a second) */
  | { type: 'progress'; id: number; measure: 'loss' | 'violation'; points: ProgressPoint[] }
  | { type: 'warning'; id: number; category: string; message: string }
  | { type: 'done'; id: number; summary: FitSummary; result: TextResult | DenseResult }
  | { type: 'stopped'; id: number; iteration: number }
  | { type: 'error'; id: number; name: string; message: string };
