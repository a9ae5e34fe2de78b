// The CPU backend: scikit-learn 1.2's arithmetic, step for step, in float64 (float32 for float32 X,
// as scikit-learn keeps it). Every other backend is tested against its float64 results. A fit's arrays live in one workspace (WASM memory, workspace.ts); the
// products run as WebAssembly SIMD kernels on every core: dense ones in gemm.ts, those with a CSR X
// in sparse.ts (X·Hᵀ on X's rows with Hᵀ held n×k, Wᵀ·X on a CSC copy, WH sampled at the nonzeros),
// HALS sweeps in hals.ts. β ≠ 2 updates with a dense X walk it in blocks of rows, recomputing that
// block of WH, so no m×n temporary exists.

import type { BackendSupports } from '../capabilities.js';
import type { Backend, CheckScalar, FitPlan, FitProblem, HalsStep, MuStep } from '../backend.js';
import { isCsr } from '../../matrix/matrix.js';
import { FLOAT64_EPS } from '../../numerics.js';
import { clipsAfterMu, errorFromDivergence } from '../../loss.js';
import { PlanState, readNow } from '../plan-state.js';
import { betaDivergence } from './divergence.js';
import { ab, abt, atbAdd } from './gemm.js';
import { halsScratchSpecs, halsSweep, transpose, type HalsScratch } from './hals.js';
import { muBlockSpecs, muTermsH, muTermsW, type MuBlocks } from './mu-blocks.js';
import { applyUpdate, denominatorTerms, numeratorTerms, zeroBelow } from './mu-terms.js';
import { CpuMiniBatchSteps } from './minibatch-steps.js';
import { CpuPgSteps } from './pg-steps.js';
import { fillSparse, gather, sampleDot, sparseSpecs, spmm, type SparseX } from './sparse.js';
import { WeightedTerms } from './weighted.js';
import { allocateArrays, plannedChunks, type FloatArray, type Workspace } from './workspace.js';

/** Rows of X per block in the β ≠ 2 updates: about this many doubles of WH per block (fits in L2). */
const BLOCK_DOUBLES = 16384;

export class CpuBackend implements Backend {
  readonly name = 'cpu';
  readonly description = 'cpu (float64)';
  readonly defaultCheckEvery = 1;
  /** the float64 reference runs everything */
  readonly supports: BackendSupports = { pg: true, minibatch: true, weighted: true, float64: true };
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
  /** CSR X and its CSC copy in the workspace, or null when X is dense */
  private readonly sx: SparseX | null;
  /** dense X (a copy in the workspace), or empty when X is CSR */
  private readonly X: FloatArray;
  private readonly W: FloatArray;
  private readonly H: FloatArray;
  /** Hᵀ (n×k) for the sparse products; stale after H changes until refreshHt() */
  private readonly Ht: FloatArray;
  // Products of H alone; with H fixed (updateH: false) they are computed once and kept.
  private readonly XHt: FloatArray;
  private readonly HHt: FloatArray;
  private readonly Hsum: Float64Array;
  /** which of them hold for the current H, the KL sums' quirk, the violation's parts */
  private readonly state: PlanState;
  private readonly WtX: FloatArray;
  /** (Wᵀ·X)ᵀ (n×k), the CSC product's own layout (CSR X only) */
  private readonly XtW: FloatArray;
  private readonly WtW: FloatArray;
  private readonly num: { W: FloatArray; H: FloatArray };
  private readonly den: { W: FloatArray; H: FloatArray };
  /** the HALS sweep's Gram matrix with L2 on its diagonal, and its component order; gram2: k×k scratch */
  private readonly gram: FloatArray;
  private readonly gram2: FloatArray;
  private readonly order: Int32Array;
  private readonly hals: HalsScratch;
  /** rows per block, and per-block scratch: WH, the numerator's and the denominator's elementwise terms */
  private readonly blockRows: number;
  private readonly WHb: FloatArray;
  private readonly Vb: FloatArray;
  private readonly Db: FloatArray;
  /** β of the KL / IS updates run block by block per thread (dense X), else null; their scratch */
  private readonly fusedBeta: 0 | 1 | null;
  private readonly muBlocks: MuBlocks;
  /** CSR X: (WH) at its stored entries, the numerator's terms there, and those in CSC order */
  private readonly sampled: FloatArray;
  private readonly V: FloatArray;
  private readonly Vcsc: FloatArray;
  /** Σ|projected gradient| of the last HALS sweep of each factor */
  private readonly violation = { W: 0, H: 0 };
  /** MiniBatchNMF's steps and their state (minibatch-steps.ts) */
  readonly minibatch: CpuMiniBatchSteps;
  /** weighted NMF: the products and the loss over the observed entries only */
  private readonly weighted: WeightedTerms | null;
  /** solver 'pg': its subproblems use the product arrays (XHt, HHt, WtX, WtW) as scratch */
  readonly pg: CpuPgSteps;
  /** the fit's WASM memory; destroy() gives it back */
  private readonly ws: Workspace;
  /** 'cpu (float32)' for a float32 plan */
  readonly description?: string;

