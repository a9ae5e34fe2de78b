// The dense factorizations of the randomized SVD, on tall thin matrices (10⁴ × 30 in the topic
// workload): WebAssembly (la.wat) in a one-thread workspace, plain JS of the same steps elsewhere.
//   luPermutedL   scipy.linalg.lu(A, permute_l=True)[0] (LAPACK getf2's pivots: the first largest
//                 |a|, a zero pivot column left unscaled)
//   qrQ           the thin orthonormal factor of Householder QR (LINPACK/JAMA's reflectors, whose
//                 signs are LAPACK's: R's diagonal has the opposite sign of the pivot column's head)
//   svdTall       the SVD of a tall A through A = Q·R and the SVD of the small R (ml-matrix)
// Only the spans of the first two matter downstream (the randomized SVD's subspace), so any stable
// factorization gives scikit-learn's result up to rounding. Both work column-major (every inner
// loop runs down a contiguous column).

import { SingularValueDecomposition, Matrix } from 'ml-matrix';
import { atbAdd } from '../backend/cpu/gemm.js';
import { transpose } from '../backend/cpu/hals.js';
import { allocateArrays, wasmFor } from '../backend/cpu/workspace.js';
import { dense, type DenseMatrix } from '../matrix/matrix.js';

type Dense = DenseMatrix<Float64Array>;

/** A (row-major) as columns: column t at t·rows. */
function toColumns(A: Dense, out: Float64Array): Float64Array {
  const { rows, cols } = A;
  for (let i = 0; i < rows; i++) for (let t = 0; t < cols; t++) out[t * rows + i] = A.data[i * cols + t];
  return out;
}

/** The rows × cols column-major `a` as a row-major Dense. */
function fromColumns(a: Float64Array, rows: number, cols: number): Dense {
  const out = dense(rows, cols);
  for (let i = 0; i < rows; i++) for (let t = 0; t < cols; t++) out.data[i * cols + t] = a[t * rows + i];
  return out;
}

/** A = PL·U with PL (rows × min(rows, cols)) a row permutation of a unit lower-triangular L. */
export function luPermutedL(A: Dense): Dense {
  const { rows, cols } = A;
  const K = Math.min(rows, cols);
  const { ws, arrays } = allocateArrays({ A: ['f64', rows * cols], a: ['f64', rows * cols], perm: ['i32', rows], PL: ['f64', rows * K] }, { threads: 1 });
  try {
    const { a, perm, PL } = arrays;
    const wasm = wasmFor(a, perm, PL);
    if (wasm !== null) {
      arrays.A.set(A.data);
      transpose(arrays.A, a, rows, cols);
      wasm.exports.luColumns(a.byteOffset, perm.byteOffset, rows, cols);
      wasm.exports.permutedL(a.byteOffset, perm.byteOffset, PL.byteOffset, rows, K);
      return dense(rows, K, PL.slice());
    }
    toColumns(A, a);
    luColumnsJs(a, perm, rows, cols);
    // Working row i is A's row perm[i]: PL[perm[i], :] = L[i, :] (unit diagonal, zeros above).
    const out = dense(rows, K);
    for (let t = 0; t < K; t++) {
      const col = t * rows;
      out.data[perm[t] * K + t] = 1;
      for (let i = t + 1; i < rows; i++) out.data[perm[i] * K + t] = a[col + i];
    }
    return out;
  } finally {
    ws.destroy();
  }
}

function luColumnsJs(a: Float64Array, perm: Int32Array, rows: number, cols: number): void {
  for (let i = 0; i < rows; i++) perm[i] = i;
  for (let j = 0; j < Math.min(rows, cols); j++) {
    const cj = j * rows;
    let p = j;
    for (let i = j + 1; i < rows; i++) if (Math.abs(a[cj + i]) > Math.abs(a[cj + p])) p = i;
    if (p !== j) {
      for (let t = 0; t < cols; t++) {
        const swap = a[t * rows + p];
        a[t * rows + p] = a[t * rows + j];
        a[t * rows + j] = swap;
      }
      const swap = perm[p];
      perm[p] = perm[j];
      perm[j] = swap;
    }
    const pivot = a[cj + j];
    if (pivot === 0) continue;
    for (let i = j + 1; i < rows; i++) a[cj + i] /= pivot;
    for (let t = j + 1; t < cols; t++) {
      const ct = t * rows, u = -a[ct + j];
      if (u !== 0) for (let i = j + 1; i < rows; i++) a[ct + i] += u * a[cj + i];
    }
  }
}

