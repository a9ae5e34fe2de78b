// X goes to the GPU once per fit, as float32. Dense X larger than one storage binding is split into
// row blocks, each its own buffer and binding; CSR X goes up with its transpose (CSC, built here once)
// for the Wᵀ·X-type products, and the row of each stored entry for sampling WH.

import { isCsr, type CsrMatrix, type DataMatrix, type DenseMatrix } from '../../matrix/matrix.js';
import type { BufferSet } from './buffers.js';

export interface DenseBlock {
  readonly buffer: GPUBuffer;
  readonly rowStart: number;
  readonly rows: number;
}

export interface GpuCsr {
  readonly nnz: number;
  readonly indptr: GPUBuffer;
  readonly indices: GPUBuffer;
  readonly data: GPUBuffer;
  readonly rowIdx: GPUBuffer;
  readonly cscPtr: GPUBuffer;
  readonly cscRow: GPUBuffer;
  readonly cscData: GPUBuffer;
  /** CSR position of each CSC entry, so both orders share one sampled WH */
  readonly cscPerm: GPUBuffer;
  /** WH at the stored entries, CSR order (written by sampleWH) */
  readonly wh: GPUBuffer;
}

export type GpuX = { kind: 'dense'; blocks: DenseBlock[] } | { kind: 'csr'; csr: GpuCsr };

/** Rows per block so that a block's buffer (rounded up to 16 bytes) fits one binding. */
export function rowsPerBlock(n: number, maxBindingBytes: number): number {
  const usable = Math.floor(maxBindingBytes / 16) * 16;
  const rows = Math.floor(usable / (4 * n));
  if (rows < 1) throw new Error(`webnmf: one row of X (${n} float32) exceeds this device's storage binding limit of ${maxBindingBytes} bytes.`);
  return rows;
}

export function uploadX(buffers: BufferSet, X: DataMatrix, maxBindingBytes: number): GpuX {
  if (isCsr(X)) return { kind: 'csr', csr: uploadCsr(buffers, X, maxBindingBytes) };
  return { kind: 'dense', blocks: uploadDense(buffers, X, maxBindingBytes) };
}

function uploadDense(buffers: BufferSet, X: DenseMatrix<Float64Array>, maxBindingBytes: number): DenseBlock[] {
  const { rows: m, cols: n } = X;
  const per = rowsPerBlock(n, maxBindingBytes);
  const blocks: DenseBlock[] = [];
  for (let rowStart = 0; rowStart < m; rowStart += per) {
    const rows = Math.min(per, m - rowStart);
    const label = per >= m ? 'X' : `X[${blocks.length}]`;
    blocks.push({ buffer: buffers.upload(label, X.data.subarray(rowStart * n, (rowStart + rows) * n), 'f32'), rowStart, rows });
  }
  return blocks;
}

function uploadCsr(buffers: BufferSet, X: CsrMatrix, maxBindingBytes: number): GpuCsr {
  const { rows: m, cols: n } = X;
  const nnz = X.indptr[m];
  if (nnz * 4 > maxBindingBytes || (Math.max(m, n) + 1) * 4 > maxBindingBytes) {
    throw new Error(`webnmf: CSR X with ${nnz} stored entries exceeds this device's storage binding limit of ${maxBindingBytes} bytes; sparse X is not split into blocks yet.`);
  }
  const rowIdx = new Uint32Array(nnz);
  for (let i = 0; i < m; i++) rowIdx.fill(i, X.indptr[i], X.indptr[i + 1]);
  // CSC by counting sort on the column: rows stay ascending within each column.
  const cscPtr = new Uint32Array(n + 1);
  for (let q = 0; q < nnz; q++) cscPtr[X.indices[q] + 1]++;
  for (let j = 0; j < n; j++) cscPtr[j + 1] += cscPtr[j];
  const next = cscPtr.slice(0, n);
  const cscRow = new Uint32Array(nnz), cscData = new Float32Array(nnz), cscPerm = new Uint32Array(nnz);
  for (let q = 0; q < nnz; q++) {
    const dst = next[X.indices[q]]++;
    cscRow[dst] = rowIdx[q];
    cscData[dst] = X.data[q];
    cscPerm[dst] = q;
  }
  return {
    nnz,
    indptr: buffers.upload('X.indptr', X.indptr, 'u32'),
    indices: buffers.upload('X.indices', X.indices.subarray(0, nnz), 'u32'),
    data: buffers.upload('X.data', X.data.subarray(0, nnz), 'f32'),
    rowIdx: buffers.upload('X.rows', rowIdx, 'u32'),
    cscPtr: buffers.upload('Xt.indptr', cscPtr, 'u32'),
    cscRow: buffers.upload('Xt.indices', cscRow, 'u32'),
    cscData: buffers.upload('Xt.data', cscData, 'f32'),
    cscPerm: buffers.upload('Xt.perm', cscPerm, 'u32'),
    wh: buffers.storage('WH@X', nnz),
  };
}
