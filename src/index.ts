// webnmf: scikit-learn's NMF on WebGPU, with a float64 CPU fallback. Public exports only.

import './public-globals.js';

export { nonNegativeFactorization, NMF, type Factorization, type FitStart, type SavedNMF, type NMFLoadOptions } from './nmf.js';
export { MiniBatchNMF, type MiniBatchStart, type SavedMiniBatchNMF, type MiniBatchNMFLoadOptions } from './minibatch.js';
export type { RowSource, RowBlocks } from './stream/row-source.js';
export { rowBlocks, type RowBlockOptions } from './stream/row-blocks.js';
export { InvalidParameterError, NMFError, type NMFWarning, type WarningCategory, type WarningHandler } from './errors.js';
export { toArray, type DenseMatrix, type CsrMatrix, type DataMatrix, type FloatArray, type MatrixInput } from './matrix/matrix.js';
export type {
  NMFOptions,
  FactorizationOptions,
  MiniBatchNMFOptions,
  MiniBatchOnlyOptions,
  ProgressInfo,
  BetaLossName,
  Solver,
  Init,
  BackendName,
  Sparseness,
} from './params.js';
export { useGpujs, type GpujsModule } from './backend/gpujs/load.js';
export { MODEL_FORMAT_VERSION, type SavedArray } from './model-format.js';
// the text pipeline: browser-safe (src/text imports nothing of Node)
export { TfidfVectorizer, topWords, type TfidfOptions, type SavedTfidfVectorizer, type Topic } from './text/index.js';
