// Every way to start a fit, as one table: the function (each solver), NMF's fit and transform, and
// MiniBatchNMF's fit (in memory and streamed), fitTransform, partialFit, transform and
// transformBlocks. Each entry runs long (tol 0, many iterations) unless stopped, so the abort and
// responsiveness suites can stop it mid-way; `quick` runs it briefly, for the checks that need a result.

import { MiniBatchNMF, NMF, nonNegativeFactorization, rowBlocks, type BackendName, type DenseMatrix } from '../../src/index.js';
import { seededMatrix } from './matrices.js';

export interface EntryOptions {
  backend: BackendName;
  signal?: AbortSignal;
  device?: GPUDevice;
  onProgress?: (info: { iteration: number }) => void;
  /** run briefly instead of (nearly) forever */
  quick?: boolean;
}

export interface FitEntry {
  name: string;
  /** the estimator whose options hold the signal, for the entries that need one fitted first */
  run(X: DenseMatrix<Float64Array>, o: EntryOptions): Promise<unknown>;
}

/** Iterations (or epochs) of a fit that is meant to be stopped: minutes of work at least. */
const LONG = 1_000_000;

const common = (o: EntryOptions) => ({ backend: o.backend, signal: o.signal ?? null, device: o.device ?? null, onProgress: o.onProgress ?? null, onWarning: () => {} });
const iterations = (o: EntryOptions, quick = 5) => (o.quick ? quick : LONG);

/** H to stand in for a fit's components (k × n, positive). */
const components = (k: number, n: number) => seededMatrix(k, n, 99);

function csvBlob(X: DenseMatrix): Blob {
  const lines: string[] = [];
  for (let i = 0; i < X.rows; i++) lines.push(Array.from(X.data.subarray(i * X.cols, (i + 1) * X.cols)).join(','));
  return new Blob([lines.join('\n') + '\n']);
}

const K = 3;

export const FIT_ENTRIES: FitEntry[] = [
  ...(['cd', 'mu', 'pg'] as const).map((solver) => ({
    name: `nonNegativeFactorization (${solver})`,
    run: (X: DenseMatrix<Float64Array>, o: EntryOptions) =>
      nonNegativeFactorization(X, { ...common(o), solver, nComponents: K, init: 'random', randomState: 0, tol: 0, maxIter: iterations(o) }),
  })),
  {
    name: 'NMF.fit (mu, KL)',
    run: (X, o) => new NMF({ ...common(o), solver: 'mu', betaLoss: 'kullback-leibler', nComponents: K, init: 'nndsvda', tol: 0, maxIter: iterations(o) }).fit(X),
  },
  {
    name: 'NMF.transform (cd)',
    run: (X, o) => {
      const model = new NMF({ ...common(o), nComponents: K, tol: 0, maxIter: iterations(o) });
      // fitted as a user who restores a model would (the public attributes), so only transform runs long
      Object.assign(model, { components: components(K, X.cols), nComponentsOut: K, nFeaturesIn: X.cols });
      return model.transform(X);
    },
  },
  {
    name: 'MiniBatchNMF.fit',
    run: (X, o) => new MiniBatchNMF({ ...common(o), nComponents: K, batchSize: 10, init: 'random', randomState: 0, tol: 0, maxNoImprovement: null, maxIter: iterations(o, 2) }).fit(X),
  },
  {
    name: 'MiniBatchNMF.fitTransform (fresh restarts)',
    run: (X, o) =>
      new MiniBatchNMF({ ...common(o), nComponents: K, batchSize: 10, freshRestarts: true, tol: 0, maxNoImprovement: null, maxIter: iterations(o, 2) }).fitTransform(X),
  },
  {
    name: 'MiniBatchNMF.partialFit',
    run: (X, o) => new MiniBatchNMF({ ...common(o), nComponents: K, freshRestartsMaxIter: iterations(o), tol: 0 }).partialFit(X),
  },
  {
    name: 'MiniBatchNMF.fit (streamed rowBlocks)',
    run: (X, o) => {
      const blob = csvBlob(X);
      return new MiniBatchNMF({ ...common(o), nComponents: K, batchSize: 10, tol: 0, maxNoImprovement: null, maxIter: iterations(o, 2) }).fit(() => rowBlocks(blob, { rowsPerBlock: 7 }));
    },
  },
  {
    name: 'MiniBatchNMF.transform',
    run: async (X, o) => {
      const model = new MiniBatchNMF({ ...common(o), nComponents: K, batchSize: 50, maxIter: 1, tol: 0, transformMaxIter: iterations(o) });
      await model.partialFit(X);
      return model.transform(X);
    },
  },
  {
    name: 'MiniBatchNMF.transformBlocks',
    run: async (X, o) => {
      const model = new MiniBatchNMF({ ...common(o), nComponents: K, batchSize: 50, maxIter: 1, tol: 0, transformMaxIter: iterations(o) });
      await model.partialFit(X);
      const out: DenseMatrix[] = [];
      for await (const W of model.transformBlocks(() => rowBlocks(csvBlob(X), { rowsPerBlock: 16 }))) out.push(W);
      return out;
    },
  },
];

/** How a promise ended, and when. */
export type Outcome = { ok: true; value: unknown; at: number } | { ok: false; error: unknown; at: number };

export function outcome(p: Promise<unknown>): Promise<Outcome> {
  return p.then(
    (value) => ({ ok: true as const, value, at: performance.now() }),
    (error: unknown) => ({ ok: false as const, error, at: performance.now() }),
  );
}

/**
 * A timer probe: an interval of `everyMs`; `stop()` returns the longest wait between two of its
 * firings (and between the last one and now), i.e. how long the event loop was kept from timers.
 */
export function timerProbe(everyMs = 5): { stop(): number } {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(longest, performance.now() - last);
    },
  };
}

/**
 * Start `run` with a signal aborted `afterMs` later, under a timer probe: how it ended, when the
 * abort happened, the reason it was given, and the longest wait of the probe's timer meanwhile.
 */
export async function abortAfter(afterMs: number, run: (signal: AbortSignal) => Promise<unknown>) {
  const controller = new AbortController();
  const reason = new Error('stopped mid-fit');
  let abortedAt = Infinity;
  const probe = timerProbe();
  const timer = setTimeout(() => {
    abortedAt = performance.now();
    controller.abort(reason);
  }, afterMs);
  const result = await outcome(run(controller.signal));
  clearTimeout(timer);
  return { result, abortedAt, reason, timerGap: probe.stop() };
}
