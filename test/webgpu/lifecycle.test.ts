// Plan once, run many, destroy once: no leaks, destroy() twice is harmless, a caller's device is never
// destroyed, and a lost device makes pending and later reads reject instead of hanging.
import { describe, expect, it } from 'vitest';
import { testDevice, withValidation } from './setup.js';
import { createWebGPUBackend } from '../../src/backend/webgpu/index.js';
import { linearGrid, tileGrid } from '../../src/backend/webgpu/dispatch.js';
import { makeProblem, NO_REG, runHals, runMu } from './fit-helpers.js';

describe('WebGPU backend lifecycle', () => {
  it('describes its adapter and reads back every 10 iterations by default', async () => {
    const backend = await createWebGPUBackend();
    expect(backend.name).toBe('webgpu');
    expect(backend.description).toMatch(/^webgpu: .+/);
    expect(backend.defaultCheckEvery).toBe(10);
    backend.dispose();
    backend.dispose();
    await expect(backend.createFit(makeProblem({ m: 4, n: 4, k: 2, beta: 2 }))).rejects.toThrow(/disposed/);
  });

  it('100 createFit/destroy on one device leave zero live buffers', async () => {
    const backend = await createWebGPUBackend();
    await withValidation(backend.device, async () => {
      const problems = [makeProblem({ m: 9, n: 7, k: 3, beta: 2 }), makeProblem({ m: 9, n: 7, k: 3, beta: 1, sparse: true })];
      for (let i = 0; i < 100; i++) {
        const plan = await backend.createFit(problems[i % 2]);
        expect(backend.liveBuffers()).toBeGreaterThan(0);
        if (i % 10 === 0) runMu(plan, problems[i % 2].beta, 1, NO_REG);
        plan.destroy();
        plan.destroy(); // safe twice
        expect(backend.liveBuffers()).toBe(0);
      }
    });
    backend.dispose();
  });

  it('reads after destroy() reject', async () => {
    const backend = await createWebGPUBackend();
    const plan = await backend.createFit(makeProblem({ m: 6, n: 5, k: 2, beta: 2 }));
    plan.destroy();
    await expect(plan.read()).rejects.toThrow(/destroyed/);
    expect(() => plan.muUpdateW({ l1: 0, l2: 0, gamma: 1 })).toThrow(/destroyed/);
    backend.dispose();
  });

  it("never destroys a caller's device", async () => {
    const device = await testDevice();
    const backend = await createWebGPUBackend({ device });
    const plan = await backend.createFit(makeProblem({ m: 6, n: 5, k: 2, beta: 2 }));
    plan.destroy();
    backend.dispose();
    const lost = await Promise.race([device.lost.then(() => true), new Promise((r) => setTimeout(() => r(false), 50))]);
    expect(lost).toBe(false);
    device.destroy();
  });

  it('device.destroy() mid-fit: pending and later reads reject with a clear Error', async () => {
    const backend = await createWebGPUBackend();
    const plan = await backend.createFit(makeProblem({ m: 30, n: 20, k: 4, beta: 2 }));
    await runHals(plan, 4, 3, NO_REG, false);
    plan.halsSweepW({ l1: 0, l2: 0, order: Int32Array.of(0, 1, 2, 3) });
    const pending = plan.lastViolation();
    const pendingRead = plan.read();
    backend.device.destroy();
    await expect(pending).rejects.toThrow(/lost|destroyed|failed/i);
    await expect(pendingRead).rejects.toThrow(/lost|destroyed|failed/i);
    await expect(plan.reconstructionError()).rejects.toThrow(/WebGPU device was lost/);
    expect(() => plan.halsSweepH({ l1: 0, l2: 0, order: Int32Array.of(0, 1, 2, 3) })).toThrow(/WebGPU device was lost/);
    plan.destroy();
    expect(backend.liveBuffers()).toBe(0);
  });

  it('rejects a fit whose single row exceeds the binding limit, leaking nothing', async () => {
    const backend = await createWebGPUBackend({ maxBindingSize: 32 });
    await expect(backend.createFit(makeProblem({ m: 6, n: 50, k: 2, beta: 2 }))).rejects.toThrow(/storage binding limit/);
    expect(backend.liveBuffers()).toBe(0);
    backend.dispose();
  });

  it('folds 1-D grids into two dimensions under maxComputeWorkgroupsPerDimension', () => {
    expect(linearGrid(10, 65535, 't')).toEqual([10, 1]);
    expect(linearGrid(100_000, 65535, 't')).toEqual([65535, 2]);
    expect(() => linearGrid(65535 * 65535 + 1, 65535, 'huge')).toThrow(/huge needs/);
    expect(() => tileGrid(70_000, 1, 65535, 'gemm')).toThrow(/gemm needs a 70000×1 workgroup grid/);
  });
});

describe('MiniBatchNMF and weighted NMF on one device', () => {
  it('leave no live buffer behind, and raise no validation error', async () => {
    const { MiniBatchNMF, nonNegativeFactorization } = await import('../../src/index.js');
    const backend = await createWebGPUBackend();
    const device = backend.device;
    const X = { rows: 30, cols: 8, data: Float64Array.from({ length: 240 }, (_, q) => 0.1 + ((q * 7) % 11) / 10) };
    const mask = { ...X, data: X.data.map((_, q) => (q % 5 === 0 ? 0 : 1)) };
    await withValidation(device, async () => {
      const mb = new MiniBatchNMF({ nComponents: 3, batchSize: 8, maxIter: 3, backend: 'webgpu', device, alphaW: 0.01, freshRestarts: true, freshRestartsMaxIter: 3, onWarning: () => {} });
      await mb.fitTransform(X);
      await mb.partialFit(X);
      await mb.transform(X);
      await nonNegativeFactorization(X, { nComponents: 3, solver: 'mu', betaLoss: 1, maxIter: 5, mask, backend: 'webgpu', device, onWarning: () => {} });
    });
    expect(backend.liveBuffers()).toBe(0);
    backend.dispose();
  });
});

describe('a destroyed plan is garbage', () => {
  it('nothing of the device (its lost promise, its caches) keeps a plan alive', async () => {
    const { setFlagsFromString } = await import('node:v8');
    const { runInNewContext } = await import('node:vm');
    setFlagsFromString('--expose_gc');
    const gc = runInNewContext('gc') as () => void;
    const backend = await createWebGPUBackend();
    // in a function of its own: a suspended async frame would hold the plan in a register
    const planAndForget = async (minibatch: boolean): Promise<WeakRef<object>> => {
      const problem = { ...makeProblem({ m: 9, n: 7, k: 3, beta: 1 }), minibatch };
      const plan = await backend.createFit(problem);
      runMu(plan, problem.beta, 1, NO_REG);
      await plan.reconstructionError();
      await plan.minibatch?.wChange();
      plan.destroy();
      return new WeakRef(plan);
    };
    const refs = [await planAndForget(false), await planAndForget(true)];
    // WeakRef targets survive the job that made them: collect from later tasks
    for (let i = 0; i < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      gc();
    }
    expect(refs.map((r) => r.deref() === undefined)).toEqual([true, true]);
    backend.dispose();
  });
});
