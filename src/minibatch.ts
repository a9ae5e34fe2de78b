// MiniBatchNMF, scikit-learn 1.2's estimator: fit, fitTransform, partialFit, transform and
// inverseTransform on an X in memory, and fit / transformBlocks on X streamed as row blocks.

import type { Backend } from './backend/backend.js';
import { acquireBackend } from './backend/select.js';
import { InvalidParameterError, NMFError, consoleWarning } from './errors.js';
import { checkInit, checkZerosForBeta, resolveComponents, startingPoint } from './fit.js';
import { randomStart } from './init/initialize.js';
import { toDataMatrix, toDenseMatrix } from './matrix/coerce.js';
import { dense, matmul, min, sliceRows, type DataMatrix, type DenseMatrix, type MatrixInput } from './matrix/matrix.js';
import { betaToFloat, computeRegularization, MINIBATCH_PARAMS, resolveOptions, type MiniBatchNMFOptions, type ResolvedOptions } from './params.js';
import { IterationClock } from './solvers/loop.js';
import { fitMiniBatch, initialState, minibatchStep, solveW, toFloat64, type BatchSource, type MiniBatchSettings, type OnlineState } from './solvers/minibatch.js';
import { muGamma } from './solvers/mu.js';
import { isRowSource, rebatch, reopener, sourceStats, validatedBlocks, type RowSource } from './stream/row-source.js';

/** A custom start (init 'custom') for MiniBatchNMF's fit, fitTransform and first partialFit. */
export interface MiniBatchStart {
  W?: MatrixInput | null;
  H?: MatrixInput | null;
}

export class MiniBatchNMF {
  private readonly options: ResolvedOptions;
  /** H: k × nFeatures */
  components?: DenseMatrix;
  nComponentsOut?: number;
  nFeaturesIn?: number;
  /** epochs started over the data (scikit-learn's n_iter_) */
  nIter?: number;
  /** mini-batch steps taken, over all fit and partialFit calls since the last fit */
  nSteps?: number;
  /** sqrt(2·β-divergence) between the training X and W·H (not set by a streamed fit with freshRestarts) */
  reconstructionErr?: number;
  /** where the last step ran, e.g. "cpu (float64)" */
  backendUsed?: string;
  private state?: OnlineState;
  private rho = 1;

  constructor(options: MiniBatchNMFOptions = {}) {
    this.options = { ...resolveOptions(options, MINIBATCH_PARAMS, 'MiniBatchNMF'), solver: 'mu' };
  }

  private get beta(): number {
    return betaToFloat(this.options.betaLoss);
  }

  private settings(k: number): MiniBatchSettings {
    const o = this.options;
    return {
      k,
      beta: this.beta,
      gamma: muGamma(this.beta),
      tol: o.tol,
      maxNoImprovement: o.maxNoImprovement,
      freshRestarts: o.freshRestarts,
      freshRestartsMaxIter: o.freshRestartsMaxIter,
      regularization: (rows, cols) => computeRegularization(o, rows, cols),
      verbose: Number(o.verbose),
      log: (line) => console.log(line),
    };
  }

  private clock(): IterationClock {
    const o = this.options;
    return new IterationClock({
      maxIter: o.maxIter, tol: o.tol, reg: computeRegularization(o, 1, 1), updateH: true, checkEvery: 1,
      verbose: Number(o.verbose), shuffle: false, randomState: o.randomState, signal: o.signal, onProgress: o.onProgress, log: console.log,
    });
  }

  private async backend(): Promise<Backend> {
    const backend = await acquireBackend(this.options.backend, this.options.device, this.options.gpuProfile);
    this.backendUsed = backend.description;
    return backend;
  }

  private get transformMaxIter(): number {
    return this.options.transformMaxIter ?? this.options.maxIter;
  }

  /** Learn the model from X in memory, or from X streamed as row blocks (see rowBlocks); returns this. */
  async fit(X: MatrixInput | RowSource, start: MiniBatchStart = {}): Promise<this> {
    if (isRowSource(X)) await this.fitStream(X, start);
    else await this.fitTransform(X, start);
    return this;
  }

