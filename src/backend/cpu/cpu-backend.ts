// The float64 CPU backend: scikit-learn 1.2's arithmetic, step for step, without m×n temporaries.
// Every other backend is tested against this one.

import type { Backend, FitPlan, FitProblem, HalsStep, MuStep } from '../backend.js';
import { dense, isCsr, type CsrMatrix, type DataMatrix } from '../../matrix/matrix.js';
import { betaDivergence } from './divergence.js';
import { EPSILON, FLOAT64_EPS } from '../../numerics.js';
import { csrABt, csrAtB, dot, gemm, gemmABt, gemmAtB, gramCols, gramRows, rowOfWH, sampleWH } from './kernels.js';


export class CpuBackend implements Backend {
  readonly name = 'cpu';
  readonly description = 'cpu (float64)';
  readonly defaultCheckEvery = 1;
  async createFit(problem: FitProblem): Promise<FitPlan> {
    return new CpuFitPlan(problem);
  }
  dispose(): void {}
}

class CpuFitPlan implements FitPlan {
  private readonly X: DataMatrix;
  private readonly W: Float64Array;
  private readonly H: Float64Array;
  private readonly m: number;
  private readonly n: number;
  private readonly k: number;
  private readonly beta: number;
  private readonly hFixed: boolean;
  private violation = 0;
  // Products of H alone; with H fixed (updateH: false) they are computed once and kept.
  private readonly XHt: Float64Array;
  private readonly HHt: Float64Array;
  private readonly Hsum: Float64Array;
  private hProductsValid = false;
  // Scratch, allocated once per fit.
  private readonly WtX: Float64Array;
  private readonly WtW: Float64Array;
  private readonly numW: Float64Array;
  private readonly denW: Float64Array;
  private readonly numH: Float64Array;
  private readonly denH: Float64Array;
  private readonly row: Float64Array;
  private readonly rowNum: Float64Array;
  private readonly rowDen: Float64Array;
  private readonly sampled: Float64Array;
  private readonly colSum: Float64Array;

  constructor(p: FitProblem) {
    this.X = p.X;
    this.m = p.X.rows;
    this.n = p.X.cols;
    this.k = p.W.cols;
    this.W = Float64Array.from(p.W.data);
    this.H = Float64Array.from(p.H.data);
    this.beta = p.beta;
    this.hFixed = !p.updateH;
    const { m, n, k } = this;
    this.XHt = new Float64Array(m * k);
    this.HHt = new Float64Array(k * k);
    this.Hsum = new Float64Array(k);
    this.WtX = new Float64Array(k * n);
    this.WtW = new Float64Array(k * k);
    this.numW = new Float64Array(m * k);
    this.denW = new Float64Array(m * k);
    this.numH = new Float64Array(k * n);
    this.denH = new Float64Array(k * n);
    this.row = new Float64Array(n);
    this.rowNum = new Float64Array(n);
    this.rowDen = new Float64Array(n);
    this.sampled = new Float64Array(isCsr(p.X) ? p.X.data.length : 0);
    this.colSum = new Float64Array(k);
  }

  /** X·Hᵀ, H·Hᵀ and H's row sums; skipped when H is fixed and they are already known. */
  private hProducts(): void {
    if (this.hFixed && this.hProductsValid) return;
    const { X, H, n, k } = this;
    if (isCsr(X)) csrABt(X, H, k, this.XHt);
    else gemmABt(X.data, H, X.rows, n, k, this.XHt);
    gramRows(H, k, n, this.HHt);
    for (let r = 0; r < k; r++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += H[r * n + j];
      this.Hsum[r] = s;
    }
    this.hProductsValid = true;
  }

  private wtX(): void {
    if (isCsr(this.X)) csrAtB(this.W, this.X, this.k, this.WtX);
    else gemmAtB(this.W, this.X.data, this.m, this.k, this.n, this.WtX);
  }