  constructor(p: FitProblem) {
    const m = (this.m = p.X.rows), n = (this.n = p.X.cols), k = (this.k = p.W.cols);
    this.beta = p.beta;
    this.state = new PlanState(p.beta, !p.updateH, !!p.weighted);
    const csr = isCsr(p.X) ? p.X : null;
    const nnz = csr ? csr.indptr[m] : 0;
    const sparseBeta = csr !== null && p.beta !== 2;
    // Dense blocks of WH: dense X (updates and losses), and β ∉ {1, 2} (denominators, Σ (WH)^β)
    const blocks = !csr || (p.beta !== 1 && p.beta !== 2);
    this.blockRows = Math.max(1, Math.min(m, Math.floor(BLOCK_DOUBLES / n)));
    const b = blocks ? this.blockRows * n : 0;
    // KL and IS with a dense X: whole blocks per thread (mu-blocks.ts) instead of each step split
    this.fusedBeta = !csr && !p.weighted && (p.beta === 1 || p.beta === 0) ? p.beta : null;
    // float32 X (scikit-learn's dtype rule): every array and kernel in float32
    const f = p.float32 ? 'f32' : 'f64';
    if (p.float32) this.description = 'cpu (float32)';
    const { ws, arrays: a } = allocateArrays({
      X: [f, csr ? 0 : m * n], W: [f, m * k], H: [f, k * n], Ht: [f, csr ? n * k : 0],
      XHt: [f, m * k], HHt: [f, k * k], Hsum: ['f64', k], WtX: [f, k * n], XtW: [f, csr ? n * k : 0], WtW: [f, k * k],
      numW: [f, m * k], denW: [f, m * k], numH: [f, k * n], denH: [f, k * n],
      WHb: [f, b], Vb: [f, csr || p.beta === 2 || this.fusedBeta !== null ? 0 : b], Db: [f, p.beta === 1 || p.beta === 2 || this.fusedBeta !== null ? 0 : b],
      ...(this.fusedBeta !== null ? muBlockSpecs(m, n, k, this.blockRows, p.beta, f) : { blocks: [f, 0], partialNum: [f, 0], partialDen: [f, 0] } as const),
      sampled: [f, sparseBeta ? nnz : 0], V: [f, sparseBeta ? nnz : 0], Vcsc: [f, sparseBeta ? nnz : 0],
      gram: [f, k * k], gram2: [f, k * k], order: ['i32', k], ...halsScratchSpecs(Math.max(m, n), k, f, plannedChunks()),
      ...sparseSpecs(csr, f),
    });
    this.ws = ws;
    this.sx = csr ? fillSparse(csr, a) : null;
    if (!csr) a.X.set((p.X as { data: Float64Array }).data);
    a.W.set(p.W.data);
    a.H.set(p.H.data);
    ({ X: this.X, W: this.W, H: this.H, Ht: this.Ht, XHt: this.XHt, HHt: this.HHt, Hsum: this.Hsum, WtX: this.WtX, XtW: this.XtW, WtW: this.WtW } = a);
    this.num = { W: a.numW, H: a.numH };
    this.den = { W: a.denW, H: a.denH };
    ({ WHb: this.WHb, Vb: this.Vb, Db: this.Db, sampled: this.sampled, V: this.V, Vcsc: this.Vcsc, gram: this.gram, gram2: this.gram2, order: this.order } = a);
    this.hals = { viol: a.viol, packed: a.packed, l1: a.l1 };
    this.muBlocks = { blocks: a.blocks, partialNum: a.partialNum, partialDen: a.partialDen };
    this.minibatch = new CpuMiniBatchSteps(
      {
        k, n, W: this.W, H: this.H,
        hTerms: () => {
          this.hTerms();
          return { num: this.num.H, den: this.den.H };
        },
        afterHUpdate: (step) => this.afterHUpdate(step),
      },
      p,
    );
    this.weighted = p.weighted ? new WeightedTerms(p.weighted, k, p.beta) : null;
    this.pg = new CpuPgSteps({
      m, n, k, W: this.W as Float64Array, H: this.H as Float64Array, XHt: this.XHt as Float64Array, HHt: this.HHt as Float64Array,
      WtX: this.WtX as Float64Array, WtW: this.WtW as Float64Array,
      // 'pg' changes W and H in place: every product it asks for is computed afresh
      hProducts: () => {
        this.hChanged();
        this.computeHProducts();
      },
      wProducts: () => this.computeWProducts('kn'),
    });
  }

