// The scikit-learn parity cases (test/fixtures/parity.json, written by test/fixtures/generate.py) and
// a backend-agnostic runner, shared by the CPU suite and the WebGPU suite: one table of cases, one
// tolerance per backend precision, chosen here.

import fixtures from './fixtures/parity.json' with { type: 'json' };
import { NMF, nonNegativeFactorization, type FactorizationOptions, type NMFOptions } from '../src/index.js';

/** Where a case runs: a backend, and for WebGPU the kernel plan (gpuProfile) too. */
export type Backend = 'cpu' | 'webgpu:software' | 'webgpu:hardware';

/**
 * The backends the parity suites run on (WebGPU on SwiftShader where there is no GPU), WebGPU under
 * both kernel plans: the one for software adapters and the one for real GPUs.
 */
export const BACKENDS: readonly Backend[] = ['cpu', 'webgpu:software', 'webgpu:hardware'];
export const WEBGPU_PLANS = ['webgpu:software', 'webgpu:hardware'] as const;

/**
 * Largest relative Frobenius error ‖A − B‖_F / ‖B‖_F of W, H (and the estimator's outputs) against
 * scikit-learn's, per backend precision. On 'cpu' (float64) nIter must also match exactly.
 */
export const TOLERANCE = { cpu: 1e-6, webgpu: 1e-3, 'webgpu:software': 1e-3, 'webgpu:hardware': 1e-3 } as const;

/** The options that select `backend` (and its kernel plan). */
export function backendOptions(backend: Backend | 'gpujs'): Pick<FactorizationOptions, 'backend' | 'gpuProfile'> {
  if (backend === 'webgpu:software') return { backend: 'webgpu', gpuProfile: 'software' };
  if (backend === 'webgpu:hardware') return { backend: 'webgpu', gpuProfile: 'hardware' };
  return { backend };
}

export interface DenseFixture {
  rows: number;
  cols: number;
  data: number[];
}

export interface CsrFixture extends DenseFixture {
  indptr: number[];
  indices: number[];
}

export type MatrixFixture = DenseFixture | CsrFixture;

/** Options as webnmf takes them (camelCase), exactly as scikit-learn was called. */
export type CaseOptions = Pick<
  FactorizationOptions,
  | 'nComponents' | 'init' | 'updateH' | 'solver' | 'betaLoss' | 'tol' | 'maxIter'
  | 'alphaW' | 'alphaH' | 'l1Ratio' | 'randomState' | 'shuffle'
>;

export interface ParityCase {
  /** unique and readable: mu-kl-l1-csr, tol-cd-default-dense, est-cd-csr, … */
  name: string;
  /** 'function': non_negative_factorization; 'estimator': NMF.fit_transform, transform(X2), inverse_transform */
  kind: 'function' | 'estimator';
  X: MatrixFixture;
  /** estimator cases: the data given to transform */
  X2?: MatrixFixture;
  /** custom start (init 'custom'); null when scikit-learn initializes or ignores it */
  W0: DenseFixture | null;
  H0: DenseFixture | null;
  options: CaseOptions;
  expected: {
    W: DenseFixture;
    H: DenseFixture;
    nIter: number;
    reconstructionErr?: number;
    transformW?: DenseFixture;
    inverseTransform?: DenseFixture;
  };
  /** how far float32 rounding of the inputs moves W and H (relative): a hint for float32 backends */
  float32Drift: number;
}

interface FixtureFile {
  sklearn: string;
  numpy: string;
  cases: ParityCase[];
}

const file = fixtures as unknown as FixtureFile;

export const SKLEARN_VERSION = file.sklearn;
export const cases: readonly ParityCase[] = file.cases;
export const functionCases = cases.filter((c) => c.kind === 'function');
export const estimatorCases = cases.filter((c) => c.kind === 'estimator');

interface MatrixLike {
  rows?: number;
  cols?: number;
  data: ArrayLike<number>;
}

/** ‖a − b‖_F / ‖b‖_F (‖a − b‖_F when b is 0); Infinity when the sizes differ, NaN if a has NaN. */
export function relativeError(a: MatrixLike, b: MatrixLike): number {
  if (a.data.length !== b.data.length) return Infinity;
  if (a.rows !== undefined && b.rows !== undefined && (a.rows !== b.rows || a.cols !== b.cols)) return Infinity;
  let diff = 0;
  let ref = 0;
  for (let i = 0; i < b.data.length; i++) {
    const d = a.data[i] - b.data[i];
    diff += d * d;
    ref += b.data[i] * b.data[i];
  }
  return ref > 0 ? Math.sqrt(diff / ref) : Math.sqrt(diff);
}

/** What the API produced for one case. */
export interface CaseResult {
  W: MatrixLike;
  H: MatrixLike;
  nIter: number;
  /** estimator only */
  reconstructionErr?: number;
  transformW?: MatrixLike;
  inverseTransform?: MatrixLike;
  nComponentsOut?: number;
  nFeaturesIn?: number;
}

// Convergence warnings are expected in fixed-iteration cases; keep the test output quiet.
const quiet = () => {};

/**
 * Run one case through the public API on `backend`. W0 / H0 null are omitted, as a user would.
 * checkEvery 1 reads the convergence scalar every iteration, as scikit-learn does (the CPU default;
 * GPU backends default to 10, which may stop 'cd' up to 9 iterations after scikit-learn).
 */
export async function runCase(c: ParityCase, backend: Backend | 'gpujs'): Promise<CaseResult> {
  const start = { ...(c.W0 ? { W: c.W0 } : {}), ...(c.H0 ? { H: c.H0 } : {}) };
  if (c.kind === 'function') {
    const options: FactorizationOptions = { ...c.options, ...start, ...backendOptions(backend), checkEvery: 1, onWarning: quiet };
    const { W, H, nIter } = await nonNegativeFactorization(c.X, options);
    return { W, H, nIter };
  }
  const { updateH, ...estimatorOptions } = c.options;
  if (updateH === false) throw new Error(`${c.name}: an estimator case cannot fix H`);
  const model = new NMF({ ...(estimatorOptions as NMFOptions), ...backendOptions(backend), checkEvery: 1, onWarning: quiet });
  const W = await model.fitTransform(c.X, start);
  const H = model.components;
  if (!H || model.nIter === undefined) throw new Error(`${c.name}: fitTransform left the model unfitted`);
  return {
    W,
    H,
    nIter: model.nIter,
    reconstructionErr: model.reconstructionErr,
    transformW: c.X2 ? await model.transform(c.X2) : undefined,
    inverseTransform: await model.inverseTransform(W),
    nComponentsOut: model.nComponentsOut,
    nFeaturesIn: model.nFeaturesIn,
  };
}
