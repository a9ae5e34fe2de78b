// scikit-learn's MiniBatchNMF (Lefèvre, Bach & Févotte 2011, the online β-NMF; scikit-learn 1.2's
// _minibatch_step, _solve_W, _minibatch_convergence and _fit_transform): one MU step of W on a batch
// of rows, then an H step that averages its numerator and denominator over past batches with the
// forget factor ρ. Rows come in order, batch after batch, epoch after epoch, never shuffled.

import type { Backend, FitPlan, HAverages } from '../backend/backend.js';
import { NMFError } from '../errors.js';
import { dense, mean, type DataMatrix, type DenseMatrix } from '../matrix/matrix.js';
import type { Regularization } from '../params.js';
import { clipsAfterMu } from '../loss.js';
import { checkResult, type IterationClock } from './loop.js';

export interface MiniBatchSettings {
  k: number;
  beta: number;
  gamma: number;
  tol: number;
  maxNoImprovement: number | null;
  freshRestarts: boolean;
  freshRestartsMaxIter: number;
  /** the regularization scaled for a batch of rows × cols (scikit-learn's _compute_regularization(X_batch)) */
  regularization(rows: number, cols: number): Regularization;
  verbose: number;
  log: (line: string) => void;
}

/** What survives from one batch to the next: H and its running averages. */
export interface OnlineState {
  H: DenseMatrix<Float64Array>;
  averages: HAverages;
}

/** The first state: A = H, B = ones (scikit-learn's _components_numerator, _components_denominator). */
export function initialState(H: DenseMatrix<Float64Array>): OnlineState {
  const B = dense(H.rows, H.cols);
  B.data.fill(1);
  return { H, averages: { A: dense(H.rows, H.cols, H.data.slice()), B } };
}

/** The constant start of _solve_W: sqrt(mean(X) / k) everywhere. */
function constantW(X: DataMatrix, k: number): DenseMatrix<Float64Array> {
  const W = dense(X.rows, k);
  W.data.fill(Math.sqrt(mean(X) / k));
  return W;
}

function steps(plan: FitPlan) {
  // MiniBatchNMF refused a backend whose `supports.minibatch` is false before any plan was made
  if (!plan.minibatch) throw new Error('webnmf internal: a plan made with `minibatch` has no MiniBatchSteps');
  return plan.minibatch;
}

/** _solve_W's loop on a plan: MU steps of W (no clipping) until W's relative change ≤ tol. */
async function solveWOnPlan(plan: FitPlan, rows: number, cols: number, maxIter: number, s: MiniBatchSettings, clock: IterationClock): Promise<void> {
  const reg = s.regularization(rows, cols);
  for (let i = 0; i < maxIter; i++) {
    await clock.tick();
    plan.muUpdateW({ l1: reg.l1W, l2: reg.l2W, gamma: s.gamma, clip: false });
    const change = await clock.read(steps(plan).wChange());
    clock.checkFinite("relative change of W", change, i + 1);
    if (s.tol > 0 && change <= s.tol) break;
  }
}

/** scikit-learn's _solve_W: W for X with H fixed (transform, and fresh restarts). */
export async function solveW(backend: Backend, X: DataMatrix, H: DenseMatrix<Float64Array>, maxIter: number, s: MiniBatchSettings, clock: IterationClock): Promise<DenseMatrix> {
  const plan = await backend.createFit({ X, W: constantW(X, s.k), H, beta: s.beta, updateH: true, minibatch: true });
  try {
    await solveWOnPlan(plan, X.rows, X.cols, maxIter, s, clock);
    const { W } = await clock.read(plan.read());
    checkResult('The solve of W', { W: W.data });
    return W;
  } finally {
    plan.destroy();
  }
}

export interface StepResult {
  /** W of the batch after its step */
  W: DenseMatrix;
  /** the batch's mean cost: (β-divergence + regularization) / rows, before H's step */
  cost: number;
  /** ‖H − H_before‖ / ‖H‖ (NaN when H was not updated or tol is 0) */
  hChange: number;
}

/**
 * scikit-learn's _minibatch_step on batch X: W's MU step (or, with fresh restarts or no W, a solve from
 * the constant start), the batch cost, then the averaged H step; `state` is updated in place.
 */
export async function minibatchStep(
  backend: Backend, X: DataMatrix, W: DenseMatrix<Float64Array> | null, state: OnlineState, rho: number, s: MiniBatchSettings, clock: IterationClock,
): Promise<StepResult> {
  await clock.tick();
  const reg = s.regularization(X.rows, X.cols);
  const fresh = s.freshRestarts || W === null;
  const plan = await backend.createFit({ X, W: fresh ? constantW(X, s.k) : W, H: state.H, beta: s.beta, updateH: true, averages: state.averages, minibatch: true });
  try {
    const mb = steps(plan);
    if (fresh) {
      await solveWOnPlan(plan, X.rows, X.cols, s.freshRestartsMaxIter, s, clock);
      if (clipsAfterMu('W', s.beta)) mb.clipW();
    } else {
      plan.muUpdateW({ l1: reg.l1W, l2: reg.l2W, gamma: s.gamma }); // clips W for β < 1, as the step does
    }
    const error = await clock.read(plan.reconstructionError());
    let cost = (error * error) / 2;
    if (reg.l1W > 0 || reg.l1H > 0 || reg.l2W > 0 || reg.l2H > 0) {
      const t = await clock.read(mb.factorSums());
      cost += reg.l1W * t.sumW + reg.l1H * t.sumH + reg.l2W * t.sumW2 + reg.l2H * t.sumH2;
    }
    cost /= X.rows;
    checkResult('The mini-batch step', { 'the batch cost': cost });
    mb.muUpdateHAveraged({ l1: reg.l1H, l2: reg.l2H, gamma: s.gamma }, rho);
    const hChange = s.tol > 0 ? await clock.read(mb.hChange()) : NaN;
    const { W: Wout, H } = await clock.read(plan.read());
    const averages = await clock.read(mb.readAverages());
    // Read anyway: a NaN or an overflow in them would carry into every later step.
    checkResult('The mini-batch step', { W: Wout.data, H: H.data, 'H\'s running numerator': averages.A.data, 'H\'s running denominator': averages.B.data });
    state.H = toFloat64(H);
    state.averages = { A: toFloat64(averages.A), B: toFloat64(averages.B) };
    return { W: Wout, cost, hChange };
  } finally {
    plan.destroy();
  }
}

