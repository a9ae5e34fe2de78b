// webnmf/worker: NMF and MiniBatchNMF with the fit off the caller's thread. A WorkerNMF takes NMF's
// options and has its methods and attributes; it runs them in a worker of its own (a Web Worker, or
// a worker_threads Worker in Node), started with it and ended by dispose(). Options are checked
// here, so bad ones throw at construction as NMF's do; errors of a call come back as the same class
// with the same message; onProgress, onWarning and signal work as they do on the caller's thread.

import '../public-globals.js';
import { consoleWarning, InvalidParameterError, NMFError, type WarningHandler } from '../errors.js';
import type { DenseMatrix, MatrixInput } from '../matrix/matrix.js';
import { MiniBatchNMF, type MiniBatchNMFLoadOptions } from '../minibatch.js';
import { NMF, type FitStart, type NMFLoadOptions } from '../nmf.js';
import type { MiniBatchNMFOptions, NMFOptions, ProgressInfo } from '../params.js';
import { isRowSource } from '../stream/row-source.js';
import { buffersOf, receiveError, type EstimatorKind, type FromWorker, type Method, type ModelCopy } from './protocol.js';
import { startWorker, type WorkerPort } from './spawn.js';

/** NMF's options but device: a GPUDevice belongs to its thread (the worker acquires its own). */
export type WorkerNMFOptions = Omit<NMFOptions, 'device'>;
/** MiniBatchNMF's options but device. */
export type WorkerMiniBatchNMFOptions = Omit<MiniBatchNMFOptions, 'device'>;

/** A per-call option of the worker estimators. */
export interface TransferOption {
  /**
   * Move the input's typed arrays to the worker instead of copying them: faster for a large X, but
   * the caller's arrays are left empty (detached). Default false.
   */
  transfer?: boolean;
}

interface Pending {
  resolve(value: unknown): void;
  reject(e: unknown): void;
  /** an error a callback (onProgress, onWarning) threw during the call: the call rejects with it */
  callbackError?: unknown;
}

/** What a worker estimator runs on its worker, and the copy of the model it keeps on this side. */
abstract class WorkerEstimator<M extends NMF | MiniBatchNMF> {
  /** the model's attributes on this side (toJSON reads them); the worker holds the model that runs */
  protected local: M;
  private readonly port: WorkerPort;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** why calls fail from now on: disposed, or the worker failed */
  private ended: Error | null = null;
  private readonly signal: AbortSignal | null;
  private readonly onProgress: ((info: ProgressInfo) => void) | null;
  private readonly onWarning: WarningHandler;
  private readonly onAbort = () => this.port.post({ type: 'abort' });

  protected constructor(private readonly kind: EstimatorKind, local: M, options: NMFOptions | MiniBatchNMFOptions) {
    this.local = local;
    // the type leaves device out; JavaScript callers hear why
    if (options.device != null) {
      throw new InvalidParameterError('device', `A GPUDevice belongs to its thread and cannot move to the worker: leave 'device' out of Worker${kind}'s options (the worker makes its own).`);
    }
    const { signal = null, onProgress = null, onWarning = null, ...rest } = options;
    this.signal = signal;
    this.onProgress = onProgress;
    this.onWarning = onWarning ?? consoleWarning;
    this.port = startWorker({ message: (m) => this.receive(m), failed: (e) => this.end(e) });
    this.port.post({ type: 'create', kind, options: rest, progress: onProgress !== null });
    if (signal?.aborted) this.onAbort();
    else signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** @internal Replaces the worker's model (and this side's copy) with a saved one: fromJSON. */
  load(local: M, options: object): this {
    this.local = local;
    const { signal: _s, onProgress: _p, onWarning: _w, ...rest } = options as Record<string, unknown>;
    this.port.post({ type: 'load', saved: local.toJSON(), options: rest });
    return this;
  }

  /** where the last call ran, e.g. "cpu (float64)" */
  get backendUsed(): string | undefined {
    return this.local.backendUsed;
  }

  /** H: k × nFeatures (this side's copy) */
  get components(): DenseMatrix | undefined {
    return this.local.components;
  }

  get nComponentsOut(): number | undefined {
    return this.local.nComponentsOut;
  }