  /** Learn the model and return W for X. */
  async fitTransform(X: MatrixInput, start: MiniBatchStart = {}): Promise<DenseMatrix> {
    const o = this.options;
    const Xm = toDataMatrix(X, 'X');
    checkZerosForBeta(min(Xm), this.beta);
    const k = resolveComponents(o, Xm, start.W, start.H, true);
    const { W, H } = startingPoint({ X: Xm, W: start.W, H: start.H, updateH: true, options: o }, k, o.onWarning ?? consoleWarning);
    const n = Xm.rows;
    const batchSize = Math.min(o.batchSize, n);
    const source: BatchSource = {
      nSamples: n,
      async *epoch() {
        for (let s = 0; s < n; s += batchSize) yield { X: sliceRows(Xm, s, Math.min(s + batchSize, n)), start: s };
      },
    };
    const backend = await this.backend();
    const s = this.settings(k);
    const clock = this.clock();
    const fit = await this.run(backend, source, W, initialState(H), batchSize, s, clock);
    const Wout = o.freshRestarts ? await solveW(backend, Xm, fit.state.H, this.transformMaxIter, s, clock) : W;
    this.reconstructionErr = await reconstructionError(backend, Xm, toFloat64(Wout), fit.state.H, this.beta);
    return backend.name === 'cpu' ? Wout : dense32(Wout);
  }

  /** _fit_transform's loop and the attributes it sets. */
  private async run(backend: Backend, source: BatchSource, W: DenseMatrix<Float64Array> | null, state: OnlineState, batchSize: number, s: MiniBatchSettings, clock: IterationClock) {
    const o = this.options;
    this.rho = o.forgetFactor ** (batchSize / source.nSamples);
    const fit = await fitMiniBatch(backend, source, W, state, batchSize, this.rho, o.maxIter, s, clock);
    if (fit.nIter === o.maxIter && o.tol > 0) {
      (o.onWarning ?? consoleWarning)({ category: 'ConvergenceWarning', message: `Maximum number of iterations ${o.maxIter} reached. Increase it to improve convergence.` });
    }
    this.state = fit.state;
    this.setComponents(fit.state, state.H.cols);
    this.nIter = fit.nIter;
    this.nSteps = fit.nSteps;
    return fit;
  }

  private setComponents(state: OnlineState, nFeatures: number): void {
    this.components = state.H;
    this.nComponentsOut = state.H.rows;
    this.nFeaturesIn = nFeatures;
  }

  /**
   * Fit from row blocks, never holding X whole: one pass for X's shape and mean, then one per epoch.
   * The start is 'random' (init null means 'random' here: NNDSVD needs all of X at once) or 'custom'.
   */
  private async fitStream(source: RowSource, start: MiniBatchStart): Promise<void> {
    const o = this.options;
    const open = reopener(source);
    const stats = await sourceStats(open());
    const beta = this.beta;
    checkZerosForBeta(stats.min, beta);
    const k = typeof o.nComponents === 'number' ? o.nComponents
      : o.nComponents === 'auto' && o.init === 'custom' && start.H != null ? toDenseMatrix(start.H, 'H').rows : stats.cols;
    let W: DenseMatrix<Float64Array>, H: DenseMatrix<Float64Array>;
    if (o.init === 'custom') {
      H = checkInit(start.H, k, stats.cols, 'H');
      W = checkInit(start.W, stats.rows, k, 'W');
    } else if (o.init === null || o.init === 'random') {
      ({ W, H } = randomStart(stats.rows, stats.cols, stats.mean, k, o.randomState));
    } else {
      throw new InvalidParameterError('init', `init='${o.init}' needs all of X at once; a streamed fit takes init 'random' (or null) or 'custom'.`);
    }
    const batchSize = Math.min(o.batchSize, stats.rows);
    const backend = await this.backend();
    const s = this.settings(k);
    const clock = this.clock();
    const batches: BatchSource = { nSamples: stats.rows, epoch: () => rebatch(open(), batchSize) };
    const fit = await this.run(backend, batches, W, initialState(H), batchSize, s, clock);
    // W of every row is known without fresh restarts: the error is a sum over blocks. With them, W
    // would need a solve over all of X at once, which a stream cannot give.
    this.reconstructionErr = undefined;
    if (!o.freshRestarts) {
      let divergence = 0;
      for await (const { X, start: row } of rebatch(open(), batchSize)) {
        const e = await reconstructionError(backend, X, dense(X.rows, k, W.data.slice(row * k, (row + X.rows) * k)), fit.state.H, beta);
        divergence += (e * e) / 2;
      }
      this.reconstructionErr = Math.sqrt(2 * divergence);
    }
  }

