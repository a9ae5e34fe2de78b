// Float64 products with CSR X for the CPU backend (scipy's layout, canonical: sorted, no zeros).

import type { CsrMatrix } from '../../matrix/matrix.js';

/** C (m×k) = X·Hᵀ for CSR X (m×n), H k×n. */
export function csrABt(X: CsrMatrix, H: Float64Array, k: number, C: Float64Array): void {
  const n = X.cols;
  C.fill(0);
  for (let i = 0; i < X.rows; i++) {
    for (let p = X.indptr[i]; p < X.indptr[i + 1]; p++) {
      const j = X.indices[p], x = X.data[p];
      for (let r = 0; r < k; r++) C[i * k + r] += x * H[r * n + j];
    }
  }
}

/** C (k×n) = Wᵀ·X for CSR X (m×n), W m×k. */
export function csrAtB(W: Float64Array, X: CsrMatrix, k: number, C: Float64Array): void {
  const n = X.cols;
  C.fill(0);
  for (let i = 0; i < X.rows; i++) {
    for (let p = X.indptr[i]; p < X.indptr[i + 1]; p++) {
      const j = X.indices[p], x = X.data[p];
      for (let r = 0; r < k; r++) C[r * n + j] += x * W[i * k + r];
    }
  }
}

/** (WH)_ij for every stored entry of CSR X, in X.data's order (scikit-learn's _special_sparse_dot). */
export function sampleWH(X: CsrMatrix, W: Float64Array, H: Float64Array, k: number, out: Float64Array): void {
  const n = X.cols;
  for (let i = 0; i < X.rows; i++) {
    for (let p = X.indptr[i]; p < X.indptr[i + 1]; p++) {
      const j = X.indices[p];
      let s = 0;
      for (let r = 0; r < k; r++) s += W[i * k + r] * H[r * n + j];
      out[p] = s;
    }
  }
}
