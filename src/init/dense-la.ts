// The dense factorizations of the randomized SVD, on row-major Float64Arrays (tall thin matrices:
// 10⁴ × 30 in the topic workload, where ml-matrix's element accessors cost seconds):
//   luPermutedL   scipy.linalg.lu(A, permute_l=True)[0] (LAPACK getrf: partial pivoting, first
//                 largest pivot, a zero pivot column left unscaled)
//   qrQ           the thin orthonormal factor of Householder QR (LINPACK/JAMA's reflectors, whose
//                 signs are LAPACK's: R's diagonal has the opposite sign of the pivot column's head)
//   svdTall       the SVD of a tall A through A = Q·R and the SVD of the small R (ml-matrix)
// Only the spans of the first two matter downstream (the randomized SVD's subspace), so any stable
// factorization gives scikit-learn's result up to rounding.

import { SingularValueDecomposition, Matrix } from 'ml-matrix';
import { dense, type DenseMatrix } from '../matrix/matrix.js';

type Dense = DenseMatrix<Float64Array>;

/** A = PL·U with PL (rows × min(rows, cols)) a row permutation of a unit lower-triangular L. */
export function luPermutedL(A: Dense): Dense {
  const { rows, cols } = A;
  const K = Math.min(rows, cols);
  const a = A.data.slice();
  const perm = Int32Array.from({ length: rows }, (_, i) => i);
  for (let j = 0; j < K; j++) {
    let p = j;
    for (let i = j + 1; i < rows; i++) if (Math.abs(a[i * cols + j]) > Math.abs(a[p * cols + j])) p = i;
    if (p !== j) {
      for (let t = 0; t < cols; t++) [a[p * cols + t], a[j * cols + t]] = [a[j * cols + t], a[p * cols + t]];
      [perm[p], perm[j]] = [perm[j], perm[p]];
    }
    const pivot = a[j * cols + j];
    if (pivot === 0) continue;
    for (let i = j + 1; i < rows; i++) {
      const l = (a[i * cols + j] /= pivot);
      if (l === 0) continue;
      for (let t = j + 1; t < cols; t++) a[i * cols + t] -= l * a[j * cols + t];
    }
  }
  // Working row i is A's row perm[i]: PL[perm[i], :] = L[i, :] (unit diagonal, zeros above).
  const out = dense(rows, K);
  for (let i = 0; i < rows; i++) {
    const o = perm[i] * K;
    for (let t = 0; t < Math.min(i, K); t++) out.data[o + t] = a[i * cols + t];
    if (i < K) out.data[o + i] = 1;
  }
  return out;
}

/** Householder QR of a tall A (rows ≥ cols), column-major: the reflectors in place and R's diagonal. */
function householder(A: Dense): { qr: Float64Array; rdiag: Float64Array } {
  const { rows, cols } = A;
  const qr = new Float64Array(rows * cols); // column j at j·rows
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) qr[j * rows + i] = A.data[i * cols + j];
  const rdiag = new Float64Array(cols);
  for (let k = 0; k < cols; k++) {
    const ck = k * rows;
    let sq = 0; // the inputs are far from overflow: no hypot needed
    for (let i = k; i < rows; i++) sq += qr[ck + i] * qr[ck + i];
    let nrm = Math.sqrt(sq);
    if (nrm !== 0) {
      if (qr[ck + k] < 0) nrm = -nrm;
      for (let i = k; i < rows; i++) qr[ck + i] /= nrm;
      qr[ck + k] += 1;
      for (let j = k + 1; j < cols; j++) {
        const cj = j * rows;
        let s = 0;
        for (let i = k; i < rows; i++) s += qr[ck + i] * qr[cj + i];
        s = -s / qr[ck + k];
        for (let i = k; i < rows; i++) qr[cj + i] += s * qr[ck + i];
      }
    }
    rdiag[k] = -nrm;
  }
  return { qr, rdiag };
}

/** The thin orthonormal Q (rows × cols) of A = Q·R, rows ≥ cols. */
export function qrQ(A: Dense): Dense {
  return thinQ(householder(A).qr, A.rows, A.cols);
}

function thinQ(qr: Float64Array, rows: number, cols: number): Dense {
  const q = new Float64Array(rows * cols); // column-major while the reflectors are applied
  for (let k = cols - 1; k >= 0; k--) {
    const ck = k * rows;
    q[ck + k] = 1;
    for (let j = k; j < cols; j++) {
      if (qr[ck + k] === 0) continue;
      const cj = j * rows;
      let s = 0;
      for (let i = k; i < rows; i++) s += qr[ck + i] * q[cj + i];
      s = -s / qr[ck + k];
      for (let i = k; i < rows; i++) q[cj + i] += s * qr[ck + i];
    }
  }
  const out = dense(rows, cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out.data[i * cols + j] = q[j * rows + i];
  return out;
}

/**
 * SVD of a tall A (rows ≥ cols): A = U·diag(s)·Vᵀ with U rows × cols, V cols × cols, s descending,
 * from A = Q·R and R = Ur·diag(s)·Vᵀ (a cols × cols SVD), U = Q·Ur.
 */
export function svdTall(A: Dense): { U: Dense; s: Float64Array; V: Dense } {
  const { rows, cols } = A;
  const { qr, rdiag } = householder(A);
  const R = new Matrix(cols, cols);
  for (let i = 0; i < cols; i++) {
    R.set(i, i, rdiag[i]);
    for (let j = i + 1; j < cols; j++) R.set(i, j, qr[j * rows + i]);
  }
  const svd = new SingularValueDecomposition(R);
  const Q = thinQ(qr, rows, cols);
  const Ur = svd.leftSingularVectors, Vr = svd.rightSingularVectors;
  const U = dense(rows, cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      let s = 0;
      for (let t = 0; t < cols; t++) s += Q.data[i * cols + t] * Ur.get(t, j);
      U.data[i * cols + j] = s;
    }
  }
  const V = dense(cols, cols);
  for (let i = 0; i < cols; i++) for (let j = 0; j < cols; j++) V.data[i * cols + j] = Vr.get(i, j);
  return { U, s: Float64Array.from(svd.diagonal), V };
}
