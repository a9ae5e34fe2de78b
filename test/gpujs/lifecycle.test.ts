// The gpujs backend's life cycle and its refusals: where it runs in Node (webasm, never WebGL2), plans
// made and destroyed many times keep compiled kernels for a few shapes only, destroy() twice is
// harmless, a destroyed plan or a disposed backend refuses clearly, an aborted fit frees its plan, and
// bad input names the option.

import { describe, expect, it } from 'vitest';
import { NMF, nonNegativeFactorization } from '../../src/index.js';
import { acquireBackend } from '../../src/backend/select.js';
import { CACHE_MAX_ENTRIES, createGpujsBackend, probeWebGL2, type GpujsBackend } from '../../src/backend/gpujs/index.js';
import { makeProblem } from '../support/problems.js';

const X = [[1, 2, 3, 0], [4, 5, 6, 1], [7, 8, 9.5, 2], [1, 0, 2, 3], [2, 2, 1, 0]];

describe('gpujs backend lifecycle (Node: webasm)', () => {
  it('Node has no WebGL2 context: the backend runs on webasm, reads back every iteration by default', async () => {
    expect(probeWebGL2()).toBeNull();
    const backend = await createGpujsBackend();
    expect(backend.name).toBe('gpujs');
    expect(backend.mode).toBe('webasm');
    expect(backend.description).toMatch(/^gpujs \(webasm(, \d+ threads)?\)$/);
    expect(backend.defaultCheckEvery).toBe(1);
    backend.dispose();
    backend.dispose(); // safe twice
    await expect(backend.createFit(makeProblem({ m: 4, n: 4, k: 2, beta: 2 }))).rejects.toThrow(/disposed/);
  });

  it("mode 'webgl2' in Node fails at once, saying why", async () => {
    await expect(createGpujsBackend({ mode: 'webgl2' })).rejects.toThrow(/no WebGL2 context can be created here/);
  });

  it('60 createFit/destroy: no plan stays alive, compiled kernels are kept for the last 3 shapes only, dispose() frees them', async () => {
    const backend = await createGpujsBackend();
    // 5 shapes × (3 β × dense/CSR): kernels of 2 shapes must have been destroyed on the way
    const problems = [5, 6, 7, 8, 9].flatMap((m) => [2, 1, 0.5].flatMap((beta) => [makeProblem({ m, n: 6, k: 2, beta }), makeProblem({ m, n: 6, k: 2, beta, sparse: true })]));
    const counts: number[] = [];
    for (let round = 0; round < 2; round++) {
      for (const [i, problem] of problems.entries()) {
        const plan = await backend.createFit(problem);
        expect(backend.livePlans()).toBe(1);
        plan.muUpdateW({ l1: 0, l2: 0, gamma: 1 });
        plan.muUpdateH({ l1: 0, l2: 0, gamma: 1 });
        if (i % 2 === 0) {
          plan.halsSweepW({ l1: 0, l2: 0, order: Int32Array.of(1, 0) });
          plan.halsSweepH({ l1: 0, l2: 0, order: Int32Array.of(0, 1) });
          await plan.lastViolation();
        }
        await plan.reconstructionError();
        await plan.read();
        plan.destroy();
        plan.destroy(); // safe twice
        expect(backend.livePlans()).toBe(0);
      }
      counts.push(backend.liveKernels());
    }
    // the same steps on the same 3 last shapes: the same kernels, no more
    expect(counts[1]).toBe(counts[0]);
    const perShape = counts[0] / 3;
    expect(Number.isInteger(perShape)).toBe(true);
    backend.dispose();
    expect(backend.liveKernels()).toBe(0);
  });

  it('kernels of a shape above CACHE_MAX_ENTRIES are destroyed with its last plan (they hold X-sized outputs)', async () => {
    const backend = await createGpujsBackend();
    const small = await backend.createFit(makeProblem({ m: 6, n: 5, k: 2, beta: 2 }));
    small.muUpdateW({ l1: 0, l2: 0, gamma: 1 });
    small.destroy();
    const kept = backend.liveKernels();
    expect(kept).toBeGreaterThan(0);
    const n = 1024, m = Math.floor(CACHE_MAX_ENTRIES / n) + 1;
    const big = await backend.createFit(makeProblem({ m, n, k: 1, beta: 2 }));
    big.muUpdateW({ l1: 0, l2: 0, gamma: 1 });
    expect(backend.liveKernels()).toBeGreaterThan(kept);
    big.destroy();
    expect(backend.liveKernels()).toBe(kept);
    backend.dispose();
  });

  it('a destroyed plan refuses every step', async () => {
    const backend = await createGpujsBackend();
    const plan = await backend.createFit(makeProblem({ m: 6, n: 5, k: 2, beta: 1 }));
    plan.destroy();
    await expect(plan.read()).rejects.toThrow(/destroyed/);
    await expect(plan.reconstructionError()).rejects.toThrow(/destroyed/);
    await expect(plan.lastViolation()).rejects.toThrow(/destroyed/);
    expect(() => plan.muUpdateW({ l1: 0, l2: 0, gamma: 1 })).toThrow(/destroyed/);
    expect(() => plan.halsSweepH({ l1: 0, l2: 0, order: Int32Array.of(0, 1) })).toThrow(/destroyed/);
    backend.dispose();
  });

  it('an aborted fit rejects with the reason and frees its plan', async () => {
    const backend = (await acquireBackend('gpujs', null)) as GpujsBackend;
    const controller = new AbortController();
    const reason = new Error('stop here');
    const fit = nonNegativeFactorization(X, {
      nComponents: 2, init: 'random', randomState: 0, solver: 'mu', tol: 0, maxIter: 500, backend: 'gpujs',
      signal: controller.signal,
      onProgress: ({ iteration }) => {
        if (iteration >= 20) controller.abort(reason);
      },
      onWarning: () => {},
    });
    await expect(fit).rejects.toBe(reason);
    expect(backend.livePlans()).toBe(0);
  });

  it("'auto' in Node never picks gpujs (no WebGL2 here; webasm is no faster than the CPU backend)", async () => {
    const model = new NMF({ nComponents: 2, init: 'random', randomState: 0, maxIter: 3, tol: 0, onWarning: () => {} });
    await model.fitTransform(X);
    expect(model.backendUsed).not.toMatch(/gpujs/);
  });
});

