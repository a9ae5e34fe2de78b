// Products with a CSR X for the CPU backend and the nndsvd start: WebAssembly SIMD kernels
// (sparse.wat, sample.wat) on arrays in a workspace, plain-JS loops of the same arithmetic otherwise.
//
//   spmm       C = A·B for a compressed A (CSR rows: X·Hᵀ with B = Hᵀ, X·Q; or CSC: Xᵀ·W, Xᵀ·Q)
//   sampleDot  (W·H)ᵢⱼ at X's stored entries, with H given as Hᵀ (scikit-learn's _special_sparse_dot)
//   gather     values in CSR order → CSC order
//
// H is held transposed (n×k), so a nonzero reads k contiguous values; Wᵀ·X runs on a CSC copy of X
// (compressed columns: each column's entries in row order), so every product writes disjoint rows
// of its output and is cut among threads by rows, balanced by nonzeros. Each output element is
// summed in one order (its entries in turn) whatever the cut, so threads give the bits of one.

import type { CsrMatrix } from '../../matrix/matrix.js';
import { checkShapes, chunkCount, runParts, typed, wasmFor, type FloatArray, type Kernels } from './workspace.js';

/** A compressed sparse matrix's structure: rows of entries (CSR rows, or CSC columns). */
export interface Compressed {
  /** compressed rows (X's rows for CSR, its columns for CSC) */
  readonly rows: number;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
}

/** CSR X with its CSC copy, in a workspace: what the sparse products read. */
export interface SparseX {
  readonly csr: Compressed & { readonly data: FloatArray };
  readonly csc: Compressed & { readonly data: FloatArray; /** CSR position of each CSC entry */ readonly perm: Int32Array };
}

/** The arrays of a SparseX (for allocateArrays; all empty without an X). */
export function sparseSpecs(X: CsrMatrix | null, kind: 'f64' | 'f32') {
  const nnz = X ? X.indptr[X.rows] : 0;
  return {
    indptr: ['i32', X ? X.rows + 1 : 0], indices: ['i32', nnz], data: [kind, nnz],
    cscIndptr: ['i32', X ? X.cols + 1 : 0], cscIndices: ['i32', nnz], cscData: [kind, nnz], cscPerm: ['i32', nnz],
  } as const;
}

/** Copies X into arrays allocated from sparseSpecs and builds the CSC copy (a counting sort by column). */
export function fillSparse(
  X: CsrMatrix,
  a: { indptr: Int32Array; indices: Int32Array; data: FloatArray; cscIndptr: Int32Array; cscIndices: Int32Array; cscData: FloatArray; cscPerm: Int32Array },
): SparseX {
  const nnz = X.indptr[X.rows];
  a.indptr.set(X.indptr);
  a.indices.set(X.indices.subarray(0, nnz));
  a.data.set(X.data.subarray(0, nnz));
  for (let p = 0; p < nnz; p++) a.cscIndptr[X.indices[p] + 1]++;
  for (let j = 0; j < X.cols; j++) a.cscIndptr[j + 1] += a.cscIndptr[j];
  const next = a.cscIndptr.slice(0, X.cols);
  for (let i = 0; i < X.rows; i++) {
    for (let p = X.indptr[i]; p < X.indptr[i + 1]; p++) {
      const q = next[X.indices[p]]++;
      a.cscIndices[q] = i;
      a.cscPerm[q] = p;
    }
  }
  gather(a.cscPerm, a.data, a.cscData, nnz);
  return {
    csr: { rows: X.rows, indptr: a.indptr, indices: a.indices, data: a.data },
    csc: { rows: X.cols, indptr: a.cscIndptr, indices: a.cscIndices, data: a.cscData, perm: a.cscPerm },
  };
}

/** A SparseX in plain typed arrays (the JS loops run on it), e.g. for weighted NMF's observed entries. */
export function plainSparseX(X: CsrMatrix): SparseX {
  const specs = sparseSpecs(X, 'f64');
  const arrays = Object.fromEntries(Object.entries(specs).map(([name, [kind, length]]) => [name, kind === 'i32' ? new Int32Array(length) : new Float64Array(length)]));
  return fillSparse(X, arrays as Parameters<typeof fillSparse>[1]);
}

/** Row boundaries 0 = r₀ < r₁ < … = rows that split the entries into `chunks` near-equal parts. */
function entryCuts(A: Compressed, chunks: number): number[] {
  const cuts = [0];
  const nnz = A.indptr[A.rows] - A.indptr[0];
  for (let c = 1; c < chunks; c++) {
    const target = A.indptr[0] + (c * nnz) / chunks;
    let lo = cuts[cuts.length - 1], hi = A.rows;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (A.indptr[mid] < target) lo = mid + 1;
      else hi = mid;
    }
    if (lo > cuts[cuts.length - 1] && lo < A.rows) cuts.push(lo);
  }
  cuts.push(A.rows);
  return cuts;
}

/** Runs a row kernel over A's rows, cut among threads by entries; `args(r0, r1)` are its arguments for rows [r0, r1). */
function runRows(wasm: Kernels, kernel: string, A: Compressed, work: number, args: (r0: number, r1: number) => number[]): void {
  const cuts = entryCuts(A, chunkCount(wasm, work, A.rows, 1));
  runParts(wasm, kernel, cuts.slice(1).map((r1, c) => args(cuts[c], r1)));
}