  /**
   * Elementwise parts of the β ≠ 2 updates for one row of WH: num[j] = X_ij·(WH_ij)^(β−2) and
   * den[j] = (WH_ij)^(β−1), with scikit-learn's guards: WH == 0 becomes EPSILON where a negative
   * power would follow (β < 2 for the numerator, β < 1 for the denominator).
   */
  private elementwiseRow(i: number, num: Float64Array, den: Float64Array): void {
    const { X, beta, n } = this;
    rowOfWH(this.W, i, this.H, this.k, n, this.row);
    const wh = this.row;
    if (beta !== 1) {
      for (let j = 0; j < n; j++) {
        const v = beta < 1 && wh[j] === 0 ? EPSILON : wh[j];
        den[j] = beta === 0 ? 1 / v : Math.pow(v, beta - 1);
      }
    }
    if (isCsr(X)) return; // numerator only at the nonzeros: see sparseNumeratorRow
    const x = X.data, o = i * n;
    for (let j = 0; j < n; j++) {
      const v = beta < 2 && wh[j] === 0 ? EPSILON : wh[j];
      num[j] = numeratorTerm(x[o + j], v, beta);
    }
  }

  muUpdateW(step: MuStep): void {
    const { m, k, n, W, beta } = this;
    const num = this.numW, den = this.denW;
    if (beta === 2) {
      this.hProducts();
      num.set(this.XHt);
      gemm(W, this.HHt, m, k, k, den);
    } else {
      if (beta === 1) this.hProducts(); // for H's row sums
      const X = this.X;
      if (isCsr(X)) sampleWH(X, W, this.H, k, this.sampled);
      for (let i = 0; i < m; i++) {
        this.elementwiseRow(i, this.rowNum, this.rowDen);
        if (isCsr(X)) sparseNumeratorRow(X, i, this.sampled, this.H, k, beta, num);
        else for (let r = 0; r < k; r++) num[i * k + r] = dot(this.rowNum, 0, this.H, r * n, n);
        for (let r = 0; r < k; r++) den[i * k + r] = beta === 1 ? this.Hsum[r] : dot(this.rowDen, 0, this.H, r * n, n);
      }
    }
    applyUpdate(W, num, den, step);
    if (beta < 1) zeroBelow(W, FLOAT64_EPS);
    // scikit-learn adds L1 to a view of its cached H row sums (`denominator += l1_reg_W`), so with H
    // fixed the KL denominator grows by l1 every iteration. Reproduced for identical results.
    if (beta === 1 && this.hFixed && step.l1 > 0) for (let r = 0; r < k; r++) this.Hsum[r] += step.l1;
  }

  muUpdateH(step: MuStep): void {
    const { m, k, n, W, H, beta, X } = this;
    const num = this.numH, den = this.denH;
    if (beta === 2) {
      this.wtX();
      num.set(this.WtX);
      gramCols(W, m, k, this.WtW);
      gemm(this.WtW, H, k, k, n, den);
    } else {
      num.fill(0);
      if (beta === 1) {
        // Σ_i W_ir, with empty columns of W set to 1 (scikit-learn's W_sum guard)
        this.colSum.fill(0);
        for (let i = 0; i < m; i++) for (let r = 0; r < k; r++) this.colSum[r] += W[i * k + r];
        for (let r = 0; r < k; r++) den.fill(this.colSum[r] === 0 ? 1 : this.colSum[r], r * n, (r + 1) * n);
      } else den.fill(0);
      if (isCsr(X)) sampleWH(X, W, H, k, this.sampled);
      for (let i = 0; i < m; i++) {
        this.elementwiseRow(i, this.rowNum, this.rowDen);
        for (let r = 0; r < k; r++) {
          const w = W[i * k + r];
          if (w === 0) continue;
          if (beta !== 1) for (let j = 0; j < n; j++) den[r * n + j] += w * this.rowDen[j];
          if (!isCsr(X)) for (let j = 0; j < n; j++) num[r * n + j] += w * this.rowNum[j];
        }
        if (isCsr(X)) {
          for (let p = X.indptr[i]; p < X.indptr[i + 1]; p++) {
            const v = numeratorTerm(X.data[p], beta < 2 && this.sampled[p] === 0 ? EPSILON : this.sampled[p], beta);
            const j = X.indices[p];
            for (let r = 0; r < k; r++) num[r * n + j] += W[i * k + r] * v;
          }
        }
      }
    }
    applyUpdate(H, num, den, step);
    if (beta <= 1) zeroBelow(H, FLOAT64_EPS);
    this.hProductsValid = false;
  }

  halsSweepW(step: HalsStep): void {
    this.hProducts();
    const { m, k } = this;
    const xht = this.numW, hht = this.WtW;
    for (let q = 0; q < m * k; q++) xht[q] = this.XHt[q] - step.l1;
    hht.set(this.HHt);
    for (let r = 0; r < k; r++) hht[r * k + r] += step.l2;
    // W is m×k: the coordinate (i, t) is W[i·k + t]; rows are stride k apart.
    this.violation = halsSweep(this.W, m, k, 1, xht, k, 1, hht, step.order);
  }

