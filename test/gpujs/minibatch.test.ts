// MiniBatchNMF's steps on backend 'gpujs' (webasm in Node) against the CPU plan's, step for step.
// (The scikit-learn fixtures run on every backend in test/minibatch.test.ts.)

import { afterAll, describe, expect, it } from 'vitest';
import type { FitPlan, FitProblem, HAverages } from '../../src/backend/backend.js';
import { CpuBackend } from '../../src/backend/cpu/cpu-backend.js';
import { createGpujsBackend, type GpujsBackend } from '../../src/backend/gpujs/index.js';
import { gammaOf, makeProblem, randomArray, relativeError } from './helpers.js';

const TOL = 2e-5;
const cpu = new CpuBackend();
let shared: GpujsBackend | undefined;
afterAll(() => shared?.dispose());

function withAverages(p: FitProblem, seed: number): FitProblem {
  const { rows, cols } = p.H;
  const averages: HAverages = {
    A: { rows, cols, data: randomArray(rows * cols, seed, 0.1, 1) },
    B: { rows, cols, data: randomArray(rows * cols, seed + 1, 0.5, 2) },
  };
  return { ...p, averages };
}

describe('gpujs MiniBatchNMF steps match the CPU plan', () => {
  it.each([2, 1, 0.5, 1.5, 3])('β = %s: W step, clipW, averaged H step, changes, sums, averages', async (beta) => {
    const problem = withAverages(makeProblem({ m: 11, n: 9, k: 3, beta, seed: 4 }), 40);
    const gamma = gammaOf(beta);
    const run = async (plan: FitPlan) => {
      const mb = plan.minibatch!;
      const scalars: number[] = [];
      for (let s = 0; s < 4; s++) {
        plan.muUpdateW({ l1: 0.01, l2: 0.02, gamma, clip: false });
        scalars.push(await mb.wChange());
      }
      mb.clipW();
      const sums = await mb.factorSums();
      scalars.push(sums.sumW, sums.sumW2, sums.sumH, sums.sumH2);
      mb.muUpdateHAveraged({ l1: 0.03, l2: 0.01, gamma }, 0.7);
      mb.muUpdateHAveraged({ l1: 0.03, l2: 0.01, gamma }, 0.7);
      scalars.push(await mb.hChange(), await plan.reconstructionError());
      const { W, H } = await plan.read();
      const { A, B } = await mb.readAverages();
      return { scalars, W: W.data, H: H.data, A: A.data, B: B.data };
    };
    const ref = await cpu.createFit(problem);
    const want = await run(ref);
    ref.destroy();
    shared ??= await createGpujsBackend();
    const plan = await shared.createFit(problem);
    const got = await run(plan);
    plan.destroy();
    for (const key of ['W', 'H', 'A', 'B'] as const) expect(relativeError(got[key], want[key]), key).toBeLessThan(TOL);
    got.scalars.forEach((s, i) => expect(Math.abs(s - want.scalars[i]) / Math.abs(want.scalars[i]), `scalar ${i}: ${s} vs ${want.scalars[i]}`).toBeLessThan(TOL));
  });
});
