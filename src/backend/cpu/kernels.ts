// Float64 dense and sparse products for the CPU backend. Row-major everywhere; loops ordered so the
// innermost one walks contiguous memory (dot products of rows, or axpy into a row).

import type { CsrMatrix } from '../../matrix/matrix.js';

/** Σ_j a[ao + j]·b[bo + j] for j < n, four accumulators so the JIT keeps them in registers. */
export function dot(a: Float64Array, ao: number, b: Float64Array, bo: number, n: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let j = 0;
  for (; j + 3 < n; j += 4) {
    s0 += a[ao + j] * b[bo + j];
    s1 += a[ao + j + 1] * b[bo + j + 1];
    s2 += a[ao + j + 2] * b[bo + j + 2];
    s3 += a[ao + j + 3] * b[bo + j + 3];
  }
  for (; j < n; j++) s0 += a[ao + j] * b[bo + j];
  return s0 + s1 + s2 + s3;
}

/** y[yo + j] += alpha·x[xo + j] for j < n. */
export function axpy(alpha: number, x: Float64Array, xo: number, y: Float64Array, yo: number, n: number): void {
  for (let j = 0; j < n; j++) y[yo + j] += alpha * x[xo + j];
}

/** C (m×k) = A (m×n) · Bᵀ, B is k×n: dot products of rows (X·Hᵀ). */
export function gemmABt(A: Float64Array, B: Float64Array, m: number, n: number, k: number, C: Float64Array): void {
  for (let i = 0; i < m; i++) {
    for (let r = 0; r < k; r++) C[i * k + r] = dot(A, i * n, B, r * n, n);
  }
}

/** C (k×n) = Aᵀ (k×m) · B (m×n), A is m×k: axpy of B's rows (Wᵀ·X). */
export function gemmAtB(A: Float64Array, B: Float64Array, m: number, k: number, n: number, C: Float64Array): void {
  C.fill(0);
  for (let i = 0; i < m; i++) {
    for (let r = 0; r < k; r++) {
      const a = A[i * k + r];
      if (a !== 0) axpy(a, B, i * n, C, r * n, n);
    }
  }
}

/** C (m×n) = A (m×k) · B (k×n), for the small products (W·HHᵀ, WᵀW·H). */
export function gemm(A: Float64Array, B: Float64Array, m: number, k: number, n: number, C: Float64Array): void {
  C.fill(0);
  for (let i = 0; i < m; i++) {
    for (let r = 0; r < k; r++) {
      const a = A[i * k + r];
      if (a !== 0) axpy(a, B, r * n, C, i * n, n);
    }
  }
}

/** G (k×k) = A·Aᵀ for A k×n (H·Hᵀ). */
export function gramRows(A: Float64Array, k: number, n: number, G: Float64Array): void {
  for (let r = 0; r < k; r++) {
    for (let s = r; s < k; s++) G[r * k + s] = G[s * k + r] = dot(A, r * n, A, s * n, n);
  }
}

/** G (k×k) = Aᵀ·A for A m×k (Wᵀ·W). */
export function gramCols(A: Float64Array, m: number, k: number, G: Float64Array): void {
  G.fill(0);
  for (let i = 0; i < m; i++) {
    const o = i * k;
    for (let r = 0; r < k; r++) {
      const a = A[o + r];
      if (a !== 0) for (let s = 0; s < k; s++) G[r * k + s] += a * A[o + s];
    }
  }
}

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

/** row (length n) = W[i,:]·H, the i-th row of WH. */
export function rowOfWH(W: Float64Array, i: number, H: Float64Array, k: number, n: number, row: Float64Array): void {
  row.fill(0);
  for (let r = 0; r < k; r++) {
    const w = W[i * k + r];
    if (w !== 0) axpy(w, H, r * n, row, 0, n);
  }
}
