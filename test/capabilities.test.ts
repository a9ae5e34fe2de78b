// Capabilities: each backend declares what it runs (`supports`), and a fit that needs what its
// backend lacks is refused once, before any plan exists, by requireCapability: one message naming
// the option, the backend and the ways out. The backends here are the CPU's with one capability
// declared false (no real backend lacks 'pg' or MiniBatchNMF's steps today), and the real gpujs
// backend, which lacks weighted NMF. That every declaration is true to its plans is checked per
// target in test/conformance/supports.test.ts.

import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Backend } from '../src/backend/backend.js';
import { requireCapability, supportsAll, type BackendSupports } from '../src/backend/capabilities.js';
import { MiniBatchNMF, NMF, NMFError, nonNegativeFactorization } from '../src/index.js';

/** What the mocked acquireBackend hands out: the CPU backend with these capabilities off. */
const lacking: { off: (keyof BackendSupports)[]; plans: number } = { off: [], plans: 0 };

vi.mock('../src/backend/select.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/backend/select.js')>();
  return {
    ...original,
    acquireBackend: async (...args: Parameters<typeof original.acquireBackend>): Promise<Backend> => {
      const real = await original.acquireBackend(...args);
      if (args[0] !== 'cpu' || lacking.off.length === 0) return real;
      const supports = { ...real.supports, ...Object.fromEntries(lacking.off.map((c) => [c, false])) };
      return {
        ...real,
        name: 'cpu',
        description: 'test backend',
        supports,
        createFit: (p) => {
          lacking.plans++;
          return real.createFit(p);
        },
        dispose: () => {},
      };
    },
  };
});

afterEach(() => {
  lacking.off = [];
  lacking.plans = 0;
});

const X = [[1, 2], [3, 4], [5, 1]];
const quiet = () => {};

describe('a fit its backend cannot run is refused before any plan exists', () => {
  it("solver 'pg' on a backend without 'pg'", async () => {
    lacking.off = ['pg'];
    const fit = nonNegativeFactorization(X, { nComponents: 2, init: 'random', randomState: 0, solver: 'pg', backend: 'cpu' });
    await expect(fit).rejects.toThrow(NMFError);
    await expect(fit).rejects.toThrow(
      "solver 'pg' needs the projected gradient's steps, which backend 'cpu' (test backend) does not support. Use backend 'auto' (it picks a backend that can), backend 'cpu' or solver 'cd'.",
    );
    expect(lacking.plans).toBe(0);
    // the same backend runs the other solvers
    const cd = await nonNegativeFactorization(X, { nComponents: 2, init: 'random', randomState: 0, solver: 'cd', backend: 'cpu' });
    expect(cd.nIter).toBeGreaterThan(0);
    expect(lacking.plans).toBe(1);
  });

  it('MiniBatchNMF (fit, partialFit, transform) on a backend without its steps', async () => {
    lacking.off = ['minibatch'];
    const message = "MiniBatchNMF needs MiniBatchNMF's steps, which backend 'cpu' (test backend) does not support. Use backend 'auto' (it picks a backend that can), backend 'cpu' or NMF.";
    const model = () => new MiniBatchNMF({ nComponents: 2, batchSize: 2, maxIter: 2, backend: 'cpu', onWarning: quiet });
    await expect(model().fit(X)).rejects.toThrow(message);
    await expect(model().partialFit(X)).rejects.toThrow(message);
    lacking.off = [];
    const fitted = await model().fit(X);
    lacking.off = ['minibatch'];
    await expect(fitted.transform(X)).rejects.toThrow(message);
    expect(lacking.plans).toBe(0);
    // NMF needs no MiniBatchNMF steps
    await expect(new NMF({ nComponents: 2, maxIter: 3, tol: 0, backend: 'cpu', onWarning: quiet }).fit(X)).resolves.toBeTruthy();
  });

  it('the mask on a backend without weighted NMF', async () => {
    lacking.off = ['weighted'];
    const fit = nonNegativeFactorization(X, { nComponents: 2, solver: 'mu', backend: 'cpu', mask: [[1, 1], [1, 0], [0, 1]] });
    await expect(fit).rejects.toThrow(NMFError);
    await expect(fit).rejects.toThrow("mask needs weighted NMF, which backend 'cpu' (test backend) does not support. Use backend 'auto' (it picks a backend that can), backend 'cpu' or no mask.");
    expect(lacking.plans).toBe(0);
  });

  it('the mask on the real gpujs backend (its declaration, not a check inside its plan)', async () => {
    const fit = nonNegativeFactorization(X, { nComponents: 2, solver: 'mu', backend: 'gpujs', mask: [[1, 1], [1, 0], [0, 1]] });
    await expect(fit).rejects.toThrow(/^mask needs weighted NMF, which backend 'gpujs' \(gpujs \(webasm[^)]*\)\) does not support\./);
    // unweighted, the same fit runs there
    await expect(nonNegativeFactorization(X, { nComponents: 2, solver: 'mu', backend: 'gpujs', maxIter: 3, tol: 0, onWarning: quiet })).resolves.toBeTruthy();
  });
});

describe('requireCapability and supportsAll (what backend auto asks of a candidate)', () => {
  const backend = { name: 'gpujs', description: 'gpujs (webasm)', supports: { pg: true, minibatch: false, weighted: false, float64: false } } as const;

  it('passes what is declared, refuses what is not, naming option, backend and ways out', () => {
    expect(() => requireCapability(backend, { capability: 'pg', option: "solver 'pg'" })).not.toThrow();
    expect(() => requireCapability(backend, { capability: 'minibatch', option: 'MiniBatchNMF' })).toThrow(
      new NMFError("MiniBatchNMF needs MiniBatchNMF's steps, which backend 'gpujs' (gpujs (webasm)) does not support. Use backend 'auto' (it picks a backend that can) or backend 'cpu'."),
    );
  });

  it("supportsAll: every need declared, or 'auto' passes the backend over", () => {
    expect(supportsAll(backend, [])).toBe(true);
    expect(supportsAll(backend, [{ capability: 'pg', option: "solver 'pg'" }])).toBe(true);
    expect(supportsAll(backend, [{ capability: 'pg', option: "solver 'pg'" }, { capability: 'weighted', option: 'mask' }])).toBe(false);
  });
});
