// What the gpujs browser page (gpujs-page/main.ts) exposes on `window.webnmfGpujs`, and which parity
// cases it runs: the contract between that page and gpujs.test.ts, imported by both.

import type { PageCaseResult, PageMatrix } from './page-api.js';

/**
 * A small subset of test/parity-cases.ts (SwiftShader's WebGL2 is slow and every fit compiles its
 * kernels; Node runs all of them on webasm): mu with every β-class, dense and CSR, regularized,
 * cd dense and CSR, H fixed for both solvers (KL with L1: scikit-learn's cached-sum quirk), a
 * tol-stopped fit, estimator cases (transform, reconstructionErr), shuffled cd, an nndsvda start.
 */
export const GPUJS_BROWSER_CASES = [
  'mu-fro-none-dense',
  'mu-fro-mixed-csr',
  'mu-kl-l1-csr',
  'mu-is-mixed-dense',
  'mu-b0.5-none-csr',
  'mu-b3-l2-dense',
  'cd-mixed-dense',
  'cd-none-csr',
  'fixed-h-mu-kl-l1-dense',
  'fixed-h-cd-csr',
  'tol-cd-1e-3-dense',
  'est-cd-csr',
  'est-mu-kl-dense',
  'mu-b1.5-l1-csr',
  'mu-noncanonical-csr',
  'cd-h-only-reg-dense',
  'shuffle-cd-rs42-csr',
  'init-nndsvda-mu-kl-csr',
] as const;

/** 'pg' cases of test/fixtures/pg.json (one readback per line-search trial: a few short ones) */
export const GPUJS_BROWSER_PG_CASES = ['pg-data-dense', 'pg-components-csr', 'pg-nls-limit-dense'] as const;

/** MiniBatchNMF cases of test/fixtures/minibatch.json (a plan per batch: kernels are reused by shape) */
export const GPUJS_BROWSER_MINIBATCH_CASES = ['mb-kl-l1-csr', 'mb-b0.5-mixed-dense', 'mb-partial-frobenius-dense'] as const;

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

/** What the page saw of WebGPU and WebGL2 before any fit. */
export interface GpujsEnvironment {
  /** 'navigator.gpu is absent', 'requestAdapter() returned null', or the adapter it got */
  webgpu: string;
  /** the library's own WebGL2 probe (src/backend/gpujs): renderer, texture limit, float targets */
  webgl2: { renderer: string; maxTextureSize: number; floatTargets: boolean } | null;
}

export interface WorkerFit {
  backendUsed?: string;
  arrayType?: string;
  W?: number[];
  H?: number[];
  error?: string;
}

export interface GpujsPageApi {
  environment: GpujsEnvironment;
  /** uncaught errors and unhandled rejections the page itself caught */
  errors: string[];
  /** run one parity case on backend 'gpujs' */
  run(name: string): Promise<PageCaseResult>;
  /** run one 'pg' case (test/pg-cases.ts) on backend 'gpujs' */
  runPg(name: string): Promise<PgPageResult>;
  /** run one MiniBatchNMF case (test/fixtures/minibatch.json) on backend 'gpujs' */
  runMiniBatch(name: string): Promise<MiniBatchPageResult>;
  /** a small 'mu' fit with backend 'gpujs' inside a Web Worker, and the same fit on the page's main thread */
  fitInWorker(): Promise<{ worker: WorkerFit; main: WorkerFit }>;
  /**
   * Fits of degenerate shapes (one row, one column, k = 1, k = min(m, n)) and of m or n above 1000
   * (gpu.js's default loop cap) with both solvers on
   * 'gpujs' and on 'cpu' in the page: the relative gaps of W and H, per shape and solver
   */
  degenerateShapes(): Promise<{ label: string; gapW: number; gapH: number; backendUsed: string | undefined }[]>;
  /**
   * A 'mu' fit whose WebGL2 context is lost (WEBGL_lose_context) at its 10th iteration: how it
   * ended; then the same fit again (a new context) and its gap to the CPU backend's result.
   */
  loseContextMidFit(): Promise<{ error: string | null; errorName: string | null; refit: string | undefined; gapW: number }>;
  /** NMF.backendUsed after a small fit with backend 'gpujs' */
  describe(): Promise<string | undefined>;
  /** NMF.backendUsed after a small fit with backend 'auto', and the class of its result */
  fitAuto(): Promise<{ backendUsed: string | undefined; arrayType: string }>;
}

declare global {
  interface Window {
    webnmfGpujs?: GpujsPageApi;
  }
}
