// onProgress's second argument, the running fit: its factors() reads W and H while an NMF fit runs
// (a live view of the components, as the demo draws them), on the caller's thread and through
// webnmf/worker; once the fit has ended it says so. MiniBatchNMF passes none.

import { afterEach, describe, expect, it } from 'vitest';
import { MiniBatchNMF, NMF, NMFError, type DenseMatrix, type NMFOptions, type RunningFit } from '../src/index.js';
import { WorkerNMF } from '../src/worker/index.js';
import { seededMatrix } from './support/matrices.js';

const quiet = () => {};
const X = seededMatrix(30, 12, 3);

function expectSame(got: DenseMatrix, want: DenseMatrix, what: string): void {
  expect([got.rows, got.cols], `${what}: shape`).toEqual([want.rows, want.cols]);
  expect(Array.from(got.data).findIndex((v, i) => !Object.is(v, want.data[i])), `${what}: first entry that differs`).toBe(-1);
}

/** Fits with `options`, reading the factors at every check; returns the reads, the result, and the fit handle. */
async function fitReading(options: NMFOptions) {
  const reads: Promise<{ iteration: number; W: DenseMatrix; H: DenseMatrix }>[] = [];
  let handle: RunningFit | undefined;
  const model = new NMF({
    nComponents: 3, init: 'nndsvda', randomState: 0, tol: 0, maxIter: 20, onWarning: quiet, ...options,
    onProgress: (p, fit) => {
      handle = fit;
      reads.push(fit!.factors().then((f) => ({ iteration: p.iteration, ...f })));
    },
  });
  const W = await model.fitTransform(X);
  return { reads: await Promise.all(reads), W, H: model.components!, handle: handle! };
}

describe('RunningFit: the factors of a fit under way', () => {
  it.each<[string, NMFOptions]>([
    ['cd, cpu (every iteration)', { solver: 'cd', backend: 'cpu' }],
    ['mu, cpu', { solver: 'mu', backend: 'cpu' }],
    // the GPU queue runs up to two groups of ≤ checkEvery iterations behind the host, and a report comes
    // once its group has run: a read then may see up to ~20 later iterations, so this fit runs 60
    ['mu, webgpu (every 10th: one readback each)', { solver: 'mu', backend: 'webgpu', maxIter: 60 }],
  ])('%s: the last check reads the result; earlier ones earlier iterates; after the fit it rejects', async (_name, options) => {
    const { reads, W, H, handle } = await fitReading(options);
    expect(reads.length).toBeGreaterThanOrEqual(2);
    const last = reads[reads.length - 1];
    expect(last.iteration).toBe(options.maxIter ?? 20);
    // nothing runs after the last check but the final read: it saw the final factors
    expectSame(last.W, W, 'W at the last check');
    expectSame(last.H, H, 'H at the last check');
    expect(last.H.data.constructor).toBe(H.data.constructor);
    // an earlier check's factors are an earlier iterate
    expect(Array.from(reads[0].H.data)).not.toEqual(Array.from(H.data));
    await expect(handle.factors()).rejects.toThrow(NMFError);
    await expect(handle.factors()).rejects.toThrow(/The fit has ended/);
  });

  it("on the CPU a read is the reported check's iterate: the same as a fit stopped there", async () => {
    const { reads } = await fitReading({ solver: 'cd', backend: 'cpu' });
    const at7 = reads.find((r) => r.iteration === 7)!;
    const stopped = new NMF({ nComponents: 3, init: 'nndsvda', randomState: 0, tol: 0, maxIter: 7, solver: 'cd', backend: 'cpu', onWarning: quiet });
    expectSame(at7.W, await stopped.fitTransform(X), 'W at iteration 7');
    expectSame(at7.H, stopped.components!, 'H at iteration 7');
  });

  it('MiniBatchNMF reports without it', async () => {
    const seen: unknown[] = [];
    await new MiniBatchNMF({ nComponents: 2, batchSize: 10, maxIter: 2, backend: 'cpu', onWarning: quiet, onProgress: (_p, fit) => seen.push(fit) }).fit(X);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((f) => f === undefined)).toBe(true);
  });
});

describe('RunningFit through webnmf/worker', () => {
  const made: WorkerNMF[] = [];
  afterEach(() => made.splice(0).forEach((w) => w.dispose()));

  it("reads the worker's fit while it runs (W and H of the right shape); after the fit it rejects", async () => {
    let handle: RunningFit | undefined;
    let first: Promise<{ W: DenseMatrix; H: DenseMatrix }> | undefined;
    // the fit runs until the read is answered (between its iterations), then stops
    const controller = new AbortController();
    const worker = new WorkerNMF({
      nComponents: 3, solver: 'cd', tol: 0, maxIter: 1_000_000, backend: 'cpu', onWarning: quiet, signal: controller.signal,
      onProgress: (_p, fit) => {
        handle = fit;
        first ??= fit!.factors().finally(() => controller.abort(new Error('read done')));
      },
    });
    made.push(worker);
    await expect(worker.fitTransform(X)).rejects.toThrow('read done');
    const live = await first!;
    expect([live.W.rows, live.W.cols, live.H.rows, live.H.cols]).toEqual([30, 3, 3, 12]);
    expect(live.H.data).toBeInstanceOf(Float64Array);
    expect(Array.from(live.W.data).every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
    expect(Array.from(live.H.data).some((v) => v > 0)).toBe(true);
    await expect(handle!.factors()).rejects.toThrow(NMFError);
    await expect(handle!.factors()).rejects.toThrow(/No fit is running/);
  });
});
