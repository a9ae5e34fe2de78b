// FitPlan steps on every target against the float64 CPU plan: the same X, W0, H0 and the same script
// of steps, then W, H and the scalars the script read (β-divergences, HALS violations) compared at the
// target's step tolerance (test/support/targets.ts). Every MU β-class with L1, L2 and clipping on and
// off, H fixed (KL with L1: scikit-learn's cached-sum quirk), HALS sweeps in given and shuffled
// orders with their violations, the β-divergence of the start, on dense and CSR X, and degenerate and
// long shapes (gpu.js's default loop cap is 1000). The CPU is the reference: its own row is skipped.
// On an emulated GPU (SwiftShader) the scripts whose shapes only repeat steps covered on the shared
// shapes are skipped by name: each new shape compiles its pipelines there, seconds per β-class.

import { describe, expect, it } from 'vitest';
import type { FitPlan, FitProblem } from '../../src/backend/backend.js';
import { CpuBackend } from '../../src/backend/cpu/cpu-backend.js';
import { muGamma } from '../../src/loss.js';
import { makeProblem, NO_REG, runHals, runMu, type Reg } from '../support/problems.js';
import { openTargets, scalarGap, stepError, type Target } from '../support/targets.js';

const targets = await openTargets();
const reference = new CpuBackend();

/** What a script read: β-divergences (reconstructionError) and HALS violations, in order. */
interface Read {
  loss: number[];
  violation: number[];
}

interface Script {
  name: string;
  problem(): FitProblem;
  run(plan: FitPlan): Promise<Read>;
  /** the script must move W by more than 1e-2 (a comparison of two untouched starts proves nothing) */
  moves?: boolean;
  /** losses compare relative to max(|reference|, scale): for losses near 0, float32 rounds X − WH relative to ‖X‖ */
  scale?(p: FitProblem): number;
  /**
   * Left out, by name, on an emulated GPU (targets.ts): its problem shape compiles pipelines of its
   * own there, seconds per β-class, while the scripts on the shared shapes cover the same steps.
   */
  coveredOnEmulated?: true;
}

const REG: Reg = { l1W: 0.05, l2W: 0.1, l1H: 0.02, l2H: 0.2 };
const BETAS = [2, 1, 0, 0.5, 1.5, 3, -0.5];
/** β ≤ 0 needs X > 0 (scikit-learn refuses zeros there): no CSR for them */
const sparseFor = (beta: number) => (beta > 0 ? [false, true] : [false]);
const csr = (sparse: boolean) => (sparse ? 'CSR' : 'dense');
const frobenius = (a: ArrayLike<number>) => Math.sqrt(Array.from(a).reduce((s, v) => s + v * v, 0));

/** The loss before and after `steps`, as a fit reads it at its start and end. */
const bracketed = (steps: (plan: FitPlan) => Promise<number[] | void>) => async (plan: FitPlan): Promise<Read> => {
  const before = await plan.reconstructionError();
  const violation = (await steps(plan)) ?? [];
  return { loss: [before, await plan.reconstructionError()], violation };
};

