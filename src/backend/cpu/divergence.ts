// D_β(X ‖ WH), scikit-learn's _beta_divergence (square_root=False), one block of rows of WH at a
// time so no m×n temporary exists; the terms and the closing formula are src/loss.ts's. The products
// it needs come from the plan (WASM kernels): blocks of W·H, W·H at a CSR X's entries, Gram products.

import { BetaClass, SplitDivergenceSums, betaClass } from '../../loss.js';
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
  const sums = new SplitDivergenceSums(beta);
  const cls = betaClass(beta);

  if (cls === BetaClass.frobenius && csr) {
    // ‖X‖² + ‖WH‖² − 2⟨X, WH⟩: no dense WH.
    let normX = 0;
    for (let p = 0; p < csr.data.length; p++) normX += csr.data[p] * csr.data[p];
    const { normWH, cross } = d.frobeniusTerms();
    sums.addSquareFromProducts(normX, normWH, cross);
    return sums.finish(0, m * n);
  }

  if (csr) {
    // the data terms need WH only at X's stored entries
    const wh = d.sampled();
    for (let p = 0; p < csr.data.length; p++) sums.addData(csr.data[p], wh[p]);
  }
  // Σ (WH)^β (general β) and dense X's terms run over every entry, zeros of X included
  if (!csr || cls === BetaClass.general) {
    for (let i0 = 0; i0 < m; i0 += d.blockRows) {
      const rows = Math.min(d.blockRows, m - i0);
      const WH = d.whRows(i0, rows);
      if (cls === BetaClass.general) for (let q = 0; q < rows * n; q++) sums.addModel(WH[q]);
      if (csr) continue;
      const X = d.dense!;
      if (cls === BetaClass.frobenius) for (let q = 0, o = i0 * n; q < rows * n; q++) sums.addSquare(X[o + q], WH[q]);
      else for (let q = 0, o = i0 * n; q < rows * n; q++) sums.addData(X[o + q], WH[q]);
    }
  }
  return sums.finish(cls === BetaClass.kullbackLeibler ? sumOfWH(W, H, m, n, k) : 0, m * n);
}

/** Σ WH = (column sums of W)·(row sums of H), KL's model term. */
function sumOfWH(W: FloatArray, H: FloatArray, m: number, n: number, k: number): number {
  let sumWH = 0;
  for (let r = 0; r < k; r++) {
    let cw = 0, rh = 0;
    for (let i = 0; i < m; i++) cw += W[i * k + r];
    for (let j = 0; j < n; j++) rh += H[r * n + j];
    sumWH += cw * rh;
  }
  return sumWH;
}
