// One fit, from validated options to factors: scikit-learn's NMF._fit_transform. The public function
// and the estimators are thin wrappers around fitFactors.

import type { Backend, FitPlan } from './backend/backend.js';
import { requireCapabilities, type Need } from './backend/capabilities.js';
import { acquireBackend } from './backend/select.js';
import { InvalidParameterError, NMFError, consoleWarning, type NMFWarning } from './errors.js';
import { initializeNmf } from './init/initialize.js';
import { toDenseMatrix } from './matrix/coerce.js';
import { imputeUnobserved, observedEntries } from './matrix/mask.js';
import { dense, isCsr, max, mean, min, storedCount, type DataMatrix, type DenseMatrix } from './matrix/matrix.js';
import { checkFitMemory } from './matrix/memory.js';
import { betaToFloat } from './loss.js';
import { checkCombinations, computeRegularization, type ResolvedOptions, type RunningFit } from './params.js';
import { fitCoordinateDescent } from './solvers/cd.js';
import { checkResult, raceAbort, throwIfAborted, type SolverOptions } from './solvers/loop.js';
import { fitMultiplicativeUpdate } from './solvers/mu.js';
import { fitProjectedGradient } from './solvers/pg.js';

export interface FitResult {
  W: DenseMatrix;
  H: DenseMatrix;
  nIter: number;
  /** sqrt(2·D_β(X ‖ WH)) at the end, when asked for */
  reconstructionErr?: number;
  /** where the fit ran, e.g. "cpu (float64)" */
  backend: string;
}

export interface FitRequest {
  X: DataMatrix;
  W: unknown;
  H: unknown;
  updateH: boolean;
  options: ResolvedOptions;
  computeError?: boolean;
  /** weighted NMF: the weight of each entry of X (see the mask option) */
  mask?: unknown;
}

/** The number of components: an int, or (null / 'auto') inferred as scikit-learn does. */
export function resolveComponents(o: ResolvedOptions, X: DataMatrix, W: unknown, H: unknown, updateH: boolean): number {
  if (typeof o.nComponents === 'number') return o.nComponents;
  if (o.nComponents === 'auto') {
    const usesH = (o.init === 'custom' && updateH) || !updateH;
    if (usesH && H != null) return toDenseMatrix(H, 'H').rows;
    if (usesH && W != null && updateH) return toDenseMatrix(W, 'W').cols;
  }
  return X.cols;
}

/** Where k came from, for messages: "nComponents = 5", or "nComponents: null means k = n_features = 200000". */
export function describeK(o: Pick<ResolvedOptions, 'nComponents'>, k: number): string {
  return typeof o.nComponents === 'number' ? `nComponents = ${k}` : `nComponents: ${o.nComponents === null ? 'null' : `'${o.nComponents}'`} means k = ${k}${o.nComponents === null ? ' (n_features)' : ''}`;
}

/** Refuse, before anything is allocated, a fit of X with k components that needs more memory than there is. */
export function checkMemory(X: DataMatrix, k: number, o: Pick<ResolvedOptions, 'nComponents'>, more: { denseCopy?: boolean; batchRows?: number } = {}): void {
  checkFitMemory({ rows: X.rows, cols: X.cols, stored: isCsr(X) ? storedCount(X) : null, k, ...more }, describeK(o, k));
}

/** scikit-learn's _check_init: right shape, non-negative, not all zeros. */
export function checkInit(A: unknown, rows: number, cols: number, name: 'W' | 'H'): DenseMatrix<Float64Array> {
  if (A == null) throw new InvalidParameterError(name, `init='custom' with updateH needs both W and H; ${name} is missing.`);
  const M = toDenseMatrix(A, name);
  if (M.rows !== rows || M.cols !== cols) {
    throw new InvalidParameterError(name, `Array with wrong shape passed to NMF (input ${name}). Expected (${rows}, ${cols}), but got (${M.rows}, ${M.cols}).`);
  }
  if (max(M) === 0) throw new InvalidParameterError(name, `Array passed to NMF (input ${name}) is full of zeros.`);
  return M;
}

/** scikit-learn's _check_w_h: the custom start, the fixed H, or an initialization. */
export function startingPoint(req: FitRequest, k: number, warn: (w: NMFWarning) => void) {
  const { X, options: o, updateH } = req;
  const m = X.rows, n = X.cols;
  if (o.init === 'custom' && updateH) {
    return { H: checkInit(req.H, k, n, 'H'), W: checkInit(req.W, m, k, 'W') };
  }
  if (!updateH) {
    if (req.H == null) throw new InvalidParameterError('H', 'updateH: false solves W for a fixed H: H must be given.');
    const H = checkInit(req.H, k, n, 'H');
    // 'mu' cannot move away from zeros, so it starts from the constant sqrt(mean(X)/k); 'cd' starts from 0.
    const W = dense(m, k);
    if (o.solver === 'mu') W.data.fill(Math.sqrt(mean(X) / k));
    return { W, H };
  }
  if (req.W != null || req.H != null) {
    warn({ category: 'RuntimeWarning', message: "When init!='custom', provided W or H are ignored. Set init='custom' to use them as initialization." });
  }
  return initializeNmf(X, k, o.init === 'custom' ? null : o.init, o.randomState);
}

