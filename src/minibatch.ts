// MiniBatchNMF, scikit-learn 1.2's estimator: fit, fitTransform, partialFit, transform and
// inverseTransform on an X in memory, and fit / transformBlocks on X streamed as row blocks.

import type { Backend } from './backend/backend.js';
import { requireCapabilities, type Need } from './backend/capabilities.js';
import { acquireBackend } from './backend/select.js';
import { InvalidParameterError, NMFError, consoleWarning } from './errors.js';
import { checkInit, checkMemory, checkZerosForBeta, describeK, resolveComponents, startingPoint } from './fit.js';
import { randomStart } from './init/initialize.js';
import { toDataMatrix, toDenseMatrix } from './matrix/coerce.js';
import { dense, matmul, min, sliceRows, type DataMatrix, type DenseMatrix, type MatrixInput } from './matrix/matrix.js';
import { checkFitMemory } from './matrix/memory.js';
import { encodeMatrix, MODEL_FORMAT_VERSION, readEstimator, savedParams, type LoadOption, type SavedArray, type SavedEnvelope } from './model-format.js';
import { computeRegularization, MINIBATCH_PARAMS, resolveOptions, resolveStart, type MiniBatchNMFOptions, type ResolvedOptions } from './params.js';
import { CallQueue } from './serial.js';
import { checkResult, IterationClock, raceAbort, throwIfAborted } from './solvers/loop.js';
import { fitMiniBatch, initialState, minibatchStep, solveW, toFloat64, type BatchSource, type MiniBatchSettings, type OnlineState } from './solvers/minibatch.js';
import { betaToFloat, muGamma } from './loss.js';
import { isRowSource, rebatch, reopener, sourceStats, validatedBlocks, type RowSource } from './stream/row-source.js';

/** A custom start (init 'custom') for MiniBatchNMF's fit, fitTransform and first partialFit. */
export interface MiniBatchStart {
  W?: MatrixInput | null;
  H?: MatrixInput | null;
}
const START_FIELDS = ['W', 'H'] as const;
/** MiniBatchNMF needs its online steps of its backend (checked before any plan is made) */
const MINIBATCH_NEEDS: readonly Need[] = [{ capability: 'minibatch', option: 'MiniBatchNMF', otherwise: 'NMF' }];

/** A saved MiniBatchNMF (MiniBatchNMF#toJSON): its options and, once fitted, the state partialFit continues from. */
export interface SavedMiniBatchNMF extends SavedEnvelope<'webnmf.MiniBatchNMF'> {
  /** the estimator's options, all of them but device, signal, onProgress and onWarning */
  params: Record<string, unknown>;
  fitted: {
    /** H, nComponentsOut × nFeaturesIn, float64 */
    components: SavedArray;
    /** H's running numerator and denominator (scikit-learn's _components_numerator, _components_denominator) */
    componentsNumerator: SavedArray;
    componentsDenominator: SavedArray;
    /** the weight partialFit gives the past: forgetFactor^(batchSize / nSamples) of the fit (scikit-learn's _rho) */
    rho: number;
    nComponentsOut: number;
    nFeaturesIn: number;
    nSteps: number;
    /** null after partialFit alone */
    nIter: number | null;
    /** null after partialFit alone, or a streamed fit with freshRestarts */
    reconstructionErr: number | null;
  } | null;
}

/** What MiniBatchNMF.fromJSON's options may set: where and how the restored model runs. */
export type MiniBatchNMFLoadOptions = Pick<MiniBatchNMFOptions, Exclude<LoadOption, 'checkEvery'>>;

