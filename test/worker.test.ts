// webnmf/worker in Node (worker_threads; the browser's Web Worker is tested in
// test/browser/worker.test.ts): a worker estimator gives what the estimator gives on this thread,
// bit for bit on the same backend; progress, warnings, abort and errors cross the boundary as the
// same things; dispose ends the worker. From the sources, the worker runs its TypeScript through tsx.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { InvalidParameterError, MiniBatchNMF, NMF, NMFError, type DenseMatrix, type NMFOptions, type ProgressInfo } from '../src/index.js';
import { WorkerMiniBatchNMF, WorkerNMF } from '../src/worker/index.js';
import { seededMatrix, toCsr } from './support/matrices.js';

const quiet = () => {};
const X = seededMatrix(40, 15, 1);
const X2 = seededMatrix(7, 15, 2);
/** Workers a test made, disposed after it whatever happened. */
const made: { dispose(): void }[] = [];
const track = <T extends { dispose(): void }>(w: T) => (made.push(w), w);
afterEach(() => made.splice(0).forEach((w) => w.dispose()));

function expectIdentical(got: DenseMatrix | undefined, want: DenseMatrix | undefined, what: string): void {
  expect(got, what).toBeDefined();
  expect(got!.data.constructor.name, `${what}: dtype`).toBe(want!.data.constructor.name);
  expect([got!.rows, got!.cols], `${what}: shape`).toEqual([want!.rows, want!.cols]);
  expect(Array.from(got!.data).findIndex((v, i) => !Object.is(v, want!.data[i])), `${what}: first entry that differs`).toBe(-1);
}

