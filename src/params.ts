// Every option's default and rule, in one table (scikit-learn's `_parameter_constraints`).
// Errors are built from the table, so they all read alike:
//   "The 'maxIter' parameter of nonNegativeFactorization must be an int in the range [1, inf). Got 0 instead."

import { InvalidParameterError, type WarningHandler } from './errors.js';
import type { DenseMatrix, MatrixInput } from './matrix/matrix.js';
import { betaToFloat } from './loss.js';

export type BetaLossName = 'frobenius' | 'kullback-leibler' | 'itakura-saito';
export type Solver = 'cd' | 'mu' | 'pg';
/** scikit-learn 0.18's 'pg' solver: where its sparseness constraint applies (Hoyer's stacking). */
export type Sparseness = 'data' | 'components';
export type Init = 'random' | 'nndsvd' | 'nndsvda' | 'nndsvdar' | 'custom';
export type BackendName = 'auto' | 'webgpu' | 'gpujs' | 'cpu';
/**
 * Which WebGPU kernel plan runs: 'hardware' (shaped for real GPUs: many workgroups, shared-memory tiles,
 * split-K), 'software' (shaped for CPU-emulated adapters such as SwiftShader), or 'auto': 'software' on a
 * software or fallback adapter, 'hardware' otherwise.
 */
export type GpuProfile = 'auto' | 'hardware' | 'software';

export interface ProgressInfo {
  iteration: number;
  /** sqrt(2·β-divergence), reported by 'mu' at its checks */
  loss?: number;
  /** HALS violation relative to the first iteration's, reported by 'cd'; for 'pg', ‖projected gradient‖ relative to the start's gradient */
  violation?: number;
  /**
   * 'pg': the iteration of a W subproblem solved on its own, reported while it runs: the final solve
   * at maxIter (iteration is maxIter) and the solve of updateH: false (iteration is the same count,
   * which is 0.18's nIter there)
   */
  nlsIteration?: number;
  /** MiniBatchNMF: mini-batch steps so far (iteration counts epochs) */
  step?: number;
  /** MiniBatchNMF: the last batch's mean cost (β-divergence + regularization, per row) */
  batchCost?: number;
  elapsedMs: number;
}

/**
 * What an NMF fit's onProgress receives beside its report (MiniBatchNMF's does not): the fit as it
 * runs, for a live view of its factors.
 */
export interface RunningFit {
  /**
   * Copies of W and H as they stand when called (one readback on a GPU backend): called during
   * onProgress, the reported check's (on a GPU, possibly a few iterations later). Rejects with
   * NMFError once the fit has ended; its result holds the final factors.
   */
  factors(): Promise<{ W: DenseMatrix; H: DenseMatrix }>;
}

/** Options shared by the function and the estimator (scikit-learn's names in camelCase). */
export interface NMFOptions {
  nComponents?: number | 'auto' | null;
  init?: Init | null;
  solver?: Solver;
  betaLoss?: BetaLossName | number;
  tol?: number;
  maxIter?: number;
  randomState?: number | null;
  alphaW?: number;
  alphaH?: number | 'same';
  l1Ratio?: number;
  verbose?: number | boolean;
  shuffle?: boolean;
  backend?: BackendName;
  /** WebGPU only: which kernel plan runs (see GpuProfile); 'auto' by default */
  gpuProfile?: GpuProfile;
  /** Convergence readback interval; 1 on the CPU (scikit-learn's), 10 on GPU backends. */
  checkEvery?: number | null;
  /** A GPUDevice of the caller's, used by the WebGPU backend (never destroyed by webnmf). */
  device?: GPUDevice | null;
  signal?: AbortSignal | null;
  /** at each convergence check; an NMF fit (not MiniBatchNMF's) also passes itself (RunningFit) */
  onProgress?: ((info: ProgressInfo, fit?: RunningFit) => void) | null;
  onWarning?: WarningHandler | null;
  /** 'pg' only (scikit-learn 0.18): iterations of each non-negative least squares subproblem */
  nlsMaxIter?: number;
  /** 'pg' only: enforce sparseness on W ('data') or H ('components') */
  sparseness?: Sparseness | null;
  /** 'pg' only: degree of sparseness, when sparseness is set */
  beta?: number;
  /** 'pg' only: degree of correctness to keep, when sparseness is set */
  eta?: number;
}

