// A small fuzz over the option table and matrix shapes (fast-check, fixed seed, CPU backend): every
// combination ends, within a time bound, in either a clear error (InvalidParameterError naming its
// parameter, or NMFError) or a finite, non-negative result. Never a TypeError, a RangeError, a hang,
// or a NaN handed back.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidParameterError, MiniBatchNMF, NMF, NMFError, nonNegativeFactorization, type DenseMatrix } from '../src/index.js';
import { ESTIMATOR_PARAMS, FUNCTION_PARAMS, MINIBATCH_PARAMS, type ParamName } from '../src/params.js';

/** fast-check: seeded, so a failure reproduces; runs sized to keep the file at a few seconds. */
const FC = { seed: 20260315, numRuns: 300 } as const;
/** One fit of a tiny X with at most 30 iterations takes milliseconds; this bound only catches a hang. */
const RUN_WITHIN_MS = 5000;

/**
 * Values for each option: some its rule accepts, some it refuses. Iteration counts stay small (a fit
 * with maxIter 1e9 and tol 0 runs long by design, which is not what this test looks for).
 */
const ITERATIONS = [1, 2, 7, 30, 0, -1, 1.5, NaN, Infinity, '10', null];
const FRACTIONS = [0, 0.1, 0.5, 1, 1.5, -0.1, NaN, Infinity, 'same', null, '0.5'];
const VALUES: Record<ParamName, unknown[]> = {
  nComponents: [1, 2, 3, 7, 'auto', null, 0, -1, 2.5, 1e9, 'many'],
  init: ['random', 'nndsvd', 'nndsvda', 'nndsvdar', 'custom', null, 'svd', 1],
  solver: ['cd', 'mu', 'pg', 'PG', 'sgd', null],
  betaLoss: ['frobenius', 'kullback-leibler', 'itakura-saito', 0, 0.5, 1, 1.5, 2, 3, -0.5, NaN, Infinity, 'KL', null],
  tol: [0, 1e-4, 1e-2, 1, -1, NaN, Infinity, '1e-4'],
  maxIter: ITERATIONS,
  randomState: [0, 1, 42, 2 ** 32 - 1, null, -1, 1.5, 2 ** 32, NaN],
  alphaW: FRACTIONS,
  alphaH: FRACTIONS,
  l1Ratio: FRACTIONS,
  verbose: [0, false, -1, 1.5, 'yes'],
  shuffle: [true, false, 1, 'yes'],
  backend: ['cpu', 'cuda', null],
  gpuProfile: ['auto', 'hardware', 'software', 'fast', null],
  checkEvery: [1, 3, 10, null, 0, 1.5],
  device: [null, {}, 'gpu0'],
  signal: [null, {}, 'stop'],
  onProgress: [null, () => {}, 'log'],
  onWarning: [() => {}, 'warn', 1],
  nlsMaxIter: ITERATIONS,
  sparseness: [null, 'data', 'components', 'both'],
  beta: [0, 1, 2.5, -1, NaN],
  eta: [0, 0.1, 1, -1, NaN],
  W: [null, 'ones', 3],
  H: [null, 'ones', 3],
  updateH: [true, false, 0, 'no'],
  mask: [null, 'all', 3],
  batchSize: [1, 2, 5, 1024, 0, 1.5, -3],
  forgetFactor: [0, 0.5, 0.7, 1, -0.1, 1.5, NaN],
  freshRestarts: [true, false, 'yes'],
  freshRestartsMaxIter: ITERATIONS,
  transformMaxIter: ITERATIONS,
  maxNoImprovement: [1, 10, null, 0, 1.5],
};

