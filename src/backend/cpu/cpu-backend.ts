// The float64 CPU backend: scikit-learn 1.2's arithmetic, step for step. Every other backend is
// tested against this one. Dense products run in WebAssembly SIMD (gemm.wat) on arrays that live in
// one Workspace per fit; β ≠ 2 updates walk X in blocks of rows, recomputing that block of WH, so no
// m×n temporary exists.

import type { Backend, FitPlan, FitProblem, HalsStep, HAverages, MiniBatchSteps, MuStep } from '../backend.js';
import { dense, isCsr, type CsrMatrix } from '../../matrix/matrix.js';
import { EPSILON, FLOAT64_EPS } from '../../numerics.js';
import { betaDivergence } from './divergence.js';
import { ab, abt, atbAdd, createWorkspace, ratio, ratioSq, reciprocal, workspaceLength } from './gemm.js';
import { csrABt, csrAtB, sampleWH } from './sparse.js';
import { WeightedTerms } from './weighted.js';
import { CpuPgSteps } from './pg-steps.js';

/** Rows of X per block in the β ≠ 2 updates: about this many doubles of WH per block (fits in L2). */
const BLOCK_DOUBLES = 16384;

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
  private readonly m: number;
  private readonly n: number;
  private readonly k: number;
  private readonly beta: number;
  private readonly hFixed: boolean;
  private readonly csr: CsrMatrix | null;
  /** dense X (a copy in the workspace), or empty when X is CSR */
  private readonly X: Float64Array;
  private readonly W: Float64Array;
  private readonly H: Float64Array;
  // Products of H alone; with H fixed (updateH: false) they are computed once and kept.
  private readonly XHt: Float64Array;
  private readonly HHt: Float64Array;
  private readonly Hsum: Float64Array;
  private hProductsValid = false;
  private readonly WtX: Float64Array;
  private readonly WtW: Float64Array;
  private readonly num: { W: Float64Array; H: Float64Array };
  private readonly den: { W: Float64Array; H: Float64Array };
  /** rows per block, and per-block scratch: WH, the numerator's and the denominator's elementwise terms */
  private readonly blockRows: number;
  private readonly WHb: Float64Array;
  private readonly Vb: Float64Array;
  private readonly Db: Float64Array;
  /** (WH)_ij at CSR X's stored entries */
  private readonly sampled: Float64Array;
  private violation = 0;
  /** MiniBatchNMF's state: running averages of H's update, W of the previous wChange, H at the start */
  private readonly averages: { A: Float64Array; B: Float64Array } | null;
  private readonly wPrevious: Float64Array;
  private readonly hStart: Float64Array;
  readonly minibatch: MiniBatchSteps;
  /** weighted NMF: the products and the loss over the observed entries only */
  private readonly weighted: WeightedTerms | null;
  /** solver 'pg': its subproblems use the product arrays (XHt, HHt, WtX, WtW) as scratch */
  readonly pg: CpuPgSteps;
  /** the fit's WASM memory; destroy() releases the worker threads' hold on it */
  private readonly ws: ReturnType<typeof createWorkspace>;

  constructor(p: FitProblem) {
    const m = (this.m = p.X.rows), n = (this.n = p.X.cols), k = (this.k = p.W.cols);
    this.beta = p.beta;
    this.hFixed = !p.updateH;
    this.csr = isCsr(p.X) ? p.X : null;
    this.blockRows = Math.max(1, Math.min(m, Math.floor(BLOCK_DOUBLES / n)));
    const b = this.blockRows;
    const sizes = {
      X: this.csr ? 0 : m * n, W: m * k, H: k * n, XHt: m * k, HHt: k * k, Hsum: k, WtX: k * n, WtW: k * k,
      numW: m * k, denW: m * k, numH: k * n, denH: k * n, WHb: b * n, Vb: b * n, Db: b * n,
    };
    const ws = (this.ws = createWorkspace(workspaceLength(Object.values(sizes))));
    const a = Object.fromEntries(Object.entries(sizes).map(([name, len]) => [name, ws.alloc(len)])) as Record<keyof typeof sizes, Float64Array>;
    if (!isCsr(p.X)) a.X.set(p.X.data);
    a.W.set(p.W.data);
    a.H.set(p.H.data);
    ({ X: this.X, W: this.W, H: this.H, XHt: this.XHt, HHt: this.HHt, Hsum: this.Hsum, WtX: this.WtX, WtW: this.WtW } = a);
    this.num = { W: a.numW, H: a.numH };
    this.den = { W: a.denW, H: a.denH };
    ({ WHb: this.WHb, Vb: this.Vb, Db: this.Db } = a);
    this.sampled = new Float64Array(this.csr ? this.csr.data.length : 0);
    this.averages = p.averages ? { A: Float64Array.from(p.averages.A.data), B: Float64Array.from(p.averages.B.data) } : null;
    this.wPrevious = Float64Array.from(p.W.data);
    this.hStart = Float64Array.from(p.H.data);
    this.minibatch = this.minibatchSteps();
    this.weighted = p.weighted ? new WeightedTerms(p.weighted, k, p.beta) : null;
    this.pg = new CpuPgSteps({ m, n, k, X: this.X, csr: this.csr, W: this.W, H: this.H, XHt: this.XHt, HHt: this.HHt, WtX: this.WtX, WtW: this.WtW });
  }

  /** X·Hᵀ, H·Hᵀ and H's row sums; skipped when H is fixed and they are already known. */
  private hProducts(): void {
    if (this.hProductsValid) return;
    const { H, m, n, k } = this;
    if (this.csr) csrABt(this.csr, H, k, this.XHt);
    else abt(this.X, H, this.XHt, m, n, k);
    abt(H, H, this.HHt, k, n, k);
    for (let r = 0; r < k; r++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += H[r * n + j];
      this.Hsum[r] = s;
    }
    this.hProductsValid = true;
  }

  /** Wᵀ·X and Wᵀ·W. */
  private wProducts(): void {
    const { W, m, n, k } = this;
    if (this.csr) csrAtB(W, this.csr, k, this.WtX);
    else {
      this.WtX.fill(0);
      atbAdd(W, this.X, this.WtX, m, k, n);
    }
    this.WtW.fill(0);
    atbAdd(W, W, this.WtW, m, k, k);
  }

  /**
   * For rows i0 … i0+rows of X: WHb = that block of W·H, then the elementwise terms of the β ≠ 2
   * updates, Vb = X ⊙ (WH)^(β−2) (dense X only; CSR's are taken at its nonzeros) and
   * Db = (WH)^(β−1) (β ≠ 1), with scikit-learn's guards: WH == 0 becomes EPSILON where a negative
   * power follows (β < 2 for V, β < 1 for D).
   */
  private blockTerms(i0: number, rows: number): void {
    const { beta, n, k, WHb } = this;
    const len = rows * n;
    if (this.csr && beta === 1) return; // KL on CSR needs WH only at the nonzeros
    ab(this.W.subarray(i0 * k, (i0 + rows) * k), this.H, WHb, rows, k, n);
    if (beta !== 1) denominatorTerms(WHb, this.Db, len, beta);
    if (this.csr) {
      const { indptr, indices } = this.csr;
      for (let i = i0; i < i0 + rows; i++) {
        for (let p = indptr[i]; p < indptr[i + 1]; p++) this.sampled[p] = WHb[(i - i0) * n + indices[p]];
      }
    } else numeratorTerms(this.X.subarray(i0 * n, i0 * n + len), WHb, this.Vb, len, beta);
  }

  muUpdateW(step: MuStep): void {
    const { m, k, n, W, beta, csr } = this;
    const num = this.num.W, den = this.den.W;
    if (this.weighted) this.weighted.forW(W, this.H, num, den);
    else if (beta === 2) {
      this.hProducts();
      num.set(this.XHt);
      ab(W, this.HHt, den, m, k, k);
    } else {
      if (csr && beta === 1) sampleWH(csr, W, this.H, k, this.sampled);
      for (let i0 = 0; i0 < m; i0 += this.blockRows) {
        const rows = Math.min(this.blockRows, m - i0);
        this.blockTerms(i0, rows);
        const numBlock = num.subarray(i0 * k, (i0 + rows) * k);
        if (csr) sparseNumeratorW(csr, i0, rows, this.sampled, this.H, k, beta, numBlock);
        else abt(this.Vb, this.H, numBlock, rows, n, k);
        if (beta !== 1) abt(this.Db, this.H, den.subarray(i0 * k, (i0 + rows) * k), rows, n, k);
      }
      if (beta === 1) {
        this.hProducts(); // H's row sums
        for (let i = 0; i < m; i++) den.set(this.Hsum, i * k);
      }
    }
    applyUpdate(W, num, den, step);
    if (beta < 1 && step.clip !== false) zeroBelow(W, FLOAT64_EPS);
    // scikit-learn adds L1 to a view of its cached H row sums (`denominator += l1_reg_W`), so with H
    // fixed the KL denominator grows by l1 every iteration. Reproduced for identical results.
    if (beta === 1 && this.hFixed && step.l1 > 0 && !this.weighted) for (let r = 0; r < k; r++) this.Hsum[r] += step.l1;
  }

  muUpdateH(step: MuStep): void {
    this.hTerms();
    applyUpdate(this.H, this.num.H, this.den.H, step);
    this.afterHUpdate(step);
  }

  /** H's clipping, and products of H are stale. */
  private afterHUpdate(step: MuStep): void {
    if (this.beta <= 1 && step.clip !== false) zeroBelow(this.H, FLOAT64_EPS);
    this.hProductsValid = false;
  }

  /** num.H and den.H: the numerator and (unregularized) denominator of H's multiplicative update. */
  private hTerms(): void {
    const { m, k, n, W, H, beta, csr } = this;
    const num = this.num.H, den = this.den.H;
    if (this.weighted) this.weighted.forH(W, H, num, den);
    else if (beta === 2) {
      this.wProducts();
      num.set(this.WtX);
      ab(this.WtW, H, den, k, k, n);
    } else {
      num.fill(0);
      den.fill(0);
      if (csr && beta === 1) sampleWH(csr, W, H, k, this.sampled);
      for (let i0 = 0; i0 < m; i0 += this.blockRows) {
        const rows = Math.min(this.blockRows, m - i0);
        this.blockTerms(i0, rows);
        const Wb = W.subarray(i0 * k, (i0 + rows) * k);
        if (csr) sparseNumeratorH(csr, i0, rows, this.sampled, W, k, beta, num);
        else atbAdd(Wb, this.Vb, num, rows, k, n);
        if (beta !== 1) atbAdd(Wb, this.Db, den, rows, k, n);
      }
      if (beta === 1) {
        // Σ_i W_ir, with empty columns of W set to 1 (scikit-learn's W_sum guard)
        for (let r = 0; r < k; r++) {
          let s = 0;
          for (let i = 0; i < m; i++) s += W[i * k + r];
          den.fill(s === 0 ? 1 : s, r * n, (r + 1) * n);
        }
      }
    }
  }

  private minibatchSteps(): MiniBatchSteps {
    return {
      muUpdateHAveraged: (step, rho) => {
        if (!this.averages) throw new Error('muUpdateHAveraged needs a plan made with averages');
        this.hTerms();
        applyAveragedUpdate(this.H, this.num.H, this.den.H, this.averages.A, this.averages.B, rho, step);
        this.afterHUpdate(step);
      },
      clipW: () => zeroBelow(this.W, FLOAT64_EPS),
      wChange: async () => {
        const change = relativeChange(this.W, this.wPrevious);
        this.wPrevious.set(this.W);
        return change;
      },
      hChange: async () => relativeChange(this.H, this.hStart),
      factorSums: async () => ({ sumW: sum(this.W, 1), sumW2: sum(this.W, 2), sumH: sum(this.H, 1), sumH2: sum(this.H, 2) }),
      readAverages: async (): Promise<HAverages> => {
        if (!this.averages) throw new Error('readAverages needs a plan made with averages');
        return { A: dense(this.k, this.n, this.averages.A.slice()), B: dense(this.k, this.n, this.averages.B.slice()) };
      },
    };
  }

  halsSweepW(step: HalsStep): void {
    this.hProducts();
    const { m, k } = this;
    const xht = this.num.W, hht = this.WtW; // scratch: XHt − l1 and HHt + l2·I
    for (let q = 0; q < m * k; q++) xht[q] = this.XHt[q] - step.l1;
    hht.set(this.HHt);
    for (let r = 0; r < k; r++) hht[r * k + r] += step.l2;
    // W is m×k: the coordinate (i, t) is W[i·k + t].
    this.violation = halsSweep(this.W, m, k, 1, xht, k, 1, hht, step.order);
  }

  halsSweepH(step: HalsStep): void {
    const { k, n } = this;
    this.wProducts();
    const wtx = this.WtX, wtw = this.WtW;
    for (let q = 0; q < k * n; q++) wtx[q] -= step.l1;
    for (let r = 0; r < k; r++) wtw[r * k + r] += step.l2;
    // H is k×n: the coordinate (j, t) is H[t·n + j]; features are stride 1 apart, components stride n.
    this.violation += halsSweep(this.H, n, 1, n, wtx, 1, n, wtw, step.order);
    this.hProductsValid = false;
  }

  async lastViolation(): Promise<number> {
    return this.violation;
  }

  async reconstructionError(): Promise<number> {
    const { m, n, k, W, H } = this;
    if (this.weighted) return Math.sqrt(2 * Math.max(this.weighted.divergence(W, H), 0));
    const X = this.csr ?? dense(m, n, this.X);
    const whRows = (i0: number, rows: number): Float64Array => {
      ab(W.subarray(i0 * k, (i0 + rows) * k), H, this.WHb, rows, k, n);
      return this.WHb;
    };
    const res = betaDivergence(X, W, H, k, this.beta, this.blockRows, whRows);
    return Math.sqrt(2 * Math.max(res, 0));
  }

  async read() {
    return { W: dense(this.m, this.k, this.W.slice()), H: dense(this.k, this.n, this.H.slice()) };
  }

  destroy(): void {
    this.ws.destroy();
  }
}

