// D_β(X ‖ WH), scikit-learn's _beta_divergence (square_root=False), in float64, one block of rows of
// WH at a time so no m×n temporary exists. β = 2: half the squared Frobenius norm; 1: generalized
// Kullback-Leibler; 0: Itakura-Saito; otherwise the general β-divergence.

import { isCsr, type DataMatrix } from '../../matrix/matrix.js';
import { EPSILON } from '../../numerics.js';
import { csrABt } from './sparse.js';

/** whRows(i0, rows) returns rows i0 … i0+rows of W·H (rows × n, row-major). */
export type WHRows = (i0: number, rows: number) => Float64Array;

export function betaDivergence(X: DataMatrix, W: Float64Array, H: Float64Array, k: number, beta: number, blockRows: number, whRows: WHRows): number {
  const m = X.rows, n = X.cols;

  if (beta === 2 && isCsr(X)) {
    // ‖X‖² + ‖WH‖² − 2⟨X, WH⟩ with ‖WH‖² = ⟨WᵀW, HHᵀ⟩ and ⟨X, WH⟩ = ⟨X·Hᵀ, W⟩: no dense WH.
    let normX = 0;
    for (const x of X.data) normX += x * x;
    const WtW = new Float64Array(k * k), HHt = new Float64Array(k * k), XHt = new Float64Array(m * k);
    for (let i = 0; i < m; i++) for (let r = 0; r < k; r++) for (let s = 0; s < k; s++) WtW[r * k + s] += W[i * k + r] * W[i * k + s];
    for (let r = 0; r < k; r++) for (let s = 0; s < k; s++) for (let j = 0; j < n; j++) HHt[r * k + s] += H[r * n + j] * H[s * n + j];
    csrABt(X, H, k, XHt);
    let normWH = 0, cross = 0;
    for (let q = 0; q < k * k; q++) normWH += WtW[q] * HHt[q];
    for (let q = 0; q < m * k; q++) cross += XHt[q] * W[q];
    return (normX + normWH - 2 * cross) / 2;
  }

  // Data terms use only entries with X > EPSILON ("0·log 0 = 0"); there WH == 0 becomes EPSILON.
  let sq = 0, sumXlogDiv = 0, sumX = 0, sumDiv = 0, sumLogDiv = 0, sumXbeta = 0, sumXWHbeta1 = 0, sumWHbeta = 0;
  const term = (x: number, wh: number) => {
    if (!(x > EPSILON)) return;
    const v = wh === 0 ? EPSILON : wh;
    if (beta === 1) {
      sumXlogDiv += x * Math.log(x / v);
      sumX += x;
    } else if (beta === 0) {
      const div = x / v;
      sumDiv += div;
      sumLogDiv += Math.log(div);
    } else {
      sumXbeta += Math.pow(x, beta);
      sumXWHbeta1 += x * Math.pow(v, beta - 1);
    }
  };
  if (isCsr(X) && (beta === 1 || beta === 0)) {
    // only the data terms need WH, and only at X's stored entries
    for (let i = 0; i < m; i++) {
      for (let p = X.indptr[i]; p < X.indptr[i + 1]; p++) {
        const j = X.indices[p];
        let wh = 0;
        for (let r = 0; r < k; r++) wh += W[i * k + r] * H[r * n + j];
        term(X.data[p], wh);
      }
    }
  } else for (let i0 = 0; i0 < m; i0 += blockRows) {
    const rows = Math.min(blockRows, m - i0);
    const WH = whRows(i0, rows);
    if (beta === 2) {
      const Xd = X.data as Float64Array;
      for (let q = 0, o = i0 * n; q < rows * n; q++) {
        const d = Xd[o + q] - WH[q];
        sq += d * d;
      }
      continue;
    }
    // Σ (WH)^β runs over every entry, zeros of X included
    if (beta !== 1 && beta !== 0) for (let q = 0; q < rows * n; q++) sumWHbeta += Math.pow(WH[q], beta);
    if (isCsr(X)) {
      for (let i = i0; i < i0 + rows; i++) for (let p = X.indptr[i]; p < X.indptr[i + 1]; p++) term(X.data[p], WH[(i - i0) * n + X.indices[p]]);
    } else {
      for (let q = 0, o = i0 * n; q < rows * n; q++) term(X.data[o + q], WH[q]);
    }
  }

  if (beta === 2) return sq / 2;
  if (beta === 1) {
    // Σ WH = (column sums of W)·(row sums of H)
    let sumWH = 0;
    for (let r = 0; r < k; r++) {
      let cw = 0, rh = 0;
      for (let i = 0; i < m; i++) cw += W[i * k + r];
      for (let j = 0; j < n; j++) rh += H[r * n + j];
      sumWH += cw * rh;
    }
    return sumXlogDiv + sumWH - sumX;
  }
  if (beta === 0) return sumDiv - m * n - sumLogDiv;
  return (sumXbeta - beta * sumXWHbeta1 + sumWHbeta * (beta - 1)) / (beta * (beta - 1));
}
