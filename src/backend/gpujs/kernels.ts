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

/** Copies an array into the kernel's own storage (a texture on WebGL2). */
const COPY = `function (a) {
  return a[this.thread.y][this.thread.x];
}`;

/** XHt[i][r] = Σ_j X[i][j]·H[r][j]; output [k, m]. */
const XHT = `function (X, H) {
  let s = 0;
  for (let j = 0; j < this.constants.n; j++) {
    s += X[this.thread.y][j] * H[this.thread.x][j];
  }
  return s;
}`;

/** HHt[r][s] = Σ_j H[r][j]·H[s][j]; output [k, k]. */
const HHT = `function (H) {
  let s = 0;
  for (let j = 0; j < this.constants.n; j++) {
    s += H[this.thread.y][j] * H[this.thread.x][j];
  }
  return s;
}`;

/** Hsum[r] = Σ_j H[r][j]; output [k]. */
const HSUM = `function (H) {
  let s = 0;
  for (let j = 0; j < this.constants.n; j++) {
    s += H[this.thread.x][j];
  }
  return s;
}`;

/** WtX[r][j] = Σ_i W[i][r]·X[i][j]; output [n, k]. */
const WTX = `function (W, X) {
  let s = 0;
  for (let i = 0; i < this.constants.m; i++) {
    s += W[i][this.thread.y] * X[i][this.thread.x];
  }
  return s;
}`;

/** WtW[r][s] = Σ_i W[i][r]·W[i][s]; output [k, k]. */
const WTW = `function (W) {
  let s = 0;
  for (let i = 0; i < this.constants.m; i++) {
    s += W[i][this.thread.y] * W[i][this.thread.x];
  }
  return s;
}`;

/** Wsum[r] = Σ_i W[i][r]; output [k]. */
const WSUM = `function (W) {
  let s = 0;
  for (let i = 0; i < this.constants.m; i++) {
    s += W[i][this.thread.x];
  }
  return s;
}`;

/** WH[i][j] = Σ_r W[i][r]·H[r][j]; output [n, m]. */
const WH = `function (W, H) {
  let s = 0;
  for (let r = 0; r < this.constants.k; r++) {
    s += W[this.thread.y][r] * H[r][this.thread.x];
  }
  return s;
}`;

/**
 * The end of every multiplicative update (CPU: applyUpdate): the denominator `d` gets L1 and L2·a,
 * an exact 0 becomes EPSILON, a ← a·(num/d)^γ; then, with clip, entries below float64's eps become 0.
 */