  get nFeaturesIn(): number | undefined {
    return this.local.nFeaturesIn;
  }

  get nIter(): number | undefined {
    return this.local.nIter;
  }

  get reconstructionErr(): number | undefined {
    return this.local.reconstructionErr;
  }

  /** dispose(), for `using`: defined below the class, where the runtime has Symbol.dispose */
  declare [Symbol.dispose]: () => void;

  /** Ends the worker (and any call still running: it rejects). Safe to call twice. */
  dispose(): void {
    if (this.ended) return;
    this.end(new NMFError(`This Worker${this.kind} was disposed; its worker has ended.`));
    this.port.terminate();
  }

  protected async call<T>(method: Method, args: unknown[], transfer: boolean | undefined): Promise<T> {
    if (this.ended) throw this.ended;
    const id = this.nextId++;
    const done = new Promise<T>((resolve, reject) => this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject }));
    try {
      this.port.post({ type: 'call', id, method, args }, transfer ? buffersOf(args) : []);
    } catch (e) {
      // postMessage clones synchronously: a matrix holding functions or symbols cannot cross
      this.pending.delete(id);
      throw new InvalidParameterError('X', `The arguments of ${method} cannot be sent to the worker: ${(e as Error).message}`);
    }
    this.port.busy(true);
    return done;
  }

  private receive(m: FromWorker): void {
    switch (m.type) {
      case 'progress':
        for (const report of m.reports) this.callback(() => this.onProgress?.(report));
        return;
      case 'warning':
        this.callback(() => this.onWarning(m.warning));
        return;
      case 'done':
      case 'failed': {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (this.pending.size === 0) this.port.busy(false);
        if (m.model) this.update(m.model);
        if (p.callbackError !== undefined) p.reject(p.callbackError);
        else if (m.type === 'done') p.resolve(m.value);
        // the caller's own abort reason, as a fit on the caller's thread rejects with it
        else p.reject(m.aborted && this.signal?.aborted ? this.signal.reason : receiveError(m.error));
        return;
      }
      case 'inspected': {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        if (this.pending.size === 0) this.port.busy(false);
        p?.resolve(m.liveGpuBuffers);
        return;
      }
    }
  }

  /** A callback that throws fails the calls under way, as it would fail the fit on the caller's thread. */
  private callback(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      for (const p of this.pending.values()) p.callbackError ??= e;
    }
  }

  protected abstract update(copy: ModelCopy): void;

  private end(reason: Error): void {
    if (this.ended) return;
    this.ended = reason;
    this.signal?.removeEventListener('abort', this.onAbort);
    for (const p of this.pending.values()) p.reject(reason);
    this.pending.clear();
    this.port.busy(false);
    this.port.terminate();
  }

  /** @internal For tests: the buffers the worker's WebGPU device still holds (null if it never ran on WebGPU). */
  inspectGpuBuffers(): Promise<number | null> {
    if (this.ended) return Promise.reject(this.ended);
    const id = this.nextId++;
    const answer = new Promise<number | null>((resolve, reject) => this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject }));
    this.port.post({ type: 'inspect', id });
    this.port.busy(true);
    return answer;
  }
}

/** Where the runtime has Symbol.dispose (Node 20 and recent browsers), `using` ends the worker too. */
if (typeof Symbol.dispose === 'symbol') {
  Object.defineProperty(WorkerEstimator.prototype, Symbol.dispose, {
    value(this: WorkerEstimator<NMF>) {
      this.dispose();
    },
  });
}

/** NMF, fitting in a worker: NMF's options (but device), methods and attributes, and dispose(). */
export class WorkerNMF extends WorkerEstimator<NMF> {
  constructor(options: WorkerNMFOptions = {}) {
    super('NMF', new NMF(options), options);
  }

  /** Learn the model; returns this. */
  async fit(X: MatrixInput, start: FitStart & TransferOption = {}): Promise<this> {
    const { transfer, ...rest } = start;
    await this.call('fit', [X, rest], transfer);
    return this;
  }

  /** Learn the model and return W for X. */
  fitTransform(X: MatrixInput, start: FitStart & TransferOption = {}): Promise<DenseMatrix> {
    const { transfer, ...rest } = start;
    return this.call('fitTransform', [X, rest], transfer);
  }

