// The WebGPU backend through the public API: what a user sees when a fit is aborted, when the device
// is lost mid-fit, when float32 overflows, and how checkEvery shifts 'cd''s stopping iteration.

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { testDevice } from './setup.js';
import { isSoftwareAdapter } from '../../src/backend/adapter.js';
import { kernelPlanFor, liveBufferCount } from '../../src/backend/webgpu/index.js';
import { MiniBatchNMF, NMF, NMFError, nonNegativeFactorization } from '../../src/index.js';
import { RandomState } from '../../src/random/random-state.js';

const quiet = () => {};

function uniform(rows: number, cols: number, seed: number, scale = 1) {
  const rng = new RandomState(seed);
  return { rows, cols, data: Float64Array.from({ length: rows * cols }, () => scale * rng.randomSample()) };
}

describe('WebGPU through nonNegativeFactorization', () => {
  it('returns float32 factors, and 100 fits on the caller\'s device leave no buffers behind', async () => {
    const device = await testDevice();
    const X = uniform(12, 9, 1);
    for (let i = 0; i < 100; i++) {
      const solver = i % 2 === 0 ? 'cd' : 'mu';
      const { W, H } = await nonNegativeFactorization(X, { nComponents: 3, solver, maxIter: 3, backend: 'webgpu', device, onWarning: quiet });
      expect(W.data).toBeInstanceOf(Float32Array);
      expect(H.rows).toBe(3);
      expect(liveBufferCount(device)).toBe(0);
    }
    device.destroy();
  });

  it('an abort during the fit rejects with the abort reason and frees every buffer', async () => {
    const device = await testDevice();
    const controller = new AbortController();
    const fit = nonNegativeFactorization(uniform(20, 15, 2), {
      nComponents: 4, solver: 'mu', maxIter: 10_000, tol: 0, backend: 'webgpu', device, signal: controller.signal,
      onProgress: ({ iteration }) => iteration >= 20 && controller.abort(),
    });
    await expect(fit).rejects.toMatchObject({ name: 'AbortError' });
    expect(liveBufferCount(device)).toBe(0);
    device.destroy();
  });

  it('a device destroyed mid-fit rejects with a clear error (never hangs)', async () => {
    const device = await testDevice();
    const fit = nonNegativeFactorization(uniform(20, 15, 3), {
      nComponents: 4, solver: 'cd', maxIter: 10_000, tol: 0, backend: 'webgpu', device,
      onProgress: ({ iteration }) => iteration >= 20 && device.destroy(),
    });
    await expect(fit).rejects.toThrow(/device was lost/i);
  });

  it('float32 overflow (NaN or Inf at a check) rejects with NMFError', async () => {
    const device = await testDevice();
    // X ~ 1e30: WᵀW·H ~ 1e60 overflows float32 (max 3.4e38)
    const fit = nonNegativeFactorization(uniform(10, 8, 4, 1e30), { nComponents: 2, solver: 'mu', init: 'random', randomState: 0, backend: 'webgpu', device, onWarning: quiet });
    await expect(fit).rejects.toThrow(NMFError);
    await expect(fit).rejects.toThrow(/diverged|non-finite|Infinity|NaN/);
    expect(liveBufferCount(device)).toBe(0);
    device.destroy();
  });

  it("cd with the GPU's default checkEvery (10) stops at the first check at or after scikit-learn's iteration", async () => {
    const device = await testDevice();
    const X = uniform(30, 20, 6);
    const options = { nComponents: 4, solver: 'cd', tol: 1e-2, init: 'random', randomState: 0, onWarning: quiet } as const;
    const exact = await nonNegativeFactorization(X, { ...options, backend: 'cpu' });
    expect(exact.nIter % 10, 'the reference must stop between checks for this test to mean something').not.toBe(0);
    const gpu = await nonNegativeFactorization(X, { ...options, backend: 'webgpu', device });
    expect(gpu.nIter % 10).toBe(0);
    expect(gpu.nIter).toBeGreaterThanOrEqual(exact.nIter);
    expect(gpu.nIter).toBeLessThan(exact.nIter + 10);
    const every = await nonNegativeFactorization(X, { ...options, backend: 'webgpu', device, checkEvery: 1 });
    expect(every.nIter).toBe(exact.nIter);
    device.destroy();
  });

  it('reads back ⌈nIter / checkEvery⌉ times plus the final read (the initial error or first violation rides along)', async () => {
    const device = await testDevice();
    // Count mapAsync on every buffer of this device: the prototype is shared, so patch it for this test only.
    const probe = device.createBuffer({ size: 16, usage: 0x0001 | 0x0008 }); // MAP_READ | COPY_DST
    const proto = Object.getPrototypeOf(probe) as { mapAsync: (...args: unknown[]) => Promise<void> };
    probe.destroy();
    const original = proto.mapAsync;
    let reads = 0;
    proto.mapAsync = function (this: unknown, ...args: unknown[]) {
      reads++;
      return original.apply(this, args);
    };
    try {
      const X = uniform(16, 12, 8);
      const cases = [
        { solver: 'cd', tol: 1e-12, checkEvery: 10, expected: 3 + 1 },
        { solver: 'cd', tol: 1e-12, checkEvery: 1, expected: 30 + 1 },
        { solver: 'mu', tol: 1e-12, checkEvery: 10, expected: 3 + 1 },
        { solver: 'mu', betaLoss: 'kullback-leibler', tol: 1e-12, checkEvery: 10, expected: 3 + 1 },
        { solver: 'mu', tol: 0, checkEvery: 10, expected: 1 },
      ] as const;
      for (const { expected, ...o } of cases) {
        reads = 0;
        const { nIter } = await nonNegativeFactorization(X, { ...o, nComponents: 3, maxIter: 30, init: 'random', randomState: 0, backend: 'webgpu', device, onWarning: quiet });
        expect(nIter, JSON.stringify(o)).toBe(30);
        expect(reads, JSON.stringify(o)).toBe(expected);
      }
    } finally {
      proto.mapAsync = original;
      device.destroy();
    }
  });

  it('the estimator reports the backend and the kernel plan it ran on', async () => {
    const device = await testDevice();
    // SwiftShader is a fallback adapter: gpuProfile 'auto' runs the software plan on it
    expect(isSoftwareAdapter(device.adapterInfo)).toBe(true);
    const plans = { auto: 'software', software: 'software', hardware: 'hardware' } as const;
    for (const [gpuProfile, plan] of Object.entries(plans)) {
      const model = new NMF({ nComponents: 2, backend: 'webgpu', device, maxIter: 5, gpuProfile: gpuProfile as keyof typeof plans, onWarning: quiet });
      await model.fit(uniform(6, 5, 6));
      expect(model.backendUsed, gpuProfile).toMatch(new RegExp(`^webgpu: .+ \\(float32, ${plan} plan\\)$`));
      const mb = new MiniBatchNMF({ nComponents: 2, backend: 'webgpu', device, maxIter: 2, batchSize: 3, gpuProfile: gpuProfile as keyof typeof plans, onWarning: quiet });
      await mb.fit(uniform(6, 5, 6));
      expect(mb.backendUsed, gpuProfile).toMatch(new RegExp(`\\(float32, ${plan} plan\\)$`));
    }
    device.destroy();
  });

  it("one rule says 'software adapter', for backend 'auto' and for gpuProfile 'auto'", () => {
    expect(isSoftwareAdapter({ vendor: 'nvidia', architecture: 'ada', description: 'NVIDIA GeForce RTX 4070', isFallbackAdapter: false })).toBe(false);
    expect(isSoftwareAdapter({ vendor: 'apple', architecture: 'metal-3', isFallbackAdapter: false })).toBe(false);
    expect(isSoftwareAdapter({ vendor: 'whoever', isFallbackAdapter: true })).toBe(true);
    for (const name of ['google swiftshader', 'mesa llvmpipe', 'lavapipe', 'Microsoft Basic Render Driver']) expect(isSoftwareAdapter({ description: name }), name).toBe(true);
    expect(kernelPlanFor('auto', true)).toBe('software');
    expect(kernelPlanFor('auto', false)).toBe('hardware');
    expect(kernelPlanFor('hardware', true)).toBe('hardware');
    expect(kernelPlanFor('software', false)).toBe('software');
  });
});

describe('without any WebGPU adapter', () => {
  it("backend 'webgpu' rejects at once with a clear error; 'auto' runs on the CPU", () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const script = `
      const { nonNegativeFactorization } = await import('./src/index.ts');
      const X = [[1, 2], [3, 4], [5, 6]];
      const auto = await nonNegativeFactorization(X, { nComponents: 1, maxIter: 5, onWarning: () => {} });
      let message = 'no error';
      try { await nonNegativeFactorization(X, { nComponents: 1, backend: 'webgpu' }); } catch (e) { message = e.name + ': ' + e.message; }
      console.log(JSON.stringify({ autoIsFloat64: auto.W.data instanceof Float64Array, message }));`;
    // A Vulkan driver list that names no driver: Dawn finds no adapter at all.
    const env = { ...process.env, VK_ICD_FILENAMES: '/nonexistent/icd.json' };
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
    const result = JSON.parse(out.trim().split('\n').pop()!);
    expect(result.autoIsFloat64).toBe(true);
    expect(result.message).toMatch(/^NMFError: backend: 'webgpu' was asked for, but WebGPU is not available/);
  });
});