const APPLY = `
  if (l1 > 0) {
    d += l1;
  }
  if (l2 > 0) {
    d += l2 * a;
  }
  if (d == 0) {
    d = ${EPS};
  }
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

/** β = 2, W: num = XHt, den = W·HHt (scikit-learn's trick); output [k+1, m], violation column zeroed. */
const MU_W_FRO = `function (W, XHt, HHt, l1, l2, gamma, clip) {
  const i = this.thread.y;
  const r = this.thread.x;
  if (r == this.constants.k) {
    return 0;
  }
  const a = W[i][r];
  const num = XHt[i][r];
  let d = 0;
  for (let s = 0; s < this.constants.k; s++) {
    d += W[i][s] * HHt[s][r];
  }${APPLY}
}`;

/** β = 2, H: num = WtX, den = WtW·H; output [n, k+1], violation row zeroed. */
const MU_H_FRO = `function (H, WtX, WtW, l1, l2, gamma, clip) {
  const r = this.thread.y;
  const j = this.thread.x;
  if (r == this.constants.k) {
    return 0;
  }
  const a = H[r][j];
  const num = WtX[r][j];
  let d = 0;
  for (let s = 0; s < this.constants.k; s++) {
    d += WtW[r][s] * H[s][j];
  }${APPLY}
}`;

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

/** β ≠ 2, W: num = V·Hᵀ, den = D·Hᵀ; output [k+1, m]. */
const MU_W_BETA = `function (W, V, D, H, l1, l2, gamma, clip) {
  const i = this.thread.y;
  const r = this.thread.x;
  if (r == this.constants.k) {
    return 0;
  }
  const a = W[i][r];
  let num = 0;
  let d = 0;
  for (let j = 0; j < this.constants.n; j++) {
    num += V[i][j] * H[r][j];
    d += D[i][j] * H[r][j];
  }${APPLY}
}`;

/**
 * β = 1, W: num = V·Hᵀ, den = H's row sums (plus `shift`: scikit-learn's cached row sums gain L1 at
 * every W step while H is fixed; see the CPU backend); output [k+1, m].
 */
const MU_W_KL = `function (W, V, Hsum, H, l1, l2, gamma, clip, shift) {
  const i = this.thread.y;
  const r = this.thread.x;
  if (r == this.constants.k) {
    return 0;
  }
  const a = W[i][r];
  let num = 0;
  for (let j = 0; j < this.constants.n; j++) {
    num += V[i][j] * H[r][j];
  }
  let d = Hsum[r] + shift;${APPLY}
}`;

/** β ≠ 2, H: num = Wᵀ·V, den = Wᵀ·D; output [n, k+1]. */
const MU_H_BETA = `function (H, V, D, W, l1, l2, gamma, clip) {
  const r = this.thread.y;
  const j = this.thread.x;
  if (r == this.constants.k) {
    return 0;
  }
  const a = H[r][j];
  let num = 0;
  let d = 0;
  for (let i = 0; i < this.constants.m; i++) {
    num += W[i][r] * V[i][j];
    d += W[i][r] * D[i][j];
  }${APPLY}
}`;

/** β = 1, H: num = Wᵀ·V, den = W's column sums, an empty column's set to 1; output [n, k+1]. */
const MU_H_KL = `function (H, V, Wsum, W, l1, l2, gamma, clip) {
  const r = this.thread.y;
  const j = this.thread.x;
  if (r == this.constants.k) {
    return 0;
  }
  const a = H[r][j];
  let num = 0;
  for (let i = 0; i < this.constants.m; i++) {
    num += W[i][r] * V[i][j];
  }
  let d = Wsum[r];
  if (d == 0) {
    d = 1;
  }${APPLY}
}`;

/**
 * One component t of a HALS sweep of W (scikit-learn's _update_cdnmf_fast; rows are independent):
 * grad = −(XHt − l1)[i][t] + Σ_r (HHt + l2·I)[t][r]·W[i][r], W[i][t] ← max(W[i][t] − grad/hess, 0).
 * Column k accumulates |projected gradient| over the sweep (restarted when `first` is 1). Output [k+1, m].
 */
const HALS_W = `function (W, XHt, HHt, t, first, l1, l2) {
  const i = this.thread.y;
  const c = this.thread.x;
  if (c != t) {
    if (c != this.constants.k) {
      return W[i][c];
    }
  }
  let grad = l1 - XHt[i][t];
  for (let r = 0; r < this.constants.k; r++) {
    grad += HHt[t][r] * W[i][r];
  }
  const w = W[i][t];
  grad += l2 * w;
  const hess = HHt[t][t] + l2;
  if (c == t) {
    if (hess != 0) {
      return Math.max(w - grad / hess, 0);
    }
    return w;
  }
  let pg = grad;
  if (w == 0) {
    pg = Math.min(0, grad);
  }
  let acc = Math.abs(pg);
  if (first == 0) {
    acc += W[i][this.constants.k];
  }
  return acc;
}`;

/** One component t of a HALS sweep of H (columns are independent); row k accumulates the violation. Output [n, k+1]. */
const HALS_H = `function (H, WtX, WtW, t, first, l1, l2) {
  const r = this.thread.y;
  const j = this.thread.x;
  if (r != t) {
    if (r != this.constants.k) {
      return H[r][j];
    }
  }
  let grad = l1 - WtX[t][j];
  for (let s = 0; s < this.constants.k; s++) {
    grad += WtW[t][s] * H[s][j];
  }
  const h = H[t][j];
  grad += l2 * h;
  const hess = WtW[t][t] + l2;
  if (r == t) {
    if (hess != 0) {
      return Math.max(h - grad / hess, 0);
    }
    return h;
  }
  let pg = grad;
  if (h == 0) {
    pg = Math.min(0, grad);
  }
  let acc = Math.abs(pg);
  if (first == 0) {
    acc += H[this.constants.k][j];
  }
  return acc;
}`;

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

/** Wᵀ·M for an m × n M (V or D): out[r][j] = Σ_i W[i][r]·M[i][j]; output [n, k]. */
const WT_M = `function (W, M) {
  let s = 0;
  for (let i = 0; i < this.constants.m; i++) {
    s += W[i][this.thread.y] * M[i][this.thread.x];
  }
  return s;
}`;

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

/** The denominator with L1, L2·H and the EPSILON guard, as the MU update takes it (applyAveragedUpdate). */
const REGULARIZED_DEN = `
  let d = den[r][j];
  const h = H[r][j];
  if (l1 > 0) {
    d += l1;
  }
  if (l2 > 0) {
    d += l2 * h;
  }
  if (d == 0) {
    d = ${EPS};
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

/** B ← ρB + den (regularized, guarded); output [n, k]. */
const AVG_B = `function (B, den, H, rho, l1, l2) {
  const r = this.thread.y;
  const j = this.thread.x;${REGULARIZED_DEN}
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

/** [Σ (W − P)², Σ W²] over W's k columns; output [2]. */
const CHANGE_W = `function (W, P) {
  let s = 0;
  for (let i = 0; i < this.constants.m; i++) {
    for (let r = 0; r < this.constants.k; r++) {
      const w = W[i][r];
      if (this.thread.x == 0) {
        const d = w - P[i][r];
        s += d * d;
      } else {
        s += w * w;
      }
    }
  }
  return s;
}`;

/** [Σ (H − P)², Σ H²] over H's k rows; output [2]. */
const CHANGE_H = `function (H, P) {
  let s = 0;
  for (let r = 0; r < this.constants.k; r++) {
    for (let j = 0; j < this.constants.n; j++) {
      const h = H[r][j];
      if (this.thread.x == 0) {
        const d = h - P[r][j];
        s += d * d;
      } else {
        s += h * h;
      }
    }
  }
  return s;
}`;

/** [Σ W, Σ W², Σ H, Σ H²]; output [4]. */
const FACTOR_SUMS = `function (W, H) {
  let s = 0;
  if (this.thread.x < 2) {
    for (let i = 0; i < this.constants.m; i++) {
      for (let r = 0; r < this.constants.k; r++) {
        const w = W[i][r];
        if (this.thread.x == 0) {
          s += w;
        } else {
          s += w * w;
        }
      }
    }
  } else {
    for (let r = 0; r < this.constants.k; r++) {
      for (let j = 0; j < this.constants.n; j++) {
        const h = H[r][j];
        if (this.thread.x == 2) {
          s += h;
        } else {
          s += h * h;
        }
      }
    }
  }
  return s;
}`;

// ---- solver 'pg' (scikit-learn 0.18's projected gradient). A factor F is W (vectors: rows i, k
// entries W[i][r]) or H (vectors: columns j, k entries H[r][j]); its gradient ∇ (k × n or m × k)
// has F's layout without the violation column/row.

/** G = P + all·11ᵀ + diag·I (0.18's sparseness stacking as a change of the Gram matrix); output [k, k]. */
const GRAM = `function (P, diag, all) {
  let g = P[this.thread.y][this.thread.x] + all;
  if (this.thread.x == this.thread.y) {
    g += diag;
  }
  return g;
}`;

/** ∇W = W·G − C (+ l1 + l2·W); output [k, m]. */
const GRAD_W = `function (W, G, C, l1, l2) {
  const i = this.thread.y;
  const r = this.thread.x;
  let s = 0;
  for (let t = 0; t < this.constants.k; t++) {
    s += G[r][t] * W[i][t];
  }
  return s - C[i][r] + l1 + l2 * W[i][r];
}`;

/** ∇H = G·H − C (+ l1 + l2·H); output [n, k]. */
const GRAD_H = `function (H, G, C, l1, l2) {
  const r = this.thread.y;
  const j = this.thread.x;
  let s = 0;
  for (let t = 0; t < this.constants.k; t++) {
    s += G[r][t] * H[t][j];
  }
  return s - C[r][j] + l1 + l2 * H[r][j];
}`;

/** F_trial = max(F − γ·∇, 0) in W's layout; output [k+1, m] (violation column zeroed). */
const TRIAL_W = `function (F, g, gamma) {
  if (this.thread.x == this.constants.k) {
    return 0;
  }
  const v = F[this.thread.y][this.thread.x] - gamma * g[this.thread.y][this.thread.x];
  return Math.max(v, 0);
}`;

/** F_trial = max(F − γ·∇, 0) in H's layout; output [n, k+1]. */
const TRIAL_H = `function (F, g, gamma) {
  if (this.thread.y == this.constants.k) {
    return 0;
  }
  const v = F[this.thread.y][this.thread.x] - gamma * g[this.thread.y][this.thread.x];
  return Math.max(v, 0);
}`;

/**
 * Per-vector partial sums of a factor's gradient (stat 0: Σ ∇², 1: Σ ∇² where ∇ < 0 or F > 0, the
 * projected gradient's); W's vectors; output [2, m].
 */
const NORMS_W = `function (F, g) {
  const i = this.thread.y;
  let s = 0;
  for (let r = 0; r < this.constants.k; r++) {
    const d = g[i][r];
    if (this.thread.x == 0) {
      s += d * d;
    } else {
      if (d < 0 || F[i][r] > 0) {
        s += d * d;
      }
    }
  }
  return s;
}`;

/** Likewise for H's vectors (columns); output [2, n]. */
const NORMS_H = `function (F, g) {
  const j = this.thread.y;
  let s = 0;
  for (let r = 0; r < this.constants.k; r++) {
    const d = g[r][j];
    if (this.thread.x == 0) {
      s += d * d;
    } else {
      if (d < 0 || F[r][j] > 0) {
        s += d * d;
      }
    }
  }
  return s;
}`;

/**
 * Per-vector partials of one line-search trial (F, its trial T, the compared P, ∇, G), d = T − F:
 * stat 0: ‖P[∇]‖², 1: ⟨∇, d⟩, 2: ⟨d, G·d⟩, 3: entries where T ≠ P. W's vectors; output [4, m].
 */
const TRIAL_STATS_W = `function (F, T, P, g, G) {
  const i = this.thread.y;
  const stat = this.thread.x;
  let s = 0;
  for (let r = 0; r < this.constants.k; r++) {
    const f = F[i][r];
    const t = T[i][r];
    const d = g[i][r];
    if (stat == 0) {
      if (d < 0 || f > 0) {
        s += d * d;
      }
    } else if (stat == 1) {
      s += d * (t - f);
    } else if (stat == 2) {
      let gd = 0;
      for (let q = 0; q < this.constants.k; q++) {
        gd += G[r][q] * (T[i][q] - F[i][q]);
      }
      s += gd * (t - f);
    } else {
      if (t != P[i][r]) {
        s += 1;
      }
    }
  }
  return s;
}`;

/** Likewise for H's vectors (columns); output [4, n]. */
const TRIAL_STATS_H = `function (F, T, P, g, G) {
  const j = this.thread.y;
  const stat = this.thread.x;
  let s = 0;
  for (let r = 0; r < this.constants.k; r++) {
    const f = F[r][j];
    const t = T[r][j];
    const d = g[r][j];
    if (stat == 0) {
      if (d < 0 || f > 0) {
        s += d * d;
      }
    } else if (stat == 1) {
      s += d * (t - f);
    } else if (stat == 2) {
      let gd = 0;
      for (let q = 0; q < this.constants.k; q++) {
        gd += G[r][q] * (T[q][j] - F[q][j]);
      }
      s += gd * (t - f);
    } else {
      if (t != P[r][j]) {
        s += 1;
      }
    }
  }
  return s;
}`;

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

/** Every kernel of the plan, by the name it runs it by; adding a kernel is adding an entry. */
const table = {
  // uploads of host rows, and copies
  copyX: (p) => ({ source: COPY, output: [p.n, p.m], work: 1, upload: true }),
  copyW: (p) => ({ source: COPY, output: [p.k + 1, p.m], work: 1, upload: true }),
  copyH: (p) => ({ source: COPY, output: [p.n, p.k + 1], work: 1, upload: true }),
  copyA: (p) => ({ source: COPY, output: [p.n, p.k], work: 1, upload: true }),
  copyB: (p) => ({ source: COPY, output: [p.n, p.k], work: 1, upload: true }),
  snapW: (p) => ({ source: COPY, output: [p.k + 1, p.m], work: 1 }),
  snapXHt: (p) => ({ source: COPY, output: [p.k, p.m], work: 1 }),
  // products of one factor, for the other's update
  xht: (p) => ({ source: XHT, output: [p.k, p.m], work: p.n }),
  hht: (p) => ({ source: HHT, output: [p.k, p.k], work: p.n }),
  hsum: (p) => ({ source: HSUM, output: [p.k], work: p.n }),
  wtx: (p) => ({ source: WTX, output: [p.n, p.k], work: p.m }),
  wtw: (p) => ({ source: WTW, output: [p.k, p.k], work: p.m }),
  wsum: (p) => ({ source: WSUM, output: [p.k], work: p.m }),
  // β ≠ 2: W·H and its elementwise terms
  wh: (p) => ({ source: WH, output: [p.n, p.m], work: p.k }),
  num: (p) => ({ source: numeratorTerms(p.beta), output: [p.n, p.m], work: 1 }),
  den: (p) => ({ source: denominatorTerms(p.beta), output: [p.n, p.m], work: 1 }),
  // the updates, the violation and the loss
  muW: (p) => {
    const [source, work] = p.beta === 2 ? [MU_W_FRO, p.k] : p.beta === 1 ? [MU_W_KL, p.n] : [MU_W_BETA, 2 * p.n];
    return { source, output: [p.k + 1, p.m], work };
  },
  muH: (p) => {
    const [source, work] = p.beta === 2 ? [MU_H_FRO, p.k] : p.beta === 1 ? [MU_H_KL, p.m] : [MU_H_BETA, 2 * p.m];
    return { source, output: [p.n, p.k + 1], work };
  },
  halsW: (p) => ({ source: HALS_W, output: [p.k + 1, p.m], work: p.k }),
  halsH: (p) => ({ source: HALS_H, output: [p.n, p.k + 1], work: p.k }),
  violation: (p) => ({ source: VIOLATION, output: [1], work: p.m + p.n, pipeline: false }),
  lossRows: (p) => ({ source: lossRows(p.beta), output: [p.m], work: p.n * p.k }),
  sumRows: (p) => ({ source: SUM_ROWS, output: [1], work: p.m, pipeline: false }),
  // MiniBatchNMF: H's numerator Wᵀ·V and denominator (β = 2: WtW·H, β = 1: W's column sums, else Wᵀ·D)
  numH: (p) => ({ source: WT_M, output: [p.n, p.k], work: p.m }),
  denH: (p) => {
    const [source, work] = p.beta === 2 ? [WTW_H, p.k] : p.beta === 1 ? [WSUM_ROWS, 1] : [WT_M, p.m];
    return { source, output: [p.n, p.k], work };
  },
  avgA: (p) => ({ source: AVG_A, output: [p.n, p.k], work: 1 }),
  avgB: (p) => ({ source: AVG_B, output: [p.n, p.k], work: 1 }),
  avgH: (p) => ({ source: AVG_H, output: [p.n, p.k + 1], work: 1 }),
  clipW: (p) => ({ source: CLIP_W, output: [p.k + 1, p.m], work: 1 }),
  changeW: (p) => ({ source: CHANGE_W, output: [2], work: p.m * p.k, pipeline: false }),
  changeH: (p) => ({ source: CHANGE_H, output: [2], work: p.n * p.k, pipeline: false }),
  factorSums: (p) => ({ source: FACTOR_SUMS, output: [4], work: (p.m + p.n) * p.k, pipeline: false }),
  // solver 'pg'
  gram: (p) => ({ source: GRAM, output: [p.k, p.k], work: 1 }),
  gradW: (p) => ({ source: GRAD_W, output: [p.k, p.m], work: p.k }),
  gradH: (p) => ({ source: GRAD_H, output: [p.n, p.k], work: p.k }),
  trialW: (p) => ({ source: TRIAL_W, output: [p.k + 1, p.m], work: 1 }),
  trialH: (p) => ({ source: TRIAL_H, output: [p.n, p.k + 1], work: 1 }),
  normsW: (p) => ({ source: NORMS_W, output: [2, p.m], work: p.k }),
  normsH: (p) => ({ source: NORMS_H, output: [2, p.n], work: p.k }),
  statsW: (p) => ({ source: TRIAL_STATS_W, output: [4, p.m], work: p.k * p.k }),
  statsH: (p) => ({ source: TRIAL_STATS_H, output: [4, p.n], work: p.k * p.k }),
  sum2m: (p) => ({ source: sumColumns('m'), output: [2], work: p.m, pipeline: false }),
  sum2n: (p) => ({ source: sumColumns('n'), output: [2], work: p.n, pipeline: false }),
  sum4m: (p) => ({ source: sumColumns('m'), output: [4], work: p.m, pipeline: false }),
  sum4n: (p) => ({ source: sumColumns('n'), output: [4], work: p.n, pipeline: false }),
} satisfies Record<string, (p: Problem) => KernelSpec>;

export type KernelName = keyof typeof table;

export const KERNELS: Readonly<Record<KernelName, (p: Problem) => KernelSpec>> = table;