/** MiniBatchNMF's own options (scikit-learn 1.2's MiniBatchNMF; it has no solver and no shuffle). */
export interface MiniBatchOnlyOptions {
  /** rows per mini-batch (default 1024) */
  batchSize?: number;
  /** weight of past batches in H's running averages: ρ = forgetFactor^(batchSize / nSamples) */
  forgetFactor?: number;
  /** solve W from scratch for every batch (and for all of X at the end) instead of one MU step */
  freshRestarts?: boolean;
  freshRestartsMaxIter?: number;
  /** MU steps of transform's solve (null: maxIter) */
  transformMaxIter?: number | null;
  /** stop after this many steps without improvement of the smoothed batch cost (null: never) */
  maxNoImprovement?: number | null;
}

export type MiniBatchNMFOptions = Omit<NMFOptions, 'solver' | 'shuffle' | 'checkEvery' | 'nlsMaxIter' | 'sparseness' | 'beta' | 'eta'> & MiniBatchOnlyOptions;

export interface FactorizationOptions extends NMFOptions {
  W?: MatrixInput | null;
  H?: MatrixInput | null;
  updateH?: boolean;
  /**
   * Weighted NMF ('mu'): the weight of each entry of X in the loss, same shape as X; 0 leaves an entry
   * out (a missing value). Dense 0/1 or weights, or CSR whose stored entries are the observed ones.
   */
  mask?: MatrixInput | null;
}

