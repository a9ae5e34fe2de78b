// The β-divergence loss, host side: every rule about β the solvers and the three backends share, once.
//
//   D_β(X ‖ WH) = Σ_ij d_β(X_ij, (WH)_ij), and the reported error is sqrt(2·D_β)
//   d_2(x, y) = (x − y)²/2,  d_1(x, y) = x·log(x/y) − x + y,  d_0(x, y) = x/y − log(x/y) − 1,
//   d_β(x, y) = (x^β + (β−1)·y^β − β·x·y^(β−1)) / (β(β−1)) otherwise,
// with scikit-learn's guards: entries with x ≤ EPSILON have no data term ("0·log 0 = 0"), and y == 0
// becomes EPSILON wherever a negative power or a log follows. The kernels (WASM, WGSL, gpu.js) compute
// the same terms on their side; what is decided on the host — β's class, the MU exponent γ, the clip
// rule, the guards, how summed terms become D_β, scikit-learn's cached-sum quirk — is decided here.

import { EPSILON } from './numerics.js';
import type { BetaLossName } from './params.js';

/** β as a number: frobenius = 2, kullback-leibler = 1, itakura-saito = 0 (scikit-learn's _beta_loss_to_float). */
export function betaToFloat(betaLoss: BetaLossName | number): number {
  if (typeof betaLoss === 'number') return betaLoss;
  return { frobenius: 2, 'kullback-leibler': 1, 'itakura-saito': 0 }[betaLoss];
}

/**
 * β's class, the value kernels branch on (WGSL's `BETA_CLASS` override; gpu.js's kernel choice). The
 * named losses have closed forms; every other β takes the general power form.
 */
export const BetaClass = { itakuraSaito: 0, kullbackLeibler: 1, frobenius: 2, general: 3 } as const;
export type BetaClass = (typeof BetaClass)[keyof typeof BetaClass];

export function betaClass(beta: number): BetaClass {
  if (beta === 2) return BetaClass.frobenius;
  if (beta === 1) return BetaClass.kullbackLeibler;
  if (beta === 0) return BetaClass.itakuraSaito;
  return BetaClass.general;
}

/** γ = 1/(2−β) for β < 1, 1/(β−1) for β > 2, else 1: the exponent that makes the MU update an MM step. */
export function muGamma(beta: number): number {
  if (beta < 1) return 1 / (2 - beta);
  if (beta > 2) return 1 / (beta - 1);
  return 1;
}

/** scikit-learn zeroes entries below float64's eps after a MU step of W when β < 1, of H when β ≤ 1. */
export function clipsAfterMu(side: 'W' | 'H', beta: number): boolean {
  return side === 'W' ? beta < 1 : beta <= 1;
}

/** MU's numerator term X ⊙ (WH)^(β−2) at one entry; WH == 0 becomes EPSILON when β < 2. */
export function muNumeratorTerm(beta: number, x: number, wh: number): number {
  const v = beta < 2 && wh === 0 ? EPSILON : wh;
  if (beta === 1) return x / v;
  if (beta === 0) return x / (v * v);
  return Math.pow(v, beta - 2) * x;
}

/** MU's denominator term (WH)^(β−1) at one entry; WH == 0 becomes EPSILON when β < 1. */
export function muDenominatorTerm(beta: number, wh: number): number {
  const v = beta < 1 && wh === 0 ? EPSILON : wh;
  if (beta === 2) return v;
  if (beta === 1) return 1;
  if (beta === 0) return 1 / v;
  return Math.pow(v, beta - 1);
}

/**
 * scikit-learn's KL quirk with H fixed (non_negative_factorization with update_H=False): its W step adds
 * L1 to a view of its cached row sums of H (`denominator += l1_reg_W`), so the cached sums grow by l1
 * every W step until H changes. Returns what to add to them after this W step (0 where the quirk does
 * not apply: another β, H updated, no L1, or weighted NMF, whose denominator is not the row sums).
 */
export function cachedHSumGrowth(beta: number, hFixed: boolean, weighted: boolean, l1: number): number {
  return beta === 1 && hFixed && !weighted && l1 > 0 ? l1 : 0;
}

