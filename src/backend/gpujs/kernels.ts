// The gpu.js kernels of the gpujs backend and KERNELS, the table the fit plan runs them by. Sources
// are JavaScript strings (gpu.js transpiles them to GLSL on WebGL2 and to WebAssembly on its webasm
// backend): strings rather than functions, so no bundler, minifier or coverage tool can rewrite a
// kernel body into syntax gpu.js does not read.
//
// Layouts (gpu.js indexes a 2-D value as a[row][col]; an output [cols, rows] has thread.x = col):
//   X  m × n            X[i][j]       (CSR X is densified: see fit-plan.ts)
//   W  m × (k+1)        W[i][r], r < k; column k holds the row's share of the HALS violation
//   H  (k+1) × n        H[r][j], r < k; row k holds the column's share of the HALS violation
//   XHt m × k, HHt k × k, Hsum k, WtX k × n, WtW k × k, Wsum k
//   WH, V, D  m × n     W·H and the β ≠ 2 elementwise terms of the MU numerator and denominator
// Loop bounds are gpu.js constants (m, n, k), fixed per fit, so every loop compiles to a fixed count.
//
// H's update is W's on transposed layouts (as scikit-learn's _update_coordinate_descent serves both),
// so those kernels are written once, over a Side that says where a factor's entries live. The side
// is applied to the source text, not branched on in the kernel: gpu.js's webasm backend compiles a
// branch on a constant as written, and its SIMD path runs 4 cells of thread.x at once, which is W's
// component and H's column, so the two sides differ anyway in which reads are one value for the
// quad and which are one per lane.

import { EPSILON, FLOAT64_EPS } from '../../numerics.js';

/** A fit's sizes and β: what a kernel's source, output and work depend on. */
export interface Problem {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly beta: number;
}

/** How the plan runs a kernel. */
export interface KernelSpec {
  readonly source: string;
  /** gpu.js's output size: [x] or [x, y], x being thread.x's range (a row's width) */
  readonly output: number[];
  /** multiply-adds per output cell, roughly (whether the kernel is worth gpu.js's worker pool) */
  readonly work: number;
  /** false: the host reads the output (a typed array); by default it stays a texture on WebGL2 */
  readonly pipeline?: false;
  /** takes host rows: never under the async contract, since the plan's constructor runs it */
  readonly upload?: true;
}