const SCRIPTS: Script[] = [
  // 30 MU steps of both factors, with and without L1 and L2, on every β-class
  ...BETAS.flatMap((beta) => sparseFor(beta).flatMap((sparse) => [NO_REG, REG].map((reg) => ({
    name: `MU β = ${beta}, ${csr(sparse)}${reg === REG ? ', regularized' : ''}, 30 steps`,
    problem: () => makeProblem({ m: 23, n: 19, k: 4, beta, sparse }),
    run: bracketed(async (plan) => runMu(plan, beta, 30, reg)),
    moves: true,
  })))),
  // n % 4 == 0 and k ≤ 32: WebGPU's X·Hᵀ, Wᵀ·X and KL's numerators take skinny.wgsl's kernels
  ...[2, 1].map((beta) => ({
    name: `MU β = ${beta}, dense, regularized, n = 20 (one pass over X per product)`,
    problem: () => makeProblem({ m: 23, n: 20, k: 5, beta }),
    run: bracketed(async (plan) => runMu(plan, beta, 30, REG)),
    moves: true,
  })),
  // a dozen steps with L1 and L2 on both factors, on a smaller problem
  ...BETAS.flatMap((beta) => sparseFor(beta).map((sparse) => ({
    name: `MU β = ${beta}, ${csr(sparse)}, L1 and L2 on both factors, 12 steps`,
    problem: () => makeProblem({ m: 13, n: 9, k: 3, beta, sparse, seed: 11 }),
    run: bracketed(async (plan) => {
      const gamma = muGamma(beta);
      for (let s = 0; s < 12; s++) {
        plan.muUpdateW({ l1: 0.02, l2: 0.05, gamma });
        plan.muUpdateH({ l1: 0.01, l2: 0.1, gamma });
      }
    }),
    coveredOnEmulated: true as const,
  }))),
  ...[0.5, 1, -0.5].map((beta) => ({
    name: `MU of W without clipping (MiniBatchNMF's _solve_W), β = ${beta}`,
    problem: () => makeProblem({ m: 10, n: 8, k: 2, beta, seed: 3 }),
    run: bracketed(async (plan) => {
      for (let s = 0; s < 8; s++) plan.muUpdateW({ l1: 0, l2: 0, gamma: muGamma(beta), clip: false });
    }),
  })),
  ...[false, true].map((sparse) => ({
    name: `H fixed, KL with L1: the cached row sums of H grow by L1 each step, ${csr(sparse)}`,
    problem: () => makeProblem({ m: 12, n: 10, k: 3, beta: 1, sparse, updateH: false, seed: 5 }),
    run: bracketed(async (plan) => {
      for (let s = 0; s < 15; s++) plan.muUpdateW({ l1: 0.3, l2: 0, gamma: 1 });
    }),
  })),
  ...[false, true].flatMap((sparse) => [
    {
      name: `H fixed, ${csr(sparse)}: MU then HALS sweeps of W, and KL's MU`,
      problem: () => makeProblem({ m: 21, n: 18, k: 3, beta: 2, sparse, updateH: false }),
      run: bracketed(async (plan) => {
        runMu(plan, 2, 10, REG, false);
        return runHals(plan, 3, 10, NO_REG, false, false);
      }),
      moves: true,
    },
    {
      name: `H fixed, ${csr(sparse)}: KL's MU of W`,
      problem: () => makeProblem({ m: 21, n: 18, k: 3, beta: 1, sparse, updateH: false }),
      run: bracketed(async (plan) => runMu(plan, 1, 20, NO_REG, false)),
      moves: true,
    },
    ...[NO_REG, REG].map((reg) => ({
      name: `HALS, ${csr(sparse)}${reg === REG ? ', regularized' : ''}, shuffled, 30 sweeps`,
      problem: () => makeProblem({ m: 29, n: 17, k: 5, beta: 2, sparse }),
      run: bracketed((plan) => runHals(plan, 5, 30, reg, true)),
      moves: true,
    })),
    {
      name: `HALS sweeps in given orders, the violation after W's sweep and after H's, ${csr(sparse)}`,
      problem: () => makeProblem({ m: 14, n: 11, k: 4, beta: 2, sparse, seed: 9 }),
      run: bracketed(async (plan) => {
        const orders = [[2, 0, 3, 1], [1, 3, 0, 2], [0, 1, 2, 3], [3, 2, 1, 0]].map((o) => Int32Array.from(o));
        const violations: number[] = [];
        for (let s = 0; s < 10; s++) {
          plan.halsSweepW({ l1: 0.05, l2: 0.1, order: orders[s % 4] });
          violations.push(await plan.lastViolation()); // W's sweep alone
          plan.halsSweepH({ l1: 0.02, l2: 0, order: orders[(s + 1) % 4] });
          violations.push(await plan.lastViolation()); // W's plus H's
        }
        return violations;
      }),
    },
  ]),
  {
    name: "HALS with H fixed: W sweeps only, the violation is W's",
    problem: () => makeProblem({ m: 12, n: 7, k: 3, beta: 2, updateH: false, seed: 2 }),
    run: bracketed(async (plan) => {
      const violations: number[] = [];
      for (let s = 0; s < 6; s++) {
        plan.halsSweepW({ l1: 0, l2: 0, order: Int32Array.of(0, 1, 2) });
        violations.push(await plan.lastViolation());
      }
      return violations;
    }),
  },
  ...BETAS.flatMap((beta) => sparseFor(beta).map((sparse) => ({
    name: `the β-divergence of the start, β = ${beta}, ${csr(sparse)}`,
    problem: () => makeProblem({ m: 9, n: 12, k: 2, beta, sparse, seed: 21 }),
    run: async (plan: FitPlan) => ({ loss: [await plan.reconstructionError()], violation: [] }),
    coveredOnEmulated: true as const,
  }))),
  // degenerate shapes, and loops longer than gpu.js's default loopMaxIterations (1000)
  ...[[1, 5, 1], [5, 1, 1], [1, 1, 1], [2, 3, 3], [6, 4, 4], [3, 1500, 2], [1300, 3, 2]].flatMap(([m, n, k]) => [2, 1, 0.5].map((beta) => ({
    name: `degenerate and long shapes: m = ${m}, n = ${n}, k = ${k}, β = ${beta}, every step`,
    problem: () => makeProblem({ m, n, k, beta, seed: 31 }),
    run: bracketed(async (plan) => {
      const gamma = muGamma(beta);
      const order = Int32Array.from({ length: k }, (_, r) => k - 1 - r);
      for (let s = 0; s < 3; s++) {
        plan.muUpdateW({ l1: 0.01, l2: 0.01, gamma });
        plan.muUpdateH({ l1: 0.01, l2: 0.01, gamma });
      }
      if (beta !== 2) return [];
      plan.halsSweepW({ l1: 0, l2: 0.01, order });
      plan.halsSweepH({ l1: 0.01, l2: 0, order });
      return [await plan.lastViolation()];
    }),
    scale: (p: FitProblem) => frobenius(p.X.data),
    // β = 2 runs every step on each shape; the other β-classes' steps are covered on the shared shapes
    ...(beta !== 2 ? { coveredOnEmulated: true as const } : {}),
  }))),
];