/** C[rows×c] = A·B: row r of C is Σ values[p]·B[indices[p], :] over the entries p of A's row r. */
export function spmm(A: Compressed, values: FloatArray, B: FloatArray, C: FloatArray, c: number): void {
  const nnz = A.indptr[A.rows];
  checkShapes('spmm', { c }, [['values', values, nnz], ['C', C, A.rows * c]]);
  const wasm = sameType(values, B, C) ? wasmFor(A.indptr, A.indices, values, B, C) : null;
  if (wasm === null) return spmmJs(A, values, B, C, c);
  const S = C.BYTES_PER_ELEMENT;
  runRows(wasm, typed('spmm', C), A, nnz * c, (r0, r1) =>
    [A.indptr.byteOffset + 4 * r0, A.indices.byteOffset, values.byteOffset, B.byteOffset, C.byteOffset + r0 * c * S, r1 - r0, c]);
}

/** out[p] = Σ_t W[i, t]·Ht[j, t] for every entry p = (i, j) of CSR X: (W·H) at X's nonzeros, numpy's summation order. */
export function sampleDot(X: Compressed, W: FloatArray, Ht: FloatArray, out: FloatArray, k: number): void {
  const nnz = X.indptr[X.rows];
  checkShapes('sampleDot', { k }, [['W', W, X.rows * k], ['out', out, nnz]]);
  const wasm = sameType(W, Ht, out) ? wasmFor(X.indptr, X.indices, W, Ht, out) : null;
  if (wasm === null) return sampleDotJs(X, W, Ht, out, k);
  const S = W.BYTES_PER_ELEMENT;
  runRows(wasm, typed('sampleDot', W), X, nnz * k, (r0, r1) =>
    [X.indptr.byteOffset + 4 * r0, X.indices.byteOffset, W.byteOffset + r0 * k * S, Ht.byteOffset, out.byteOffset, r1 - r0, k]);
}

/** out[q] = src[perm[q]] for q < len. */
export function gather(perm: Int32Array, src: FloatArray, out: FloatArray, len: number): void {
  checkShapes('gather', { len }, [['perm', perm, len], ['out', out, len]]);
  const wasm = sameType(src, out) ? wasmFor(perm, src, out) : null;
  if (wasm === null) for (let q = 0; q < len; q++) out[q] = src[perm[q]];
  else wasm.exports[typed('gather', out)](perm.byteOffset, src.byteOffset, out.byteOffset, len);
}

const sameType = (...arrays: FloatArray[]): boolean => arrays.every((a) => a.constructor === arrays[0].constructor);

function spmmJs(A: Compressed, values: FloatArray, B: FloatArray, C: FloatArray, c: number): void {
  // float32: every product and sum rounded to float32, as the kernel's f32x4 lanes
  const round = C instanceof Float32Array ? Math.fround : (x: number) => x;
  const acc = new (C.constructor as typeof Float64Array)(c);
  for (let r = 0; r < A.rows; r++) {
    acc.fill(0);
    for (let p = A.indptr[r]; p < A.indptr[r + 1]; p++) {
      const x = values[p], b = A.indices[p] * c;
      for (let t = 0; t < c; t++) acc[t] += round(x * B[b + t]);
    }
    C.set(acc, r * c);
  }
}

function sampleDotJs(X: Compressed, W: FloatArray, Ht: FloatArray, out: FloatArray, k: number): void {
  const round = W instanceof Float32Array ? Math.fround : (x: number) => x;
  for (let i = 0; i < X.rows; i++) {
    for (let p = X.indptr[i]; p < X.indptr[i + 1]; p++) out[p] = pairwiseDot(W, i * k, Ht, X.indices[p] * k, k, round);
  }
}

/** numpy's pairwise_sum of a[a0 + t]·b[b0 + t] over t < n, each operation rounded by `round`. */
function pairwiseDot(a: FloatArray, a0: number, b: FloatArray, b0: number, n: number, round: (x: number) => number): number {
  if (n < 8) {
    let res = 0;
    for (let t = 0; t < n; t++) res = round(res + round(a[a0 + t] * b[b0 + t]));
    return res;
  }
  if (n > 128) {
    const half = (n >>> 1) & ~7;
    return round(pairwiseDot(a, a0, b, b0, half, round) + pairwiseDot(a, a0 + half, b, b0 + half, n - half, round));
  }
  const r = Array.from({ length: 8 }, (_, t) => round(a[a0 + t] * b[b0 + t]));
  let t = 8;
  for (; t < n - (n % 8); t += 8) for (let l = 0; l < 8; l++) r[l] = round(r[l] + round(a[a0 + t + l] * b[b0 + t + l]));
  let res = round(round(round(r[0] + r[1]) + round(r[2] + r[3])) + round(round(r[4] + r[5]) + round(r[6] + r[7])));
  for (; t < n; t++) res = round(res + round(a[a0 + t] * b[b0 + t]));
  return res;
}
