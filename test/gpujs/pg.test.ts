// Solver 'pg' (scikit-learn 0.18's projected gradient) on backend 'gpujs' (webasm in Node, float32):
// every case of test/fixtures/pg.json, with the WebGPU suite's tolerances (test/webgpu/pg.test.ts
// explains them: W, H within 1e-3, nIter within max(1, 10%), the nls warning as the reference), and
// the plan's pg steps against the CPU plan's on a larger problem.

import { describe, expect, it } from 'vitest';
import type { FitPlan, PgSubproblem } from '../../src/backend/backend.js';
import { CpuBackend } from '../../src/backend/cpu/cpu-backend.js';
import { createGpujsBackend } from '../../src/backend/gpujs/index.js';
import { relativeError as relError } from '../parity-cases.js';
import { NLS_WARNING, pgCases, runPgCase } from '../pg-cases.js';
import { makeProblem, relativeError } from './helpers.js';

describe("solver 'pg' on gpujs matches scikit-learn 0.18 (port)", () => {
  it.each(pgCases.map((c) => [c.name, c] as const))('%s', async (name, c) => {
    const got = await runPgCase(c, 'gpujs' as 'webgpu');
    expect(got.W.data, `${name}: float32 on gpujs`).toBeInstanceOf(Float32Array);
    expect(relError(got.W, c.expected.W), `${name}: W`).toBeLessThan(1e-3);
    expect(relError(got.H, c.expected.H), `${name}: H`).toBeLessThan(1e-3);
    expect(Math.abs(got.nIter - c.expected.nIter), `${name}: nIter ${got.nIter} vs ${c.expected.nIter}`).toBeLessThanOrEqual(Math.max(1, Math.floor(0.1 * c.expected.nIter)));
    expect(got.warnings.filter((w) => w.message === NLS_WARNING).length, `${name}: nls warning`).toBe(c.expected.nlsLimitHits > 0 ? 1 : 0);
  });
});

describe("solver 'pg': gpujs plan steps against the CPU plan's", () => {
  it.each([false, true])('gradients, Gram changes, trials, accept and keepTrial (CSR %s)', async (sparse) => {
    const problem = makeProblem({ m: 23, n: 17, k: 4, beta: 2, sparse, seed: 13 });
    const subs: PgSubproblem[] = [
      { factor: 'W', gramDiag: 0, gramAll: 0.25, l1: 0.01, l2: 0.03 },
      { factor: 'H', gramDiag: 0.2, gramAll: 0, l1: 0.02, l2: 0 },
    ];
    const script = async (plan: FitPlan) => {
      const pg = plan.pg!;
      await pg.prepare();
      const out: number[] = [await pg.initialGradients(), await pg.projectedGradientNormSq()];
      for (let round = 0; round < 3; round++) {
        for (const sub of subs) {
          pg.begin(sub);
          for (let it = 0; it < 3; it++) {
            pg.gradient();
            const a = await pg.trial(1, 'current');
            const b = await pg.trial(0.1, 'current');
            pg.keepTrial();
            const c = await pg.trial(0.01, 'previous');
            for (const t of [a, b, c]) out.push(t.projGradNormSq, t.gradd, t.dQd, t.unchanged ? 1 : 0);
            pg.accept(it === 1 ? 'previous' : 'trial');
          }
        }
        out.push(await pg.projectedGradientNormSq());
      }
      const { W, H } = await plan.read();
      return { out, W: W.data, H: H.data };
    };
    const cpuPlan = await new CpuBackend().createFit(problem);
    const want = await script(cpuPlan);
    cpuPlan.destroy();
    const backend = await createGpujsBackend();
    const plan = await backend.createFit(problem);
    const got = await script(plan);
    plan.destroy();
    backend.dispose();
    expect(relativeError(got.W, want.W), 'W').toBeLessThan(1e-5);
    expect(relativeError(got.H, want.H), 'H').toBeLessThan(1e-5);
    got.out.forEach((v, i) => {
      const ref = want.out[i];
      const gap = ref === 0 ? Math.abs(v) : Math.abs(v - ref) / Math.abs(ref);
      expect(gap, `scalar ${i}: ${v} vs ${ref}`).toBeLessThan(1e-4);
    });
  });
});