/** The error a call throws or rejects with. */
async function caught(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

describe('WorkerNMF (worker_threads) gives what NMF gives', () => {
  it.each<[string, NMFOptions, 'dense' | 'csr']>([
    ['cd, cpu', { solver: 'cd', init: 'nndsvda', randomState: 0, backend: 'cpu' }, 'dense'],
    ['mu kullback-leibler on csr, cpu', { solver: 'mu', betaLoss: 'kullback-leibler', init: 'random', randomState: 1, backend: 'cpu' }, 'csr'],
    ['mu, webgpu', { solver: 'mu', init: 'random', randomState: 0, tol: 0, maxIter: 60, backend: 'webgpu' }, 'dense'],
  ])('%s: fitTransform, attributes, transform, inverseTransform, toJSON', async (_name, options, layout) => {
    const data = layout === 'csr' ? toCsr(seededMatrix(40, 15, 1, { zeros: 0.5 })) : X;
    const opts = { nComponents: 4, maxIter: 100, onWarning: quiet, ...options };
    const here = new NMF(opts);
    const there = track(new WorkerNMF(opts));
    const [W, Wworker] = [await here.fitTransform(data), await there.fitTransform(data)];
    expectIdentical(Wworker, W, 'W');
    expectIdentical(there.components, here.components, 'components');
    expect([there.nIter, there.reconstructionErr, there.nComponentsOut, there.nFeaturesIn, there.backendUsed]).toEqual([here.nIter, here.reconstructionErr, here.nComponentsOut, here.nFeaturesIn, here.backendUsed]);
    expectIdentical(await there.transform(X2), await here.transform(X2), 'transform(X2)');
    expectIdentical(await there.inverseTransform(W), await here.inverseTransform(W), 'inverseTransform(W)');
    expect(JSON.stringify(there.toJSON())).toBe(JSON.stringify(here.toJSON()));
  });

  it('progress arrives in order, all of it before the call resolves; warnings reach onWarning, or console.warn by default', async () => {
    const reports = { here: [] as ProgressInfo[], there: [] as ProgressInfo[] };
    const warnings: string[] = [];
    const opts = { nComponents: 3, solver: 'mu' as const, init: 'random' as const, randomState: 0, maxIter: 50, backend: 'cpu' as const };
    await new NMF({ ...opts, onProgress: (p) => reports.here.push(p), onWarning: quiet }).fit(X);
    const worker = track(new WorkerNMF({ ...opts, onProgress: (p) => reports.there.push(p), onWarning: (w) => warnings.push(`${w.category}: ${w.message}`) }));
    await worker.fit(X);
    const strip = (r: ProgressInfo[]) => r.map(({ elapsedMs: _t, ...rest }) => rest);
    expect(strip(reports.there)).toEqual(strip(reports.here));
    expect(reports.there.map((r) => r.iteration)).toEqual([10, 20, 30, 40, 50]);
    expect(warnings).toEqual(['ConvergenceWarning: Maximum number of iterations 50 reached. Increase it to improve convergence.']);

    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      await track(new WorkerNMF(opts)).fit(X);
      expect(warn.mock.calls).toEqual([['ConvergenceWarning: Maximum number of iterations 50 reached. Increase it to improve convergence.']]);
    } finally {
      warn.mockRestore();
    }
  });

  it('abort stops the fit in the worker, which frees its GPU buffers; the call rejects with the signal’s reason', async () => {
    const controller = new AbortController();
    const reason = new Error('stopped by the user');
    let during: Promise<number | null> | undefined;
    const worker = track(new WorkerNMF({
      nComponents: 3, solver: 'mu', init: 'random', randomState: 0, maxIter: 100_000, tol: 0, checkEvery: 5, backend: 'webgpu', signal: controller.signal,
      onProgress: (p) => {
        if (p.iteration === 20) during = worker.inspectGpuBuffers();
        if (p.iteration >= 40) controller.abort(reason);
      },
    }));
    const error = await caught(() => worker.fitTransform(X));
    expect(error).toBe(reason);
    expect(await during, 'GPU buffers held during the fit').toBeGreaterThan(0);
    expect(await worker.inspectGpuBuffers(), 'GPU buffers held after the abort').toBe(0);
    // as on this thread: an aborted signal stops every later fit at once
    expect(await caught(() => worker.fit(X))).toBe(reason);
  });

  it('two workers fit at once, each as NMF would alone', async () => {
    const a = { nComponents: 3, solver: 'cd' as const, randomState: 5, backend: 'cpu' as const, maxIter: 300, tol: 1e-6, onWarning: quiet };
    const b = { nComponents: 5, solver: 'mu' as const, betaLoss: 'itakura-saito' as const, init: 'random' as const, randomState: 2, backend: 'cpu' as const, maxIter: 300, onWarning: quiet };
    const [wa, wb] = [track(new WorkerNMF(a)), track(new WorkerNMF(b))];
    const [Wa, Wb] = await Promise.all([wa.fitTransform(X), wb.fitTransform(X)]);
    expectIdentical(Wa, await new NMF(a).fitTransform(X), 'W of the first');
    expectIdentical(Wb, await new NMF(b).fitTransform(X), 'W of the second');
  });

  it('errors come back as the same class with the same message (and parameter)', async () => {
    const same = async (here: () => unknown, there: () => unknown) => {
      const [e1, e2] = [await caught(here), await caught(there)];
      expect((e2 as Error).constructor).toBe((e1 as Error).constructor);
      expect([(e2 as Error).name, (e2 as Error).message, (e2 as InvalidParameterError).parameter]).toEqual([(e1 as Error).name, (e1 as Error).message, (e1 as InvalidParameterError).parameter]);
      return e2 as Error;
    };
    // options are checked on this thread, at construction
    expect(await same(() => new NMF({ maxIter: 0 }), () => new WorkerNMF({ maxIter: 0 }))).toBeInstanceOf(InvalidParameterError);
    const opts = { nComponents: 2, backend: 'cpu' as const, onWarning: quiet };
    const here = new NMF(opts);
    const there = track(new WorkerNMF(opts));
    expect(await same(() => here.transform(X2), () => there.transform(X2))).toBeInstanceOf(NMFError);
    const negative = { rows: 2, cols: 15, data: Float64Array.from({ length: 30 }, (_, i) => (i === 3 ? -1 : 1)) };
    expect(await same(() => here.fit(negative), () => there.fit(negative))).toBeInstanceOf(InvalidParameterError);
    await here.fit(X);
    await there.fit(X);
    const e = await same(() => here.transform([[1, 2]]), () => there.transform([[1, 2]]));
    expect([e.name, (e as InvalidParameterError).parameter, e.message]).toEqual(['InvalidParameterError', 'X', 'X has 2 features, but NMF is expecting 15 features as input.']);
    expect(e.stack).toContain('(in the webnmf worker)');
    const solver = { nComponents: 2, solver: 'cd' as const, betaLoss: 'kullback-leibler' as const, backend: 'cpu' as const };
    await same(() => new NMF(solver).fit(X), () => track(new WorkerNMF(solver)).fit(X));
  });

  it('a callback that throws makes the call reject with its error', async () => {
    const bug = new TypeError('a bug in the page');
    const worker = track(new WorkerNMF({ nComponents: 2, backend: 'cpu', onProgress: () => { throw bug; }, onWarning: quiet }));
    expect(await caught(() => worker.fit(X))).toBe(bug);
  });
});

