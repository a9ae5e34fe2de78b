// Problems and step scripts shared by the FitPlan-level tests: the same steps run on the WebGPU plan
// and on the float64 CPU plan, and the results are compared.

import type { FitPlan } from '../../src/backend/backend.js';
import { muGamma } from '../../src/loss.js';

import { randomArray } from '../support/problems.js';

export { makeProblem, toCsr, type ProblemSpec } from '../support/problems.js';

export interface Reg {
  l1W: number;
  l2W: number;
  l1H: number;
  l2H: number;
}
export const NO_REG: Reg = { l1W: 0, l2W: 0, l1H: 0, l2H: 0 };

export function runMu(plan: FitPlan, beta: number, steps: number, reg: Reg, updateH = true): void {
  const gamma = muGamma(beta);
  for (let s = 0; s < steps; s++) {
    plan.muUpdateW({ l1: reg.l1W, l2: reg.l2W, gamma });
    if (updateH) plan.muUpdateH({ l1: reg.l1H, l2: reg.l2H, gamma });
  }
}

/** HALS sweeps; with `shuffle`, a fixed sequence of component permutations (same on both plans). */
export async function runHals(plan: FitPlan, k: number, steps: number, reg: Reg, shuffle: boolean, updateH = true): Promise<number[]> {
  const violations: number[] = [];
  for (let s = 0; s < steps; s++) {
    plan.halsSweepW({ l1: reg.l1W, l2: reg.l2W, order: permutation(k, shuffle ? 2 * s : -1) });
    if (updateH) plan.halsSweepH({ l1: reg.l1H, l2: reg.l2H, order: permutation(k, shuffle ? 2 * s + 1 : -1) });
    if (s % 5 === 0) violations.push(await plan.lastViolation());
  }
  return violations;
}

function permutation(k: number, seed: number): Int32Array {
  const order = Int32Array.from({ length: k }, (_, t) => t);
  if (seed < 0) return order;
  const r = randomArray(k, 1000 + seed);
  return order.sort((a, b) => r[a] - r[b]);
}
