// The contract between the bench page (page/main.ts) and the Node runner (runner.ts): what one fit
// request carries, what it returns, and what the page exposes on `window.webnmfBench`.

export type BenchBackend = 'webgpu' | 'gpujs' | 'cpu';
export type BenchSolver = 'cd' | 'mu';
export type BenchLoss = 'frobenius' | 'kullback-leibler';

/** One fit in the page. X (m × n, rank-k plus noise) is made in the page from a fixed seed. */
export interface FitRequest {
  m: number;
  n: number;
  k: number;
  backend: BenchBackend;
  solver: BenchSolver;
  betaLoss: BenchLoss;
  maxIter: number;
  tol: number;
  /** record onProgress points (the loss-vs-time fit) */
  progress: boolean;
}

export interface ProgressPoint {
  elapsedMs: number;
  iteration: number;
  /** 'mu': sqrt(2·β-divergence); 'cd': HALS violation relative to the first iteration's */
  value: number;
}

export interface FitResponse {
  /** wall time of `await nonNegativeFactorization(…)`, ms: setup, upload, iterations and read-back */
  ms: number;
  nIter: number;
  /** what the progress values are: 'loss' for 'mu', 'violation' for 'cd' */
  measure: 'loss' | 'violation';
  points: ProgressPoint[];
  /** sqrt(2·β-divergence(X, WH)) of the returned factors, computed in the page in float64 */
  finalLoss: number;
}

export interface BenchAdapter {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean | undefined;
}

export interface BenchPageApi {
  /** the page's navigator.gpu adapter (null: none, see `reason`) */
  adapter: BenchAdapter | null;
  reason?: string;
  userAgent: string;
  hardwareConcurrency: number;
  fit(request: FitRequest): Promise<FitResponse>;
}

declare global {
  interface Window {
    webnmfBench?: BenchPageApi;
  }
}