  /** Hᵀ, for the sparse products, from the current H. */
  private refreshHt(): void {
    if (!this.sx || !this.state.stale('Ht')) return;
    transpose(this.H, this.Ht, this.k, this.n);
  }

  /** X·Hᵀ and H·Hᵀ for the current H. */
  private computeHProducts(): void {
    const { H, m, n, k, sx } = this;
    if (sx) {
      this.refreshHt();
      spmm(sx.csr, sx.csr.data, this.Ht, this.XHt, k);
    } else abt(this.X, H, this.XHt, m, n, k);
    abt(H, H, this.HHt, k, n, k);
  }

  /** H's row sums (KL's W denominator), unless known for this H. */
  private hRowSums(): void {
    if (!this.state.stale('Hsum')) return;
    const { H, n, k } = this;
    for (let r = 0; r < k; r++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += H[r * n + j];
      this.Hsum[r] = s;
    }
  }

  /** The H products, unless H is fixed and they are already known. */
  private hProducts(): void {
    if (this.state.stale('XHt', 'HHt')) this.computeHProducts();
  }

  /**
   * Wᵀ·W, and Wᵀ·X into WtX (k×n), or for CSR X with layout 'nk' into XtW (its transpose, n×k, as
   * the CSC product leaves it). Returns the array holding it.
   */
  private computeWProducts(layout: 'kn' | 'nk'): FloatArray {
    const { W, m, n, k, sx } = this;
    this.WtW.fill(0);
    atbAdd(W, W, this.WtW, m, k, k);
    if (sx) {
      spmm(sx.csc, sx.csc.data, W, this.XtW, k);
      if (layout === 'nk') return this.XtW;
      transpose(this.XtW, this.WtX, n, k);
    } else {
      this.WtX.fill(0);
      atbAdd(W, this.X, this.WtX, m, k, n);
    }
    return this.WtX;
  }

  /** H changed: its products and Hᵀ are stale. */
  private hChanged(): void {
    this.state.hChanged();
  }

  /**
   * CSR X: V = X ⊙ (WH)^(β−2) at its entries (WH sampled there as scikit-learn's _special_sparse_dot),
   * in CSR order, and in CSC order too when `csc`.
   */
  private sparseNumeratorTerms(csc: boolean): void {
    const sx = this.sx!;
    this.refreshHt();
    sampleDot(sx.csr, this.W, this.Ht, this.sampled, this.k);
    numeratorTerms(sx.csr.data, this.sampled, this.V, this.V.length, this.beta);
    if (csc) gather(sx.csc.perm, this.V, this.Vcsc, this.V.length);
  }

  /**
   * For rows i0 … i0+rows of X: WHb = that block of W·H, then the elementwise terms of the β ≠ 2
   * updates, Db = (WH)^(β−1) (β ≠ 1) and, for dense X, Vb = X ⊙ (WH)^(β−2) (CSR's are taken at its
   * entries), with scikit-learn's guards.
   */
  private blockTerms(i0: number, rows: number): void {
    const { beta, n, k, WHb } = this;
    const len = rows * n;
    ab(this.W.subarray(i0 * k, (i0 + rows) * k), this.H, WHb, rows, k, n);
    if (beta !== 1) denominatorTerms(WHb, this.Db, len, beta);
    if (!this.sx) numeratorTerms(this.X.subarray(i0 * n, i0 * n + len), WHb, this.Vb, len, beta);
  }