describe('WorkerMiniBatchNMF gives what MiniBatchNMF gives', () => {
  it('fitTransform, partialFit, transform, toJSON; fromJSON continues partialFit', async () => {
    const opts = { nComponents: 3, batchSize: 10, randomState: 0, maxIter: 4, betaLoss: 'kullback-leibler' as const, backend: 'cpu' as const, onWarning: quiet };
    const here = new MiniBatchNMF(opts);
    const there = track(new WorkerMiniBatchNMF(opts));
    expectIdentical(await there.fitTransform(X), await here.fitTransform(X), 'W');
    for (const batch of [seededMatrix(8, 15, 5), seededMatrix(12, 15, 6)]) {
      await here.partialFit(batch);
      expect(await there.partialFit(batch)).toBe(there);
    }
    expectIdentical(there.components, here.components, 'components');
    expect([there.nSteps, there.nIter, there.reconstructionErr]).toEqual([here.nSteps, here.nIter, here.reconstructionErr]);
    expectIdentical(await there.transform(X2), await here.transform(X2), 'transform(X2)');
    expect(JSON.stringify(there.toJSON())).toBe(JSON.stringify(here.toJSON()));

    const loaded = track(WorkerMiniBatchNMF.fromJSON(JSON.parse(JSON.stringify(here.toJSON())), { onWarning: quiet }));
    expect(loaded.nSteps).toBe(here.nSteps);
    const last = seededMatrix(9, 15, 7);
    await here.partialFit(last);
    await loaded.partialFit(last);
    expectIdentical(loaded.components, here.components, 'components after a partialFit in the loaded worker');
  });

  it('refuses a row source, which cannot move to the worker', async () => {
    const worker = track(new WorkerMiniBatchNMF({ nComponents: 2 }));
    const error = await caught(() => worker.fit((() => [X]) as never));
    expect(error).toBeInstanceOf(InvalidParameterError);
    expect((error as InvalidParameterError).parameter).toBe('X');
  });
});

describe('the boundary', () => {
  it('inputs are copied unless transfer is asked for; then their buffers move and are left detached', async () => {
    const worker = track(new WorkerNMF({ nComponents: 2, backend: 'cpu', onWarning: quiet }));
    const kept = { rows: 40, cols: 15, data: X.data.slice() };
    await worker.fit(kept);
    expect(kept.data.length).toBe(600);
    const moved = { rows: 7, cols: 15, data: X2.data.slice() };
    const W = await worker.transform(moved, { transfer: true });
    expect(moved.data.length, 'detached').toBe(0);
    expectIdentical(W, await worker.transform(X2), 'W of the moved input');
  });

  it('NMF.fromJSON into a worker: a saved model transforms there as here', async () => {
    const model = new NMF({ nComponents: 3, backend: 'cpu', onWarning: quiet });
    await model.fit(X);
    const loaded = track(WorkerNMF.fromJSON(JSON.parse(JSON.stringify(model)), { backend: 'cpu' }));
    expect(loaded.nComponentsOut).toBe(3);
    expectIdentical(await loaded.transform(X2), await model.transform(X2), 'transform(X2)');
    expect(() => WorkerNMF.fromJSON({ format: 'webnmf.NMF', version: 9 })).toThrow(/newer webnmf/);
  });

  it('refuses a GPUDevice, which belongs to its thread', () => {
    const error = (() => {
      try {
        new WorkerNMF({ device: {} } as never);
      } catch (e) {
        return e as InvalidParameterError;
      }
    })();
    expect(error).toBeInstanceOf(InvalidParameterError);
    expect(error!.parameter).toBe('device');
  });

  it('dispose() ends the worker: the call under way and later calls reject; twice is harmless; Symbol.dispose does the same', async () => {
    const worker = new WorkerNMF({ nComponents: 3, solver: 'mu', maxIter: 100_000, tol: 0, backend: 'cpu', onWarning: quiet });
    const running = worker.fit(seededMatrix(200, 50, 3));
    await new Promise((resolve) => setTimeout(resolve, 300));
    worker.dispose();
    worker.dispose();
    const error = await caught(() => running);
    expect(error).toBeInstanceOf(NMFError);
    expect((error as Error).message).toBe('This WorkerNMF was disposed; its worker has ended.');
    expect(await caught(() => worker.transform(X2))).toBe(error);

    const other = new WorkerNMF({ nComponents: 2, backend: 'cpu' });
    expect(typeof other[Symbol.dispose]).toBe('function');
    other[Symbol.dispose]();
    expect(await caught(() => other.fit(X))).toBeInstanceOf(NMFError);
  });
});
