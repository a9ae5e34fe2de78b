// A backend whose plans have no 'pg' steps (the gpu.js tier) refuses solver 'pg' with a clear error,
// before any iteration, and frees its plan. The backend is the CPU's with `pg` taken away.

import { expect, it, vi } from 'vitest';
import type { Backend, FitPlan, FitProblem } from '../src/backend/backend.js';
import { NMFError, nonNegativeFactorization } from '../src/index.js';

const destroyed: boolean[] = [];

vi.mock('../src/backend/select.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/backend/select.js')>();
  return {
    ...original,
    acquireBackend: async (): Promise<Backend> => {
      const cpu = await original.acquireBackend('cpu', null);
      return {
        ...cpu,
        name: 'cpu',
        description: 'test backend without pg',
        defaultCheckEvery: 1,
        createFit: async (p: FitProblem): Promise<FitPlan> => {
          const plan = await cpu.createFit(p);
          const withoutPg = Object.create(plan) as FitPlan & { pg?: unknown };
          Object.defineProperty(withoutPg, 'pg', { value: undefined });
          withoutPg.destroy = () => {
            destroyed.push(true);
            plan.destroy();
          };
          return withoutPg;
        },
        dispose: () => {},
      };
    },
  };
});

it("solver 'pg' on a backend without its steps is refused, naming the backend", async () => {
  const fit = nonNegativeFactorization([[1, 2], [3, 4], [5, 1]], { nComponents: 2, init: 'random', randomState: 0, solver: 'pg' });
  await expect(fit).rejects.toThrow(NMFError);
  await expect(fit).rejects.toThrow("solver 'pg' is not available on the test backend without pg backend; use backend 'cpu' or 'webgpu', or solver 'cd'.");
  expect(destroyed).toEqual([true]);
  // the same backend runs the other solvers
  const cd = await nonNegativeFactorization([[1, 2], [3, 4], [5, 1]], { nComponents: 2, init: 'random', randomState: 0, solver: 'cd' });
  expect(cd.nIter).toBeGreaterThan(0);
});
