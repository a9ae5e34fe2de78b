// The webasm tier on gpu.js's worker pool (option `threads`): the backend says how many threads it
// runs, a threaded plan computes exactly what the single-threaded one does (gpu.js promises the same
// values whatever the split: compared bit for bit), its steps queue and a queued step's error comes
// out at the next read, and dispose() ends every pool's worker threads.

import { describe, expect, it } from 'vitest';
import type { FitPlan, FitProblem } from '../../src/backend/backend.js';
import { defaultThreads, threadsSupported } from '../../src/backend/cpu/threads.js';
import { createGpujsBackend, type GpujsBackend } from '../../src/backend/gpujs/index.js';
import { muGamma } from '../../src/loss.js';
import { makeProblem, randomArray } from '../support/problems.js';

/**
 * Shapes whose heavy kernels go to the pool (at least 4096 output cells, rows a multiple of 4 wide,
 * about 2^20 multiply-adds or more; see worthThreads in fit-plan.ts): W·H, Wᵀ·X, KL's and β's MU
 * updates of both factors (W with its extra column is 700 × 8, H with its extra row 8 × 692).
 */
const SHAPE = { m: 700, n: 692, k: 7 };

/** The pools of the backend's gpu.js kernels (gpu.js internals: `gpu.kernels[i]._pool`). */
interface Pool {
  destroyed: boolean;
  liveWorkerCount: number;
  workers: { handle: { once(event: 'exit', listener: () => void): void } }[];
}
function poolsOf(backend: GpujsBackend): Pool[] {
  const kernels = (backend as unknown as { gpu: { kernels: { _pool?: Pool | null }[] } | null }).gpu?.kernels ?? [];
  return kernels.flatMap((kernel) => (kernel._pool ? [kernel._pool] : []));
}

/** Run `steps` on a plan of `problem` with threads and without; every value they return, and W, H. */
async function onBoth(problem: FitProblem, steps: (plan: FitPlan) => Promise<number[]>) {
  const out: { scalars: number[]; W: Float32Array; H: Float32Array }[] = [];
  for (const threads of [false, 2] as const) {
    const backend = await createGpujsBackend({ threads });
    const plan = await backend.createFit(problem);
    try {
      const scalars = await steps(plan);
      const { W, H } = await plan.read();
      out.push({ scalars, W: W.data as Float32Array, H: H.data as Float32Array });
      // the threaded backend did split its kernels across workers
      if (threads) expect(backend.liveWorkers()).toBeGreaterThan(0);
    } finally {
      plan.destroy();
      backend.dispose();
    }
  }
  const [single, threaded] = out;
  expect(threaded.scalars).toEqual(single.scalars);
  // bit for bit
  const bits = (a: Float32Array) => new Uint32Array(a.buffer, a.byteOffset, a.length);
  expect(bits(threaded.W)).toEqual(bits(single.W));
  expect(bits(threaded.H)).toEqual(bits(single.H));
  return single;
}