  /** One mini-batch step on X (online learning); the first call initializes the model. Returns this. */
  async partialFit(X: MatrixInput, start: MiniBatchStart = {}): Promise<this> {
    const o = this.options;
    const Xm = toDataMatrix(X, 'X');
    checkZerosForBeta(min(Xm), this.beta);
    if (!this.state) {
      const k = resolveComponents(o, Xm, start.W, start.H, true);
      const { H } = startingPoint({ X: Xm, W: start.W, H: start.H, updateH: true, options: o }, k, o.onWarning ?? consoleWarning);
      this.state = initialState(H);
      this.rho = o.forgetFactor ** (Math.min(o.batchSize, Xm.rows) / Xm.rows);
      this.nSteps = 0;
      this.nFeaturesIn = Xm.cols;
    } else this.checkFeatures(Xm);
    const backend = await this.backend();
    await minibatchStep(backend, Xm, null, this.state, this.rho, this.settings(this.state.H.rows), this.clock());
    this.setComponents(this.state, Xm.cols);
    this.nSteps! += 1;
    return this;
  }

  /** W for new data X with the learned components fixed (scikit-learn's _solve_W). */
  async transform(X: MatrixInput): Promise<DenseMatrix> {
    const H = this.fitted();
    const Xm = toDataMatrix(X, 'X');
    this.checkFeatures(Xm);
    const backend = await this.backend();
    const W = await solveW(backend, Xm, H, this.transformMaxIter, this.settings(H.rows), this.clock());
    return W;
  }

  /** W block by block for X streamed as row blocks; each block is solved as transform(block) would. */
  async *transformBlocks(source: RowSource): AsyncGenerator<DenseMatrix> {
    const H = this.fitted();
    const open = typeof source === 'function' ? source : () => source;
    const backend = await this.backend();
    const s = this.settings(H.rows);
    const clock = this.clock();
    for await (const X of validatedBlocks(open())) {
      this.checkFeatures(X);
      yield await solveW(backend, X, H, this.transformMaxIter, s, clock);
    }
  }

  /** W·components: data back in the original space. */
  async inverseTransform(W: MatrixInput): Promise<DenseMatrix> {
    const H = this.fitted();
    const Wm = toDenseMatrix(W, 'W', { allowNegative: true });
    if (Wm.cols !== H.rows) throw new InvalidParameterError('W', `W has ${Wm.cols} columns, but this MiniBatchNMF has ${H.rows} components.`);
    return matmul(Wm, H);
  }

  private checkFeatures(X: DataMatrix): void {
    if (X.cols !== this.nFeaturesIn) {
      throw new InvalidParameterError('X', `X has ${X.cols} features, but MiniBatchNMF is expecting ${this.nFeaturesIn} features as input.`);
    }
  }

  private fitted(): DenseMatrix<Float64Array> {
    if (!this.state) throw new NMFError("This MiniBatchNMF instance is not fitted yet. Call 'fit' with appropriate arguments before using this estimator.");
    return this.state.H;
  }
}

/** sqrt(2·D_β(X ‖ WH)) on the backend. */
async function reconstructionError(backend: Backend, X: DataMatrix, W: DenseMatrix<Float64Array>, H: DenseMatrix<Float64Array>, beta: number): Promise<number> {
  const plan = await backend.createFit({ X, W, H, beta, updateH: true });
  try {
    return await plan.reconstructionError();
  } finally {
    plan.destroy();
  }
}

function dense32(A: DenseMatrix): DenseMatrix<Float32Array> {
  return { rows: A.rows, cols: A.cols, data: Float32Array.from(A.data) };
}