export function toFloat64(A: DenseMatrix): DenseMatrix<Float64Array> {
  return A.data instanceof Float64Array ? (A as DenseMatrix<Float64Array>) : dense(A.rows, A.cols, Float64Array.from(A.data));
}

/** scikit-learn's _minibatch_convergence: a small change of H, or no progress of the smoothed cost. */
export class ConvergenceMonitor {
  private ewaCost: number | null = null;
  private ewaCostMin: number | null = null;
  private noImprovement = 0;

  constructor(private readonly nSamples: number, private readonly s: MiniBatchSettings) {}

  /** step counts from 0; returns true when the fit should stop after this step */
  converged(batchRows: number, step: number, nSteps: number, r: StepResult): boolean {
    const { s } = this;
    step += 1;
    // The first step does not count: H was not updated before it.
    if (step === 1) {
      if (s.verbose) s.log(`Minibatch step ${step}/${nSteps}: mean batch cost: ${r.cost}`);
      return false;
    }
    // An exponentially weighted average of the cost, to see through batch-to-batch noise.
    if (this.ewaCost === null) this.ewaCost = r.cost;
    else {
      const alpha = Math.min(batchRows / (this.nSamples + 1), 1);
      this.ewaCost = this.ewaCost * (1 - alpha) + r.cost * alpha;
    }
    if (s.verbose) s.log(`Minibatch step ${step}/${nSteps}: mean batch cost: ${r.cost}, ewa cost: ${this.ewaCost}`);
    if (s.tol > 0 && r.hChange <= s.tol) {
      if (s.verbose) s.log(`Converged (small H change) at step ${step}/${nSteps}`);
      return true;
    }
    if (this.ewaCostMin === null || this.ewaCost < this.ewaCostMin) {
      this.noImprovement = 0;
      this.ewaCostMin = this.ewaCost;
    } else this.noImprovement += 1;
    if (s.maxNoImprovement !== null && this.noImprovement >= s.maxNoImprovement) {
      if (s.verbose) s.log(`Converged (lack of improvement in objective function) at step ${step}/${nSteps}`);
      return true;
    }
    return false;
  }
}

/** Where the batches of an epoch come from: slices of an X in memory, or a re-read row stream. */
export interface BatchSource {
  nSamples: number;
  /** one epoch: batches of batchSize rows in order (the last may be shorter), with their first row */
  epoch(): AsyncIterable<{ X: DataMatrix; start: number }>;
}

export interface MiniBatchFit {
  state: OnlineState;
  nSteps: number;
  nIter: number;
}

/**
 * scikit-learn's MiniBatchNMF._fit_transform loop: up to maxIter epochs of minibatch steps, W's rows
 * of each batch carried over in `W` (not with fresh restarts, where scikit-learn leaves W alone).
 */
export async function fitMiniBatch(
  backend: Backend, source: BatchSource, W: DenseMatrix<Float64Array> | null, state: OnlineState,
  batchSize: number, rho: number, maxIter: number, s: MiniBatchSettings, clock: IterationClock,
): Promise<MiniBatchFit> {
  const stepsPerIter = Math.ceil(source.nSamples / batchSize);
  const nSteps = maxIter * stepsPerIter;
  const monitor = new ConvergenceMonitor(source.nSamples, s);
  const k = s.k;
  if (!W && !s.freshRestarts) throw new Error('fitMiniBatch needs W unless freshRestarts is set');
  let step = 0;
  epochs: for (let epoch = 0; epoch < maxIter; epoch++) {
    let rowsSeen = 0;
    for await (const { X, start } of source.epoch()) {
      const Wb = s.freshRestarts ? null : dense(X.rows, k, W!.data.slice(start * k, (start + X.rows) * k));
      const r = await minibatchStep(backend, X, Wb, state, rho, s, clock);
      if (Wb) W!.data.set(r.W.data, start * k);
      rowsSeen += X.rows;
      clock.progress({ iteration: epoch + 1, step: step + 1, batchCost: r.cost });
      const stop = monitor.converged(X.rows, step, nSteps, r);
      step += 1;
      if (stop) break epochs;
    }
    if (rowsSeen !== source.nSamples) {
      throw new NMFError(`The row source gave ${rowsSeen} rows in epoch ${epoch + 1}, not the ${source.nSamples} of the first pass: a streamed fit reads its source once per epoch, and every pass must give the same rows.`);
    }
  }
  return { state, nSteps: step, nIter: Math.ceil(step / stepsPerIter) };
}
