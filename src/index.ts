// webnmf: scikit-learn's NMF on WebGPU, with a float64 CPU fallback. Public exports only.

export { nonNegativeFactorization, NMF, type Factorization, type FitStart } from './nmf.js';
export { MiniBatchNMF, type MiniBatchStart } from './minibatch.js';
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

// The public types name three platform globals. Declared here (members they share with the DOM
// library, @webgpu/types and @types/node, so they merge with those) the declarations compile with
// lib ES2022 alone; where the full types are present, those are what users see.
declare global {
  interface GPUDevice {
    destroy(): undefined;
  }
  interface AbortSignal {
    readonly aborted: boolean;
  }
  interface Blob {
    readonly size: number;
  }
}
