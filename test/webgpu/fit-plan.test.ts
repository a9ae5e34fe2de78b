// FitPlan-level parity: the WebGPU plan against the float64 CPU plan, same X, W0, H0 and steps, under
// both kernel plans ('software' and 'hardware').
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { F32_FIT_TOL, relativeError, withValidation } from './setup.js';
import { createWebGPUBackend, type WebGPUBackend } from '../../src/backend/webgpu/index.js';
import { CpuBackend } from '../../src/backend/cpu/cpu-backend.js';
import type { FitPlan, FitProblem } from '../../src/backend/backend.js';
import { makeProblem, NO_REG, runHals, runMu, type Reg } from './fit-helpers.js';

const PLANS = ['software', 'hardware'] as const;
const gpus = new Map<string, WebGPUBackend>();
let gpu: WebGPUBackend;
const cpu = new CpuBackend();
beforeAll(async () => {
  const first = await createWebGPUBackend({ gpuProfile: 'software' });
  gpus.set('software', first);
  gpus.set('hardware', first.withGpuProfile('hardware'));
});
afterAll(() => gpus.get('software')?.dispose());

const REG: Reg = { l1W: 0.05, l2W: 0.1, l1H: 0.02, l2H: 0.2 };
/** relative difference of the final reconstruction errors */
const LOSS_TOL = 1e-4;

async function compare(problem: FitProblem, run: (plan: FitPlan) => Promise<unknown>): Promise<void> {
  await withValidation(gpu.device, async () => {
    const g = await gpu.createFit(problem);
    const c = await cpu.createFit(problem);
    try {
      expect(relDiff(await g.reconstructionError(), await c.reconstructionError())).toBeLessThan(LOSS_TOL);
      await run(g);
      await run(c);
      const [gr, cr] = [await g.read(), await c.read()];
      // the steps really moved W (a comparison of two untouched starts would prove nothing)
      expect(relativeError(cr.W.data, problem.W.data)).toBeGreaterThan(1e-2);
      expect(relativeError(gr.W.data, cr.W.data)).toBeLessThan(F32_FIT_TOL);
      expect(relativeError(gr.H.data, cr.H.data)).toBeLessThan(F32_FIT_TOL);
      expect(relDiff(await g.reconstructionError(), await c.reconstructionError())).toBeLessThan(LOSS_TOL);
    } finally {
      g.destroy();
    }
    expect(gpu.liveBuffers()).toBe(0);
  });
}

function relDiff(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-30);
}

describe.each(PLANS.flatMap((plan) => [false, true].map((sparse) => [plan, sparse] as const)))('WebGPU FitPlan (%s plan) vs CPU, sparse=%s', (plan, sparse) => {
  beforeAll(() => {
    gpu = gpus.get(plan)!;
  });
  const betas = sparse ? [2, 1, 0.5, 1.5, 3] : [2, 1, 0, 0.5, 1.5, 3, -0.5];
  for (const beta of betas) {
    for (const reg of [NO_REG, REG]) {
      it(`mu β=${beta}${reg === REG ? ' regularized' : ''}`, async () => {
        const problem = makeProblem({ m: 23, n: 19, k: 4, beta, sparse });
        await compare(problem, async (plan) => runMu(plan, beta, 30, reg));
      });
    }
  }
  if (!sparse) {
    // n % 4 == 0 and k ≤ 32: X·Hᵀ, Wᵀ·X and KL's numerators go through skinny.wgsl's kernels
    for (const beta of [2, 1]) {
      it(`mu β=${beta} regularized, n = 20 (one pass over X per product)`, async () => {
        const problem = makeProblem({ m: 23, n: 20, k: 5, beta });
        await compare(problem, async (plan) => runMu(plan, beta, 30, REG));
      });
    }
  }
  for (const reg of [NO_REG, REG]) {
    it(`hals${reg === REG ? ' regularized' : ''}, shuffled`, async () => {
      const problem = makeProblem({ m: 29, n: 17, k: 5, beta: 2, sparse });
      const violations: number[][] = [];
      await compare(problem, async (plan) => violations.push(await runHals(plan, 5, 30, reg, true)));
      for (let i = 0; i < violations[0].length; i++) expect(relDiff(violations[0][i], violations[1][i])).toBeLessThan(1e-3);
    });
  }
  it('mu and hals with H fixed (updateH: false)', async () => {
    const problem = makeProblem({ m: 21, n: 18, k: 3, beta: 2, sparse, updateH: false });
    await compare(problem, async (plan) => {
      runMu(plan, 2, 10, REG, false);
      await runHals(plan, 3, 10, NO_REG, false, false);
    });
    const kl = makeProblem({ m: 21, n: 18, k: 3, beta: 1, sparse, updateH: false });
    await compare(kl, async (plan) => runMu(plan, 1, 20, NO_REG, false));
  });
});
