// The gpujs plan step for step against the CPU backend's (the float64 reference): every MU β-class
// with L1, L2 and clipping on and off, H fixed with KL + L1 (scikit-learn's cached-sum quirk), HALS
// sweeps in a given component order with their violation, and the β-divergence, on dense and CSR X.
// Node has no WebGL2, so gpu.js runs these kernels on its webasm backend (float32).

import { afterAll, describe, expect, it } from 'vitest';
import type { FitPlan, FitProblem } from '../../src/backend/backend.js';
import { CpuBackend } from '../../src/backend/cpu/cpu-backend.js';
import { createGpujsBackend, type GpujsBackend } from '../../src/backend/gpujs/index.js';
import { gammaOf, makeProblem, relativeError } from './helpers.js';

/** float32 against float64 after a dozen steps */
const TOL = 2e-5;

const cpu = new CpuBackend();
let shared: GpujsBackend | undefined;
async function gpujs(): Promise<GpujsBackend> {
  return (shared ??= await createGpujsBackend());
}
afterAll(() => shared?.dispose());

/**
 * Run `run` on a CPU plan and a gpujs plan of `problem`; compare W, H and the scalars it returns,
 * relative to max(|reference|, scale) (scale: for losses near 0, where float32 rounding of X − WH is
 * relative to ‖X‖, not to the loss).
 */
async function both(problem: FitProblem, run: (plan: FitPlan) => Promise<number[]>, scale = 0) {
  const out = [];
  for (const backend of [cpu, await gpujs()]) {
    const plan = await backend.createFit(problem);
    try {
      const scalars = await run(plan);
      const { W, H } = await plan.read();
      out.push({ scalars, W: W.data, H: H.data });
    } finally {
      plan.destroy();
    }
  }
  const [ref, got] = out;
  expect(got.W).toBeInstanceOf(Float32Array);
  expect(relativeError(got.W, ref.W), 'W').toBeLessThan(TOL);
  expect(relativeError(got.H, ref.H), 'H').toBeLessThan(TOL);
  expect(got.scalars.length).toBe(ref.scalars.length);
  got.scalars.forEach((s, i) => expect(Math.abs(s - ref.scalars[i]) / Math.max(Math.abs(ref.scalars[i]), scale), `scalar ${i}: ${s} vs ${ref.scalars[i]}`).toBeLessThan(TOL));
}

const BETAS = [2, 1, 0, 0.5, 1.5, 3, -0.5];

const frobenius = (a: ArrayLike<number>) => Math.sqrt(Array.from(a).reduce((s, v) => s + v * v, 0));

describe('gpujs plan matches the CPU backend step for step (webasm)', () => {
  // β ≤ 0 needs X > 0 (scikit-learn refuses zeros there): no CSR for them
  const muCases = BETAS.flatMap((beta) => (beta > 0 ? [[beta, false], [beta, true]] as const : [[beta, false]] as const));
  it.each(muCases)('MU, β = %s, CSR %s, with L1 and L2', async (beta, sparse) => {
    const problem = makeProblem({ m: 13, n: 9, k: 3, beta, sparse, seed: 11 });
    const gamma = gammaOf(beta);
    await both(problem, async (plan) => {
      const errors = [await plan.reconstructionError()];
      for (let s = 0; s < 12; s++) {
        plan.muUpdateW({ l1: 0.02, l2: 0.05, gamma });
        plan.muUpdateH({ l1: 0.01, l2: 0.1, gamma });
      }
      errors.push(await plan.reconstructionError());
      return errors;
    });
  });

  it.each([0.5, 1, -0.5])('MU without clipping (MiniBatchNMF\'s _solve_W), β = %s', async (beta) => {
    const problem = makeProblem({ m: 10, n: 8, k: 2, beta, seed: 3 });
    const gamma = gammaOf(beta);
    await both(problem, async (plan) => {
      for (let s = 0; s < 8; s++) plan.muUpdateW({ l1: 0, l2: 0, gamma, clip: false });
      return [await plan.reconstructionError()];
    });
  });

  it.each([false, true])('H fixed, KL with L1: the cached row sums grow by L1 each step (CSR %s)', async (sparse) => {
    const problem = makeProblem({ m: 12, n: 10, k: 3, beta: 1, sparse, updateH: false, seed: 5 });
    await both(problem, async (plan) => {
      for (let s = 0; s < 15; s++) plan.muUpdateW({ l1: 0.3, l2: 0, gamma: 1 });
      return [await plan.reconstructionError()];
    });
  });

  it.each([false, true])('HALS sweeps in the given order, with their violation (CSR %s)', async (sparse) => {
    const problem = makeProblem({ m: 14, n: 11, k: 4, beta: 2, sparse, seed: 9 });
    const orders = [[2, 0, 3, 1], [1, 3, 0, 2], [0, 1, 2, 3], [3, 2, 1, 0]].map((o) => Int32Array.from(o));
    await both(problem, async (plan) => {
      const violations: number[] = [];
      for (let s = 0; s < 10; s++) {
        plan.halsSweepW({ l1: 0.05, l2: 0.1, order: orders[s % 4] });
        violations.push(await plan.lastViolation()); // W's sweep alone
        plan.halsSweepH({ l1: 0.02, l2: 0, order: orders[(s + 1) % 4] });
        violations.push(await plan.lastViolation()); // W's plus H's
      }
      violations.push(await plan.reconstructionError());
      return violations;
    });
  });

  it('HALS with H fixed: W sweeps only, the violation is W\'s', async () => {
    const problem = makeProblem({ m: 12, n: 7, k: 3, beta: 2, updateH: false, seed: 2 });
    await both(problem, async (plan) => {
      const violations: number[] = [];
      for (let s = 0; s < 6; s++) {
        plan.halsSweepW({ l1: 0, l2: 0, order: Int32Array.of(0, 1, 2) });
        violations.push(await plan.lastViolation());
      }
      return violations;
    });
  });

  // and loops longer than gpu.js's default loopMaxIterations (1000)
  it.each([[1, 5, 1], [5, 1, 1], [1, 1, 1], [2, 3, 3], [6, 4, 4], [3, 1500, 2], [1300, 3, 2]])('degenerate and long shapes: m = %s, n = %s, k = %s, every step', async (m, n, k) => {
    for (const beta of [2, 1, 0.5]) {
      const problem = makeProblem({ m, n, k, beta, seed: 31 });
      const gamma = gammaOf(beta);
      const order = Int32Array.from({ length: k }, (_, r) => k - 1 - r);
      await both(problem, async (plan) => {
        const out = [await plan.reconstructionError()];
        for (let s = 0; s < 3; s++) {
          plan.muUpdateW({ l1: 0.01, l2: 0.01, gamma });
          plan.muUpdateH({ l1: 0.01, l2: 0.01, gamma });
        }
        if (beta === 2) {
          plan.halsSweepW({ l1: 0, l2: 0.01, order });
          plan.halsSweepH({ l1: 0.01, l2: 0, order });
          out.push(await plan.lastViolation());
        }
        out.push(await plan.reconstructionError());
        return out;
      }, frobenius(problem.X.data));
    }
  });

  it.each(BETAS)('the β-divergence of the start, β = %s (dense and CSR)', async (beta) => {
    for (const sparse of beta > 0 ? [false, true] : [false]) {
      await both(makeProblem({ m: 9, n: 12, k: 2, beta, sparse, seed: 21 }), async (plan) => [await plan.reconstructionError()]);
    }
  });
});