/** Householder QR of a tall A (rows ≥ cols): reflectors in `qr` (columns), R's diagonal in rdiag; then Q (columns) when `q`. */
function householder(A: Dense, withQ: boolean): { qr: Float64Array; rdiag: Float64Array; q: Float64Array | null } {
  const { rows, cols } = A;
  const { ws, arrays } = allocateArrays({ qr: ['f64', rows * cols], rdiag: ['f64', cols], q: ['f64', withQ ? rows * cols : 0] }, { threads: 1 });
  try {
    const { qr, rdiag, q } = arrays;
    toColumns(A, qr);
    const wasm = wasmFor(qr, rdiag, q);
    if (wasm !== null) {
      wasm.exports.householder(qr.byteOffset, rdiag.byteOffset, rows, cols);
      if (withQ) wasm.exports.householderQ(qr.byteOffset, q.byteOffset, rows, cols);
    } else {
      householderJs(qr, rdiag, rows, cols);
      if (withQ) householderQJs(qr, q, rows, cols);
    }
    return { qr: qr.slice(), rdiag: rdiag.slice(), q: withQ ? q.slice() : null };
  } finally {
    ws.destroy();
  }
}

const dot = (a: Float64Array, a0: number, b: Float64Array, b0: number, n: number): number => {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[a0 + i] * b[b0 + i];
  return s;
};

function householderJs(qr: Float64Array, rdiag: Float64Array, rows: number, cols: number): void {
  for (let k = 0; k < cols; k++) {
    const head = k * rows + k, len = rows - k;
    let nrm = Math.sqrt(dot(qr, head, qr, head, len));
    if (nrm !== 0) {
      if (qr[head] < 0) nrm = -nrm;
      for (let i = 0; i < len; i++) qr[head + i] /= nrm;
      qr[head] += 1;
      for (let j = k + 1; j < cols; j++) {
        const cj = j * rows + k;
        const s = -dot(qr, head, qr, cj, len) / qr[head];
        for (let i = 0; i < len; i++) qr[cj + i] += s * qr[head + i];
      }
    }
    rdiag[k] = -nrm;
  }
}

function householderQJs(qr: Float64Array, q: Float64Array, rows: number, cols: number): void {
  for (let k = cols - 1; k >= 0; k--) {
    const head = k * rows + k, len = rows - k;
    q[k * rows + k] = 1;
    if (qr[head] === 0) continue;
    for (let j = k; j < cols; j++) {
      const qj = j * rows + k;
      const s = -dot(qr, head, q, qj, len) / qr[head];
      for (let i = 0; i < len; i++) q[qj + i] += s * qr[head + i];
    }
  }
}

/** The thin orthonormal Q (rows × cols) of A = Q·R, rows ≥ cols. */
export function qrQ(A: Dense): Dense {
  return fromColumns(householder(A, true).q!, A.rows, A.cols);
}

/**
 * SVD of a tall A (rows ≥ cols): A = U·diag(s)·Vᵀ with U rows × cols, V cols × cols, s descending,
 * from A = Q·R and R = Ur·diag(s)·Vᵀ (a cols × cols SVD), U = Q·Ur.
 */
export function svdTall(A: Dense): { U: Dense; s: Float64Array; V: Dense } {
  const { rows, cols } = A;
  const { qr, rdiag, q } = householder(A, true);
  const R = new Matrix(cols, cols);
  for (let i = 0; i < cols; i++) {
    R.set(i, i, rdiag[i]);
    for (let j = i + 1; j < cols; j++) R.set(i, j, qr[j * rows + i]);
  }
  const svd = new SingularValueDecomposition(R);
  // Uᵀ = Urᵀ·Qᵀ, with Q's columns as the rows of Qᵀ (gemm.ts's atbAdd)
  const { ws, arrays } = allocateArrays({ Ur: ['f64', cols * cols], Qt: ['f64', rows * cols], Ut: ['f64', rows * cols] }, { threads: 1 });
  try {
    arrays.Ur.set(svd.leftSingularVectors.to1DArray());
    arrays.Qt.set(q!);
    atbAdd(arrays.Ur, arrays.Qt, arrays.Ut, cols, cols, rows);
    return { U: fromColumns(arrays.Ut, rows, cols), s: Float64Array.from(svd.diagonal), V: dense(cols, cols, Float64Array.from(svd.rightSingularVectors.to1DArray())) };
  } finally {
    ws.destroy();
  }
}
