// Reliability on the CPU and gpujs backends (WebGPU: test/webgpu/abort.test.ts): every fit of every
// estimator stops on its signal (before, during and after initialization), keeps timers firing while
// it runs, never returns NaN, Inf or a negative value, refuses inputs that ask for more memory than can
// be had before allocating it, and serializes calls on one estimator.
//
// The time bounds here are deliberately loose (this machine is shared and slow): they separate
// "stops within a check interval" from "runs to the end", not one speed from another.

import { describe, expect, it } from 'vitest';
import { InvalidParameterError, MiniBatchNMF, NMF, NMFError, nonNegativeFactorization, rowBlocks, type DenseMatrix } from '../src/index.js';
import { abortAfter, FIT_ENTRIES, outcome } from './support/fit-entries.js';
import { seededMatrix } from './support/matrices.js';

/** After an abort, the fit rejects within this (a check interval is milliseconds here). */
const STOP_WITHIN_MS = 3000;
/** Timers wait at most this long during a fit (the loop yields every 50 ms; the slack is for a loaded machine). */
const TIMER_GAP_MS = 1000;
/** A refused allocation is refused at once; allocating would take minutes. */
const REFUSE_WITHIN_MS = 5000;

const X = seededMatrix(120, 24, 1);

const BACKENDS = ['cpu', 'gpujs'] as const;
const cases = BACKENDS.flatMap((backend) => FIT_ENTRIES.map((entry) => [entry.name, backend, entry] as const));

describe.each(cases)('%s on %s', (_name, backend, entry) => {
  it('a pre-aborted signal rejects at once with its reason, reporting nothing', async () => {
    const controller = new AbortController();
    const reason = new Error('stopped before it started');
    controller.abort(reason);
    let reports = 0;
    const t0 = performance.now();
    const r = await outcome(entry.run(X, { backend, signal: controller.signal, onProgress: () => reports++ }));
    expect(r.ok, 'the fit rejected').toBe(false);
    expect(r.ok ? null : r.error).toBe(reason);
    expect(reports).toBe(0);
    expect(r.at - t0).toBeLessThan(STOP_WITHIN_MS);
  });

  it('an abort mid-fit rejects within a check interval, and timers fire throughout', async () => {
    const { result: r, abortedAt, reason, timerGap } = await abortAfter(400, (signal) => entry.run(X, { backend, signal }));
    expect(r.ok, 'the fit rejected (it would run for minutes)').toBe(false);
    expect(r.ok ? null : r.error).toBe(reason);
    expect(r.at - abortedAt, 'ms from abort to rejection').toBeLessThan(STOP_WITHIN_MS);
    expect(timerGap, 'longest wait of a 5 ms interval timer during the fit (ms)').toBeLessThan(TIMER_GAP_MS);
  });

  it('without an abort, a short run returns finite, non-negative values', async () => {
    const r = await entry.run(X, { backend, quick: true });
    expectFiniteNonNegative(r);
  });
});

/** Every number of every matrix in a result (W, { W, H }, an estimator, a list of blocks). */
function expectFiniteNonNegative(result: unknown): void {
  const matrices: DenseMatrix[] = [];
  const collect = (v: unknown): void => {
    if (v instanceof NMF || v instanceof MiniBatchNMF) {
      collect(v.components);
      if (v.reconstructionErr !== undefined) expect(Number.isFinite(v.reconstructionErr), 'reconstructionErr is finite').toBe(true);
    } else if (Array.isArray(v)) v.forEach(collect);
    else if (v && typeof v === 'object' && 'data' in v) matrices.push(v as DenseMatrix);
    else if (v && typeof v === 'object') Object.values(v).forEach(collect);
  };
  collect(result);
  expect(matrices.length).toBeGreaterThan(0);
  for (const M of matrices) for (const x of M.data) if (!(Number.isFinite(x) && x >= 0)) expect.fail(`a result holds ${x}`);
}

describe('a pre-aborted signal is noticed before initialization and before X is checked', () => {
  // nndsvd with more components than min(nSamples, nFeatures) fails in the initialization: a
  // pre-aborted fit must reject with the signal's reason instead, so it never got that far.
  const reason = new Error('aborted before it started');
  const signal = AbortSignal.abort(reason);
  const bad = { init: 'nndsvd' as const, nComponents: 5, backend: 'cpu' as const, signal };
  it.each([
    ['nonNegativeFactorization', () => nonNegativeFactorization([[1, 2], [3, 4]], bad)],
    ['NMF.fit', () => new NMF(bad).fit([[1, 2], [3, 4]])],
    ['MiniBatchNMF.fit', () => new MiniBatchNMF(bad).fit([[1, 2], [3, 4]])],
    ['nonNegativeFactorization of a huge X (not even copied)', () => nonNegativeFactorization({ rows: 1, cols: 200000, data: new Float64Array(200000) }, { backend: 'cpu', signal })],
  ])('%s', async (_name, run) => {
    const r = await outcome(run());
    expect(r.ok ? 'resolved' : r.error).toBe(reason);
  });
});

