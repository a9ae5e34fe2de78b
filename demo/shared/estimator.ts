// Where a page's fit runs. NMF and MiniBatchNMF run in webnmf/worker's worker (WorkerNMF,
// WorkerMiniBatchNMF), so the page stays responsive. Backend 'gpujs' runs on the page's own thread:
// a bundled page hands gpu.js to the library with useGpujs, and that reaches only the thread it runs
// on (a module cannot be posted to a worker), so the worker would answer "gpu.js was not given".
// gpu.js is imported only when a fit asks for it.

import { MiniBatchNMF, NMF, useGpujs, type DenseMatrix, type MatrixInput, type ProgressInfo, type RunningFit, type SavedMiniBatchNMF, type SavedNMF } from '../../src/index.js';
import { WorkerMiniBatchNMF, WorkerNMF } from '../../src/worker/index.js';
import { estimatorOptions, type NmfSettings } from './nmf-form.js';

/** What a page needs of a fitted estimator, wherever it ran. */
export interface PageEstimator {
  /** 'worker', or 'page' (gpujs) */
  readonly thread: 'worker' | 'page';
  fitTransform(X: MatrixInput, options?: { transfer?: boolean }): Promise<DenseMatrix>;
  readonly components: DenseMatrix | undefined;
  readonly nIter: number | undefined;
  readonly reconstructionErr: number | undefined;
  readonly backendUsed: string | undefined;
  readonly nComponentsOut: number | undefined;
  toJSON(): SavedNMF | SavedMiniBatchNMF;
  dispose(): void;
}

export interface Hooks {
  signal: AbortSignal;
  onProgress(info: ProgressInfo, fit?: RunningFit): void;
  onWarning(w: { category: string; message: string }): void;
}

let gpujsGiven: Promise<void> | null = null;

/** gpu.js, imported once and handed to the library (its chunk loads only when a fit asks for it). */
function giveGpujs(): Promise<void> {
  gpujsGiven ??= import('gpu.js').then((gpujs) => useGpujs(gpujs as Parameters<typeof useGpujs>[0]));
  return gpujsGiven;
}

/** The estimator for `settings`; bad options throw here (InvalidParameterError naming the option). */
export async function makeEstimator(settings: NmfSettings, hooks: Hooks): Promise<PageEstimator> {
  const options = { ...estimatorOptions(settings), ...hooks };
  if (settings.backend !== 'gpujs') {
    const worker = settings.estimator === 'MiniBatchNMF' ? new WorkerMiniBatchNMF(options) : new WorkerNMF(options);
    return Object.assign(worker, { thread: 'worker' as const });
  }
  // checked before gpu.js loads, so a bad option is refused at once
  const model = settings.estimator === 'MiniBatchNMF' ? new MiniBatchNMF(options) : new NMF(options);
  await giveGpujs();
  return {
    thread: 'page',
    fitTransform: (X) => model.fitTransform(X),
    get components() {
      return model.components;
    },
    get nIter() {
      return model.nIter;
    },
    get reconstructionErr() {
      return model.reconstructionErr;
    },
    get backendUsed() {
      return model.backendUsed;
    },
    get nComponentsOut() {
      return model.nComponentsOut;
    },
    toJSON: () => model.toJSON(),
    dispose: () => {},
  };
}