/** Literal for a float in kernel source (always with a decimal point or exponent, so GLSL reads a float). */
function lit(x: number): string {
  const s = String(x);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

const EPS = lit(EPSILON);
const F64EPS = lit(FLOAT64_EPS);

/** Where a factor's entries live, for the kernels written once for W and H. */
interface Side {
  /** its vectors, a loop bound: W's m rows, H's n columns */
  readonly vectors: 'm' | 'n';
  /** in an output of its layout, the thread that gives the component, and the one that gives the vector */
  readonly component: string;
  readonly vector: string;
  /** component r of vector v of a value in its layout (the factor, or a product like XHt or WtX) */
  at(F: string, r: string, v: string): string;
  /** entry of an m × n value (X, V, D) at this side's vector v and the other side's vector u */
  data(M: string, v: string, u: string): string;
  /** the output size of a value in its layout with c components */
  output(p: Problem, c: number): number[];
  /** loops over a value's k components in storage order (row by row), `body` seeing r and v */
  walk(body: string): string;
}

const W: Side = {
  vectors: 'm',
  component: 'this.thread.x',
  vector: 'this.thread.y',
  at: (F, r, v) => `${F}[${v}][${r}]`,
  data: (M, v, u) => `${M}[${v}][${u}]`,
  output: (p, c) => [c, p.m],
  walk: (body) => `
  for (let v = 0; v < this.constants.m; v++) {
    for (let r = 0; r < this.constants.k; r++) {${body}
    }
  }`,
};

const H: Side = {
  vectors: 'n',
  component: 'this.thread.y',
  vector: 'this.thread.x',
  at: (F, r, v) => `${F}[${r}][${v}]`,
  data: (M, v, u) => `${M}[${u}][${v}]`,
  output: (p, c) => [p.n, c],
  walk: (body) => `
  for (let r = 0; r < this.constants.k; r++) {
    for (let v = 0; v < this.constants.n; v++) {${body}
    }
  }`,
};

const other = (side: Side): Side => (side === W ? H : W);

/** Copies an array into the kernel's own storage (a texture on WebGL2). */
const COPY = `function (a) {
  return a[this.thread.y][this.thread.x];
}`;

/**
 * The term over u of M·Fᵀ (W's side) or Fᵀ·M (H's side) at component r of this side's vector v, F
 * being the other factor and M an m × n value. Written in the product's order, which puts the operand
 * that is the same for the 4 threads of a SIMD quad on the left: gpu.js's webasm runs that order
 * faster (MU's H step, G·H: 1.5× at 400 × 300, k = 10).
 */
function crossTerm(side: Side, M: string, F: string, r: string, v: string): string {
  const m = side.data(M, v, 'u'), f = other(side).at(F, r, 'u');
  return side === W ? `${m} * ${f}` : `${f} * ${m}`;
}

/** X·Hᵀ (W's side: XHt[i][r] = Σ_j X[i][j]·H[r][j]) or Wᵀ·X (H's side), in the side's layout; arguments in the product's order. */
function crossX(side: Side): string {
  return `function (${side === W ? 'X, F' : 'F, X'}) {
  let s = 0;
  for (let u = 0; u < this.constants.${other(side).vectors}; u++) {
    s += ${crossTerm(side, 'X', 'F', side.component, side.vector)};
  }
  return s;
}`;
}

/** A factor's Gram matrix, k × k: HHt[r][s] = Σ_j H[r][j]·H[s][j], WtW[r][s] = Σ_i W[i][r]·W[i][s]. */
function gramOf(side: Side): string {
  return `function (F) {
  let s = 0;
  for (let u = 0; u < this.constants.${side.vectors}; u++) {
    s += ${side.at('F', 'this.thread.y', 'u')} * ${side.at('F', 'this.thread.x', 'u')};
  }
  return s;
}`;
}

/** A factor's k sums over its vectors: Hsum[r] = Σ_j H[r][j], Wsum[r] = Σ_i W[i][r]. */
function sumsOf(side: Side): string {
  return `function (F) {
  let s = 0;
  for (let u = 0; u < this.constants.${side.vectors}; u++) {
    s += ${side.at('F', 'this.thread.x', 'u')};
  }
  return s;
}`;
}

/** WH[i][j] = Σ_r W[i][r]·H[r][j]; output [n, m]. */
const WH = `function (W, H) {
  let s = 0;
  for (let r = 0; r < this.constants.k; r++) {
    s += W[this.thread.y][r] * H[r][this.thread.x];
  }
  return s;
}`;

/**
 * A multiplicative update's denominator `d` as the update takes it (CPU: applyUpdate), for the entry
 * `value` of the factor: plus L1 and L2·value, an exact 0 becoming EPSILON.
 */
const regularizedDenominator = (value: string) => `
  if (l1 > 0) {
    d += l1;
  }
  if (l2 > 0) {
    d += l2 * ${value};
  }
  if (d == 0) {
    d = ${EPS};
  }`;

/**
 * The end of every multiplicative update: the denominator regularized, a ← a·(num/d)^γ; then, with
 * clip, entries below float64's eps become 0.
 */
const APPLY = `${regularizedDenominator('a')}
  const delta = num / d;
  let out = a * delta;
  if (gamma != 1) {
    out = a * Math.pow(delta, gamma);
  }
  if (clip > 0) {
    if (out < ${F64EPS}) {
      out = 0;
    }
  }
  return out;`;

/**
 * The multiplicative update of a factor F (written for W; H's is W's on transposes), in F's layout,
 * the violation component zeroed. O is the other factor, u runs over its vectors.
 *   β = 2: num = XHt (P), den = W·HHt (G, read in F's layout: H's is WtW·H, G on the left as in
 *          crossTerm), scikit-learn's trick;
 *   β = 1: num = V·Hᵀ, den = H's row sums; on W's side plus `shift` (scikit-learn's cached row sums
 *          gain L1 at every W step while H is fixed; see the CPU backend), on H's side an empty
 *          column's sum is 1 (scikit-learn's _multiplicative_update_h);
 *   else:  num = V·Hᵀ, den = D·Hᵀ.
 */
function mu(side: Side, beta: number): string {
  const o = other(side);
  const shifted = beta === 1 && side === W;
  const overO = (body: string) => `
  for (let u = 0; u < this.constants.${o.vectors}; u++) {${body}
  }`;
  let args: string, terms: string;
  if (beta === 2) {
    args = 'P, G';
    terms = `
  const num = ${side.at('P', 'r', 'v')};
  let d = 0;
  for (let q = 0; q < this.constants.k; q++) {
    d += ${side.at('G', 'r', 'q')} * ${side.at('F', 'q', 'v')};
  }`;
  } else if (beta === 1) {
    args = 'V, sums, O';
    terms = `
  let num = 0;${overO(`
    num += ${crossTerm(side, 'V', 'O', 'r', 'v')};`)}
  let d = sums[r]${shifted ? ' + shift' : ''};${shifted ? '' : `
  if (d == 0) {
    d = 1;
  }`}`;
  } else {
    args = 'V, D, O';
    terms = `
  let num = 0;
  let d = 0;${overO(`
    num += ${crossTerm(side, 'V', 'O', 'r', 'v')};
    d += ${crossTerm(side, 'D', 'O', 'r', 'v')};`)}`;
  }
  return `function (F, ${args}, l1, l2, gamma, clip${shifted ? ', shift' : ''}) {
  const r = ${side.component};
  const v = ${side.vector};
  if (r == this.constants.k) {
    return 0;
  }
  const a = ${side.at('F', 'r', 'v')};${terms}${APPLY}
}`;
}

/**
 * V = X ⊙ (WH)^(β−2), WH == 0 → EPSILON for β < 2 (scikit-learn's guard); zeros of X give 0 (as CSR
 * X's absent entries do, and as dense X's do wherever the power is finite). Output [n, m].
 */
function numeratorTerms(beta: number): string {
  const power = beta === 1 ? 'x / v' : beta === 0 ? '(1 / v) * (1 / v) * x' : `Math.pow(v, ${lit(beta - 2)}) * x`;
  return `function (X, WH) {
  const x = X[this.thread.y][this.thread.x];
  if (x == 0) {
    return 0;
  }
  let v = WH[this.thread.y][this.thread.x];${beta < 2 ? `
  if (v == 0) {
    v = ${EPS};
  }` : ''}
  return ${power};
}`;
}

/** D = (WH)^(β−1) (β ≠ 1), WH == 0 → EPSILON for β < 1. Output [n, m]. */
function denominatorTerms(beta: number): string {
  const power = beta === 0 ? '1 / v' : `Math.pow(v, ${lit(beta - 1)})`;
  return `function (WH) {
  let v = WH[this.thread.y][this.thread.x];${beta < 1 ? `
  if (v == 0) {
    v = ${EPS};
  }` : ''}
  return ${power};
}`;
}

/**
 * One component t of a HALS sweep of a factor F (scikit-learn's _update_cdnmf_fast, written for W;
 * its vectors are independent): grad = −(XHt − l1)[i][t] + Σ_r (HHt + l2·I)[t][r]·W[i][r],
 * W[i][t] ← max(W[i][t] − grad/hess, 0). Component k accumulates |projected gradient| over the sweep
 * (restarted when `first` is 1). P is XHt or WtX, G is HHt or WtW.
 */
function hals(side: Side): string {
  return `function (F, P, G, t, first, l1, l2) {
  const c = ${side.component};
  const v = ${side.vector};
  if (c != t) {
    if (c != this.constants.k) {
      return ${side.at('F', 'c', 'v')};
    }
  }
  let grad = l1 - ${side.at('P', 't', 'v')};
  for (let q = 0; q < this.constants.k; q++) {
    grad += G[t][q] * ${side.at('F', 'q', 'v')};
  }
  const f = ${side.at('F', 't', 'v')};
  grad += l2 * f;
  const hess = G[t][t] + l2;
  if (c == t) {
    if (hess != 0) {
      return Math.max(f - grad / hess, 0);
    }
    return f;
  }
  let pg = grad;
  if (f == 0) {
    pg = Math.min(0, grad);
  }
  let acc = Math.abs(pg);
  if (first == 0) {
    acc += ${side.at('F', 'this.constants.k', 'v')};
  }
  return acc;
}`;
}

/**
 * Per row i, Σ_j of the β-divergence's terms (scikit-learn's _beta_divergence, entry by entry): the
 * data terms only where X > EPSILON, WH == 0 → EPSILON there; Σ (WH)^β (β ∉ {0, 1, 2}) and Σ WH (β = 1)
 * over every entry. The host scales the total: /2 for β = 2, /(β(β−1)) for the general β. Output [m].
 */
function lossRows(beta: number): string {
  let body: string;
  if (beta === 2) {
    body = `
    const d = x - wh;
    s += d * d;`;
  } else if (beta === 1) {
    body = `
    s += wh;
    if (x > ${EPS}) {
      let v = wh;
      if (v == 0) {
        v = ${EPS};
      }
      s += x * Math.log(x / v) - x;
    }`;
  } else if (beta === 0) {
    body = `
    if (x > ${EPS}) {
      let v = wh;
      if (v == 0) {
        v = ${EPS};
      }
      const q = x / v;
      s += q - Math.log(q) - 1;
    } else {
      s -= 1;
    }`;
  } else {
    body = `
    s += Math.pow(wh, ${lit(beta)}) * ${lit(beta - 1)};
    if (x > ${EPS}) {
      let v = wh;
      if (v == 0) {
        v = ${EPS};
      }
      s += Math.pow(x, ${lit(beta)}) - ${lit(beta)} * x * Math.pow(v, ${lit(beta - 1)});
    }`;
  }
  return `function (X, W, H) {
  const i = this.thread.x;
  let s = 0;
  for (let j = 0; j < this.constants.n; j++) {
    let wh = 0;
    for (let r = 0; r < this.constants.k; r++) {
      wh += W[i][r] * H[r][j];
    }
    const x = X[i][j];${body}
  }
  return s;
}`;
}

/** Σ of a vector of m values; output [1] (one thread: the final reduction of a per-row sum). */
const SUM_ROWS = `function (v) {
  let s = 0;
  for (let i = 0; i < this.constants.m; i++) {
    s += v[i];
  }
  return s;
}`;

/** The HALS violation: Σ of W's column k, plus (withH) Σ of H's row k; output [1]. */
const VIOLATION = `function (W, H, withH) {
  let s = 0;
  for (let i = 0; i < this.constants.m; i++) {
    s += W[i][this.constants.k];
  }
  if (withH > 0) {
    for (let j = 0; j < this.constants.n; j++) {
      s += H[this.constants.k][j];
    }
  }
  return s;
}`;

// ---- MiniBatchNMF (scikit-learn's _minibatch_step): H's numerator and denominator as k × n values,
// then the running averages A, B and H = (A / B)^γ, each its own kernel (one output per kernel).

/** WtW·H (β = 2's denominator of H); output [n, k]. */
const WTW_H = `function (WtW, H) {
  let s = 0;
  for (let r = 0; r < this.constants.k; r++) {
    s += WtW[this.thread.y][r] * H[r][this.thread.x];
  }
  return s;
}`;

/** β = 1's denominator of H: W's column sums broadcast along the row, an empty column's set to 1; output [n, k]. */
const WSUM_ROWS = `function (Wsum) {
  let s = Wsum[this.thread.y];
  if (s == 0) {
    s = 1;
  }
  return s;
}`;

/** A ← ρA + num ⊙ H^(1/γ); output [n, k]. */
const AVG_A = `function (A, num, H, rho, gamma) {
  const r = this.thread.y;
  const j = this.thread.x;
  let h = H[r][j];
  if (gamma != 1) {
    h = Math.pow(h, 1 / gamma);
  }
  return A[r][j] * rho + num[r][j] * h;
}`;

/** B ← ρB + den, with L1, L2·H and the EPSILON guard as the MU update takes it (applyAveragedUpdate); output [n, k]. */
const AVG_B = `function (B, den, H, rho, l1, l2) {
  const r = this.thread.y;
  const j = this.thread.x;
  let d = den[r][j];
  const h = H[r][j];${regularizedDenominator('h')}
  return B[r][j] * rho + d;
}`;

/** H ← (A / B)^γ, then (clip) entries below float64's eps to 0; output [n, k+1], violation row zeroed. */
const AVG_H = `function (A, B, gamma, clip) {
  const r = this.thread.y;
  const j = this.thread.x;
  if (r == this.constants.k) {
    return 0;
  }
  const q = A[r][j] / B[r][j];
  let out = q;
  if (gamma != 1) {
    out = Math.pow(q, gamma);
  }
  if (clip > 0) {
    if (out < ${F64EPS}) {
      out = 0;
    }
  }
  return out;
}`;

/** W[W < eps] = 0 (float64's eps); output [k+1, m]. */
const CLIP_W = `function (W) {
  const w = W[this.thread.y][this.thread.x];
  if (this.thread.x < this.constants.k) {
    if (w < ${F64EPS}) {
      return 0;
    }
  }
  return w;
}`;

/** [Σ (F − P)², Σ F²] over a factor's k components; output [2]. */
function change(side: Side): string {
  return `function (F, P) {
  let s = 0;${side.walk(`
      const f = ${side.at('F', 'r', 'v')};
      if (this.thread.x == 0) {
        const d = f - ${side.at('P', 'r', 'v')};
        s += d * d;
      } else {
        s += f * f;
      }`)}
  return s;
}`;
}

/** [Σ W, Σ W², Σ H, Σ H²]; output [4]. */
const FACTOR_SUMS = `function (W, H) {
  let s = 0;
  if (this.thread.x < 2) {${W.walk(`
      const f = ${W.at('W', 'r', 'v')};
      if (this.thread.x == 0) {
        s += f;
      } else {
        s += f * f;
      }`)}
  } else {${H.walk(`
      const f = ${H.at('H', 'r', 'v')};
      if (this.thread.x == 2) {
        s += f;
      } else {
        s += f * f;
      }`)}
  }
  return s;
}`;

// ---- solver 'pg' (scikit-learn 0.18's projected gradient). A factor F is W (vectors: rows i, k
// entries W[i][r]) or H (vectors: columns j, k entries H[r][j]); its gradient ∇ (m × k or k × n)
// has F's layout without the violation component.

/** G = P + all·11ᵀ + diag·I (0.18's sparseness stacking as a change of the Gram matrix); output [k, k]. */
const GRAM = `function (P, diag, all) {
  let g = P[this.thread.y][this.thread.x] + all;
  if (this.thread.x == this.thread.y) {
    g += diag;
  }
  return g;
}`;

/** ∇W = W·G − C (+ l1 + l2·W), in F's layout (H's: G·H − C). */
function gradient(side: Side): string {
  return `function (F, G, C, l1, l2) {
  const r = ${side.component};
  const v = ${side.vector};
  let s = 0;
  for (let q = 0; q < this.constants.k; q++) {
    s += G[r][q] * ${side.at('F', 'q', 'v')};
  }
  return s - ${side.at('C', 'r', 'v')} + l1 + l2 * ${side.at('F', 'r', 'v')};
}`;
}

/** F_trial = max(F − γ·∇, 0) in F's layout, the violation component zeroed. */
function trial(side: Side): string {
  return `function (F, g, gamma) {
  if (${side.component} == this.constants.k) {
    return 0;
  }
  const v = F[this.thread.y][this.thread.x] - gamma * g[this.thread.y][this.thread.x];
  return Math.max(v, 0);
}`;
}

/**
 * Per-vector partial sums of a factor's gradient (stat 0: Σ ∇², 1: Σ ∇² where ∇ < 0 or F > 0, the
 * projected gradient's); output [2, vectors].
 */
function norms(side: Side): string {
  return `function (F, g) {
  const v = this.thread.y;
  let s = 0;
  for (let r = 0; r < this.constants.k; r++) {
    const d = ${side.at('g', 'r', 'v')};
    if (this.thread.x == 0) {
      s += d * d;
    } else {
      if (d < 0 || ${side.at('F', 'r', 'v')} > 0) {
        s += d * d;
      }
    }
  }
  return s;
}`;
}

/**
 * Per-vector partials of one line-search trial (F, its trial T, the compared P, ∇, G), d = T − F:
 * stat 0: ‖P[∇]‖², 1: ⟨∇, d⟩, 2: ⟨d, G·d⟩, 3: entries where T ≠ P; output [4, vectors].
 */
function trialStats(side: Side): string {
  return `function (F, T, P, g, G) {
  const v = this.thread.y;
  const stat = this.thread.x;
  let s = 0;
  for (let r = 0; r < this.constants.k; r++) {
    const f = ${side.at('F', 'r', 'v')};
    const t = ${side.at('T', 'r', 'v')};
    const d = ${side.at('g', 'r', 'v')};
    if (stat == 0) {
      if (d < 0 || f > 0) {
        s += d * d;
      }
    } else if (stat == 1) {
      s += d * (t - f);
    } else if (stat == 2) {
      let gd = 0;
      for (let q = 0; q < this.constants.k; q++) {
        gd += G[r][q] * (${side.at('T', 'q', 'v')} - ${side.at('F', 'q', 'v')});
      }
      s += gd * (t - f);
    } else {
      if (t != ${side.at('P', 'r', 'v')}) {
        s += 1;
      }
    }
  }
  return s;
}`;
}

/** Column sums of per-vector partials S (count × stats, count = m or n); output [stats]. */
function sumColumns(count: 'm' | 'n'): string {
  return `function (S) {
  let s = 0;
  for (let v = 0; v < this.constants.${count}; v++) {
    s += S[v][this.thread.x];
  }
  return s;
}`;
}

/** Multiply-adds per cell of a MU update: k for β = 2, a loop over the other factor's vectors otherwise (two sums for β ≠ 1). */
function muWork(side: Side, p: Problem): number {
  return p.beta === 2 ? p.k : (p.beta === 1 ? 1 : 2) * p[other(side).vectors];
}

/** Every kernel of the plan, by the name it runs it by; adding a kernel is adding an entry. */
const table = {
  // uploads of host rows, and copies
  copyX: (p) => ({ source: COPY, output: [p.n, p.m], work: 1, upload: true }),
  copyW: (p) => ({ source: COPY, output: W.output(p, p.k + 1), work: 1, upload: true }),
  copyH: (p) => ({ source: COPY, output: H.output(p, p.k + 1), work: 1, upload: true }),
  copyA: (p) => ({ source: COPY, output: H.output(p, p.k), work: 1, upload: true }),
  copyB: (p) => ({ source: COPY, output: H.output(p, p.k), work: 1, upload: true }),
  snapW: (p) => ({ source: COPY, output: W.output(p, p.k + 1), work: 1 }),
  snapXHt: (p) => ({ source: COPY, output: W.output(p, p.k), work: 1 }),
  // products of one factor, for the other's update
  xht: (p) => ({ source: crossX(W), output: W.output(p, p.k), work: p.n }),
  hht: (p) => ({ source: gramOf(H), output: [p.k, p.k], work: p.n }),
  hsum: (p) => ({ source: sumsOf(H), output: [p.k], work: p.n }),
  wtx: (p) => ({ source: crossX(H), output: H.output(p, p.k), work: p.m }),
  wtw: (p) => ({ source: gramOf(W), output: [p.k, p.k], work: p.m }),
  wsum: (p) => ({ source: sumsOf(W), output: [p.k], work: p.m }),
  // β ≠ 2: W·H and its elementwise terms
  wh: (p) => ({ source: WH, output: [p.n, p.m], work: p.k }),
  num: (p) => ({ source: numeratorTerms(p.beta), output: [p.n, p.m], work: 1 }),
  den: (p) => ({ source: denominatorTerms(p.beta), output: [p.n, p.m], work: 1 }),
  // the updates, the violation and the loss
  muW: (p) => ({ source: mu(W, p.beta), output: W.output(p, p.k + 1), work: muWork(W, p) }),
  muH: (p) => ({ source: mu(H, p.beta), output: H.output(p, p.k + 1), work: muWork(H, p) }),
  halsW: (p) => ({ source: hals(W), output: W.output(p, p.k + 1), work: p.k }),
  halsH: (p) => ({ source: hals(H), output: H.output(p, p.k + 1), work: p.k }),
  violation: (p) => ({ source: VIOLATION, output: [1], work: p.m + p.n, pipeline: false }),
  lossRows: (p) => ({ source: lossRows(p.beta), output: [p.m], work: p.n * p.k }),
  sumRows: (p) => ({ source: SUM_ROWS, output: [1], work: p.m, pipeline: false }),
  // MiniBatchNMF: H's numerator Wᵀ·V and denominator (β = 2: WtW·H, β = 1: W's column sums, else Wᵀ·D)
  numH: (p) => ({ source: crossX(H), output: H.output(p, p.k), work: p.m }),
  denH: (p) => {
    const [source, work] = p.beta === 2 ? [WTW_H, p.k] : p.beta === 1 ? [WSUM_ROWS, 1] : [crossX(H), p.m];
    return { source, output: H.output(p, p.k), work };
  },
  avgA: (p) => ({ source: AVG_A, output: H.output(p, p.k), work: 1 }),
  avgB: (p) => ({ source: AVG_B, output: H.output(p, p.k), work: 1 }),
  avgH: (p) => ({ source: AVG_H, output: H.output(p, p.k + 1), work: 1 }),
  clipW: (p) => ({ source: CLIP_W, output: W.output(p, p.k + 1), work: 1 }),
  changeW: (p) => ({ source: change(W), output: [2], work: p.m * p.k, pipeline: false }),
  changeH: (p) => ({ source: change(H), output: [2], work: p.n * p.k, pipeline: false }),
  factorSums: (p) => ({ source: FACTOR_SUMS, output: [4], work: (p.m + p.n) * p.k, pipeline: false }),
  // solver 'pg'
  gram: (p) => ({ source: GRAM, output: [p.k, p.k], work: 1 }),
  gradW: (p) => ({ source: gradient(W), output: W.output(p, p.k), work: p.k }),
  gradH: (p) => ({ source: gradient(H), output: H.output(p, p.k), work: p.k }),
  trialW: (p) => ({ source: trial(W), output: W.output(p, p.k + 1), work: 1 }),
  trialH: (p) => ({ source: trial(H), output: H.output(p, p.k + 1), work: 1 }),
  normsW: (p) => ({ source: norms(W), output: [2, p.m], work: p.k }),
  normsH: (p) => ({ source: norms(H), output: [2, p.n], work: p.k }),
  statsW: (p) => ({ source: trialStats(W), output: [4, p.m], work: p.k * p.k }),
  statsH: (p) => ({ source: trialStats(H), output: [4, p.n], work: p.k * p.k }),
  sum2m: (p) => ({ source: sumColumns('m'), output: [2], work: p.m, pipeline: false }),
  sum2n: (p) => ({ source: sumColumns('n'), output: [2], work: p.n, pipeline: false }),
  sum4m: (p) => ({ source: sumColumns('m'), output: [4], work: p.m, pipeline: false }),
  sum4n: (p) => ({ source: sumColumns('n'), output: [4], work: p.n, pipeline: false }),
} satisfies Record<string, (p: Problem) => KernelSpec>;

export type KernelName = keyof typeof table;

export const KERNELS: Readonly<Record<KernelName, (p: Problem) => KernelSpec>> = table;