/** What a fit needs of its backend beyond the MU and HALS steps every backend has. */
export function fitNeeds(solver: ResolvedOptions['solver'], weighted: boolean): Need[] {
  const needs: Need[] = [];
  if (solver === 'pg') needs.push({ capability: 'pg', option: "solver 'pg'", otherwise: "solver 'cd'" });
  if (weighted) needs.push({ capability: 'weighted', option: 'mask', otherwise: 'no mask' });
  return needs;
}

/** β ≤ 0 divides by X's entries: scikit-learn refuses zeros then. */
export function checkZerosForBeta(minX: number, beta: number): void {
  if (beta <= 0 && minX === 0) {
    throw new InvalidParameterError('X', 'When betaLoss <= 0 and X contains zeros, the solver may diverge. Please add small values to X, or use a positive betaLoss.');
  }
}

export async function fitFactors(req: FitRequest): Promise<FitResult> {
  const { X, options: o, updateH } = req;
  const warn = o.onWarning ?? consoleWarning;
  throwIfAborted(o.signal);
  checkCombinations(o);
  const beta = betaToFloat(o.betaLoss);
  const weighted = req.mask != null ? observedEntries(X, req.mask) : undefined;
  if (weighted && o.solver !== 'mu') {
    throw new InvalidParameterError('mask', `mask (weighted NMF) needs solver 'mu'; solver '${o.solver}' counts every entry of X.`);
  }
  // only the entries that count must be positive for β ≤ 0
  checkZerosForBeta(weighted ? weighted.values.reduce((a, b) => Math.min(a, b), Infinity) : min(X), beta);
  if (o.solver === 'mu' && o.init === 'nndsvd') {
    warn({
      category: 'UserWarning',
      message: "The multiplicative update ('mu') solver cannot update zeros present in the initialization, and so leads to poorer results when used jointly with init='nndsvd'. You may try init='nndsvda' or init='nndsvdar' instead.",
    });
  }
  const k = resolveComponents(o, X, req.W, req.H, updateH);
  // With a mask a start computed from X sees its unobserved entries imputed, so they cannot matter
  // (a custom start reads nothing of X: no dense copy then).
  const fromData = !!weighted && !(o.init === 'custom' && updateH);
  checkMemory(X, k, o, { denseCopy: fromData });
  const { W, H } = startingPoint(fromData ? { ...req, X: imputeUnobserved(weighted!) } : req, k, warn);

  throwIfAborted(o.signal);
  const needs = fitNeeds(o.solver, !!weighted);
  const backend: Backend = await raceAbort(o.signal, acquireBackend(o.backend, o.device, o.gpuProfile, needs));
  requireCapabilities(backend, needs);
  // scikit-learn 1.x keeps float32 X float32 (NMF and non_negative_factorization); weighted NMF
  // and 0.18's 'pg' (which cast X to float64) compute in float64.
  const float32 = X.keepFloat32 === true && !weighted && o.solver !== 'pg';
  const plan = await raceAbort(o.signal, backend.createFit({ X, W, H, beta, updateH, weighted, float32 }), (late) => late.destroy());
  const running = runningFit(plan);
  try {
    const solverOptions: SolverOptions = {
      maxIter: o.maxIter,
      tol: o.tol,
      reg: computeRegularization(o, X.rows, X.cols),
      updateH,
      checkEvery: o.checkEvery ?? backend.defaultCheckEvery,
      verbose: Number(o.verbose),
      shuffle: o.shuffle,
      randomState: o.randomState,
      signal: o.signal,
      onProgress: o.onProgress && ((info) => o.onProgress!(info, running.fit)),
      log: (line) => console.log(line),
    };
    const nIter =
      o.solver === 'cd' ? await fitCoordinateDescent(plan, k, solverOptions)
      : o.solver === 'pg' ? await fitProjectedGradient(plan, solverOptions, { nlsMaxIter: o.nlsMaxIter, sparseness: o.sparseness, beta: o.beta, eta: o.eta, warn })
      : await fitMultiplicativeUpdate(plan, beta, solverOptions);
    if (nIter === o.maxIter && o.tol > 0) {
      warn({ category: 'ConvergenceWarning', message: `Maximum number of iterations ${o.maxIter} reached. Increase it to improve convergence.` });
    }
    const result = await raceAbort(o.signal, plan.read());
    const reconstructionErr = req.computeError ? await raceAbort(o.signal, plan.reconstructionError()) : undefined;
    checkResult(`The fit (after ${nIter} iterations)`, { W: result.W.data, H: result.H.data, reconstructionErr });
    return { ...result, nIter, reconstructionErr, backend: plan.description ?? backend.description };
  } finally {
    running.end();
    plan.destroy();
  }
}

/** The fit onProgress sees: its factors read on demand while it runs, an error once it has ended. */
function runningFit(plan: FitPlan): { fit: RunningFit; end(): void } {
  let ended = false;
  const endedError = () => new NMFError('The fit has ended: its result holds the final W and H.');
  const fit: RunningFit = {
    factors: () => {
      if (ended) return Promise.reject(endedError());
      // a read still pending when the plan is destroyed fails on its freed buffers: say why instead
      return plan.read().catch((e: unknown) => Promise.reject(ended ? endedError() : e));
    },
  };
  return { fit, end: () => void (ended = true) };
}