/** V = X ⊙ (WH)^(β−2) over a block, WH == 0 → EPSILON for β < 2 (scikit-learn's guard). */
function numeratorTerms(X: Float64Array, WH: Float64Array, V: Float64Array, len: number, beta: number): void {
  if (beta === 1) ratio(X, WH, V, len);
  else if (beta === 0) ratioSq(X, WH, V, len);
  else {
    const guard = beta < 2;
    for (let q = 0; q < len; q++) V[q] = Math.pow(guard && WH[q] === 0 ? EPSILON : WH[q], beta - 2) * X[q];
  }
}

/** D = (WH)^(β−1) over a block, WH == 0 → EPSILON for β < 1. */
function denominatorTerms(WH: Float64Array, D: Float64Array, len: number, beta: number): void {
  if (beta === 0) reciprocal(WH, D, len);
  else {
    const guard = beta < 1;
    for (let q = 0; q < len; q++) D[q] = Math.pow(guard && WH[q] === 0 ? EPSILON : WH[q], beta - 1);
  }
}

/** X_ij·(WH_ij)^(β−2) for one stored entry, WH guarded as scikit-learn does. */
function numeratorTerm(x: number, wh: number, beta: number): number {
  const v = beta < 2 && wh === 0 ? EPSILON : wh;
  if (beta === 1) return x / v;
  if (beta === 0) {
    const inv = 1 / v;
    return inv * inv * x;
  }
  return Math.pow(v, beta - 2) * x;
}