  halsSweepH(step: HalsStep): void {
    const { m, k, n, W } = this;
    this.wtX();
    const wtx = this.WtX, wtw = this.WtW;
    for (let q = 0; q < k * n; q++) wtx[q] -= step.l1;
    gramCols(W, m, k, wtw);
    for (let r = 0; r < k; r++) wtw[r * k + r] += step.l2;
    // H is k×n: the coordinate (j, t) is H[t·n + j]; "rows" (features) are stride 1, components stride n.
    this.violation += halsSweep(this.H, n, 1, n, wtx, 1, n, wtw, step.order);
    this.hProductsValid = false;
  }

  async lastViolation(): Promise<number> {
    return this.violation;
  }

  async reconstructionError(): Promise<number> {
    return Math.sqrt(2 * Math.max(betaDivergence(this.X, this.W, this.H, this.k, this.beta), 0));
  }

  async read() {
    return { W: dense(this.m, this.k, this.W.slice()), H: dense(this.k, this.n, this.H.slice()) };
  }

  destroy(): void {}
}

/** X_ij·(WH_ij)^(β−2) for one entry (WH already guarded), as scikit-learn's MU numerator. */
function numeratorTerm(x: number, wh: number, beta: number): number {
  if (beta === 1) return x / wh;
  if (beta === 0) {
    const inv = 1 / wh;
    return inv * inv * x;
  }
  return Math.pow(wh, beta - 2) * x;
}

/** num[i,:] = Σ_p v_p·H[:, j_p] over the stored entries p of row i of CSR X. */
function sparseNumeratorRow(X: CsrMatrix, i: number, sampled: Float64Array, H: Float64Array, k: number, beta: number, num: Float64Array): void {
  const n = X.cols;
  for (let r = 0; r < k; r++) num[i * k + r] = 0;
  for (let p = X.indptr[i]; p < X.indptr[i + 1]; p++) {
    const v = numeratorTerm(X.data[p], beta < 2 && sampled[p] === 0 ? EPSILON : sampled[p], beta);
    const j = X.indices[p];
    for (let r = 0; r < k; r++) num[i * k + r] += v * H[r * n + j];
  }
}

/** A ← A ⊙ (num / den)^γ, den with L1 added, L2·A added, and exact zeros replaced by EPSILON. */
function applyUpdate(A: Float64Array, num: Float64Array, den: Float64Array, { l1, l2, gamma }: MuStep): void {
  for (let q = 0; q < A.length; q++) {
    let d = den[q];
    if (l1 > 0) d += l1;
    if (l2 > 0) d += l2 * A[q];
    if (d === 0) d = EPSILON;
    const delta = num[q] / d;
    A[q] *= gamma === 1 ? delta : Math.pow(delta, gamma);
  }
}

function zeroBelow(A: Float64Array, eps: number): void {
  for (let q = 0; q < A.length; q++) if (A[q] < eps) A[q] = 0;
}

/**
 * One Fast-HALS sweep (scikit-learn's _update_cdnmf_fast) over a factor F with `rows` independent
 * rows of k coordinates: F(i, t) = F[i·rowStride + t·compStride]. G(i, t) = XHt entries (L1 already
 * subtracted), M = HHt (k×k, L2 already on the diagonal). Components in `order`, rows inside, as
 * scikit-learn loops, so the result and the violation's summation order are the same.
 */
function halsSweep(
  F: Float64Array, rows: number, rowStride: number, compStride: number,
  G: Float64Array, gRowStride: number, gCompStride: number, M: Float64Array, order: Int32Array,
): number {
  const k = order.length;
  let violation = 0;
  for (let s = 0; s < k; s++) {
    const t = order[s];
    const hess = M[t * k + t];
    for (let i = 0; i < rows; i++) {
      const f = i * rowStride;
      let grad = -G[i * gRowStride + t * gCompStride];
      for (let r = 0; r < k; r++) grad += M[t * k + r] * F[f + r * compStride];
      const ft = f + t * compStride;
      const pg = F[ft] === 0 ? Math.min(0, grad) : grad;
      violation += Math.abs(pg);
      if (hess !== 0) F[ft] = Math.max(F[ft] - grad / hess, 0);
    }
  }
  return violation;
}
