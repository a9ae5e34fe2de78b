// What the browser page (page/main.ts) exposes on `window.webnmf`, and which parity cases it runs:
// the contract between the page and browser.test.ts, imported by both.

/**
 * A representative subset of test/parity-cases.ts, by name (SwiftShader is slow, the Node WebGPU
 * suite runs all of them): mu with every β-class, dense and CSR, regularized, cd dense and CSR,
 * updateH false for both solvers, a tol-stopped fit, and an estimator case. All of them run on the
 * 'software' kernel plan (what 'auto' picks on SwiftShader), BROWSER_HARDWARE_CASES on 'hardware' too.
 */
export const BROWSER_CASES = [
  'mu-fro-none-dense',
  'mu-fro-mixed-csr',
  'mu-kl-none-dense',
  'mu-kl-l1-csr',
  'mu-is-mixed-dense',
  'mu-b0.5-none-csr',
  'mu-b3-l2-dense',
  'mu-b3-none-csr',
  'cd-mixed-dense',
  'cd-none-csr',
  'fixed-h-mu-kl-dense',
  'fixed-h-cd-csr',
  'tol-cd-1e-3-dense',
  'est-cd-csr',
] as const;

/** The 'hardware' plan's subset: every kernel family of that plan (xproducts, tiled, sparse teams, HALS teams) once. */
export const BROWSER_HARDWARE_CASES = [
  'mu-fro-mixed-csr',
  'mu-kl-none-dense',
  'mu-b0.5-none-csr',
  'mu-b3-l2-dense',
  'cd-mixed-dense',
  'fixed-h-cd-csr',
  'est-cd-csr',
] as const;

export type PagePlan = 'software' | 'hardware';

/** A matrix as it crosses from the page to Node: plain numbers, plus the class of the page's array. */
export interface PageMatrix {
  rows: number;
  cols: number;
  data: number[];
  /** 'Float32Array' on the GPU, 'Float64Array' on the CPU */
  arrayType: string;
}

export interface PageCaseResult {
  name: string;
  W: PageMatrix;
  H: PageMatrix;
  nIter: number;
  reconstructionErr?: number;
  transformW?: PageMatrix;
  inverseTransform?: PageMatrix;
  nComponentsOut?: number;
  nFeaturesIn?: number;
  elapsedMs: number;
}

/** What the page's own navigator.gpu.requestAdapter() saw (null: no adapter, see `reason`). */
export interface AdapterReport {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean | undefined;
  maxStorageBufferBindingSize: number;
  features: string[];
}

export interface AutoReport {
  /** NMF.backendUsed after a fit with backend: 'auto' */
  backendUsed: string | undefined;
  arrayType: string;
}

export interface StreamReport {
  streamed: { H: PageMatrix; nSteps: number; nIter: number; reconstructionErr: number };
  inMemory: { H: PageMatrix; nSteps: number; nIter: number; reconstructionErr: number };
  blockRows: number[];
  /** MiniBatchNMF.backendUsed of the streamed fit */
  backendUsed: string | undefined;
}

export interface PageApi {
  adapter: AdapterReport | null;
  /** why there is no adapter (navigator.gpu absent, requestAdapter() null, or its error) */
  reason?: string;
  /** uncaught errors and unhandled rejections the page itself caught */
  errors: string[];
  /** every result so far, by case name */
  results: Record<string, PageCaseResult>;
  /** run one parity case on backend 'webgpu' with the given kernel plan */
  run(name: string, plan: PagePlan): Promise<PageCaseResult>;
  /** fit an NMF with backend 'auto' (the named case's X and start) and report what it ran on */
  fitAuto(name: string): Promise<AutoReport>;
  /**
   * MiniBatchNMF on `backend` twice: from a File holding `csv` read through rowBlocks (never whole),
   * and from the same matrix in memory; returns both models' components and step counts.
   */
  streamFile(csv: string, backend: 'cpu' | 'webgpu', gpuProfile?: 'auto' | 'hardware' | 'software'): Promise<StreamReport>;
}

declare global {
  interface Window {
    webnmf?: PageApi;
  }
}
