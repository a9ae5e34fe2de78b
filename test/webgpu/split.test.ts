// X larger than the storage binding limit is split into row blocks, each its own binding: a forced
// small limit must give the same fit as no split (and as the CPU), under both kernel plans; and the
// 'hardware' plan's split-K products, forced into short splits and several passes, give the CPU's fit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { F32_FIT_TOL, relativeError, withValidation } from './setup.js';
import { createWebGPUBackend, type WebGPUBackend } from '../../src/backend/webgpu/index.js';
import { CpuBackend } from '../../src/backend/cpu/cpu-backend.js';
import { rowsPerBlock } from '../../src/backend/webgpu/x-upload.js';
import type { FitPlan } from '../../src/backend/backend.js';
import { makeProblem, NO_REG, runHals, runMu } from './fit-helpers.js';

const m = 23, n = 19, k = 4;
/** n = 20: the skinny kernels (rows of X in vec4s); n = 19: the general GEMM and KL's X ⊘ WH scratch */
const WIDTHS = [19, 20];
const BLOCK_ROWS = 8; // → blocks of 8, 8 and 7 rows
const PLANS = ['software', 'hardware'] as const;
let whole: WebGPUBackend;
const wholes = new Map<string, WebGPUBackend>();
const splits = new Map<string, WebGPUBackend>();
beforeAll(async () => {
  whole = await createWebGPUBackend({ gpuProfile: 'software' });
  for (const plan of PLANS) {
    wholes.set(plan, whole.withGpuProfile(plan));
    for (const w of WIDTHS) splits.set(`${plan} ${w}`, await createWebGPUBackend({ device: whole.device, gpuProfile: plan, maxBindingSize: BLOCK_ROWS * w * 4 }));
  }
});
afterAll(() => {
  for (const b of splits.values()) b.dispose();
  whole?.dispose();
});

describe("Kullback-Leibler's X ⊘ WH in row chunks", () => {
  it('gives the same fit as one chunk, with and without the row-block split', async () => {
    // 4-row chunks (4·n·4 bytes): 6 chunks of the whole X, 2 of each block of the split one (8, 8, 7 rows).
    const chunked = await createWebGPUBackend({ device: whole.device, ratioScratchBytes: 4 * n * 4 });
    const both = await createWebGPUBackend({ device: whole.device, maxBindingSize: BLOCK_ROWS * n * 4, ratioScratchBytes: 4 * n * 4 });
    await withValidation(whole.device, async () => {
      const problem = makeProblem({ m, n, k, beta: 1 });
      const plans = [await whole.createFit(problem), await chunked.createFit(problem), await both.createFit(problem)];
      for (const plan of plans) await runMu(plan, 1, 20, NO_REG);
      const [ra, rb, rc] = [await plans[0].read(), await plans[1].read(), await plans[2].read()];
      for (const r of [rb, rc]) {
        expect(relativeError(r.W.data, ra.W.data)).toBeLessThan(SPLIT_TOL);
        expect(relativeError(r.H.data, ra.H.data)).toBeLessThan(SPLIT_TOL);
      }
      for (const plan of plans) plan.destroy();
      expect(whole.liveBuffers()).toBe(0);
    });
    chunked.dispose();
    both.dispose();
  });
});

/** Same result, split or not, to float32 rounding (the sums over row blocks add in another order). */
const SPLIT_TOL = 1e-5;

