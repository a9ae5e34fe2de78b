// The fixture cases every conformance suite and the browser page run, and their runners through the
// public API: scikit-learn parity (test/fixtures/parity.json, written by test/fixtures/generate.py),
// solver 'pg' (pg.json, gen_pg.py: a NumPy port of scikit-learn 0.18's projected gradient) and
// MiniBatchNMF (minibatch.json, gen_minibatch.py). Which backend a runner uses is the caller's
// target (test/support/targets.ts, where the tolerances live); this module is also bundled into the
// browser page, so it imports nothing of Node or vitest.

import fixtures from '../fixtures/parity.json' with { type: 'json' };
import pgFixtures from '../fixtures/pg.json' with { type: 'json' };
import minibatchFixtures from '../fixtures/minibatch.json' with { type: 'json' };
import { MiniBatchNMF, NMF, nonNegativeFactorization, type DenseMatrix, type FactorizationOptions, type MiniBatchNMFOptions, type NMFOptions, type NMFWarning } from '../../src/index.js';

/** The options that select a target's backend (and, on WebGPU, its kernel plan). */
export type TargetOptions = Pick<FactorizationOptions, 'backend' | 'gpuProfile'>;

/** The conformance targets (test/support/targets.ts) by name, and the public options that select each. */
export type TargetName = 'cpu' | 'webgpu/software' | 'webgpu/hardware' | 'gpujs';
export const TARGET_OPTIONS: Record<TargetName, TargetOptions> = {
  cpu: { backend: 'cpu' },
  'webgpu/software': { backend: 'webgpu', gpuProfile: 'software' },
  'webgpu/hardware': { backend: 'webgpu', gpuProfile: 'hardware' },
  gpujs: { backend: 'gpujs' },
};

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
 * Run one case through the public API on `target`. W0 / H0 null are omitted, as a user would.
 * checkEvery 1 reads the convergence scalar every iteration, as scikit-learn does (the CPU default;
 * GPU backends default to 10, which may stop 'cd' up to 9 iterations after scikit-learn).
 */
export async function runCase(c: ParityCase, target: TargetOptions): Promise<CaseResult> {
  const start = { ...(c.W0 ? { W: c.W0 } : {}), ...(c.H0 ? { H: c.H0 } : {}) };
  if (c.kind === 'function') {
    const options: FactorizationOptions = { ...c.options, ...start, ...target, checkEvery: 1, onWarning: quiet };
    const { W, H, nIter } = await nonNegativeFactorization(c.X, options);
    return { W, H, nIter };
  }
  const { updateH, ...estimatorOptions } = c.options;
  if (updateH === false) throw new Error(`${c.name}: an estimator case cannot fix H`);
  const model = new NMF({ ...(estimatorOptions as NMFOptions), ...target, checkEvery: 1, onWarning: quiet });
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

export interface PgCase {
  name: string;
  X: MatrixFixture;
  /** null for updateH: false (W starts at 0, as 0.18's transform) */
  W0: DenseFixture | null;
  H0: DenseFixture;
  /** 0.18's keyword arguments, for the record */
  sk018: Record<string, unknown>;
  options: FactorizationOptions;
  /** nlsLimitHits: subproblems that used all nlsMaxIter iterations; objective: 0.18's, stacked terms included */
  expected: { W: DenseFixture; H: DenseFixture; nIter: number; nlsLimitHits: number; objective: number };
}

export const pgCases: readonly PgCase[] = (pgFixtures as unknown as { cases: PgCase[] }).cases;

export const NLS_WARNING = 'Iteration limit reached in nls subproblem.';

/** Run one case on `target` through the public API; returns the result and the warnings raised. */
export async function runPgCase(c: PgCase, target: TargetOptions, extra: Partial<FactorizationOptions> = {}) {
  const warnings: NMFWarning[] = [];
  const start = c.W0 ? { W: c.W0, H: c.H0 } : { H: c.H0 };
  const result = await nonNegativeFactorization(c.X, {
    ...c.options, ...start, ...target, checkEvery: 1, onWarning: (w) => warnings.push(w), ...extra,
  });
  return { ...result, warnings };
}

export interface MiniBatchCase {
  name: string;
  /** 'fit': fit_transform(X); 'partial': partial_fit on each of `batches` */
  kind: 'fit' | 'partial';
  X?: MatrixFixture;
  batches?: MatrixFixture[];
  /** the matrix given to transform afterwards */
  X2: MatrixFixture;
  W0: DenseFixture | null;
  H0: DenseFixture | null;
  options: MiniBatchNMFOptions;
  expected: { W?: DenseFixture; H: DenseFixture; nIter?: number; nSteps: number; reconstructionErr?: number; transformW: DenseFixture };
}

export const minibatchCases: readonly MiniBatchCase[] = (minibatchFixtures as unknown as { cases: MiniBatchCase[] }).cases;

/** One MiniBatchNMF case through the public API on `target`: the model, fitTransform's W (fit cases) and transform(X2). */
export async function runMiniBatchCase(c: MiniBatchCase, target: TargetOptions) {
  const start = { ...(c.W0 ? { W: c.W0 } : {}), ...(c.H0 ? { H: c.H0 } : {}) };
  const model = new MiniBatchNMF({ ...c.options, ...target, onWarning: quiet });
  let W: DenseMatrix | undefined;
  if (c.kind === 'fit') W = await model.fitTransform(c.X!, start);
  else for (const [i, batch] of c.batches!.entries()) await model.partialFit(batch, i === 0 ? start : {});
  return { model, W, transformW: await model.transform(c.X2) };
}

/** A case by name (a typo in a subset list fails loudly). */
export function byName<C extends { name: string }>(list: readonly C[], name: string): C {
  const c = list.find((x) => x.name === name);
  if (!c) throw new Error(`no case named '${name}' in the fixtures`);
  return c;
}