describe('gpujs webasm threads', () => {
  it("says how it runs: 'gpujs (webasm, 2 threads)' with threads (the default, one per core), 'gpujs (webasm)' without", async () => {
    const threaded = await createGpujsBackend({ threads: 2 });
    expect(threaded.threads).toBe(2);
    expect(threaded.description).toBe('gpujs (webasm, 2 threads)');
    threaded.dispose();
    const byDefault = await createGpujsBackend();
    expect(byDefault.threads).toBe(threadsSupported() && defaultThreads() >= 2 ? defaultThreads() : 0);
    byDefault.dispose();
    for (const options of [{ threads: false }, { threads: 1 }] as const) {
      const single = await createGpujsBackend(options);
      expect(single.threads).toBe(0);
      expect(single.description).toBe('gpujs (webasm)');
      single.dispose();
    }
  });

  it.each([2, 1, 0.5])('MU (β = %s, L1, L2, clipping) and the loss: threaded equals single-threaded bit for bit', async (beta) => {
    const gamma = muGamma(beta);
    const { scalars } = await onBoth(makeProblem({ ...SHAPE, beta, seed: 3 }), async (plan) => {
      const errors = [await plan.reconstructionError()];
      for (let s = 0; s < 2; s++) {
        plan.muUpdateW({ l1: 0.02, l2: 0.05, gamma });
        plan.muUpdateH({ l1: 0.01, l2: 0.1, gamma });
      }
      errors.push(await plan.reconstructionError());
      return errors;
    });
    expect(scalars[1]).toBeLessThan(scalars[0]);
  });

  it('HALS sweeps and their violation: threaded equals single-threaded bit for bit', async () => {
    const order = Int32Array.of(3, 0, 6, 4, 1, 5, 2);
    await onBoth(makeProblem({ ...SHAPE, beta: 2, seed: 4 }), async (plan) => {
      const out = [];
      for (let s = 0; s < 3; s++) {
        plan.halsSweepW({ l1: 0.01, l2: 0.02, order });
        plan.halsSweepH({ l1: 0, l2: 0.03, order });
        out.push(await plan.lastViolation());
      }
      out.push(await plan.reconstructionError());
      return out;
    });
  });

  it("'pg' steps (gradients, a line search) and MiniBatchNMF's steps: threaded equals single-threaded bit for bit", async () => {
    await onBoth(makeProblem({ ...SHAPE, beta: 2, seed: 5 }), async (plan) => {
      const pg = plan.pg!;
      await pg.prepare();
      const out = [await pg.initialGradients()];
      for (const factor of ['W', 'H'] as const) {
        pg.begin({ factor, gramDiag: 0.1, gramAll: 0.05, l1: 0.01, l2: 0.02 });
        pg.gradient();
        const first = await pg.trial(1e-4, 'current');
        pg.keepTrial();
        const second = await pg.trial(1e-3, 'previous');
        pg.accept(second.gradd < 0 ? 'trial' : 'previous');
        out.push(first.projGradNormSq, first.gradd, first.dQd, second.gradd, second.dQd);
      }
      out.push(await pg.projectedGradientNormSq());
      return out;
    });
    const { m, n, k } = SHAPE;
    const problem = makeProblem({ ...SHAPE, beta: 1, seed: 6 });
    const averages = { A: { rows: k, cols: n, data: randomArray(k * n, 8, 0.5, 1) }, B: { rows: k, cols: n, data: randomArray(k * n, 9, 0.5, 1) } };
    expect(problem.W.rows).toBe(m);
    await onBoth({ ...problem, averages, minibatch: true }, async (plan) => {
      const mb = plan.minibatch!;
      const out = [];
      for (let s = 0; s < 2; s++) {
        plan.muUpdateW({ l1: 0, l2: 0, gamma: 1, clip: false });
        mb.clipW();
        mb.muUpdateHAveraged({ l1: 0.01, l2: 0.02, gamma: 1 }, 0.7);
        out.push(await mb.wChange(), await mb.hChange());
      }
      const sums = await mb.factorSums();
      const { A, B } = await mb.readAverages();
      out.push(sums.sumW, sums.sumW2, sums.sumH, sums.sumH2, ...A.data.slice(0, 50), ...B.data.slice(0, 50));
      return out;
    });
  });

  it('steps return at once and run in order; an error in a queued step comes out at the next read, and at every read after it', async () => {
    const backend = await createGpujsBackend({ threads: 2 });
    const plan = await backend.createFit(makeProblem({ ...SHAPE, beta: 2, seed: 7 }));
    // gradient() before begin(): refused when it runs, not when it is queued
    expect(() => plan.pg!.gradient()).not.toThrow();
    plan.muUpdateW({ l1: 0, l2: 0, gamma: 1 });
    await expect(plan.reconstructionError()).rejects.toThrow(/begin\(\) must start a subproblem first/);
    await expect(plan.read()).rejects.toThrow(/begin\(\) must start a subproblem first/);
    plan.destroy();
    // no averages: muUpdateHAveraged refuses at the next read
    const other = await backend.createFit(makeProblem({ ...SHAPE, beta: 2, seed: 8 }));
    other.minibatch!.muUpdateHAveraged({ l1: 0, l2: 0, gamma: 1 }, 0.5);
    await expect(other.minibatch!.wChange()).rejects.toThrow(/needs a plan made with averages/);
    other.destroy();
    backend.dispose();
  });

  it('a plan destroyed with steps queued stops them and refuses reads; dispose() ends every worker pool', async () => {
    const backend = await createGpujsBackend({ threads: 2 });
    const plan = await backend.createFit(makeProblem({ ...SHAPE, beta: 1, seed: 9 }));
    plan.muUpdateW({ l1: 0, l2: 0, gamma: 1 });
    await plan.reconstructionError();
    for (let s = 0; s < 20; s++) {
      plan.muUpdateW({ l1: 0, l2: 0, gamma: 1 });
      plan.muUpdateH({ l1: 0, l2: 0, gamma: 1 });
    }
    // let the queue start (a step's kernel in flight on the workers), then destroy
    await new Promise((resolve) => setTimeout(resolve, 0));
    plan.destroy();
    expect(backend.livePlans()).toBe(0);
    await expect(plan.reconstructionError()).rejects.toThrow(/destroyed/);
    expect(() => plan.muUpdateW({ l1: 0, l2: 0, gamma: 1 })).toThrow(/destroyed/);
    // the backend's kernels (kept for the next fit of this shape) hold their pools until dispose()
    const pools = poolsOf(backend);
    expect(pools.length).toBeGreaterThan(0);
    expect(backend.liveWorkers()).toBeGreaterThan(0);
    const exits = pools.flatMap((pool) => pool.workers.map((w) => new Promise<void>((resolve) => w.handle.once('exit', resolve))));
    backend.dispose();
    expect(backend.liveWorkers()).toBe(0);
    for (const pool of pools) {
      expect(pool.destroyed).toBe(true);
      expect(pool.liveWorkerCount).toBe(0);
    }
    // every worker thread has exited
    await Promise.all(exits);
  });
});