async function runOn(backend: { createFit(p: FitProblem): Promise<FitPlan> }, problem: FitProblem, script: Script) {
  const plan = await backend.createFit(problem);
  try {
    const read = await script.run(plan);
    const { W, H } = await plan.read();
    return { ...read, W: W.data, H: H.data };
  } finally {
    plan.destroy();
  }
}

describe.each(targets)('FitPlan steps on $name against the float64 CPU plan', (t: Target) => {
  const tol = t.tolerance.steps;
  const runs = SCRIPTS.map((s) => [s.name, s, !tol || (t.emulated && s.coveredOnEmulated === true)] as const);
  const ran = runs.filter(([, , skip]) => !skip), skipped = runs.filter(([, , skip]) => skip);
  if (ran.length > 0) it.each(ran)('%s', (_, script) => compare(t, script));
  if (skipped.length > 0) it.skip.each(skipped)(tol ? '%s (covered on an emulated GPU by the shared shapes)' : '%s (the reference itself)', () => {});
});

async function compare(t: Target, script: Script): Promise<void> {
  const tol = t.tolerance.steps!;
  const problem = script.problem();
  const want = await runOn(reference, problem, script);
  const got = await t.checked(() => runOn(t.backend, problem, script));
  if (script.moves) expect(stepError(want.W, problem.W.data), 'the steps moved W').toBeGreaterThan(1e-2);
  expect(got.W instanceof Float64Array, 'W is float64 where the backend computes in float64').toBe(t.supports.float64);
  expect(stepError(got.W, want.W), 'W').toBeLessThan(tol.factors);
  expect(stepError(got.H, want.H), 'H').toBeLessThan(tol.factors);
  const scale = script.scale?.(problem) ?? 0;
  expect(got.loss.length).toBe(want.loss.length);
  got.loss.forEach((v, i) => expect(scalarGap(v, want.loss[i], scale), `loss ${i}: ${v} vs ${want.loss[i]}`).toBeLessThan(tol.loss));
  expect(got.violation.length).toBe(want.violation.length);
  got.violation.forEach((v, i) => expect(scalarGap(v, want.violation[i]), `violation ${i}: ${v} vs ${want.violation[i]}`).toBeLessThan(tol.violation));
}
