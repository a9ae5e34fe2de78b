// src/loss.ts (the β rules every backend shares) and src/backend/plan-state.ts (the rules every plan
// keeps between steps), checked on their own: the two ways of summing D_β agree with the definition.

import { describe, expect, it } from 'vitest';
import {
  BetaClass, SplitDivergenceSums, betaClass, betaToFloat, cachedHSumGrowth, clipsAfterMu, divergenceEntry, divergenceFromEntrySum,
  errorFromDivergence, muDenominatorTerm, muGamma, muNumeratorTerm,
} from '../src/loss.js';
import { EPSILON } from '../src/numerics.js';
import { PlanState } from '../src/backend/plan-state.js';

/** d_β(x, y) from its definition, with scikit-learn's guards (no data term where x ≤ EPSILON; y = 0 → EPSILON). */
function definition(beta: number, x: number, y: number): number {
  const v = y === 0 ? EPSILON : y;
  const observed = x > EPSILON;
  if (beta === 2) return (x - y) ** 2 / 2;
  if (beta === 1) return (observed ? x * Math.log(x / v) - x : 0) + y;
  if (beta === 0) return observed ? x / v - Math.log(x / v) - 1 : -1;
  return ((observed ? x ** beta - beta * x * v ** (beta - 1) : 0) + (beta - 1) * y ** beta) / (beta * (beta - 1));
}

/** Deterministic entries with zeros on both sides (x = 0, y = 0, both). */
const ENTRIES: [number, number][] = [[0, 0], [0, 0.7], [1.3, 0], [0.2, 0.4], [2.5, 1.1], [1e-9, 0.3], [0.8, 0.8], [4, 0.05]];
const BETAS = [2, 1, 0, 0.5, 1.5, 3];
const RELATIVE = 1e-12;

describe('loss.ts', () => {
  it.each(BETAS)('β = %s: Σ divergenceEntry, finished, and SplitDivergenceSums both equal Σ d_β', (beta) => {
    const expected = ENTRIES.reduce((s, [x, y]) => s + definition(beta, x, y), 0);
    const entrySum = ENTRIES.reduce((s, [x, y]) => s + divergenceEntry(beta, x, y), 0);
    expect(divergenceFromEntrySum(beta, entrySum)).toBeCloseTo(expected, 12);

    const split = new SplitDivergenceSums(beta);
    for (const [x, y] of ENTRIES) {
      if (beta === 2) split.addSquare(x, y);
      else split.addData(x, y);
      if (betaClass(beta) === BetaClass.general) split.addModel(y);
    }
    const sumWH = ENTRIES.reduce((s, [, y]) => s + y, 0);
    expect(Math.abs(split.finish(sumWH, ENTRIES.length) - expected)).toBeLessThan(RELATIVE * Math.max(1, Math.abs(expected)));
  });

  it('β = 0: entries of a CSR X not summed count −1 each; other β ignore implicitZeros', () => {
    expect(divergenceFromEntrySum(0, 10, 4)).toBe(6);
    expect(divergenceFromEntrySum(1, 10, 4)).toBe(10);
    expect(divergenceFromEntrySum(2, 10, 4)).toBe(5);
  });

  it('errorFromDivergence is sqrt(2·D), with rounding below 0 taken as 0', () => {
    expect(errorFromDivergence(8)).toBe(4);
    expect(errorFromDivergence(-1e-18)).toBe(0);
  });

  it("MU's terms guard WH = 0 where a negative power follows", () => {
    expect(muNumeratorTerm(1, 2, 0)).toBe(2 / EPSILON);
    expect(muNumeratorTerm(0, 2, 0)).toBe(2 / (EPSILON * EPSILON));
    expect(muNumeratorTerm(3, 2, 0)).toBe(0); // β ≥ 2: no guard, 0^(β−2) = 0
    expect(muNumeratorTerm(1.5, 2, 4)).toBeCloseTo(2 * 4 ** -0.5, 15);
    expect(muDenominatorTerm(0.5, 0)).toBe(EPSILON ** -0.5);
    expect(muDenominatorTerm(1.5, 0)).toBe(0); // β ≥ 1: no guard
    expect(muDenominatorTerm(1, 5)).toBe(1);
    expect(muDenominatorTerm(2, 5)).toBe(5);
  });

  it('β class, γ, the clip rule and the β of each name follow scikit-learn', () => {
    expect([2, 1, 0, 0.5, 3].map(betaClass)).toEqual([BetaClass.frobenius, BetaClass.kullbackLeibler, BetaClass.itakuraSaito, BetaClass.general, BetaClass.general]);
    expect([0.5, 1, 1.5, 2, 3].map(muGamma)).toEqual([1 / 1.5, 1, 1, 1, 1 / 2]);
    expect([0.5, 1, 2].map((b) => [clipsAfterMu('W', b), clipsAfterMu('H', b)])).toEqual([[true, true], [false, true], [false, false]]);
    expect(['frobenius', 'kullback-leibler', 'itakura-saito', 1.5].map((b) => betaToFloat(b as never))).toEqual([2, 1, 0, 1.5]);
  });

  it("the cached-H-sum quirk applies to KL with H fixed and L1 only, never to weighted NMF", () => {
    expect(cachedHSumGrowth(1, true, false, 0.3)).toBe(0.3);
    expect(cachedHSumGrowth(1, false, false, 0.3)).toBe(0);
    expect(cachedHSumGrowth(2, true, false, 0.3)).toBe(0);
    expect(cachedHSumGrowth(1, true, true, 0.3)).toBe(0);
    expect(cachedHSumGrowth(1, true, false, 0)).toBe(0);
  });
});

describe('PlanState', () => {
  const mu = { l1: 0.25, l2: 0, gamma: 1 };

  it("H's products are computed once per H, again after H changes or their storage is reused", () => {
    const s = new PlanState(2, false, false);
    expect(s.stale('XHt', 'HHt')).toBe(true);
    expect(s.stale('XHt', 'HHt')).toBe(false);
    expect(s.stale('XHt', 'Ht')).toBe(true); // Ht not yet computed
    s.overwritten('XHt');
    expect(s.stale('HHt')).toBe(false);
    expect(s.stale('XHt')).toBe(true);
    s.hChanged();
    expect(s.stale('HHt')).toBe(true);
  });

  it("KL with H fixed: the shift grows by L1 per W step and restarts when H's row sums are computed again", () => {
    const s = new PlanState(1, true, false);
    expect(s.stale('Hsum')).toBe(true);
    expect(s.afterMuW(mu)).toBe(0.25);
    expect(s.afterMuW(mu)).toBe(0.25);
    expect(s.hSumShift).toBe(0.5);
    s.hChanged();
    expect(s.stale('Hsum')).toBe(true);
    expect(s.hSumShift).toBe(0);
    expect(new PlanState(1, false, false).afterMuW(mu)).toBe(0);
  });

  it("the violation is W's sweep's, plus H's when H's ran after it; a MU step or a new W sweep starts over", () => {
    const s = new PlanState(2, false, false);
    expect(s.violationParts).toEqual({ W: false, H: false });
    expect(() => s.halsSwept('H')).toThrow(/halsSweepH without halsSweepW/);
    s.halsSwept('W');
    expect(s.violationParts).toEqual({ W: true, H: false });
    s.halsSwept('H');
    expect(s.violationParts).toEqual({ W: true, H: true });
    s.halsSwept('W');
    expect(s.violationParts).toEqual({ W: true, H: false });
    s.afterMuW(mu);
    expect(s.violationParts).toEqual({ W: false, H: false });
  });
});