  muUpdateW(step: MuStep): void {
    const { m, k, n, W, beta } = this;
    const num = this.num.W, den = this.den.W;
    if (this.weighted) this.weighted.forW(W as Float64Array, this.H as Float64Array, num as Float64Array, den as Float64Array);
    else if (beta === 2) {
      this.hProducts();
      num.set(this.XHt);
      ab(W, this.HHt, den, m, k, k);
    } else {
      if (this.fusedBeta !== null) muTermsW(this.X, W, this.H, num, den, m, n, k, this.fusedBeta, this.blockRows, this.muBlocks);
      else this.blockProductsW(num, den);
      if (beta === 1) {
        this.hRowSums();
        for (let i = 0; i < m; i++) for (let r = 0; r < k; r++) den[i * k + r] = this.Hsum[r];
      }
    }
    applyUpdate(W, num, den, step);
    if (clipsAfterMu('W', beta) && step.clip !== false) zeroBelow(W, FLOAT64_EPS);
    // scikit-learn's cached-H-sum quirk (loss.ts), in place as scikit-learn does it
    const grow = this.state.afterMuW(step);
    if (grow > 0) for (let r = 0; r < k; r++) this.Hsum[r] += grow;
  }

  /** W's numerator (and denominator, β ≠ 1) for β ≠ 2 block by block, or at a CSR X's entries. */
  private blockProductsW(num: FloatArray, den: FloatArray): void {
    const { m, k, n, beta, sx } = this;
    if (sx) {
      this.sparseNumeratorTerms(false);
      spmm(sx.csr, this.V, this.Ht, num, k);
    }
    if (!sx || beta !== 1) {
      for (let i0 = 0; i0 < m; i0 += this.blockRows) {
        const rows = Math.min(this.blockRows, m - i0);
        this.blockTerms(i0, rows);
        if (!sx) abt(this.Vb, this.H, num.subarray(i0 * k, (i0 + rows) * k), rows, n, k);
        if (beta !== 1) abt(this.Db, this.H, den.subarray(i0 * k, (i0 + rows) * k), rows, n, k);
      }
    }
  }

  muUpdateH(step: MuStep): void {
    this.hTerms();
    applyUpdate(this.H, this.num.H, this.den.H, step);
    this.afterHUpdate(step);
  }

  /** H's clipping, and products of H are stale. */
  private afterHUpdate(step: MuStep): void {
    if (clipsAfterMu('H', this.beta) && step.clip !== false) zeroBelow(this.H, FLOAT64_EPS);
    this.hChanged();
  }

  /** num.H and den.H: the numerator and (unregularized) denominator of H's multiplicative update. */
  private hTerms(): void {
    const { m, k, n, W, H, beta } = this;
    const num = this.num.H, den = this.den.H;
    if (this.weighted) this.weighted.forH(W as Float64Array, H as Float64Array, num as Float64Array, den as Float64Array);
    else if (beta === 2) {
      num.set(this.computeWProducts('kn'));
      ab(this.WtW, H, den, k, k, n);
    } else {
      if (this.fusedBeta !== null) muTermsH(this.X, W, H, num, den, m, n, k, this.fusedBeta, this.blockRows, this.muBlocks);
      else this.blockProductsH(num, den);
      if (beta === 1) this.wColumnSums(den);
    }
  }

  /** H's numerator (and denominator, β ≠ 1) for β ≠ 2 block by block, or at a CSR X's entries. */
  private blockProductsH(num: FloatArray, den: FloatArray): void {
    const { m, k, n, W, beta, sx } = this;
    num.fill(0);
    den.fill(0);
    if (sx) {
      this.sparseNumeratorTerms(true);
      spmm(sx.csc, this.Vcsc, W, this.XtW, k);
      transpose(this.XtW, num, n, k);
    }
    if (!sx || beta !== 1) {
      for (let i0 = 0; i0 < m; i0 += this.blockRows) {
        const rows = Math.min(this.blockRows, m - i0);
        this.blockTerms(i0, rows);
        const Wb = W.subarray(i0 * k, (i0 + rows) * k);
        if (!sx) atbAdd(Wb, this.Vb, num, rows, k, n);
        if (beta !== 1) atbAdd(Wb, this.Db, den, rows, k, n);
      }
    }
  }

