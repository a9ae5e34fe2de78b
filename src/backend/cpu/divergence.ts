// D_β(X ‖ WH), scikit-learn's _beta_divergence (square_root=False), in float64, row by row so no
// m×n temporary exists. β = 2: half the squared Frobenius norm; 1: generalized KL; 0: Itakura-Saito.

import { isCsr, type DataMatrix } from '../../matrix/matrix.js';
import { dot, gemm, gramCols, rowOfWH, csrABt } from './kernels.js';
import { EPSILON } from '../../numerics.js';

export function betaDivergence(X: DataMatrix, W: Float64Array, H: Float64Array, k: number, beta: number): number {
  const m = X.rows, n = X.cols;
  const row = new Float64Array(n);

  if (beta === 2) {
    if (isCsr(X)) {
      // ‖X‖² + ‖WH‖² − 2⟨X, WH⟩ with ‖WH‖² = ⟨WᵀW·H, H⟩ and ⟨X, WH⟩ = ⟨X·Hᵀ, W⟩
      const normX = dot(X.data, 0, X.data, 0, X.data.length);
      const WtW = new Float64Array(k * k), WtWH = new Float64Array(k * n), XHt = new Float64Array(m * k);
      gramCols(W, m, k, WtW);
      gemm(WtW, H, k, k, n, WtWH);
      csrABt(X, H, k, XHt);
      return (normX + dot(WtWH, 0, H, 0, k * n) - 2 * dot(XHt, 0, W, 0, m * k)) / 2;
    }
    let res = 0;
    for (let i = 0; i < m; i++) {
      rowOfWH(W, i, H, k, n, row);
      for (let j = 0; j < n; j++) {
        const d = X.data[i * n + j] - row[j];
        res += d * d;
      }
    }
    return res / 2;
  }

  // Only entries with X > EPSILON enter the data terms ("0·log 0 = 0"); WH == 0 there becomes EPSILON.
  let sumXlogDiv = 0, sumX = 0, sumDiv = 0, sumLogDiv = 0, sumXbeta = 0, sumXWHbeta1 = 0, sumWHbeta = 0;
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
  const needRows = beta !== 1 && beta !== 0; // Σ (WH)^β runs over every entry, zeros of X included
  for (let i = 0; i < m; i++) {
    if (isCsr(X) && !needRows) {
      for (let p = X.indptr[i]; p < X.indptr[i + 1]; p++) {
        const j = X.indices[p];
        let wh = 0;
        for (let r = 0; r < k; r++) wh += W[i * k + r] * H[r * n + j];
        term(X.data[p], wh);
      }
      continue;
    }
    rowOfWH(W, i, H, k, n, row);
    if (needRows) for (let j = 0; j < n; j++) sumWHbeta += Math.pow(row[j], beta);
    if (isCsr(X)) for (let p = X.indptr[i]; p < X.indptr[i + 1]; p++) term(X.data[p], row[X.indices[p]]);
    else for (let j = 0; j < n; j++) term(X.data[i * n + j], row[j]);
  }

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