/** A fitted MiniBatchNMF's state, as plain arrays: what toJSON saves and a worker's copy of the model holds. */
export interface MiniBatchState {
  H: DenseMatrix<Float64Array>;
  A: DenseMatrix<Float64Array>;
  B: DenseMatrix<Float64Array>;
  rho: number;
  nFeaturesIn: number;
  nSteps: number;
  nIter: number | null;
  reconstructionErr: number | null;
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
  /** fit, fitTransform, partialFit and transform run one at a time, in call order */
  private readonly calls = new CallQueue();

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
    return new IterationClock({ signal: this.options.signal, onProgress: this.options.onProgress });
  }

  /** Run `call` after the calls before it; a signal aborted already rejects it at once. */
  private queued<T>(call: () => Promise<T>): Promise<T> {
    return this.calls.run(call, this.options.signal);
  }

  private async backend(): Promise<Backend> {
    throwIfAborted(this.options.signal);
    const backend = await raceAbort(this.options.signal, acquireBackend(this.options.backend, this.options.device, this.options.gpuProfile, MINIBATCH_NEEDS));
    requireCapabilities(backend, MINIBATCH_NEEDS);
    this.backendUsed = backend.description;
    return backend;
  }

  private get transformMaxIter(): number {
    return this.options.transformMaxIter ?? this.options.maxIter;
  }

  /** Learn the model from X in memory, or from X streamed as row blocks (see rowBlocks); returns this. */
  fit(X: MatrixInput | RowSource, start: MiniBatchStart | null = {}): Promise<this> {
    return this.queued(async () => {
      const s = resolveStart(start, START_FIELDS, 'MiniBatchNMF.fit');
      if (isRowSource(X)) await this.fitStream(X, s);
      else await this.fitInMemory(X, s);
      return this;
    });
  }

  /** Learn the model and return W for X. */
  fitTransform(X: MatrixInput, start: MiniBatchStart | null = {}): Promise<DenseMatrix> {
    return this.queued(() => this.fitInMemory(X, resolveStart(start, START_FIELDS, 'MiniBatchNMF.fitTransform')));
  }

  private async fitInMemory(X: MatrixInput, start: MiniBatchStart): Promise<DenseMatrix> {
    const o = this.options;
    const Xm = toDataMatrix(X, 'X');
    checkZerosForBeta(min(Xm), this.beta);
    const k = resolveComponents(o, Xm, start.W, start.H, true);
    checkMemory(Xm, k, o, { batchRows: Math.min(o.batchSize, Xm.rows) });
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
    this.reconstructionErr = await reconstructionError(backend, Xm, toFloat64(Wout), fit.state.H, this.beta, o.signal);
    checkResult('MiniBatchNMF.fit', { W: Wout.data, reconstructionErr: this.reconstructionErr });
    return backend.supports.float64 ? Wout : dense32(Wout);
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
    const componentsFor = (cols: number) => typeof o.nComponents === 'number' ? o.nComponents
      : o.nComponents === 'auto' && o.init === 'custom' && start.H != null ? toDenseMatrix(start.H, 'H').rows : cols;
    // W (rows × k) is held whole: refuse as soon as the rows counted so far would not fit
    const batchRows = (rows: number) => Math.min(o.batchSize, rows);
    const fits = (rows: number, cols: number) => {
      throwIfAborted(o.signal);
      const k = componentsFor(cols);
      checkFitMemory({ rows, cols, stored: 0, k, batchRows: batchRows(rows) }, describeK(o, k));
    };
    const stats = await sourceStats(open(), fits);
    const beta = this.beta;
    checkZerosForBeta(stats.min, beta);
    const k = componentsFor(stats.cols);
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
        const e = await reconstructionError(backend, X, dense(X.rows, k, W.data.slice(row * k, (row + X.rows) * k)), fit.state.H, beta, o.signal);
        divergence += (e * e) / 2;
      }
      this.reconstructionErr = Math.sqrt(2 * divergence);
      checkResult('MiniBatchNMF.fit', { reconstructionErr: this.reconstructionErr });
    }
  }

  /** One mini-batch step on X (online learning); the first call initializes the model. Returns this. */
  partialFit(X: MatrixInput, start: MiniBatchStart | null = {}): Promise<this> {
    return this.queued(() => this.partialFitNow(X, resolveStart(start, START_FIELDS, 'MiniBatchNMF.partialFit')));
  }

  private async partialFitNow(X: MatrixInput, start: MiniBatchStart): Promise<this> {
    const o = this.options;
    const Xm = toDataMatrix(X, 'X');
    checkZerosForBeta(min(Xm), this.beta);
    if (!this.state) {
      const k = resolveComponents(o, Xm, start.W, start.H, true);
      checkMemory(Xm, k, o);
      const { H } = startingPoint({ X: Xm, W: start.W, H: start.H, updateH: true, options: o }, k, o.onWarning ?? consoleWarning);
      this.state = initialState(H);
      this.rho = o.forgetFactor ** (Math.min(o.batchSize, Xm.rows) / Xm.rows);
      this.nSteps = 0;
      this.nFeaturesIn = Xm.cols;
    } else this.checkFeatures(Xm);
    const backend = await this.backend();
    // the step works on a copy: an abort or a NaN mid-step leaves the model as it was
    const state = { H: this.state.H, averages: this.state.averages };
    await minibatchStep(backend, Xm, null, state, this.rho, this.settings(state.H.rows), this.clock());
    this.state = state;
    this.setComponents(this.state, Xm.cols);
    this.nSteps! += 1;
    return this;
  }

  /** W for new data X with the learned components fixed (scikit-learn's _solve_W). */
  transform(X: MatrixInput): Promise<DenseMatrix> {
    return this.queued(async () => {
      const H = this.fitted();
      const Xm = toDataMatrix(X, 'X');
      this.checkFeatures(Xm);
      checkMemory(Xm, H.rows, { nComponents: H.rows });
      const backend = await this.backend();
      return solveW(backend, Xm, H, this.transformMaxIter, this.settings(H.rows), this.clock());
    });
  }

  /**
   * W block by block for X streamed as row blocks; each block is solved as transform(block) would,
   * with the components as they are when it starts (it does not wait for, or block, other calls).
   */
  async *transformBlocks(source: RowSource): AsyncGenerator<DenseMatrix> {
    throwIfAborted(this.options.signal);
    const H = this.fitted();
    const open = reopener(source, { reReadable: false });
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

  /** The model as a plain, versioned object for JSON.stringify; fromJSON's model continues partialFit where this one stands. */
  toJSON(): SavedMiniBatchNMF {
    const s = this.exportState();
    return {
      format: 'webnmf.MiniBatchNMF',
      version: MODEL_FORMAT_VERSION,
      params: savedParams(this.options, MINIBATCH_PARAMS),
      fitted: s && {
        components: encodeMatrix(s.H),
        componentsNumerator: encodeMatrix(s.A),
        componentsDenominator: encodeMatrix(s.B),
        rho: s.rho,
        nComponentsOut: s.H.rows,
        nFeaturesIn: s.nFeaturesIn,
        nSteps: s.nSteps,
        nIter: s.nIter,
        reconstructionErr: s.reconstructionErr,
      },
    };
  }

  /**
   * The model that toJSON() saved (or JSON.parse of its text), on any backend: `options` may set
   * backend, device, signal, onProgress, onWarning and verbose. A bad, newer or damaged file is
   * refused with an InvalidParameterError naming the field.
   */
  static fromJSON(json: unknown, options: MiniBatchNMFLoadOptions = {}): MiniBatchNMF {
    return loadMiniBatchNMF(json, options);
  }

  /** @internal The fitted state (toJSON, and the copy a WorkerMiniBatchNMF keeps); null before any fit. */
  exportState(): MiniBatchState | null {
    const s = this.state;
    if (!s) return null;
    return {
      H: s.H, A: toFloat64(s.averages.A), B: toFloat64(s.averages.B), rho: this.rho, nFeaturesIn: this.nFeaturesIn!,
      nSteps: this.nSteps ?? 0, nIter: this.nIter ?? null, reconstructionErr: this.reconstructionErr ?? null,
    };
  }

  /** @internal Takes over a fitted state (fromJSON, and a WorkerMiniBatchNMF's copy of its worker's model). */
  importState(s: MiniBatchState): void {
    this.state = { H: s.H, averages: { A: s.A, B: s.B } };
    this.rho = s.rho;
    this.setComponents(this.state, s.nFeaturesIn);
    this.nSteps = s.nSteps;
    this.nIter = s.nIter ?? undefined;
    this.reconstructionErr = s.reconstructionErr ?? undefined;
  }
}

