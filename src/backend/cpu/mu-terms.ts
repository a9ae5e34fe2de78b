// The elementwise pieces of the CPU backend's multiplicative updates and MiniBatchNMF steps, with
// scikit-learn's guards: WH == 0 becomes EPSILON wherever a negative power follows, a zero
// denominator becomes EPSILON. O(entries of the factor) each: plain JS, but for the γ = 1 update (every
// iteration of frobenius and KL), which runs in WASM on the calling thread (mu.wat's muApply).

import type { MuStep } from '../backend.js';
import { EPSILON } from '../../numerics.js';
import { muDenominatorTerm, muNumeratorTerm } from '../../loss.js';
import { ratio, ratioSq, reciprocal } from './gemm.js';
import { typed, wasmFor, type FloatArray } from './workspace.js';

/** V = X ⊙ (WH)^(β−2) over len entries, WH == 0 → EPSILON for β < 2. */
export function numeratorTerms(X: FloatArray, WH: FloatArray, V: FloatArray, len: number, beta: number): void {
  if (beta === 1) ratio(X, WH, V, len);
  else if (beta === 0) ratioSq(X, WH, V, len);
  else for (let q = 0; q < len; q++) V[q] = muNumeratorTerm(beta, X[q], WH[q]);
}

/** D = (WH)^(β−1) over len entries, WH == 0 → EPSILON for β < 1. */
export function denominatorTerms(WH: FloatArray, D: FloatArray, len: number, beta: number): void {
  if (beta === 0) reciprocal(WH, D, len);
  else for (let q = 0; q < len; q++) D[q] = muDenominatorTerm(beta, WH[q]);
}

/** A ← A ⊙ (num / den)^γ, den with L1 added, L2·A added, and exact zeros replaced by EPSILON. */
export function applyUpdate(A: FloatArray, num: FloatArray, den: FloatArray, { l1, l2, gamma }: MuStep): void {
  // γ = 1 (β ∈ [1, 2]) in WebAssembly (mu.wat's muApply) on the calling thread: a few µs
  const wasm = gamma === 1 && A.constructor === num.constructor && A.constructor === den.constructor ? wasmFor(A, num, den) : null;
  if (wasm !== null) {
    wasm.exports[typed('muApply', A)](A.byteOffset, num.byteOffset, den.byteOffset, A.length, l1, l2);
    return;
  }
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
export function applyAveragedUpdate(H: FloatArray, num: FloatArray, den: FloatArray, A: FloatArray, B: FloatArray, rho: number, { l1, l2, gamma }: MuStep): void {
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
export function relativeChange(A: FloatArray, B: FloatArray): number {
  let diff = 0, norm = 0;
  for (let q = 0; q < A.length; q++) {
    diff += (A[q] - B[q]) ** 2;
    norm += A[q] * A[q];
  }
  return Math.sqrt(diff) / Math.sqrt(norm);
}

export function sum(A: FloatArray, power: 1 | 2): number {
  let s = 0;
  for (let q = 0; q < A.length; q++) s += power === 1 ? A[q] : A[q] * A[q];
  return s;
}

export function zeroBelow(A: FloatArray, eps: number): void {
  for (let q = 0; q < A.length; q++) if (A[q] < eps) A[q] = 0;
}