describe.each(PLANS.flatMap((plan) => WIDTHS.map((n) => [plan, n] as const)))('row-block split of dense X (%s plan), n = %i', (plan, n) => {
  it('splits at the binding limit', () => {
    expect(rowsPerBlock(n, BLOCK_ROWS * n * 4)).toBe(BLOCK_ROWS);
    expect(() => rowsPerBlock(1000, 64)).toThrow(/exceeds this device's storage binding limit/);
  });

  const scripts: [string, number, (p: FitPlan) => Promise<unknown>][] = [
    ['mu β=2', 2, async (p) => runMu(p, 2, 20, NO_REG)],
    ['mu β=1', 1, async (p) => runMu(p, 1, 20, NO_REG)],
    ['mu β=0.5', 0.5, async (p) => runMu(p, 0.5, 20, NO_REG)],
    ['hals', 2, (p) => runHals(p, k, 20, NO_REG, false)],
  ];
  for (const [name, beta, run] of scripts) {
    it(name, async () => {
      await withValidation(whole.device, async () => {
        const problem = makeProblem({ m, n, k, beta });
        const [a, b, c] = [await wholes.get(plan)!.createFit(problem), await splits.get(`${plan} ${n}`)!.createFit(problem), await new CpuBackend().createFit(problem)];
        for (const plan of [a, b, c]) await run(plan);
        const [ra, rb, rc] = [await a.read(), await b.read(), await c.read()];
        expect(relativeError(rb.W.data, ra.W.data)).toBeLessThan(SPLIT_TOL);
        expect(relativeError(rb.H.data, ra.H.data)).toBeLessThan(SPLIT_TOL);
        expect(relativeError(rb.W.data, rc.W.data)).toBeLessThan(F32_FIT_TOL);
        expect(relativeError(rb.H.data, rc.H.data)).toBeLessThan(F32_FIT_TOL);
        const [ea, eb] = [await a.reconstructionError(), await b.reconstructionError()];
        expect(Math.abs(ea - eb) / ea).toBeLessThan(SPLIT_TOL);
        a.destroy();
        b.destroy();
        expect(whole.liveBuffers()).toBe(0);
      });
    });
  }
});

describe("the 'hardware' plan's split-K products, in short splits and several passes, and row blocks", () => {
  // 150 × 101 (scalar loads of X) and 150 × 100 (vec4), in two row blocks (80 and 70 rows, the second
  // adding to the first); 32 rows or columns per split, 2 splits a pass: X·Hᵀ and Wᵀ·X run 2 passes each
  const scripts: [string, number, (p: FitPlan) => Promise<unknown>][] = [
    ['mu β=2', 2, async (p) => runMu(p, 2, 15, NO_REG)],
    ['mu β=1', 1, async (p) => runMu(p, 1, 15, NO_REG)],
    ['mu β=0.5', 0.5, async (p) => runMu(p, 0.5, 15, NO_REG)],
    ['hals', 2, (p) => runHals(p, k, 15, NO_REG, false)],
  ];
  for (const n of [101, 100]) {
    for (const [name, beta, run] of scripts) {
      it(`${name}, n = ${n}`, async () => {
        const forced = await createWebGPUBackend({ device: whole.device, gpuProfile: 'hardware', maxChunk: 32, maxSplits: 2, maxBindingSize: 80 * n * 4 });
        await withValidation(whole.device, async () => {
          const problem = makeProblem({ m: 150, n, k, beta });
          const [a, c] = [await forced.createFit(problem), await new CpuBackend().createFit(problem)];
          for (const plan of [a, c]) await run(plan);
          const [ra, rc] = [await a.read(), await c.read()];
          expect(relativeError(ra.W.data, rc.W.data)).toBeLessThan(F32_FIT_TOL);
          expect(relativeError(ra.H.data, rc.H.data)).toBeLessThan(F32_FIT_TOL);
          const [ea, ec] = [await a.reconstructionError(), await c.reconstructionError()];
          expect(Math.abs(ea - ec) / ec).toBeLessThan(F32_FIT_TOL);
          a.destroy();
          expect(whole.liveBuffers()).toBe(0);
        });
        forced.dispose();
      });
    }
  }
});

describe.each(PLANS)('row-block split of CSR X (%s plan)', (plan) => {
  // 23 × 19 with ~40 % of the entries stored; a binding of 24 floats: blocks of 2–4 rows, each its own
  // arrays and CSC copy (XHt written by rows, WtX summed over the blocks, WH sampled per block)
  const scripts: [string, number, (p: FitPlan) => Promise<unknown>][] = [
    ['mu β=2', 2, async (p) => runMu(p, 2, 20, NO_REG)],
    ['mu β=1', 1, async (p) => runMu(p, 1, 20, NO_REG)],
    ['mu β=1.5', 1.5, async (p) => runMu(p, 1.5, 20, NO_REG)],
    ['hals', 2, (p) => runHals(p, k, 20, NO_REG, false)],
  ];
  for (const [name, beta, run] of scripts) {
    it(name, async () => {
      const blocked = await createWebGPUBackend({ device: whole.device, gpuProfile: plan, maxBindingSize: 24 * 4 });
      await withValidation(whole.device, async () => {
        const problem = makeProblem({ m, n: 19, k, beta, sparse: true });
        const [a, b, c] = [await wholes.get(plan)!.createFit(problem), await blocked.createFit(problem), await new CpuBackend().createFit(problem)];
        for (const p of [a, b, c]) await run(p);
        const [ra, rb, rc] = [await a.read(), await b.read(), await c.read()];
        expect(relativeError(rb.W.data, ra.W.data)).toBeLessThan(SPLIT_TOL);
        expect(relativeError(rb.H.data, ra.H.data)).toBeLessThan(SPLIT_TOL);
        expect(relativeError(rb.W.data, rc.W.data)).toBeLessThan(F32_FIT_TOL);
        expect(relativeError(rb.H.data, rc.H.data)).toBeLessThan(F32_FIT_TOL);
        const [ea, eb] = [await a.reconstructionError(), await b.reconstructionError()];
        expect(Math.abs(ea - eb) / ea).toBeLessThan(SPLIT_TOL);
        a.destroy();
        b.destroy();
        expect(whole.liveBuffers()).toBe(0);
      });
      blocked.dispose();
    });
  }

  it('CSR X whose column pointers exceed one binding is refused clearly, leaking nothing', async () => {
    const blocked = await createWebGPUBackend({ device: whole.device, gpuProfile: plan, maxBindingSize: 4 * 4 });
    const X = { rows: 2, cols: 6, indptr: Int32Array.of(0, 2, 3), indices: Int32Array.of(0, 5, 3), data: new Float64Array(3).fill(1) };
    const problem = { X, W: { rows: 2, cols: 1, data: Float64Array.of(1, 1) }, H: { rows: 1, cols: 6, data: new Float64Array(6).fill(1) }, beta: 2, updateH: true };
    await expect(blocked.createFit(problem)).rejects.toThrow(/CSR X's 6 columns exceed this device's storage binding limit of 16 bytes/);
    expect(blocked.liveBuffers()).toBe(0);
    blocked.dispose();
  });
});