interface Constraint {
  test(v: unknown): boolean;
  text: string;
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isReal = (v: unknown): v is number => typeof v === 'number' && !Number.isNaN(v);

function interval(kind: 'int' | 'float', lo: number, hi: number, closed: 'left' | 'both'): Constraint {
  const right = closed === 'both' ? ']' : ')';
  const fmt = (x: number) => (x === Infinity ? 'inf' : String(x));
  return {
    test: (v) => (kind === 'int' ? isInt(v) : isReal(v)) && (v as number) >= lo && (closed === 'both' ? (v as number) <= hi : (v as number) < hi),
    text: `${kind === 'int' ? 'an int' : 'a float'} in the range [${fmt(lo)}, ${fmt(hi)}${right}`,
  };
}
const options = (...values: string[]): Constraint => ({
  test: (v) => typeof v === 'string' && values.includes(v),
  text: values.length === 1 ? `'${values[0]}'` : `a str among {${values.map((s) => `'${s}'`).join(', ')}}`,
});
const isNull: Constraint = { test: (v) => v === null, text: 'null' };
const boolean: Constraint = { test: (v) => typeof v === 'boolean', text: 'a boolean' };
const finiteReal: Constraint = { test: (v) => isReal(v) && Number.isFinite(v), text: 'a finite float' };
const fn: Constraint = { test: (v) => typeof v === 'function', text: 'a function' };
const abortSignal: Constraint = {
  test: (v) => typeof v === 'object' && v !== null && typeof (v as AbortSignal).aborted === 'boolean',
  text: 'an AbortSignal',
};
/** What a GPUDevice has (a plain object or a device-like wrapper fails at its first use, far from here). */
const gpuDevice: Constraint = {
  test: (v) => {
    const d = v as { createBuffer?: unknown; queue?: unknown; lost?: { then?: unknown } } | null;
    return typeof d === 'object' && d !== null && typeof d.createBuffer === 'function' && typeof d.queue === 'object' && d.queue !== null && typeof d.lost?.then === 'function';
  },
  text: 'a GPUDevice',
};
const matrix: Constraint = { test: (v) => typeof v === 'object' && v !== null, text: 'a matrix' };

interface ParamSpec {
  default: unknown;
  rules: Constraint[];
}

/** The table. Solver-specific rules (cd needs frobenius, β ≤ 0 refuses zeros) live in checkCombinations. */
export const PARAMS = {
  nComponents: { default: null, rules: [interval('int', 1, Infinity, 'left'), options('auto'), isNull] },
  init: { default: null, rules: [options('random', 'nndsvd', 'nndsvda', 'nndsvdar', 'custom'), isNull] },
  solver: { default: 'cd', rules: [options('cd', 'mu', 'pg')] },
  betaLoss: { default: 'frobenius', rules: [options('frobenius', 'kullback-leibler', 'itakura-saito'), finiteReal] },
  tol: { default: 1e-4, rules: [interval('float', 0, Infinity, 'left')] },
  maxIter: { default: 200, rules: [interval('int', 1, Infinity, 'left')] },
  randomState: { default: null, rules: [interval('int', 0, 2 ** 32 - 1, 'both'), isNull] },
  alphaW: { default: 0, rules: [interval('float', 0, Infinity, 'left')] },
  alphaH: { default: 'same', rules: [interval('float', 0, Infinity, 'left'), options('same')] },
  l1Ratio: { default: 0, rules: [interval('float', 0, 1, 'both')] },
  verbose: { default: 0, rules: [interval('int', 0, Infinity, 'left'), boolean] },
  shuffle: { default: false, rules: [boolean] },
  backend: { default: 'auto', rules: [options('auto', 'webgpu', 'gpujs', 'cpu')] },
  gpuProfile: { default: 'auto', rules: [options('auto', 'hardware', 'software')] },
  checkEvery: { default: null, rules: [interval('int', 1, Infinity, 'left'), isNull] },
  device: { default: null, rules: [gpuDevice, isNull] },
  signal: { default: null, rules: [abortSignal, isNull] },
  onProgress: { default: null, rules: [fn, isNull] },
  onWarning: { default: null, rules: [fn, isNull] },
  nlsMaxIter: { default: 2000, rules: [interval('int', 1, Infinity, 'left')] },
  sparseness: { default: null, rules: [options('data', 'components'), isNull] },
  beta: { default: 1, rules: [interval('float', 0, Infinity, 'left')] },
  eta: { default: 0.1, rules: [interval('float', 0, Infinity, 'left')] },
  W: { default: null, rules: [matrix, isNull] },
  H: { default: null, rules: [matrix, isNull] },
  updateH: { default: true, rules: [boolean] },
  mask: { default: null, rules: [matrix, isNull] },
  batchSize: { default: 1024, rules: [interval('int', 1, Infinity, 'left')] },
  forgetFactor: { default: 0.7, rules: [interval('float', 0, 1, 'both')] },
  freshRestarts: { default: false, rules: [boolean] },
  freshRestartsMaxIter: { default: 30, rules: [interval('int', 1, Infinity, 'left')] },
  transformMaxIter: { default: null, rules: [interval('int', 1, Infinity, 'left'), isNull] },
  maxNoImprovement: { default: 10, rules: [interval('int', 1, Infinity, 'left'), isNull] },
} satisfies Record<string, ParamSpec>;

export type ParamName = keyof typeof PARAMS;

/** Options for the estimator: everything but the custom start and updateH, which fitTransform takes. */
const MINIBATCH_ONLY: ParamName[] = ['batchSize', 'forgetFactor', 'freshRestarts', 'freshRestartsMaxIter', 'transformMaxIter', 'maxNoImprovement'];
/** Options of nonNegativeFactorization: all but MiniBatchNMF's own. */
export const FUNCTION_PARAMS = (Object.keys(PARAMS) as ParamName[]).filter((p) => !MINIBATCH_ONLY.includes(p));
export const ESTIMATOR_PARAMS = FUNCTION_PARAMS.filter((p) => !['W', 'H', 'updateH', 'mask'].includes(p));
/** MiniBatchNMF's, in scikit-learn's order, then webnmf's own (where it runs, abort, progress). */
export const MINIBATCH_PARAMS: ParamName[] = [
  'nComponents', 'init', 'batchSize', 'betaLoss', 'tol', 'maxNoImprovement', 'maxIter', 'alphaW', 'alphaH', 'l1Ratio',
  'forgetFactor', 'freshRestarts', 'freshRestartsMaxIter', 'transformMaxIter', 'randomState', 'verbose',
  'backend', 'gpuProfile', 'device', 'signal', 'onProgress', 'onWarning',
];

type AllOptions = FactorizationOptions & MiniBatchOnlyOptions;
export type ResolvedOptions = Required<{ [K in keyof AllOptions]-?: Exclude<AllOptions[K], undefined> }>;

function describe(v: unknown): string {
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'function') return 'a function';
  if (Array.isArray(v)) return 'an array';
  if (v === undefined) return 'undefined';
  if (typeof v === 'object' && v !== null) {
    const type = v.constructor?.name || 'object';
    return `${/^[aeiou]/i.test(type) ? 'an' : 'a'} ${type}`;
  }
  return String(v);
}

function joinOr(texts: string[]): string {
  return texts.length === 1 ? texts[0] : `${texts.slice(0, -1).join(', ')} or ${texts[texts.length - 1]}`;
}