describe('gpujs: bad input', () => {
  it('an unknown backend names the option and lists gpujs among the valid ones', async () => {
    const fit = nonNegativeFactorization(X, { nComponents: 2, backend: 'gpu.js' as never });
    await expect(fit).rejects.toMatchObject({ name: 'InvalidParameterError', parameter: 'backend' });
    await expect(fit).rejects.toThrow(/'backend'.*'gpujs'/);
  });

  it('X with NaN or negative values is refused before any kernel runs', async () => {
    await expect(nonNegativeFactorization([[1, NaN], [2, 3]], { nComponents: 1, backend: 'gpujs' })).rejects.toThrow(/NaN|finite|infinity/i);
    await expect(nonNegativeFactorization([[1, -1], [2, 3]], { nComponents: 1, backend: 'gpujs' })).rejects.toThrow(/[Nn]egative/);
  });

  it('a mask is refused clearly before any plan (the gpujs tier declares no weighted steps)', async () => {
    const backend = (await acquireBackend('gpujs', null)) as GpujsBackend;
    expect(backend.supports.weighted).toBe(false);
    const plans = backend.livePlans();
    const fit = nonNegativeFactorization([[1, 2, 3], [4, 5, 6], [7, 8, 9], [1, 1, 2]], { nComponents: 2, solver: 'mu', backend: 'gpujs', mask: [[1, 1, 1], [1, 0, 1], [1, 1, 0], [1, 1, 1]] });
    await expect(fit).rejects.toThrow(/^mask needs weighted NMF, which backend 'gpujs' .* does not support\. Use backend 'auto'/);
    expect(backend.livePlans()).toBe(plans);
  });
});
