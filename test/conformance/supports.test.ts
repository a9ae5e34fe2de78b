// Each target's declared capabilities (`supports`, src/backend/capabilities.ts) are true to its plans:
// what it declares, its plans have (pg's steps, MiniBatchNMF's steps, the precision they read back
// in), and a weighted problem it declares it runs is really weighted. The refusals of what a backend
// does not declare are in test/capabilities.test.ts; each conformance suite skips those cases by name.

import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/backend/cpu/cpu-backend.js';
import type { WeightedEntries } from '../../src/backend/backend.js';
import { makeProblem } from '../support/problems.js';
import { openTargets, type Target } from '../support/targets.js';

const targets = await openTargets();

it('the CPU backend, the float64 reference every target is compared with, declares every capability', () => {
  expect(new CpuBackend().supports).toEqual({ pg: true, minibatch: true, weighted: true, float64: true });
});

describe.each(targets)('$name declares what its plans do', (t: Target) => {
  it('pg and MiniBatchNMF steps are there exactly when declared; W and H read back in the declared precision', async () => {
    const base = makeProblem({ m: 6, n: 5, k: 2, beta: 2 });
    const problem = { ...base, minibatch: true, averages: { A: base.H, B: base.H } };
    const plan = await t.checked(async () => {
      const p = await t.backend.createFit(problem);
      try {
        const { W, H } = await p.read();
        return { pg: p.pg !== undefined, minibatch: p.minibatch !== undefined, float64: W.data instanceof Float64Array && H.data instanceof Float64Array };
      } finally {
        p.destroy();
      }
    });
    expect(plan).toEqual({ pg: t.supports.pg, minibatch: t.supports.minibatch, float64: t.supports.float64 });
  });

  it.skipIf(!t.supports.weighted)('weighted NMF, where declared, counts only the observed entries', async () => {
    const problem = makeProblem({ m: 4, n: 3, k: 2, beta: 2 });
    // one observed entry, X's value there doubled: the loss is that entry's alone
    const weighted: WeightedEntries = { rows: 4, cols: 3, indptr: Int32Array.of(0, 1, 1, 1, 1), indices: Int32Array.of(0), weights: Float64Array.of(1), values: Float64Array.of(2 * (problem.X.data[0] as number)) };
    const loss = async (backend: Target['backend']) => {
      const p = await backend.createFit({ ...problem, weighted });
      try {
        return await p.reconstructionError();
      } finally {
        p.destroy();
      }
    };
    const want = await loss(new CpuBackend());
    const got = await t.checked(() => loss(t.backend));
    let wh = 0;
    for (let r = 0; r < 2; r++) wh += problem.W.data[r] * problem.H.data[r * 3];
    expect(want).toBeCloseTo(Math.abs(weighted.values[0] - wh), 12);
    expect(Math.abs(got - want) / want).toBeLessThan(1e-5);
  });
});
