// The data a bench run passes around: what the user asked for (BenchOptions), one case and its
// result, the GEMM case, what the page found (PageEnvironment), what the runner knows of the host and
// the browser (HostEnvironment), scikit-learn's figures, and what the page exposes on
// `window.webnmfBench` for the runner to drive through puppeteer.

import type { Spread } from './stats.js';

export type BenchBackend = 'webgpu' | 'gpujs' | 'cpu';
export type BenchSolver = 'cd' | 'mu';
export type BenchLoss = 'frobenius' | 'kullback-leibler';

export interface BenchOptions {
  sizes: [number, number][];
  k: number;
  /** iterations the longer timing fit runs beyond the shorter one (raised for a case too fast to time) */
  iters: number;
  /** timing pairs per case: the report gives their median and spread */
  rounds: number;
  /** maxIter of the loss-vs-time fit */
  curveIters: number;
  backends: BenchBackend[];
  solvers: BenchSolver[];
  losses: BenchLoss[];
  /** N of the WebGPU GEMM case (N×N times N×N); 0: none */
  gemm: number;
  /** the adapter's peak GFLOP/s from its vendor's sheet, if the user gave it */
  peakGflops: number | null;
  /** webnmf's gpuProfile for the WebGPU fits (--profile) */
  gpuProfile: 'auto' | 'hardware' | 'software';
}

export interface BenchCase {
  m: number;
  n: number;
  k: number;
  backend: BenchBackend;
  solver: BenchSolver;
  betaLoss: BenchLoss;
}

export interface ProgressPoint {
  elapsedMs: number;
  iteration: number;
  /** 'mu': sqrt(2·β-divergence); 'cd': HALS violation relative to the first iteration's */
  value: number;
}

export interface CurveResult {
  /** what the progress values are: 'loss' for 'mu', 'violation' for 'cd' */
  measure: 'loss' | 'violation';
  points: ProgressPoint[];
  nIter: number;
  /** wall time of the whole fit: setup, upload, iterations, read-back */
  ms: number;
  /** sqrt(2·β-divergence(X, WH)) of the returned factors, float64, in the page */
  finalLoss: number;
}

export interface CaseResult extends BenchCase {
  /** iterations the longer timing fit ran beyond the shorter one */
  iters: number;
  /** wall time of each round's shorter and longer fit */
  loMs: number[];
  hiMs: number[];
  /** (hiMs − loMs) / iters over the rounds */
  msPerIter: Spread;
  macsPerIter: number;
  /** effective GFLOP/s at the median ms per iteration; null when that median is ≤ 0 (a difference lost in noise) */
  gflops: number | null;
  /** the estimator's backendUsed after the warm-up fit: the backend and, on WebGPU, the adapter and plan */
  backendUsed: string | null;
  /** 'cpu': chunks of work the CPU backend's worker threads ran during the case (0: one thread did all) */
  workerChunks: number | null;
  curve: CurveResult;
}

export interface GemmResult {
  n: number;
  /** dispatches per timed submit */
  reps: number;
  /** ms per dispatch over the rounds */
  ms: Spread;
  /** at the median */
  gflops: number;
  /** max |C − C_ref| / max |C_ref| over sampled entries, C_ref in float64 */
  error: number;
  kernel: string;
}

export interface AdapterReport {
  info: {
    vendor: string;
    architecture: string;
    device: string;
    description: string;
    isFallbackAdapter?: boolean;
    subgroupMinSize?: number;
    subgroupMaxSize?: number;
  };
  limits: Record<string, number>;
  features: string[];
  /** a GPU emulated on the CPU (isFallbackAdapter, or SwiftShader / llvmpipe / WARP by name) */
  software: boolean;
}

export interface PageEnvironment {
  adapter: AdapterReport | null;
  /** why there is no adapter */
  adapterReason?: string;
  /** WebGL2's unmasked renderer (the gpujs backend's GPU); null: no WebGL2 */
  webgl: { vendor: string; renderer: string; software: boolean } | null;
  userAgent: string;
  hardwareConcurrency: number;
  crossOriginIsolated: boolean;
  /** threads the CPU backend may use in this page (1 where shared memory is off: no cross-origin isolation) */
  cpuThreads: number;
}

export interface LaunchReport {
  /** how the runner got its browser */
  mode: 'executable' | 'channel' | 'ws-endpoint';
  executablePath: string | null;
  channel: string | null;
  endpoint: string | null;
  headless: boolean;
  /** the flags the runner launched with (its own and --flag's) */
  flags: string[];
  /** Browser.version(), e.g. "HeadlessChrome/156.0.8078.114" */
  version: string;
  /** the browser process's whole command line, as it reports it (null: it would not say) */
  commandLine: string[] | null;
}

export interface HostEnvironment {
  node: string;
  platform: string;
  cpuModel: string;
  cpus: number;
  loadAverageStart: number[];
  loadAverageEnd: number[] | null;
  /** null: the page was opened by hand (--serve) */
  launch: LaunchReport | null;
}

export interface SklearnResult {
  m: number;
  n: number;
  k: number;
  solver: BenchSolver;
  betaLoss: BenchLoss;
  iters: number;
  msPerIter: Spread;
}

export interface SklearnFigures {
  /** 'python': run by this bench on the exported X; 'file': read from --sklearn FILE */
  source: 'python' | 'file';
  /** the interpreter, or the file */
  from: string;
  version: string | null;
  numpy: string | null;
  /** BLAS library and threads (threadpoolctl), OPENBLAS_CORETYPE */
  blas: string | null;
  results: SklearnResult[];
  /** why there are no figures */
  error: string | null;
}

export interface WebnmfVersion {
  version: string;
  commit: string | null;
  /** uncommitted changes in the working tree */
  dirty: boolean;
}

/** bench-config.json, served beside the page: what it needs to run the grid itself (--serve) and to report. */
export interface PageConfig {
  options: BenchOptions;
  /** run the grid on load and show the report (--serve); false: the runner drives it */
  autorun: boolean;
  webnmf: WebnmfVersion;
  sklearn: SklearnFigures | null;
  host: HostEnvironment;
}

export interface BenchPageApi {
  environment: PageEnvironment;
  runCase(c: BenchCase, o: BenchOptions): Promise<CaseResult>;
  gemm(n: number, rounds: number): Promise<GemmResult>;
}

declare global {
  interface Window {
    webnmfBench?: BenchPageApi;
  }
}
