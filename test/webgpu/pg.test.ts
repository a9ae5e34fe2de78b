// Solver 'pg' on WebGPU (Dawn + SwiftShader in Node), what only WebGPU has: a fit on the caller's
// device, and the solver on X split into row blocks (a smaller storage binding limit), against the CPU.
// The fixtures of scikit-learn 0.18's projected gradient run on every target in
// test/conformance/pg.test.ts, whose header explains the float32 tolerances.

import { describe, expect, it } from 'vitest';
import { testDevice, withValidation } from './setup.js';
import { makeProblem } from '../support/problems.js';
import type { Backend, FitProblem } from '../../src/backend/backend.js';
import { CpuBackend } from '../../src/backend/cpu/cpu-backend.js';
import { createWebGPUBackend, liveBufferCount } from '../../src/backend/webgpu/index.js';
import { fitProjectedGradient, type PgSettings } from '../../src/solvers/pg.js';
import type { SolverOptions } from '../../src/solvers/loop.js';
import { pgCases, relativeError, runPgCase } from '../support/cases.js';
import { FLOAT32_SKLEARN } from '../support/targets.js';

describe.each(['software', 'hardware'] as const)("solver 'pg' on the caller's WebGPU device (%s plan)", (gpuProfile) => {
  it("a 'pg' fit on the caller's device leaves no buffer behind", async () => {
    const device = await testDevice();
    const c = pgCases.find((x) => x.name === 'pg-nls-limit-dense')!;
    const got = await runPgCase(c, { backend: 'webgpu' }, { device, gpuProfile });
    expect(relativeError(got.W, c.expected.W)).toBeLessThan(FLOAT32_SKLEARN);
    expect(liveBufferCount(device)).toBe(0);
    device.destroy();
  });
});

describe.each(['software', 'hardware'] as const)("solver 'pg': WebGPU plan (%s kernels) against the CPU plan, beyond the fixtures' sizes", (gpuProfile) => {
  // Every fixture fits in one 64-thread workgroup per dispatch; here W has 150 rows and H 90 columns
  // (several workgroups, so several partials per sum), and dense X is split into row blocks.
  const options = (updateH: boolean, progress: number[]): SolverOptions => ({
    // with updateH: false, tol is an absolute bound on ‖P[∇W]‖: 1e-4 is below the float32 rounding of
    // this problem's gradient (~1e-7·‖XHᵀ‖ per entry), so the GPU would iterate on rounding noise
    maxIter: 4, tol: updateH ? 1e-4 : 1e-2, reg: { l1W: 0.01, l1H: 0.02, l2W: 0.03, l2H: 0 }, updateH, checkEvery: 1, verbose: 0,
    shuffle: false, randomState: null, signal: null, onProgress: (p) => progress.push(p.violation ?? p.iteration), log: () => {},
  });
  const settings = (sparseness: PgSettings['sparseness']): PgSettings => ({ nlsMaxIter: 60, sparseness, beta: 0.5, eta: 0.2, warn: () => {} });

  /** The fit, and what it reported: the projected-gradient ratio of each outer iteration (updateH: false: nIter). */
  async function fitOn(backend: Backend, problem: FitProblem, updateH: boolean, s: PgSettings) {
    const plan = await backend.createFit(problem);
    const progress: number[] = [];
    try {
      const nIter = await fitProjectedGradient(plan, options(updateH, progress), s);
      return { nIter, progress, ...(await plan.read()) };
    } finally {
      plan.destroy();
    }
  }

  it.each([
    ['dense X in row blocks, sparseness data', false, 'data', true],
    ['CSR X, sparseness components', true, 'components', true],
    ['dense X, updateH false', false, null, false],
  ] as const)('%s', async (_, sparse, sparseness, updateH) => {
    const device = await testDevice();
    const n = 90;
    const gpu = await createWebGPUBackend({ device, maxBindingSize: 64 * n * 4, gpuProfile });
    try {
      const problem = makeProblem({ m: 150, n, k: 5, beta: 2, sparse, updateH, seed: 11 });
      const s = settings(sparseness);
      const ref = await fitOn(new CpuBackend(), problem, updateH, s);
      const got = await withValidation(device, () => fitOn(gpu, problem, updateH, s));
      expect(relativeError(got.W, ref.W)).toBeLessThan(1e-3);
      expect(relativeError(got.H, ref.H)).toBeLessThan(1e-3);
      expect(got.nIter).toBe(ref.nIter);
      // the sums over workgroups, read back: the outer rule's projected-gradient ratios agree too
      expect(got.progress.length).toBe(ref.progress.length);
      got.progress.forEach((v, i) => expect(Math.abs(v - ref.progress[i]) / ref.progress[i], `progress ${i}`).toBeLessThan(1e-3));
    } finally {
      gpu.dispose();
      device.destroy();
    }
  });
});
