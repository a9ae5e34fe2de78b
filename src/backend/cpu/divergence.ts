// D_β(X ‖ WH), scikit-learn's _beta_divergence (square_root=False), one block of rows of WH at a
// time so no m×n temporary exists. β = 2: half the squared Frobenius norm; 1: generalized
// Kullback-Leibler; 0: Itakura-Saito; otherwise the general β-divergence. The products it needs come
// from the plan (WASM kernels): blocks of W·H, W·H at a CSR X's entries, and the Gram products.

import { EPSILON } from '../../numerics.js';
import type { FloatArray } from './workspace.js';

export interface DivergenceInput {
  rows: number;
  cols: number;
  k: number;
  beta: number;
  W: FloatArray;
  H: FloatArray;
  /** dense X (row-major), or CSR X's entries */
  dense: FloatArray | null;
  csr: { indptr: Int32Array; indices: Int32Array; data: FloatArray } | null;
  /** rows per whRows block */
  blockRows: number;
  /** rows i0 … i0+rows of W·H (rows × n, row-major) */
  whRows(i0: number, rows: number): FloatArray;
  /** W·H at CSR X's entries, in X.data's order */
  sampled(): FloatArray;
  /** CSR X, β = 2: ⟨WᵀW, HHᵀ⟩ = ‖WH‖² and ⟨X·Hᵀ, W⟩ = ⟨X, WH⟩ */
  frobeniusTerms(): { normWH: number; cross: number };
}

export function betaDivergence(d: DivergenceInput): number {
  const { rows: m, cols: n, k, beta, W, H, csr } = d;

  if (beta === 2 && csr) {
    // ‖X‖² + ‖WH‖² − 2⟨X, WH⟩: no dense WH.
    let normX = 0;
    for (let p = 0; p < csr.data.length; p++) normX += csr.data[p] * csr.data[p];
    const { normWH, cross } = d.frobeniusTerms();
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
  if (csr) {
    // the data terms need WH only at X's stored entries
    const wh = d.sampled();
    for (let p = 0; p < csr.data.length; p++) term(csr.data[p], wh[p]);
  }
  // Σ (WH)^β (general β) and dense X's terms run over every entry, zeros of X included
  if (!csr || (beta !== 1 && beta !== 0)) {
    for (let i0 = 0; i0 < m; i0 += d.blockRows) {
      const rows = Math.min(d.blockRows, m - i0);
      const WH = d.whRows(i0, rows);
      if (beta !== 2 && beta !== 1 && beta !== 0) for (let q = 0; q < rows * n; q++) sumWHbeta += Math.pow(WH[q], beta);
      if (csr) continue;
      const X = d.dense!;
      if (beta === 2) {
        for (let q = 0, o = i0 * n; q < rows * n; q++) {
          const diff = X[o + q] - WH[q];
          sq += diff * diff;
        }
      } else for (let q = 0, o = i0 * n; q < rows * n; q++) term(X[o + q], WH[q]);
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