// Outside the class: a class that names itself inside its body gets renamed by bundlers (MiniBatchNMF2).
function loadMiniBatchNMF(json: unknown, options: MiniBatchNMFLoadOptions): MiniBatchNMF {
  const { read, params, fitted } = readEstimator(json, 'webnmf.MiniBatchNMF', options, MINIBATCH_PARAMS);
  const model = new MiniBatchNMF(params);
  if (fitted) {
    const { fit, k, n } = fitted;
    const matrix = (path: string) => toFloat64(read.matrix(fit, path, k, n));
    const rho = read.number(fit, 'fitted.rho')!;
    if (rho <= 0 || rho > 1) read.fail('fitted.rho', `must be in the range (0, 1]. Got ${rho} instead`);
    model.importState({
      H: matrix('fitted.components'),
      A: matrix('fitted.componentsNumerator'),
      B: matrix('fitted.componentsDenominator'),
      rho,
      nFeaturesIn: n,
      nSteps: read.int(fit, 'fitted.nSteps', 0)!,
      nIter: read.int(fit, 'fitted.nIter', 0, true),
      reconstructionErr: read.number(fit, 'fitted.reconstructionErr', true),
    });
  }
  return model;
}

/** sqrt(2·D_β(X ‖ WH)) on the backend. */
async function reconstructionError(backend: Backend, X: DataMatrix, W: DenseMatrix<Float64Array>, H: DenseMatrix<Float64Array>, beta: number, signal: AbortSignal | null): Promise<number> {
  const plan = await raceAbort(signal, backend.createFit({ X, W, H, beta, updateH: true }), (late) => late.destroy());
  try {
    return await raceAbort(signal, plan.reconstructionError());
  } finally {
    plan.destroy();
  }
}

function dense32(A: DenseMatrix): DenseMatrix<Float32Array> {
  return { rows: A.rows, cols: A.cols, data: Float32Array.from(A.data) };
}