/** X: nested, dense or CSR, 1–6 × 1–6, with zeros, tiny and huge entries, and now and then a bad one. */
const ENTRY = fc.constantFrom(0, 0, 1e-300, 1e-9, 0.5, 1, 3, 1e6, 1e150, 1e300);
const BAD_ENTRY = fc.constantFrom(NaN, -1, Infinity, '2' as unknown as number);
const X_ARB = fc
  .record({ rows: fc.integer({ min: 1, max: 6 }), cols: fc.integer({ min: 1, max: 6 }), form: fc.constantFrom('nested', 'dense', 'csr'), bad: fc.boolean() })
  .chain(({ rows, cols, form, bad }) =>
    fc.array(bad ? fc.oneof({ weight: 9, arbitrary: ENTRY }, { weight: 1, arbitrary: BAD_ENTRY }) : ENTRY, { minLength: rows * cols, maxLength: rows * cols }).map((data) => {
      if (form === 'nested') return Array.from({ length: rows }, (_, i) => data.slice(i * cols, (i + 1) * cols));
      if (form === 'dense') return { rows, cols, data };
      const indptr = [0], indices: number[] = [], values: number[] = [];
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++) {
          if (data[i * cols + j] !== 0) {
            indices.push(j);
            values.push(data[i * cols + j]);
          }
        }
        indptr.push(indices.length);
      }
      return { rows, cols, indptr, indices, data: values };
    }),
  );

const optionsFor = (names: readonly ParamName[]) =>
  fc.subarray([...names], { maxLength: 5 }).chain((chosen) =>
    fc.tuple(...chosen.map((name) => fc.constantFrom(...VALUES[name]))).map((values) => Object.fromEntries(chosen.map((name, i) => [name, values[i]]))),
  );

type Entry = 'nonNegativeFactorization' | 'NMF.fitTransform' | 'MiniBatchNMF.fitTransform';

function run(entry: Entry, X: unknown, options: Record<string, unknown>): Promise<unknown> {
  const o = { backend: 'cpu', onWarning: () => {}, ...options } as never;
  if (entry === 'nonNegativeFactorization') return Promise.resolve().then(() => nonNegativeFactorization(X as never, o));
  if (entry === 'NMF.fitTransform') return Promise.resolve().then(() => new NMF(o).fitTransform(X as never));
  return Promise.resolve().then(() => new MiniBatchNMF(o).fitTransform(X as never));
}

/** Every value of what a fit returned is finite and non-negative. */
function checkFinite(result: unknown): void {
  const matrices: DenseMatrix[] = 'W' in (result as object) ? [(result as { W: DenseMatrix }).W, (result as { H: DenseMatrix }).H] : [result as DenseMatrix];
  for (const M of matrices) for (const v of M.data) if (!(Number.isFinite(v) && v >= 0)) throw new Error(`a result holds ${v}`);
}

describe('fuzz: a clear error or a finite, non-negative result, within a time bound', () => {
  const cases: [Entry, readonly ParamName[]][] = [
    ['nonNegativeFactorization', FUNCTION_PARAMS],
    ['NMF.fitTransform', ESTIMATOR_PARAMS],
    ['MiniBatchNMF.fitTransform', MINIBATCH_PARAMS],
  ];

  it.each(cases)('%s', async (entry, names) => {
    let errors = 0, results = 0;
    await fc.assert(
      fc.asyncProperty(X_ARB, optionsFor(names), async (X, options) => {
        const t0 = performance.now();
        try {
          checkFinite(await run(entry, X, options));
          results++;
        } catch (e) {
          errors++;
          if (e instanceof InvalidParameterError) {
            expect(e.parameter.length).toBeGreaterThan(0);
            expect(e.message, `${e.parameter}: ${e.message}`).toContain(e.parameter);
          } else if (!(e instanceof NMFError)) {
            throw new Error(`not a clear error: ${String(e)}`);
          }
        }
        expect(performance.now() - t0, 'ms').toBeLessThan(RUN_WITHIN_MS);
      }),
      FC,
    );
    // the fuzz reaches both outcomes, or it tests nothing
    expect(errors).toBeGreaterThan(10);
    expect(results).toBeGreaterThan(10);
  }, 120_000);
});
