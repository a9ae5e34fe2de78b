// What the gpujs browser page (gpujs-page/main.ts) exposes on `window.webnmfGpujs`, and which parity
// cases it runs: the contract between that page and gpujs.test.ts, imported by both.

import type { PageCaseResult } from './page-api.js';

/**
 * A small subset of test/parity-cases.ts (SwiftShader's WebGL2 is slow and every fit compiles its
 * kernels; Node runs all of them on webasm): mu with every β-class, dense and CSR, regularized,
 * cd dense and CSR, H fixed for both solvers (KL with L1: scikit-learn's cached-sum quirk), a
 * tol-stopped fit, and estimator cases (transform, reconstructionErr).
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
] as const;

/** What the page saw of WebGPU and WebGL2 before any fit. */
export interface GpujsEnvironment {
  /** 'navigator.gpu is absent', 'requestAdapter() returned null', or the adapter it got */
  webgpu: string;
  /** the library's own WebGL2 probe (src/backend/gpujs): renderer, texture limit, float targets */
  webgl2: { renderer: string; maxTextureSize: number; floatTargets: boolean } | null;
}

export interface GpujsPageApi {
  environment: GpujsEnvironment;
  /** uncaught errors and unhandled rejections the page itself caught */
  errors: string[];
  /** run one parity case on backend 'gpujs' */
  run(name: string): Promise<PageCaseResult>;
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