/** An object literal (or class instance): not a Map, an array, or a primitive, whose fields would go unread. */
function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && Object.prototype.toString.call(v) === '[object Object]';
}

/** Fill defaults and check every option against the table; unknown names are refused (they are typos). */
export function resolveOptions(given: object, allowed: readonly ParamName[], caller: string): ResolvedOptions {
  if (!isPlainObject(given)) {
    throw new InvalidParameterError('options', `The options of ${caller} must be an object. Got ${describe(given)} instead.`);
  }
  for (const key of Object.keys(given)) {
    if (!(allowed as readonly string[]).includes(key)) {
      throw new InvalidParameterError(key, `Unknown option '${key}' for ${caller}. Valid options are: ${allowed.join(', ')}.`);
    }
  }
  const out: Record<string, unknown> = {};
  for (const name of allowed) {
    const spec: ParamSpec = PARAMS[name];
    const value = (given as Record<string, unknown>)[name];
    if (value === undefined) {
      out[name] = spec.default;
      continue;
    }
    if (!spec.rules.some((c) => c.test(value))) {
      throw new InvalidParameterError(
        name,
        `The '${name}' parameter of ${caller} must be ${joinOr(spec.rules.map((c) => c.text))}. Got ${describe(value)} instead.`,
      );
    }
    out[name] = value;
  }
  for (const name of Object.keys(PARAMS) as ParamName[]) if (!(name in out)) out[name] = PARAMS[name].default;
  return out as ResolvedOptions;
}

/**
 * What a call takes beside X (NMF.fitTransform's { W, H, mask }, MiniBatchNMF's { W, H }, transform's
 * { mask }): null, undefined, or an object of those fields; an unknown field is refused (it would be
 * ignored: `{ w, h }`, or an option such as updateH that belongs elsewhere).
 */
export function resolveStart<F extends string>(given: unknown, fields: readonly F[], caller: string): Partial<Record<F, MatrixInput | null>> {
  if (given === undefined || given === null) return {};
  if (!isPlainObject(given)) {
    throw new InvalidParameterError('start', `The start given to ${caller} beside X must be an object with ${joinOr(fields.map((f) => `'${f}'`))}, or null. Got ${describe(given)} instead.`);
  }
  for (const key of Object.keys(given)) {
    if ((fields as readonly string[]).includes(key)) continue;
    const near = fields.find((f) => f.toLowerCase() === key.toLowerCase());
    const isOption = key in PARAMS && !['W', 'H', 'mask'].includes(key);
    const hint = near ? ` (field names are case-sensitive: '${near}')` : isOption ? ` ('${key}' is an option: pass it to the constructor, or to nonNegativeFactorization)` : '';
    throw new InvalidParameterError(key, `Unknown field '${key}' in the start given to ${caller} beside X${hint}. Valid fields are: ${fields.join(', ')}.`);
  }
  return given as Partial<Record<F, MatrixInput | null>>;
}

/** Rules that tie options together, where scikit-learn's _check_params puts them. */
export function checkCombinations(o: ResolvedOptions): void {
  if (o.solver !== 'mu' && betaToFloat(o.betaLoss) !== 2) {
    throw new InvalidParameterError(
      'betaLoss',
      `Invalid betaLoss parameter: solver '${o.solver}' does not handle betaLoss = ${describe(o.betaLoss)}; only 'mu' handles losses other than 'frobenius'.`,
    );
  }
  if (o.sparseness !== null && o.solver !== 'pg') {
    throw new InvalidParameterError(
      'sparseness',
      `The 'sparseness' parameter is used only by solver 'pg' (scikit-learn 0.18's projected gradient); got sparseness = ${describe(o.sparseness)} with solver ${describe(o.solver)}. Use alphaW, alphaH and l1Ratio to regularize other solvers.`,
    );
  }
}

/** The regularization terms, scaled by n_features for W and n_samples for H (scikit-learn's _compute_regularization). */
export function computeRegularization(o: ResolvedOptions, nSamples: number, nFeatures: number) {
  const alphaW = o.alphaW;
  const alphaH = o.alphaH === 'same' ? o.alphaW : o.alphaH;
  return {
    l1W: nFeatures * alphaW * o.l1Ratio,
    l1H: nSamples * alphaH * o.l1Ratio,
    l2W: nFeatures * alphaW * (1 - o.l1Ratio),
    l2H: nSamples * alphaH * (1 - o.l1Ratio),
  };
}

export type Regularization = ReturnType<typeof computeRegularization>;
