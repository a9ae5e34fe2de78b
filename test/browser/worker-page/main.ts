// The worker page: each check runs on this page's thread and in a WorkerNMF (a module Web Worker,
// bundled by vite from `new Worker(new URL(...), { type: 'module' })`) and reports how they compare.

import { InvalidParameterError, MiniBatchNMF, NMF, type DenseMatrix, type NMFOptions } from '../../../src/index.js';
import { WorkerMiniBatchNMF, WorkerNMF } from '../../../src/worker/index.js';
import type { Comparison, ErrorPair, WorkerPageApi } from '../worker-page-api.js';

const errors: string[] = [];
addEventListener('error', (e) => errors.push(`uncaught: ${e.message} (${e.filename}:${e.lineno})`));
addEventListener('unhandledrejection', (e) => errors.push(`unhandled rejection: ${String((e.reason as Error)?.stack ?? e.reason)}`));
const log = document.getElementById('log')!;
const say = (line: string) => (log.textContent += `\n${line}`);
const quiet = () => {};

/** A seeded matrix (an LCG), as test/support/matrices.ts makes them. */
function matrix(rows: number, cols: number, seed: number): DenseMatrix<Float64Array> {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  return { rows, cols, data: Float64Array.from({ length: rows * cols }, () => 0.1 + next()) };
}
const X = matrix(40, 16, 1);
const X2 = matrix(6, 16, 2);

function compare(a: DenseMatrix | undefined, b: DenseMatrix | undefined): Comparison {
  if (!a || !b) return { dtypes: [String(a), String(b)], firstDifference: 0 };
  const differ = a.data.length !== b.data.length ? 0 : Array.from(a.data).findIndex((v, i) => !Object.is(v, b.data[i]));
  return { dtypes: [a.data.constructor.name, b.data.constructor.name], firstDifference: differ };
}

async function caught(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (e) {
    return e;
  }
  return new Error('no error');
}
const describeError = (e: unknown): [string, string, string | undefined] => [(e as Error).constructor.name, (e as Error).message, (e as InvalidParameterError).parameter];

const api: WorkerPageApi = {
  errors,
  async fit(options) {
    const progress: [number[], number[]] = [[], []];
    const here = new NMF({ ...(options as NMFOptions), onWarning: quiet, onProgress: (p) => progress[0].push(p.iteration) });
    const worker = new WorkerNMF({ ...(options as NMFOptions), onWarning: quiet, onProgress: (p) => progress[1].push(p.iteration) });
    try {
      const W = [await here.fitTransform(X), await worker.fitTransform(X)];
      const T = [await here.transform(X2), await worker.transform(X2)];
      const back = [await here.inverseTransform(T[0]), await worker.inverseTransform(T[0])];
      say(`fit ${JSON.stringify(options)}: ${worker.backendUsed}`);
      return {
        W: compare(W[0], W[1]),
        components: compare(here.components, worker.components),
        transform: compare(T[0], T[1]),
        inverseTransform: compare(back[0], back[1]),
        sameAttributes: here.nIter === worker.nIter && here.reconstructionErr === worker.reconstructionErr && here.nFeaturesIn === worker.nFeaturesIn && here.nComponentsOut === worker.nComponentsOut,
        backendUsed: worker.backendUsed ?? '',
        progress,
        sameJSON: JSON.stringify(here.toJSON()) === JSON.stringify(worker.toJSON()),
      };
    } finally {
      worker.dispose();
    }
  },
  async abort() {
    const controller = new AbortController();
    const reason = new DOMException('Stopped by the user.', 'AbortError');
    let during: Promise<number | null> | undefined;
    let iterations = 0;
    const worker = new WorkerNMF({
      nComponents: 3, solver: 'mu', init: 'random', randomState: 0, maxIter: 100_000, tol: 0, checkEvery: 5, backend: 'webgpu', signal: controller.signal, onWarning: quiet,
      onProgress: (p) => {
        iterations = p.iteration;
        if (p.iteration === 20) during = worker.inspectGpuBuffers();
        if (p.iteration >= 40) controller.abort(reason);
      },
    });
    try {
      const error = await caught(() => worker.fit(X));
      return { rejectedWithReason: error === reason, buffersDuring: (await during) ?? null, buffersAfter: await worker.inspectGpuBuffers(), iterationsReported: iterations };
    } finally {
      worker.dispose();
    }
  },
  async twoAtOnce() {
    const a: NMFOptions = { nComponents: 3, solver: 'cd', randomState: 5, backend: 'cpu', maxIter: 300, tol: 1e-6, onWarning: quiet };
    const b: NMFOptions = { nComponents: 4, solver: 'mu', init: 'random', randomState: 2, backend: 'webgpu', maxIter: 40, tol: 0, onWarning: quiet };
    const [wa, wb] = [new WorkerNMF(a), new WorkerNMF(b)];
    try {
      const [Wa, Wb] = await Promise.all([wa.fitTransform(X), wb.fitTransform(X)]);
      return [compare(Wa, await new NMF(a).fitTransform(X)), compare(Wb, await new NMF(b).fitTransform(X))];
    } finally {
      wa.dispose();
      wb.dispose();
    }
  },
  async errorPairs() {
    const pairs: ErrorPair[] = [];
    const pair = async (here: () => unknown, there: () => unknown) => pairs.push([describeError(await caught(here)), describeError(await caught(there))]);
    await pair(() => new NMF({ tol: -1 }), () => new WorkerNMF({ tol: -1 }));
    const opts: NMFOptions = { nComponents: 2, backend: 'cpu', onWarning: quiet };
    const here = new NMF(opts);
    const worker = new WorkerNMF(opts);
    try {
      await pair(() => here.transform(X2), () => worker.transform(X2));
      await here.fit(X);
      await worker.fit(X);
      await pair(() => here.transform([[1, 2, 3]]), () => worker.transform([[1, 2, 3]]));
      await pair(() => here.fit([[1, -1]]), () => worker.fit([[1, -1]]));
      const mask = { rows: X.rows, cols: X.cols, data: new Float64Array(X.data.length).fill(1) };
      await pair(() => here.fit(X, { mask }), () => worker.fit(X, { mask }));
    } finally {
      worker.dispose();
    }
    return pairs;
  },
  async load(saved, rows) {
    const model = NMF.fromJSON(saved, { backend: 'cpu' });
    const worker = WorkerNMF.fromJSON(saved, { backend: 'cpu' });
    try {
      const [a, b] = [await model.transform(rows), await worker.transform(rows)];
      return { page: Array.from(a.data), worker: Array.from(b.data), dtype: b.data.constructor.name };
    } finally {
      worker.dispose();
    }
  },
  async miniBatch() {
    const opts = { nComponents: 3, batchSize: 10, randomState: 0, maxIter: 3, backend: 'cpu' as const, onWarning: quiet };
    const here = new MiniBatchNMF(opts);
    const worker = new WorkerMiniBatchNMF(opts);
    try {
      await here.fit(X);
      await worker.fit(X);
      await here.partialFit(X2);
      await worker.partialFit(X2);
      return { components: compare(here.components, worker.components), nSteps: [here.nSteps!, worker.nSteps!] };
    } finally {
      worker.dispose();
    }
  },
};

window.webnmfWorker = api;
say('ready');
