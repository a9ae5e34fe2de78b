// The 'pg' steps (scikit-learn 0.18's projected gradient) on the CPU, float64. The factor being
// solved is read in place through strides, so the W subproblem (scikit-learn's subproblem on Xᵀ,
// Hᵀ, Wᵀ) is the H subproblem with other strides, and no transpose is ever made:
//   W (m×k): vector i is row i, entries W[i·k + r]      (count m, vector stride k, entry stride 1)
//   H (k×n): vector j is column j, entries H[r·n + j]   (count n, vector stride 1, entry stride n)
// The cross product C (XHᵀ for W, WᵀX for H) and the gradient share the factor's layout.

import type { PgSteps, PgSubproblem, PgTrial } from '../backend.js';

/** The plan's arrays the steps read and write (W, H updated in place; the product arrays as scratch). */
export interface PgPlanArrays {
  m: number;
  n: number;
  k: number;
  W: Float64Array;
  H: Float64Array;
  /** m×k, k×k, k×n, k×k: X·Hᵀ, H·Hᵀ, Wᵀ·X, Wᵀ·W, as the plan's products leave them */
  XHt: Float64Array;
  HHt: Float64Array;
  WtX: Float64Array;
  WtW: Float64Array;
  /** computes X·Hᵀ and H·Hᵀ for the current H (the plan's kernels, dense or CSR X) */
  hProducts(): void;
  /** computes Wᵀ·X and Wᵀ·W for the current W */
  wProducts(): void;
}

interface Layout {
  F: Float64Array;
  grad: Float64Array;
  C: Float64Array;
  count: number;
  vStride: number;
  rStride: number;
}

export class CpuPgSteps implements PgSteps {
  private readonly gradW: Float64Array;
  private readonly gradH: Float64Array;
  /** G of the current subproblem (k×k, symmetric) */
  private readonly G: Float64Array;
  private trialF: Float64Array;
  private previousF: Float64Array;
  private sub: PgSubproblem | null = null;
  private layout: Layout | null = null;
  private projGradNormSq = 0;

  constructor(private readonly a: PgPlanArrays) {
    const { m, n, k } = a;
    this.gradW = new Float64Array(m * k);
    this.gradH = new Float64Array(k * n);
    this.G = new Float64Array(k * k);
    this.trialF = new Float64Array(Math.max(m, n) * k);
    this.previousF = new Float64Array(Math.max(m, n) * k);
  }

  async prepare(): Promise<void> {}

  private hProducts(): void {
    this.a.hProducts();
  }

  private wProducts(): void {
    this.a.wProducts();
  }

  private layoutOf(factor: 'W' | 'H'): Layout {
    const { m, n, k } = this.a;
    return factor === 'W'
      ? { F: this.a.W, grad: this.gradW, C: this.a.XHt, count: m, vStride: k, rStride: 1 }
      : { F: this.a.H, grad: this.gradH, C: this.a.WtX, count: n, vStride: 1, rStride: n };
  }

  async initialGradients(): Promise<number> {
    this.hProducts();
    this.wProducts();
    const { k } = this.a;
    let total = 0;
    for (const [factor, G] of [['W', this.a.HHt], ['H', this.a.WtW]] as const) {
      const L = this.layoutOf(factor);
      total += gradientInto(L, G, k, 0, 0);
    }
    return total;
  }

  async projectedGradientNormSq(): Promise<number> {
    let total = 0;
    for (const factor of ['W', 'H'] as const) {
      const { F, grad } = this.layoutOf(factor);
      let s = 0;
      for (let q = 0; q < F.length; q++) {
        const g = grad[q];
        if (g < 0 || F[q] > 0) s += g * g;
      }
      total += s;
    }
    return total;
  }

  begin(sub: PgSubproblem): void {
    const { k } = this.a;
    if (sub.factor === 'W') this.hProducts();
    else this.wProducts();
    this.G.set(sub.factor === 'W' ? this.a.HHt : this.a.WtW);
    if (sub.gramAll !== 0) for (let q = 0; q < k * k; q++) this.G[q] += sub.gramAll;
    if (sub.gramDiag !== 0) for (let r = 0; r < k; r++) this.G[r * k + r] += sub.gramDiag;
    this.sub = sub;
    this.layout = this.layoutOf(sub.factor);
  }

  private current(): { sub: PgSubproblem; L: Layout } {
    if (!this.sub || !this.layout) throw new Error('pg: begin() must start a subproblem first');
    return { sub: this.sub, L: this.layout };
  }

  gradient(): void {
    const { sub, L } = this.current();
    gradientInto(L, this.G, this.a.k, sub.l1, sub.l2);
    const { F, grad } = L;
    let s = 0;
    for (let q = 0; q < F.length; q++) {
      const g = grad[q];
      if (g < 0 || F[q] > 0) s += g * g;
    }
    this.projGradNormSq = s;
  }

  async trial(gamma: number, compare: 'current' | 'previous'): Promise<PgTrial> {
    const { L } = this.current();
    const { F, grad, count, vStride, rStride } = L;
    const { k } = this.a;
    const Ft = this.trialF, Fc = compare === 'current' ? F : this.previousF;
    const G = this.G;
    const len = F.length;
    let gradd = 0;
    let unchanged = true;
    for (let q = 0; q < len; q++) {
      const v = F[q] - gamma * grad[q];
      const t = v > 0 ? v : 0;
      Ft[q] = t;
      gradd += grad[q] * (t - F[q]);
      if (t !== Fc[q]) unchanged = false;
    }
    // ⟨d, G·d⟩ summed over the vectors of F
    const d = new Float64Array(k);
    let dQd = 0;
    for (let v = 0; v < count; v++) {
      const o = v * vStride;
      for (let r = 0; r < k; r++) d[r] = Ft[o + r * rStride] - F[o + r * rStride];
      for (let r = 0; r < k; r++) {
        let gd = 0;
        for (let s = 0; s < k; s++) gd += G[r * k + s] * d[s];
        dQd += gd * d[r];
      }
    }
    return { projGradNormSq: this.projGradNormSq, gradd, dQd, unchanged };
  }

  accept(which: 'trial' | 'previous'): void {
    const { F } = this.current().L;
    F.set((which === 'trial' ? this.trialF : this.previousF).subarray(0, F.length));
  }

  keepTrial(): void {
    [this.previousF, this.trialF] = [this.trialF, this.previousF];
  }
}

/** grad ← G·F − C (+ l1 + l2·F), vector by vector in F's layout; returns ‖grad‖². */
function gradientInto(L: Layout, G: Float64Array, k: number, l1: number, l2: number): number {
  const { F, grad, C, count, vStride, rStride } = L;
  const penalty = l1 !== 0 || l2 !== 0;
  let total = 0;
  for (let v = 0; v < count; v++) {
    const o = v * vStride;
    for (let r = 0; r < k; r++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += G[r * k + t] * F[o + t * rStride];
      const q = o + r * rStride;
      let g = s - C[q];
      if (penalty) g += l1 + l2 * F[q];
      grad[q] = g;
      total += g * g;
    }
  }
  return total;
}