describe('null beside X means no start (it crashed with a TypeError)', () => {
  const Xs = seededMatrix(20, 6, 7);
  it.each([
    ['NMF.fit(X, null)', () => new NMF({ nComponents: 2, backend: 'cpu', maxIter: 5, onWarning: () => {} }).fit(Xs, null)],
    ['NMF.transform(X, null)', async () => (await new NMF({ nComponents: 2, backend: 'cpu', maxIter: 5, onWarning: () => {} }).fit(Xs)).transform(Xs, null)],
    ['MiniBatchNMF.fit(X, null)', () => new MiniBatchNMF({ nComponents: 2, backend: 'cpu', maxIter: 2, onWarning: () => {} }).fit(Xs, null)],
    ['MiniBatchNMF.partialFit(X, null)', () => new MiniBatchNMF({ nComponents: 2, backend: 'cpu' }).partialFit(Xs, null)],
  ])('%s', async (_name, run) => {
    expectFiniteNonNegative(await run());
  });
});

describe('a fit whose values overflow rejects with NMFError, never returns NaN or Inf', () => {
  const huge = { rows: X.rows, cols: X.cols, data: X.data.map((v) => v * 1e200) };
  const quiet = { backend: 'cpu' as const, onWarning: () => {} };
  const runs: [string, () => Promise<unknown>][] = [
    ['nonNegativeFactorization', () => nonNegativeFactorization(huge, { ...quiet, nComponents: 3, maxIter: 20 })],
    ['NMF.fit (mu)', () => new NMF({ ...quiet, solver: 'mu', nComponents: 3, maxIter: 20 }).fit(huge)],
    ['MiniBatchNMF.fit', () => new MiniBatchNMF({ ...quiet, nComponents: 3, batchSize: 40, maxIter: 3 }).fit(huge)],
    ['MiniBatchNMF.fitTransform (fresh restarts)', () => new MiniBatchNMF({ ...quiet, nComponents: 3, batchSize: 40, maxIter: 3, freshRestarts: true }).fitTransform(huge)],
    ['MiniBatchNMF.partialFit', () => new MiniBatchNMF({ ...quiet, nComponents: 3 }).partialFit(huge)],
    ['MiniBatchNMF.fit (streamed)', () => new MiniBatchNMF({ ...quiet, nComponents: 3, batchSize: 40, maxIter: 3 }).fit(() => [huge])],
    [
      'MiniBatchNMF.transform',
      async () => {
        const model = await new MiniBatchNMF({ ...quiet, nComponents: 3, maxIter: 2 }).fit(X);
        return model.transform(huge);
      },
    ],
  ];
  it.each(runs)('%s', async (_name, run) => {
    const r = await outcome(run());
    if (r.ok) expectFiniteNonNegative(r.value);
    else {
      expect(r.error).toBeInstanceOf(NMFError);
      expect((r.error as Error).message).toMatch(/NaN|Infinity|non-finite|diverged|overflow/);
    }
    expect(r.ok, 'X × 1e200 cannot be factored in float64').toBe(false);
  });
});

describe('memory an input asks for is checked before it is allocated', () => {
  const refusal = async (run: () => unknown, parameter: string, sizes: RegExp) => {
    const t0 = performance.now();
    const r = await outcome(Promise.resolve().then(run));
    expect(r.ok, 'refused').toBe(false);
    const e = r.ok ? null : r.error;
    expect(e, String(e)).toBeInstanceOf(InvalidParameterError);
    expect((e as InvalidParameterError).parameter).toBe(parameter);
    expect((e as Error).message).toContain(parameter);
    expect((e as Error).message).toMatch(sizes);
    expect(r.at - t0).toBeLessThan(REFUSE_WITHIN_MS);
  };

  it('nComponents 1e9 on a 1 × 2 X', () =>
    refusal(() => nonNegativeFactorization([[1, 2]], { nComponents: 1e9, backend: 'cpu' }), 'nComponents', /1000000000 × 2.*GB/));

  it('the same on the estimators', async () => {
    await refusal(() => new NMF({ nComponents: 1e9, backend: 'cpu' }).fit([[1, 2]]), 'nComponents', /GB/);
    await refusal(() => new MiniBatchNMF({ nComponents: 1e9, backend: 'cpu' }).fit([[1, 2]]), 'nComponents', /GB/);
    await refusal(() => new MiniBatchNMF({ nComponents: 1e9, backend: 'cpu' }).partialFit([[1, 2]]), 'nComponents', /GB/);
    await refusal(() => new MiniBatchNMF({ nComponents: 1e9, backend: 'cpu' }).fit(() => [[[1, 2]]]), 'nComponents', /GB/);
  });

  it('CSR X with cols 3e9', () =>
    refusal(() => nonNegativeFactorization({ rows: 2, cols: 3e9, indptr: [0, 1, 2], indices: [0, 5], data: [1, 2] }, { nComponents: 2, backend: 'cpu' }), 'X', /3000000000/));

  it('a 1 × 200000 X with the default k = n_features (H would be 200000 × 200000)', () =>
    refusal(() => nonNegativeFactorization({ rows: 1, cols: 200000, data: new Float64Array(200000).fill(1) }, { backend: 'cpu' }), 'nComponents', /200000 × 200000/));

});