  /** W for new data X, with the learned components fixed. */
  transform(X: MatrixInput, options: { mask?: MatrixInput | null } & TransferOption = {}): Promise<DenseMatrix> {
    const { transfer, ...rest } = options;
    return this.call('transform', [X, rest], transfer);
  }

  /** W·components: data back in the original space. */
  inverseTransform(W: MatrixInput, options: TransferOption = {}): Promise<DenseMatrix> {
    return this.call('inverseTransform', [W], options.transfer);
  }

  /** The model as NMF#toJSON saves it. */
  toJSON() {
    return this.local.toJSON();
  }

  /** A saved model (NMF#toJSON), loaded into a worker of its own; `options` as NMF.fromJSON's. */
  static fromJSON(json: unknown, options: Omit<NMFLoadOptions, 'device'> = {}): WorkerNMF {
    // checked here: a bad file throws at once, as NMF.fromJSON does
    return loadWorkerNMF(NMF.fromJSON(json, options), options);
  }

  protected update(copy: ModelCopy): void {
    if (copy.kind !== 'NMF') return;
    const { kind: _kind, ...attributes } = copy;
    Object.assign(this.local, attributes);
  }
}

/** MiniBatchNMF, fitting in a worker: its options (but device), methods (X in memory) and attributes, and dispose(). */
export class WorkerMiniBatchNMF extends WorkerEstimator<MiniBatchNMF> {
  constructor(options: WorkerMiniBatchNMFOptions = {}) {
    super('MiniBatchNMF', new MiniBatchNMF(options), options);
  }

  /** mini-batch steps taken, over all fit and partialFit calls since the last fit */
  get nSteps(): number | undefined {
    return this.local.nSteps;
  }

  /** Learn the model from X (in memory: row sources stay on their thread); returns this. */
  async fit(X: MatrixInput, start: { W?: MatrixInput; H?: MatrixInput } & TransferOption = {}): Promise<this> {
    if (isRowSource(X)) {
      throw new InvalidParameterError('X', 'WorkerMiniBatchNMF takes X in memory: a row source cannot move to the worker. Send its blocks to partialFit one by one, or run MiniBatchNMF in a worker of your own.');
    }
    const { transfer, ...rest } = start;
    await this.call('fit', [X, rest], transfer);
    return this;
  }

  fitTransform(X: MatrixInput, start: { W?: MatrixInput; H?: MatrixInput } & TransferOption = {}): Promise<DenseMatrix> {
    const { transfer, ...rest } = start;
    return this.call('fitTransform', [X, rest], transfer);
  }

  /** One mini-batch step on X; the first call initializes the model. Returns this. */
  async partialFit(X: MatrixInput, start: { W?: MatrixInput; H?: MatrixInput } & TransferOption = {}): Promise<this> {
    const { transfer, ...rest } = start;
    await this.call('partialFit', [X, rest], transfer);
    return this;
  }

  transform(X: MatrixInput, options: TransferOption = {}): Promise<DenseMatrix> {
    return this.call('transform', [X], options.transfer);
  }

  inverseTransform(W: MatrixInput, options: TransferOption = {}): Promise<DenseMatrix> {
    return this.call('inverseTransform', [W], options.transfer);
  }

  /** The model as MiniBatchNMF#toJSON saves it (partialFit continues from it). */
  toJSON() {
    return this.local.toJSON();
  }

  static fromJSON(json: unknown, options: Omit<MiniBatchNMFLoadOptions, 'device'> = {}): WorkerMiniBatchNMF {
    return loadWorkerMiniBatchNMF(MiniBatchNMF.fromJSON(json, options), options);
  }

  protected update(copy: ModelCopy): void {
    if (copy.kind !== 'MiniBatchNMF') return;
    if (copy.state) this.local.importState(copy.state);
    this.local.backendUsed = copy.backendUsed;
  }
}

// Outside the classes: a class that names itself inside its body gets renamed by bundlers (WorkerNMF2).
const loadWorkerNMF = (local: NMF, options: NMFLoadOptions) => new WorkerNMF(options).load(local, options);
const loadWorkerMiniBatchNMF = (local: MiniBatchNMF, options: MiniBatchNMFLoadOptions) => new WorkerMiniBatchNMF(options).load(local, options);
