// X larger than the storage binding limit is split into row blocks, each its own binding: a forced
// small limit must give the same fit as no split (and as the CPU).
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
let whole: WebGPUBackend;
const splits = new Map<number, WebGPUBackend>();
beforeAll(async () => {
  whole = await createWebGPUBackend();
  for (const w of WIDTHS) splits.set(w, await createWebGPUBackend({ device: whole.device, maxBindingSize: BLOCK_ROWS * w * 4 }));
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

describe.each(WIDTHS)('row-block split of dense X, n = %i', (n) => {
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
        const [a, b, c] = [await whole.createFit(problem), await splits.get(n)!.createFit(problem), await new CpuBackend().createFit(problem)];
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