describe('calls on one estimator run one after another', () => {
  const Xa = seededMatrix(40, 12, 2), Xb = seededMatrix(40, 12, 3);

  it('two partialFit calls at once give the state of the two in call order', async () => {
    const options = { nComponents: 3, backend: 'cpu' as const, randomState: 0, init: 'random' as const };
    const together = new MiniBatchNMF(options);
    await Promise.all([together.partialFit(Xa), together.partialFit(Xb)]);
    const inOrder = new MiniBatchNMF(options);
    await inOrder.partialFit(Xa);
    await inOrder.partialFit(Xb);
    expect(together.nSteps).toBe(2);
    expect(Array.from(together.components!.data)).toEqual(Array.from(inOrder.components!.data));
  });

  it('NMF: transform called while fit runs waits for it, and uses what it learned', async () => {
    const model = new NMF({ nComponents: 3, backend: 'cpu', init: 'nndsvd', randomState: 0, maxIter: 50 });
    const [, W] = await Promise.all([model.fit(Xa), model.transform(Xb)]);
    const reference = new NMF({ nComponents: 3, backend: 'cpu', init: 'nndsvd', randomState: 0, maxIter: 50 });
    await reference.fit(Xa);
    expect(Array.from(W.data)).toEqual(Array.from((await reference.transform(Xb)).data));
  });

  it('MiniBatchNMF: transform and partialFit queue in call order; a failed call does not block the next', async () => {
    const model = new MiniBatchNMF({ nComponents: 3, backend: 'cpu', randomState: 0, init: 'random' });
    await model.partialFit(Xa);
    const H1 = Float64Array.from(model.components!.data);
    const [W, , , bad, after] = await Promise.allSettled([model.transform(Xb), model.partialFit(Xb), Promise.resolve(), model.partialFit([[1, 2]]), model.transform(Xa)]);
    expect(W.status).toBe('fulfilled');
    const sequential = new MiniBatchNMF({ nComponents: 3, backend: 'cpu', randomState: 0, init: 'random' });
    await sequential.partialFit(Xa);
    expect(Array.from(sequential.components!.data)).toEqual(Array.from(H1));
    expect((W as PromiseFulfilledResult<DenseMatrix>).value.data).toEqual((await sequential.transform(Xb)).data);
    expect(bad.status).toBe('rejected');
    expect(after.status).toBe('fulfilled');
  });
});

describe('rowBlocks and the CSV header rule', () => {
  const read = async (text: string) => {
    const blocks: DenseMatrix[] = [];
    for await (const b of rowBlocks(new Blob([text]))) blocks.push(b as DenseMatrix);
    return blocks;
  };

  it('a first row with some numbers and an empty or bad field is an error, like any other row', async () => {
    await expect(read('1,,2\n3,4,5\n')).rejects.toThrow(/line 1, column 2: an empty field/);
    await expect(read('1,x,2\n3,4,5\n')).rejects.toThrow(/line 1, column 2: 'x' is not a number/);
  });

  it('a header is a row with no number at all', async () => {
    const [b] = await read('a,,c\n1,2,3\n');
    expect([b.rows, b.cols, ...b.data]).toEqual([1, 3, 1, 2, 3]);
  });

  it('CR-only line endings (classic Mac) and CRLF split lines', async () => {
    expect((await read('1,2\r3,4\r5,6\r'))[0].rows).toBe(3);
    expect((await read('1,2\r\n3,4\r\n'))[0].rows).toBe(2);
  });

  it('a CR-LF split across chunks does not make an extra line', async () => {
    const text = '1,2\r\n3,4\r\n';
    const blob = new Blob([text.slice(0, 4), text.slice(4)]);
    const [b] = await (async () => {
      const out: DenseMatrix[] = [];
      for await (const x of rowBlocks(blob)) out.push(x as DenseMatrix);
      return out;
    })();
    expect(b.rows).toBe(2);
  });
});

describe("'pg' reports progress during the final W solve at maxIter", () => {
  it('onProgress is called with the subproblem iterations after the last outer iteration', async () => {
    const reports: { iteration: number; nlsIteration?: number }[] = [];
    await nonNegativeFactorization(seededMatrix(30, 20, 4), {
      solver: 'pg', nComponents: 4, maxIter: 2, backend: 'cpu', init: 'random', randomState: 0, onWarning: () => {},
      onProgress: (p) => reports.push(p),
    });
    const last = reports.findIndex((p) => p.iteration === 2);
    expect(last).toBeGreaterThanOrEqual(0);
    const after = reports.slice(last + 1);
    expect(after.length, 'reports during the final solve').toBeGreaterThan(0);
    expect(after.every((p) => p.iteration === 2 && typeof p.nlsIteration === 'number')).toBe(true);
  });
});
