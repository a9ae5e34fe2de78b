// What the browser page (page/main.ts) exposes on `window.webnmf`, and which fixture cases each
// target runs there: the contract between the page and browser.test.ts, imported by both. The page
// serves every browser target: WebGPU under both kernel plans (a tab with navigator.gpu) and gpu.js on
// WebGL2 (a tab without it, as a browser that has no WebGPU).

import type { TargetName } from '../support/cases.js';

/** The targets a browser runs: WebGPU's two kernel plans, gpu.js on WebGL2 (the CPU runs in Node). */
export type BrowserTarget = Exclude<TargetName, 'cpu'>;

/** Which tab a target runs in: one with WebGPU, or one whose navigator.gpu was removed before any script. */
export const TAB: Record<BrowserTarget, 'webgpu' | 'no-webgpu'> = {
  'webgpu/software': 'webgpu',
  'webgpu/hardware': 'webgpu',
  gpujs: 'no-webgpu',
};

/**
 * Representative subsets of the fixtures, by name (SwiftShader is slow, and every gpu.js fit compiles
 * its kernels; Node runs all of them on every target):
 * - 'webgpu/software' (what 'auto' picks on SwiftShader): mu with every β-class, dense and CSR,
 *   regularized, cd dense and CSR, updateH false for both solvers, a tol-stopped fit, an estimator case;
 * - 'webgpu/hardware': every kernel family of that plan (xproducts, tiled, sparse teams, HALS teams) once;
 * - 'gpujs': mu with every β-class, dense and CSR, regularized, cd dense and CSR, H fixed for both
 *   solvers (KL with L1: scikit-learn's cached-sum quirk), a tol-stopped fit, estimator cases, shuffled
 *   cd, an nndsvda start; and a few short 'pg' and MiniBatchNMF cases (one readback per line-search
 *   trial; a plan per batch, kernels reused by shape).
 */
export const BROWSER_CASES: Record<BrowserTarget, { parity: readonly string[]; pg: readonly string[]; minibatch: readonly string[] }> = {
  'webgpu/software': {
    parity: [
      'mu-fro-none-dense', 'mu-fro-mixed-csr', 'mu-kl-none-dense', 'mu-kl-l1-csr', 'mu-is-mixed-dense', 'mu-b0.5-none-csr', 'mu-b3-l2-dense',
      'mu-b3-none-csr', 'cd-mixed-dense', 'cd-none-csr', 'fixed-h-mu-kl-dense', 'fixed-h-cd-csr', 'tol-cd-1e-3-dense', 'est-cd-csr',
    ],
    pg: [],
    minibatch: [],
  },
  'webgpu/hardware': {
    parity: ['mu-fro-mixed-csr', 'mu-kl-none-dense', 'mu-b0.5-none-csr', 'mu-b3-l2-dense', 'cd-mixed-dense', 'fixed-h-cd-csr', 'est-cd-csr'],
    pg: [],
    minibatch: [],
  },
  gpujs: {
    parity: [
      'mu-fro-none-dense', 'mu-fro-mixed-csr', 'mu-kl-l1-csr', 'mu-is-mixed-dense', 'mu-b0.5-none-csr', 'mu-b3-l2-dense', 'cd-mixed-dense',
      'cd-none-csr', 'fixed-h-mu-kl-l1-dense', 'fixed-h-cd-csr', 'tol-cd-1e-3-dense', 'est-cd-csr', 'est-mu-kl-dense', 'mu-b1.5-l1-csr',
      'mu-noncanonical-csr', 'cd-h-only-reg-dense', 'shuffle-cd-rs42-csr', 'init-nndsvda-mu-kl-csr',
    ],
    pg: ['pg-data-dense', 'pg-components-csr', 'pg-nls-limit-dense'],
    minibatch: ['mb-kl-l1-csr', 'mb-b0.5-mixed-dense', 'mb-partial-frobenius-dense'],
  },
};

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

export interface PgPageResult {
  W: PageMatrix;
  H: PageMatrix;
  nIter: number;
  /** messages of the warnings the fit raised */
  warnings: string[];
}

export interface MiniBatchPageResult {
  /** components (H), W of fitTransform (absent for partialFit cases), transform(X2) */
  H: PageMatrix;
  W?: PageMatrix;
  transformW: PageMatrix;
  nSteps: number;
  backendUsed: string | undefined;
}

/** What the page's own navigator.gpu.requestAdapter() saw. */
export interface AdapterReport {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean | undefined;
  maxStorageBufferBindingSize: number;
  features: string[];
}

/** What the page saw of WebGPU and WebGL2 before any fit. */
export interface Environment {
  /** the adapter, or null (see `webgpu`) */
  adapter: AdapterReport | null;
  /** 'navigator.gpu is absent …', 'navigator.gpu.requestAdapter() returned null', its error, or 'adapter: …' */
  webgpu: string;
  /** the library's own WebGL2 probe (src/backend/gpujs): renderer, texture limit, float targets */
  webgl2: { renderer: string; maxTextureSize: number; floatTargets: boolean } | null;
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

export interface WorkerFit {
  backendUsed?: string;
  arrayType?: string;
  W?: number[];
  H?: number[];
  error?: string;
}

export interface PageApi {
  environment: Environment;
  /** uncaught errors and unhandled rejections the page itself caught */
  errors: string[];
  /** run one parity case (test/fixtures/parity.json) on `target` */
  run(name: string, target: BrowserTarget): Promise<PageCaseResult>;
  /** run one 'pg' case (test/fixtures/pg.json) on `target` */
  runPg(name: string, target: BrowserTarget): Promise<PgPageResult>;
  /** run one MiniBatchNMF case (test/fixtures/minibatch.json) on `target` */
  runMiniBatch(name: string, target: BrowserTarget): Promise<MiniBatchPageResult>;
  /** NMF.backendUsed after a small fit on `target` */
  describe(target: BrowserTarget): Promise<string | undefined>;
  /** fit an NMF with backend 'auto' (the named parity case's X and start) and report what it ran on */
  fitAuto(name: string): Promise<AutoReport>;
  /**
   * MiniBatchNMF on `backend` twice: from a File holding `csv` read through rowBlocks (never whole),
   * and from the same matrix in memory; returns both models' components and step counts.
   */
  streamFile(csv: string, backend: 'cpu' | 'webgpu', gpuProfile?: 'auto' | 'hardware' | 'software'): Promise<StreamReport>;
  /** a small 'mu' fit with backend 'gpujs' inside a Web Worker, and the same fit on the page's main thread */
  fitInWorker(): Promise<{ worker: WorkerFit; main: WorkerFit }>;
  /**
   * Fits of degenerate shapes (one row, one column, k = 1, k = min(m, n)) and of m or n above 1000
   * (gpu.js's default loop cap) with both solvers on 'gpujs' and on 'cpu' in the page: the relative
   * gaps of W and H, per shape and solver
   */
  degenerateShapes(): Promise<{ label: string; gapW: number; gapH: number; backendUsed: string | undefined }[]>;
  /**
   * A 'mu' fit whose WebGL2 context is lost (WEBGL_lose_context) at its 10th iteration: how it
   * ended; then the same fit again (a new context) and its gap to the CPU backend's result.
   */
  loseContextMidFit(): Promise<{ error: string | null; errorName: string | null; refit: string | undefined; gapW: number }>;
}

declare global {
  interface Window {
    webnmf?: PageApi;
  }
}
