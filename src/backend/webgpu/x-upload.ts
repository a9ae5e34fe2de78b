// X goes to the GPU once per fit, as float32. Dense X larger than one storage binding is split into
// row blocks, each its own buffer and binding. CSR X goes up in row blocks too (past the binding limit,
// and on the 'hardware' plan so that one block's rows of W fit a GPU's cache while the block's entries
// gather them), each with its transpose (CSC, built here once) for the Wᵀ·X-type products and the row
// of each stored entry for sampling WH.

import { isCsr, type CsrMatrix, type DataMatrix, type DenseMatrix } from '../../matrix/matrix.js';
import type { BufferSet } from './buffers.js';

export interface DenseBlock {
  readonly buffer: GPUBuffer;
  readonly rowStart: number;
  readonly rows: number;
}

/** One row block of CSR X: rows rowStart … rowStart + rows − 1, its own arrays (positions within the block). */
export interface GpuCsr {
  readonly rowStart: number;
  readonly rows: number;
  readonly nnz: number;
  /** the block's row pointers, from 0 */
  readonly indptr: GPUBuffer;
  readonly indices: GPUBuffer;
  readonly data: GPUBuffer;
  /** the row of each stored entry, in all of X (W's row) */
  readonly rowIdx: GPUBuffer;
  readonly cscPtr: GPUBuffer;
  /** the row of each CSC entry, in all of X */
  readonly cscRow: GPUBuffer;
  readonly cscData: GPUBuffer;
  /** CSR position (within the block) of each CSC entry, so both orders share one sampled WH */
  readonly cscPerm: GPUBuffer;
  /** WH at the stored entries, CSR order (written by sampleWH) */
  readonly wh: GPUBuffer;
}

export type GpuX = { kind: 'dense'; blocks: DenseBlock[] } | { kind: 'csr'; blocks: GpuCsr[]; nnz: number };

/** Rows per block so that a block's buffer (rounded up to 16 bytes) fits one binding. */
export function rowsPerBlock(n: number, maxBindingBytes: number): number {
  const usable = Math.floor(maxBindingBytes / 16) * 16;
  const rows = Math.floor(usable / (4 * n));
  if (rows < 1) throw new Error(`webnmf: one row of X (${n} float32) exceeds this device's storage binding limit of ${maxBindingBytes} bytes.`);
  return rows;
}

/** X on the GPU; CSR X in row blocks of at most `csrBlockRows` rows (and each within the binding limit). */
export function uploadX(buffers: BufferSet, X: DataMatrix, maxBindingBytes: number, csrBlockRows = Infinity): GpuX {
  if (isCsr(X)) {
    const blocks = csrRowBlocks(X, maxBindingBytes, csrBlockRows).map(([r0, r1], i, all) => uploadCsr(buffers, X, r0, r1, all.length > 1 ? `[${i}]` : ''));
    return { kind: 'csr', blocks, nnz: X.indptr[X.rows] };
  }
  return { kind: 'dense', blocks: uploadDense(buffers, X, maxBindingBytes) };
}

/**
 * Row ranges of CSR X: each at most maxRows rows, its entries within one binding. (A row never exceeds
 * a binding: it holds at most n entries, and the n + 1 column pointers of the CSC copy must fit one.)
 */
export function csrRowBlocks(X: CsrMatrix, maxBindingBytes: number, maxRows: number): [number, number][] {
  const usable = Math.floor(maxBindingBytes / 4);
  if (X.cols + 1 > usable) throw new Error(`webnmf: CSR X's ${X.cols} columns exceed this device's storage binding limit of ${maxBindingBytes} bytes (its column pointers must fit one binding).`);
  const out: [number, number][] = [];
  let r0 = 0;
  do {
    let r1 = r0 + 1;
    while (r1 < X.rows && r1 - r0 < maxRows && X.indptr[r1 + 1] - X.indptr[r0] <= usable) r1++;
    out.push([r0, Math.min(r1, X.rows)]);
    r0 = r1;
  } while (r0 < X.rows);
  return out;
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

function uploadCsr(buffers: BufferSet, X: CsrMatrix, r0: number, r1: number, sfx: string): GpuCsr {
  const n = X.cols;
  const p0 = X.indptr[r0], nnz = X.indptr[r1] - p0;
  const indptr = new Uint32Array(r1 - r0 + 1);
  for (let i = r0; i <= r1; i++) indptr[i - r0] = X.indptr[i] - p0;
  const indices = X.indices.subarray(p0, p0 + nnz), data = X.data.subarray(p0, p0 + nnz);
  const rowIdx = new Uint32Array(nnz);
  for (let i = r0; i < r1; i++) rowIdx.fill(i, X.indptr[i] - p0, X.indptr[i + 1] - p0);
  // CSC by counting sort on the column: rows stay ascending within each column.
  const cscPtr = new Uint32Array(n + 1);
  for (let q = 0; q < nnz; q++) cscPtr[indices[q] + 1]++;
  for (let j = 0; j < n; j++) cscPtr[j + 1] += cscPtr[j];
  const next = cscPtr.slice(0, n);
  const cscRow = new Uint32Array(nnz), cscData = new Float32Array(nnz), cscPerm = new Uint32Array(nnz);
  for (let q = 0; q < nnz; q++) {
    const dst = next[indices[q]]++;
    cscRow[dst] = rowIdx[q];
    cscData[dst] = data[q];
    cscPerm[dst] = q;
  }
  return {
    rowStart: r0,
    rows: r1 - r0,
    nnz,
    indptr: buffers.upload(`X.indptr${sfx}`, indptr, 'u32'),
    indices: buffers.upload(`X.indices${sfx}`, indices, 'u32'),
    data: buffers.upload(`X.data${sfx}`, data, 'f32'),
    rowIdx: buffers.upload(`X.rows${sfx}`, rowIdx, 'u32'),
    cscPtr: buffers.upload(`Xt.indptr${sfx}`, cscPtr, 'u32'),
    cscRow: buffers.upload(`Xt.indices${sfx}`, cscRow, 'u32'),
    cscData: buffers.upload(`Xt.data${sfx}`, cscData, 'f32'),
    cscPerm: buffers.upload(`Xt.perm${sfx}`, cscPerm, 'u32'),
    wh: buffers.storage(`WH@X${sfx}`, nnz),
  };
}