/** num (rows×k block) = Σ_p v_p·H[:, j_p] over the stored entries p of each row of CSR X. */
function sparseNumeratorW(X: CsrMatrix, i0: number, rows: number, sampled: Float64Array, H: Float64Array, k: number, beta: number, num: Float64Array): void {
  const n = X.cols;
  num.fill(0);
  for (let i = i0; i < i0 + rows; i++) {
    const o = (i - i0) * k;
    for (let p = X.indptr[i]; p < X.indptr[i + 1]; p++) {
      const v = numeratorTerm(X.data[p], sampled[p], beta);
      const j = X.indices[p];
      for (let r = 0; r < k; r++) num[o + r] += v * H[r * n + j];
    }
  }
}

/** num (k×n) += Σ_i W[i,:]ᵀ·v_p over the stored entries p of rows i0 … i0+rows of CSR X. */
function sparseNumeratorH(X: CsrMatrix, i0: number, rows: number, sampled: Float64Array, W: Float64Array, k: number, beta: number, num: Float64Array): void {
  const n = X.cols;
  for (let i = i0; i < i0 + rows; i++) {
    for (let p = X.indptr[i]; p < X.indptr[i + 1]; p++) {
      const v = numeratorTerm(X.data[p], sampled[p], beta);
      const j = X.indices[p];
      for (let r = 0; r < k; r++) num[r * n + j] += W[i * k + r] * v;
    }
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

/**
 * MiniBatchNMF's H step (scikit-learn's _multiplicative_update_h with A and B): the denominator
 * regularized and guarded as in applyUpdate, then A ← ρA + num ⊙ H^(1/γ), B ← ρB + den, H ← (A/B)^γ.
 */
function applyAveragedUpdate(H: Float64Array, num: Float64Array, den: Float64Array, A: Float64Array, B: Float64Array, rho: number, { l1, l2, gamma }: MuStep): void {
  for (let q = 0; q < H.length; q++) {
    let d = den[q];
    if (l1 > 0) d += l1;
    if (l2 > 0) d += l2 * H[q];
    if (d === 0) d = EPSILON;
    const h = gamma === 1 ? H[q] : Math.pow(H[q], 1 / gamma);
    A[q] = A[q] * rho + num[q] * h;
    B[q] = B[q] * rho + d;
    const ratio = A[q] / B[q];
    H[q] = gamma === 1 ? ratio : Math.pow(ratio, gamma);
  }
}

/** ‖A − B‖_F / ‖A‖_F (scipy.linalg.norm of the difference over the norm) */
function relativeChange(A: Float64Array, B: Float64Array): number {
  let diff = 0, norm = 0;
  for (let q = 0; q < A.length; q++) {
    diff += (A[q] - B[q]) ** 2;
    norm += A[q] * A[q];
  }
  return Math.sqrt(diff) / Math.sqrt(norm);
}

function sum(A: Float64Array, power: 1 | 2): number {
  let s = 0;
  for (let q = 0; q < A.length; q++) s += power === 1 ? A[q] : A[q] * A[q];
  return s;
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