/**
 * d_β(x, y) as one summand the GPU kernels and weighted NMF add up (no cancellation between big sums,
 * which float32 could not afford): β = 2 → (x − y)², β = 1 → y + [x > ε](x·log(x/y) − x),
 * β = 0 → [x > ε](x/y − 1 − log(x/y)) − [x ≤ ε], other → (β−1)·y^β + [x > ε](x^β − β·x·y^(β−1)).
 * divergenceFromEntrySum turns their sum into D_β.
 */
export function divergenceEntry(beta: number, x: number, y: number): number {
  const cls = betaClass(beta);
  if (cls === BetaClass.frobenius) return (x - y) * (x - y);
  const observed = x > EPSILON;
  const v = y === 0 ? EPSILON : y;
  if (cls === BetaClass.kullbackLeibler) return y + (observed ? x * Math.log(x / v) - x : 0);
  if (cls === BetaClass.itakuraSaito) return observed ? x / v - 1 - Math.log(x / v) : -1;
  return (beta - 1) * Math.pow(y, beta) + (observed ? Math.pow(x, beta) - beta * x * Math.pow(v, beta - 1) : 0);
}

/**
 * D_β from Σ divergenceEntry over the entries summed. `implicitZeros`: entries of a CSR X that were not
 * summed (they are 0): with β = 0 each counts −1; other β account for them in their own sums.
 */
export function divergenceFromEntrySum(beta: number, sum: number, implicitZeros = 0): number {
  const cls = betaClass(beta);
  if (cls === BetaClass.frobenius) return sum / 2;
  if (cls === BetaClass.kullbackLeibler) return sum;
  if (cls === BetaClass.itakuraSaito) return sum - implicitZeros;
  return sum / (beta * (beta - 1));
}

/**
 * D_β as scikit-learn's float64 _beta_divergence sums it: separate totals over the data terms (entries
 * with x > EPSILON), then one closing formula. The CPU backend adds entries in numpy's order.
 */
export class SplitDivergenceSums {
  private readonly cls: BetaClass;
  private sq = 0;
  private sumXlogDiv = 0;
  private sumX = 0;
  private sumDiv = 0;
  private sumLogDiv = 0;
  private sumXbeta = 0;
  private sumXWHbeta1 = 0;
  private sumWHbeta = 0;

  constructor(private readonly beta: number) {
    this.cls = betaClass(beta);
  }

  /** Frobenius: (x − y)² of one entry. */
  addSquare(x: number, y: number): void {
    const d = x - y;
    this.sq += d * d;
  }

  /** Frobenius, CSR X: the whole ‖X − WH‖² = ‖X‖² + ‖WH‖² − 2⟨X, WH⟩, from its three pieces. */
  addSquareFromProducts(normX: number, normWH: number, cross: number): void {
    this.sq += normX + normWH - 2 * cross;
  }

  /** The data term of one entry (β ≠ 2); entries with x ≤ EPSILON have none. */
  addData(x: number, y: number): void {
    if (!(x > EPSILON)) return;
    const v = y === 0 ? EPSILON : y;
    if (this.cls === BetaClass.kullbackLeibler) {
      this.sumXlogDiv += x * Math.log(x / v);
      this.sumX += x;
    } else if (this.cls === BetaClass.itakuraSaito) {
      const div = x / v;
      this.sumDiv += div;
      this.sumLogDiv += Math.log(div);
    } else {
      this.sumXbeta += Math.pow(x, this.beta);
      this.sumXWHbeta1 += x * Math.pow(v, this.beta - 1);
    }
  }

  /** The general β's model term y^β of one entry, every entry (zeros of X included). */
  addModel(y: number): void {
    this.sumWHbeta += Math.pow(y, this.beta);
  }

  /** D_β. `sumWH`: Σ WH (KL only); `entries`: m·n (IS only). */
  finish(sumWH: number, entries: number): number {
    const beta = this.beta;
    if (this.cls === BetaClass.frobenius) return this.sq / 2;
    if (this.cls === BetaClass.kullbackLeibler) return this.sumXlogDiv + sumWH - this.sumX;
    if (this.cls === BetaClass.itakuraSaito) return this.sumDiv - entries - this.sumLogDiv;
    return (this.sumXbeta - beta * this.sumXWHbeta1 + this.sumWHbeta * (beta - 1)) / (beta * (beta - 1));
  }
}

/** The reported error, sqrt(2·D_β) (scikit-learn's square_root=True); rounding below 0 counts as 0. */
export function errorFromDivergence(divergence: number): number {
  return Math.sqrt(2 * Math.max(divergence, 0));
}