  /** KL's H denominator: row r of den is Σ_i W_ir, an empty column of W counting 1 (scikit-learn's W_sum guard). */
  private wColumnSums(den: FloatArray): void {
    const { m, n, k, W } = this;
    for (let r = 0; r < k; r++) {
      let s = 0;
      for (let i = 0; i < m; i++) s += W[i * k + r];
      den.fill(s === 0 ? 1 : s, r * n, (r + 1) * n);
    }
  }

  /** The sweep's Gram matrix: `M` with L2 added to its diagonal; and the component order. */
  private sweepInputs(M: FloatArray, step: HalsStep): void {
    this.gram.set(M);
    for (let r = 0; r < this.k; r++) this.gram[r * this.k + r] += step.l2;
    this.order.set(step.order);
  }

  halsSweepW(step: HalsStep): void {
    this.hProducts();
    const { m, k } = this;
    this.sweepInputs(this.HHt, step);
    this.violation.W = halsSweep(this.W, { ld: 0 }, this.XHt, { ld: 0 }, this.gram, this.order, m, k, step.l1, this.hals);
    this.state.halsSwept('W');
  }

  halsSweepH(step: HalsStep): void {
    const { k, n } = this;
    // CSR X: the CSC product's (n×k) layout as is; dense: Wᵀ·X (k×n) like H itself
    const layout = this.sx ? 'nk' : 'kn';
    const G = this.computeWProducts(layout);
    this.sweepInputs(this.WtW, step);
    this.violation.H = halsSweep(this.H, { ld: n }, G, { ld: layout === 'nk' ? 0 : n }, this.gram, this.order, n, k, step.l1, this.hals);
    this.state.halsSwept('H');
    this.hChanged();
  }

  snapshot(what: CheckScalar): Promise<number> {
    return readNow(this, what);
  }

  async lastViolation(): Promise<number> {
    const parts = this.state.violationParts;
    return parts.W ? (parts.H ? this.violation.W + this.violation.H : this.violation.W) : 0;
  }

  async reconstructionError(): Promise<number> {
    const { m, n, k, W, H, sx } = this;
    if (this.weighted) return errorFromDivergence(this.weighted.divergence(W as Float64Array, H as Float64Array));
    this.state.overwritten('Ht'); // 'pg' changes H in place
    const res = betaDivergence({
      rows: m, cols: n, k, beta: this.beta, W, H, dense: sx ? null : this.X, csr: sx?.csr ?? null, blockRows: this.blockRows,
      whRows: (i0, rows) => {
        ab(W.subarray(i0 * k, (i0 + rows) * k), H, this.WHb, rows, k, n);
        return this.WHb;
      },
      sampled: () => {
        this.refreshHt();
        sampleDot(sx!.csr, W, this.Ht, this.sampled, k);
        return this.sampled;
      },
      frobeniusTerms: () => {
        // fresh products in scratch ('pg' changes W and H in place); the cached H products stay
        const XHt = this.num.W, WtW = this.gram, HHt = this.gram2;
        this.refreshHt();
        spmm(sx!.csr, sx!.csr.data, this.Ht, XHt, k);
        WtW.fill(0);
        atbAdd(W, W, WtW, m, k, k);
        abt(H, H, HHt, k, n, k);
        let normWH = 0, cross = 0;
        for (let q = 0; q < k * k; q++) normWH += WtW[q] * HHt[q];
        for (let q = 0; q < m * k; q++) cross += XHt[q] * W[q];
        return { normWH, cross };
      },
    });
    return errorFromDivergence(res);
  }

  async read() {
    return { W: { rows: this.m, cols: this.k, data: this.W.slice() }, H: { rows: this.k, cols: this.n, data: this.H.slice() } };
  }

  destroy(): void {
    this.ws.destroy();
  }
}
