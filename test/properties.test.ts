// Properties of the fit on the CPU backend (float64; float32 for float32 X), checked with fast-check over small random problems,
// and ports of the ideas of scikit-learn's own test_nmf.py that hold for any input (underflow,
// regularization, decreasing objective, fit/transform, sparse input, warnings, progress, abort).
// The objective is recomputed here in float64 from the definitions, not with the backend's code.

import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NMF, NMFError, nonNegativeFactorization, type DenseMatrix, type FactorizationOptions, type NMFWarning } from '../src/index.js';

/** fast-check settings: seeded, few runs, so the file stays well under 30 s. */
const FC = { seed: 42, numRuns: 60 } as const;
const FC_FEW = { seed: 42, numRuns: 30 } as const;

/** Relative slack allowed for an objective that must not increase (float64 rounding only). */
const MONOTONE_SLACK = 1e-10;
/** Dense and CSR inputs run the same arithmetic up to summation order. */
const CSR_DENSE_TOLERANCE = 1e-8;
/** W·H of a float32 fit (float32 X) against the fit of the same values in float64, 15 iterations (seen: 1.4e-7). */
const FLOAT32_VS_FLOAT64 = 1e-5;

type Matrix = { rows: number; cols: number; data: number[] };
type Csr = Matrix & { indptr: number[]; indices: number[] };

// ---------------------------------------------------------------------------------------------
// Float64 references, written from the definitions.

function product(W: ArrayLike<number>, H: ArrayLike<number>, m: number, k: number, n: number): Float64Array {
  const WH = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let r = 0; r < k; r++) for (let j = 0; j < n; j++) WH[i * n + j] += W[i * k + r] * H[r * n + j];
  return WH;
}

/**
 * d_β(x | y) = (x^β + (β−1)·y^β − β·x·y^(β−1)) / (β(β−1)), summed over the entries (x = 0 and y = 0 terms
 * taken as their limits). Written as (x·(x^a − y^a)/a + y^a·(y − x)) / (a+1) with a = β−1, so it stays
 * accurate for β within 1e-15 of 1, where the textbook form cancels catastrophically.
 */
function betaDivergence(X: ArrayLike<number>, WH: ArrayLike<number>, beta: number): number {
  const a = beta - 1;
  let sum = 0;
  for (let e = 0; e < X.length; e++) {
    const x = X[e], y = WH[e];
    if (beta === 2) sum += 0.5 * (x - y) * (x - y);
    else if (beta === 1) sum += x > 0 ? x * Math.log(x / y) - x + y : y;
    else if (beta === 0) sum += x / y - Math.log(x / y) - 1;
    else if (x === 0) sum += y ** beta / beta;
    else if (y === 0) sum += beta > 1 ? x ** beta / (beta * (beta - 1)) : Infinity;
    else {
      // x^a − y^a, through expm1 when x and y are close (else it cannot cancel, nor overflow)
      const logRatio = a * (Math.log(x) - Math.log(y));
      const diff = Math.abs(logRatio) < 1 ? y ** a * Math.expm1(logRatio) : x ** a - y ** a;
      sum += ((x * diff) / a + y ** a * (y - x)) / (a + 1);
    }
  }
  return sum;
}

interface Reg {
  alphaW: number;
  alphaH: number;
  l1Ratio: number;
}

/** The documented objective: D_β + l1 and l2 penalties scaled by nFeatures (W) and nSamples (H). */
function objective(X: Matrix, W: DenseMatrix, H: DenseMatrix, beta: number, reg: Reg): number {
  const m = X.rows, n = X.cols, k = W.cols;
  let sumW = 0, sqW = 0, sumH = 0, sqH = 0;
  for (const v of W.data) {
    sumW += v;
    sqW += v * v;
  }
  for (const v of H.data) {
    sumH += v;
    sqH += v * v;
  }
  return (
    betaDivergence(X.data, product(W.data, H.data, m, k, n), beta) +
    reg.alphaW * reg.l1Ratio * n * sumW +
    reg.alphaH * reg.l1Ratio * m * sumH +
    0.5 * reg.alphaW * (1 - reg.l1Ratio) * n * sqW +
    0.5 * reg.alphaH * (1 - reg.l1Ratio) * m * sqH
  );
}

function frobenius(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}

function relativeGap(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const d = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) d[i] = a[i] - b[i];
  return frobenius(d) / Math.max(frobenius(b), Number.MIN_VALUE);
}

function maxAbsGap(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let g = 0;
  for (let i = 0; i < a.length; i++) g = Math.max(g, Math.abs(a[i] - b[i]));
  return g;
}

function toCsr(X: Matrix): Csr {
  const indptr = [0], indices: number[] = [], data: number[] = [];
  for (let i = 0; i < X.rows; i++) {
    for (let j = 0; j < X.cols; j++) {
      const v = X.data[i * X.cols + j];
      if (v === 0) continue;
      indices.push(j);
      data.push(v);
    }
    indptr.push(data.length);
  }
  return { ...X, indptr, indices, data };
}

/** mulberry32: a tiny seeded generator for the fixed examples. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** |N(0, 1)| entries (Box–Muller), like scikit-learn's np.abs(rng.randn(m, n)). */
function absRandn(rows: number, cols: number, seed: number, scale = 1): Matrix {
  const r = rng(seed);
  const data = Array.from({ length: rows * cols }, () => scale * Math.abs(Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r())));
  return { rows, cols, data };
}

const quiet = { backend: 'cpu', onWarning: () => {} } as const;

function expectNonNegativeFinite(M: DenseMatrix, rows: number, cols: number, what: string): void {
  expect({ rows: M.rows, cols: M.cols }, `${what}: shape`).toEqual({ rows, cols });
  expect(M.data.length, `${what}: data length`).toBe(rows * cols);
  for (let i = 0; i < M.data.length; i++) {
    const v = M.data[i];
    if (!(Number.isFinite(v) && v >= 0)) expect.fail(`${what}[${i}] = ${v}: not finite and ≥ 0`);
  }
}

// ---------------------------------------------------------------------------------------------
// Arbitraries

const entry = fc.oneof(fc.constant(0), fc.double({ min: 0.01, max: 10, noNaN: true }));
const positiveEntry = fc.double({ min: 0.01, max: 10, noNaN: true });

const matrixOf = (value: fc.Arbitrary<number>, maxSide = 12): fc.Arbitrary<Matrix> =>
  fc
    .tuple(fc.integer({ min: 1, max: maxSide }), fc.integer({ min: 1, max: maxSide }))
    .chain(([rows, cols]) => fc.array(value, { minLength: rows * cols, maxLength: rows * cols }).map((data) => ({ rows, cols, data })));

const regularization = fc.record({
  alphaW: fc.constantFrom(0, 0.05, 0.5),
  alphaH: fc.constantFrom<number | 'same'>('same', 0, 0.2),
  l1Ratio: fc.constantFrom(0, 0.5, 1),
});

/** A fit problem: X, k, and options that are all valid together. */
const problem = fc
  .record({
    positive: fc.boolean(),
    solver: fc.constantFrom<'cd' | 'mu'>('cd', 'mu'),
    beta: fc.constantFrom(2, 1, 0.5, 1.5, 3, 0),
    init: fc.constantFrom<FactorizationOptions['init']>(null, 'random', 'nndsvd', 'nndsvda', 'nndsvdar'),
    csr: fc.boolean(),
    reg: regularization,
    randomState: fc.integer({ min: 0, max: 1000 }),
    kSeed: fc.integer({ min: 1, max: 14 }),
  })
  .chain((p) => {
    // β ≤ 0 refuses zeros in X (covered in validation.test.ts), so it gets a strictly positive X.
    const beta = p.solver === 'cd' ? 2 : p.beta;
    return matrixOf(beta <= 0 || p.positive ? positiveEntry : entry).map((X) => {
      const nndsvd = p.init !== null && p.init !== 'random';
      const k = nndsvd ? 1 + (p.kSeed % Math.min(X.rows, X.cols)) : p.kSeed;
      return { ...p, beta, X, k };
    });
  });

afterEach(() => {
  vi.restoreAllMocks();
});

// ---------------------------------------------------------------------------------------------

describe('properties of every fit', () => {
  it('W and H are finite, non-negative and of the right shape, for any valid problem', async () => {
    await fc.assert(
      fc.asyncProperty(problem, async (p) => {
        const X = p.csr ? toCsr(p.X) : p.X;
        const { W, H, nIter } = await nonNegativeFactorization(X, {
          ...quiet,
          nComponents: p.k,
          solver: p.solver,
          betaLoss: p.beta,
          init: p.init,
          ...p.reg,
          randomState: p.randomState,
          maxIter: 30,
        });
        expectNonNegativeFinite(W, p.X.rows, p.k, 'W');
        expectNonNegativeFinite(H, p.k, p.X.cols, 'H');
        expect(nIter).toBeGreaterThanOrEqual(1);
        expect(nIter).toBeLessThanOrEqual(30);
      }),
      FC,
    );
  });

  it('an all-zero or rank-deficient X (rank < k) gives finite, non-negative factors, as scikit-learn does', async () => {
    const zeros = { rows: 3, cols: 2, data: [0, 0, 0, 0, 0, 0] };
    const rankOne = { rows: 3, cols: 3, data: [1, 0, 0, 0, 0, 0, 0, 0, 0] };
    const failures: string[] = [];
    for (const [name, X] of [['zeros', zeros], ['rank one', rankOne]] as const) {
      for (const solver of ['cd', 'mu'] as const) {
        for (const init of [null, 'random', 'nndsvd', 'nndsvda', 'nndsvdar'] as const) {
          const label = `${name}, ${solver}, init ${init}`;
          try {
            const { W, H } = await nonNegativeFactorization(X, { ...quiet, solver, init, nComponents: 2, randomState: 0 });
            if (![...W.data, ...H.data].every((v) => Number.isFinite(v) && v >= 0)) failures.push(`${label}: W = [${Array.from(W.data)}]`);
          } catch (e) {
            failures.push(`${label}: ${(e as Error).message}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('the MU objective never increases from one iteration to the next for β in [1, 2]', async () => {
    const arb = fc.record({
      X: matrixOf(entry, 8),
      kSeed: fc.integer({ min: 1, max: 5 }),
      beta: fc.oneof(fc.constantFrom(1, 2, 1.5), fc.double({ min: 1, max: 2, noNaN: true })),
      reg: regularization,
      t: fc.integer({ min: 1, max: 8 }),
      start: fc.integer({ min: 0, max: 2 ** 31 }),
    });
    await fc.assert(
      fc.asyncProperty(arb, async ({ X, kSeed, beta, reg: drawn, t, start }) => {
        // MU is a majorize-minimize step for the L1 term at any β in [1, 2], but its L2 term (added to
        // the denominator as l2·W) is only an MM step at β = 2: for β < 2 scikit-learn's update can
        // raise the objective slightly (e.g. β 1.29, alphaW 0.05, l1Ratio 0: +1.4e-12 at iteration 2,
        // in scikit-learn 1.2.1 too), so L2 is tested with β = 2 only.
        const reg = beta === 2 ? drawn : { ...drawn, l1Ratio: 1 };
        const k = kSeed;
        const r = rng(start);
        const W0 = { rows: X.rows, cols: k, data: Array.from({ length: X.rows * k }, () => 0.1 + r()) };
        const H0 = { rows: k, cols: X.cols, data: Array.from({ length: k * X.cols }, () => 0.1 + r()) };
        const run = (maxIter: number) =>
          nonNegativeFactorization(X, { ...quiet, solver: 'mu', betaLoss: beta, init: 'custom', W: W0, H: H0, nComponents: k, tol: 0, maxIter, ...reg });
        const fullReg = { ...reg, alphaH: reg.alphaH === 'same' ? reg.alphaW : reg.alphaH };
        const before = await run(t);
        const after = await run(t + 1);
        expect(before.nIter).toBe(t);
        expect(after.nIter).toBe(t + 1);
        const f0 = objective(X, W0 as unknown as DenseMatrix, H0 as unknown as DenseMatrix, beta, fullReg);
        const f1 = objective(X, before.W, before.H, beta, fullReg);
        const f2 = objective(X, after.W, after.H, beta, fullReg);
        // rounding of the sum scales with its terms, not with the sum (which may be ~0 at an exact fit)
        const scale = X.data.reduce((s, x) => s + x + x * x, 0);
        expect(f1, `objective after ${t} iterations vs the start`).toBeLessThanOrEqual(f0 + MONOTONE_SLACK * (Math.abs(f0) + scale));
        expect(f2, `objective after ${t + 1} vs ${t} iterations`).toBeLessThanOrEqual(f1 + MONOTONE_SLACK * (Math.abs(f1) + scale));
      }),
      FC,
    );
  });

  it('updateH: false leaves H exactly as given', async () => {
    const arb = fc.record({ X: matrixOf(entry, 10), k: fc.integer({ min: 1, max: 5 }), solver: fc.constantFrom<'cd' | 'mu'>('cd', 'mu'), seed: fc.integer({ min: 0, max: 1000 }) });
    await fc.assert(
      fc.asyncProperty(arb, async ({ X, k, solver, seed }) => {
        const H = absRandn(k, X.cols, seed);
        H.data[0] += 0.5; // never all zeros
        const given = Float64Array.from(H.data);
        const out = await nonNegativeFactorization(X, { ...quiet, solver, H, updateH: false, nComponents: k, maxIter: 20 });
        expect(Array.from(out.H.data)).toEqual(Array.from(given));
        expect(H.data, 'the caller\'s H is not written to').toEqual(Array.from(given));
        expectNonNegativeFinite(out.W, X.rows, k, 'W');
      }),
      FC_FEW,
    );
  });

  it('CSR and dense inputs give the same W and H', async () => {
    const arb = fc.record({
      X: matrixOf(entry, 10),
      kSeed: fc.integer({ min: 1, max: 10 }),
      solver: fc.constantFrom<'cd' | 'mu'>('cd', 'mu'),
      beta: fc.constantFrom(2, 1, 0.5, 1.5, 3),
      init: fc.constantFrom<'random' | 'nndsvda'>('random', 'nndsvda'),
      reg: regularization,
    });
    await fc.assert(
      fc.asyncProperty(arb, async ({ X, kSeed, solver, beta, init, reg }) => {
        const k = 1 + ((kSeed - 1) % Math.min(X.rows, X.cols));
        const options: FactorizationOptions = { ...quiet, nComponents: k, solver, betaLoss: solver === 'cd' ? 2 : beta, init, randomState: 0, tol: 0, maxIter: 20, ...reg };
        const d = await nonNegativeFactorization(X, options);
        const s = await nonNegativeFactorization(toCsr(X), options);
        expect(maxAbsGap(s.W.data, d.W.data), 'W').toBeLessThanOrEqual(CSR_DENSE_TOLERANCE * Math.max(1, ...d.W.data));
        expect(maxAbsGap(s.H.data, d.H.data), 'H').toBeLessThanOrEqual(CSR_DENSE_TOLERANCE * Math.max(1, ...d.H.data));
      }),
      FC_FEW,
    );
  });

  it('CSR and dense inputs stop at the same iteration with the default tol (test_nmf_sparse_input)', async () => {
    const X = absRandn(10, 10, 42);
    for (let e = 0; e < X.data.length; e += 3) X.data[e] = 0;
    for (const solver of ['cd', 'mu'] as const) {
      for (const alphaW of [0, 1]) {
        const options: FactorizationOptions = { ...quiet, nComponents: 5, solver, init: 'random', randomState: 0, alphaW, tol: 1e-2 };
        const d = await nonNegativeFactorization(X, options);
        const s = await nonNegativeFactorization(toCsr(X), options);
        expect(s.nIter, `${solver}, alphaW ${alphaW}: nIter`).toBe(d.nIter);
        expect(relativeGap(s.W.data, d.W.data)).toBeLessThan(CSR_DENSE_TOLERANCE);
        expect(relativeGap(s.H.data, d.H.data)).toBeLessThan(CSR_DENSE_TOLERANCE);
      }
    }
  });

  it('a Float32Array input is factored in float32 (as scikit-learn): Float32Array W, H close to the fit of its float64 values', async () => {
    await fc.assert(
      fc.asyncProperty(matrixOf(entry, 8), fc.constantFrom<'cd' | 'mu'>('cd', 'mu'), async (X, solver) => {
        const f32 = { rows: X.rows, cols: X.cols, data: Float32Array.from(X.data) };
        const f64 = { rows: X.rows, cols: X.cols, data: Array.from(f32.data) };
        const options: FactorizationOptions = { ...quiet, nComponents: 2, solver, init: 'random', randomState: 1, maxIter: 15 };
        const a = await nonNegativeFactorization(f32, options);
        const b = await nonNegativeFactorization(f64, options);
        expect(a.W.data).toBeInstanceOf(Float32Array);
        expect(a.H.data).toBeInstanceOf(Float32Array);
        expect(b.W.data).toBeInstanceOf(Float64Array);
        const wh = (r: typeof a) => product(r.W.data, r.H.data, X.rows, 2, X.cols);
        expect(relativeGap(wh(a), wh(b)), 'W·H of the float32 fit against the float64 one').toBeLessThan(FLOAT32_VS_FLOAT64);
      }),
      FC_FEW,
    );
  });
});

describe("ports of scikit-learn's test_nmf.py", () => {
  it('reconstructs an exactly low-rank X to a tiny relative error, with both solvers (test_nmf_true_reconstruction)', async () => {
    for (const [m, n, r, seed] of [[10, 8, 2, 1], [12, 12, 3, 2], [6, 9, 1, 3]] as const) {
      const Wt = absRandn(m, r, seed), Ht = absRandn(r, n, seed + 100);
      for (const v of [Wt, Ht]) for (let i = 0; i < v.data.length; i++) v.data[i] += 0.1;
      const X = { rows: m, cols: n, data: Array.from(product(Wt.data, Ht.data, m, r, n)) };
      for (const solver of ['cd', 'mu'] as const) {
        const { W, H } = await nonNegativeFactorization(X, { ...quiet, nComponents: r, solver, init: 'nndsvda', tol: 0, maxIter: solver === 'cd' ? 1000 : 3000 });
        const gap = relativeGap(product(W.data, H.data, m, r, n), X.data);
        expect(gap, `${m}×${n} rank ${r}, ${solver}`).toBeLessThan(solver === 'cd' ? 1e-6 : 1e-3);
      }
    }
  });

  it('KL with mu reconstructs the scikit-learn sparse-structure X (test_nmf_true_reconstruction)', async () => {
    const m = 15, n = 10, r = 5;
    const wv = absRandn(1, m, 7).data, hv = absRandn(1, r, 8).data;
    const Wt = new Float64Array(m * r), Ht = new Float64Array(r * n);
    for (let j = 0; j < r; j++) Wt[(j % m) * r + j] = wv[j % m];
    for (let j = 0; j < n; j++) Ht[(j % r) * n + j] = hv[j % r];
    const X = { rows: m, cols: n, data: Array.from(product(Wt, Ht, m, r, n)) };
    const model = new NMF({ ...quiet, nComponents: r, solver: 'mu', betaLoss: 1, maxIter: 1000, randomState: 0 });
    const W = await model.fitTransform(X);
    expect(model.reconstructionErr).toBeLessThan(0.1);
    expect(relativeGap(product(W.data, model.components!.data, m, r, n), X.data)).toBeLessThan(1e-2);
  });

  it('tiny and underflowing values of X give no NaN (test_nmf_underflow)', async () => {
    const base = absRandn(10, 2, 0, 10);
    const W0 = absRandn(10, 2, 1, 10), H0 = absRandn(2, 2, 2);
    const withZero = { ...base, data: base.data.map((v, i) => (i === 0 ? 0 : v)) };
    const withDenormal = { ...base, data: base.data.map((v, i) => (i === 0 ? 1e-323 : v)) };
    const errors: number[] = [];
    for (const X of [withZero, withDenormal]) {
      const model = new NMF({ ...quiet, nComponents: 2, solver: 'mu', betaLoss: 1, init: 'custom', maxIter: 50 });
      const W = await model.fitTransform(X, { W: W0, H: H0 });
      expectNonNegativeFinite(W, 10, 2, 'W');
      expectNonNegativeFinite(model.components!, 2, 2, 'H');
      errors.push(model.reconstructionErr!);
    }
    expect(Number.isFinite(errors[0])).toBe(true);
    expect(errors[1]).toBeCloseTo(errors[0], 6);

    // Values near the bottom of float64's range, for every β: the fit must not make NaN.
    const tiny = { rows: 4, cols: 3, data: [1e-300, 2e-310, 5e-324, 1e-200, 3e-300, 1e-320, 4e-300, 1e-305, 2e-300, 1e-300, 1e-310, 7e-300] };
    for (const beta of [2, 1, 0.5]) {
      for (const solver of beta === 2 ? (['cd', 'mu'] as const) : (['mu'] as const)) {
        const { W, H } = await nonNegativeFactorization(tiny, { ...quiet, nComponents: 2, solver, betaLoss: beta, init: 'random', randomState: 0, maxIter: 50 });
        expectNonNegativeFinite(W, 4, 2, `W (β ${beta}, ${solver})`);
        expectNonNegativeFinite(H, 2, 3, `H (β ${beta}, ${solver})`);
      }
    }
  });

  it('Itakura-Saito on values below EPSILON returns finite factors or rejects with NMFError, never NaN', async () => {
    // scikit-learn 1.2.1 returns NaN here silently: its loss skips entries ≤ EPSILON, so it never sees them.
    const tiny = { rows: 4, cols: 3, data: [1e-300, 2e-310, 5e-324, 1e-200, 3e-300, 1e-320, 4e-300, 1e-305, 2e-300, 1e-300, 1e-310, 7e-300] };
    let result: { W: DenseMatrix; H: DenseMatrix } | undefined;
    try {
      result = await nonNegativeFactorization(tiny, { ...quiet, nComponents: 2, solver: 'mu', betaLoss: 0, init: 'random', randomState: 0, maxIter: 50 });
    } catch (e) {
      expect(e).toBeInstanceOf(NMFError);
    }
    if (result) {
      expectNonNegativeFinite(result.W, 4, 2, 'W');
      expectNonNegativeFinite(result.H, 2, 3, 'H');
    }
  });

  it('nComponents > nFeatures works with init random, and the default init picks random there (test_n_components_greater_n_features)', async () => {
    const X = absRandn(30, 10, 42);
    for (const solver of ['cd', 'mu'] as const) {
      const options: FactorizationOptions = { ...quiet, nComponents: 15, solver, randomState: 0, tol: 1e-2 };
      const byDefault = await nonNegativeFactorization(X, { ...options, init: null });
      const random = await nonNegativeFactorization(X, { ...options, init: 'random' });
      expectNonNegativeFinite(byDefault.W, 30, 15, 'W');
      expectNonNegativeFinite(byDefault.H, 15, 10, 'H');
      expect(Array.from(byDefault.W.data)).toEqual(Array.from(random.W.data));
      expect(Array.from(byDefault.H.data)).toEqual(Array.from(random.H.data));
    }
    const model = new NMF({ ...quiet, nComponents: 15, randomState: 0, tol: 1e-2 });
    await model.fit(X);
    expect(model.nComponentsOut).toBe(15);
  });

  it('L1 and L2 regularization shrink W and H, with both solvers (test_nmf_regularization)', async () => {
    for (const seed of [42, 1, 2]) {
      const X = absRandn(6, 5, seed);
      for (const solver of ['cd', 'mu'] as const) {
        const fit = (alphaW: number, l1Ratio: number) => {
          const model = new NMF({ ...quiet, nComponents: 3, alphaW, l1Ratio, randomState: 42, solver });
          return model.fitTransform(X).then((W) => ({ W: W.data, H: model.components!.data }));
        };
        const zeros = (a: ArrayLike<number>) => Array.from(a).filter((v) => v <= 2.220446049250313e-16).length;
        const l1 = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);

        const [l1Reg, l1Free] = [await fit(0.5, 1), await fit(0, 1)];
        expect(zeros(l1Reg.W) + zeros(l1Reg.H), `seed ${seed}, ${solver}: L1 makes zeros`).toBeGreaterThan(zeros(l1Free.W) + zeros(l1Free.H));
        expect(l1(l1Reg.W) + l1(l1Reg.H), `seed ${seed}, ${solver}: L1 shrinks ‖W‖₁ + ‖H‖₁`).toBeLessThan(l1(l1Free.W) + l1(l1Free.H));

        const [l2Reg, l2Free] = [await fit(0.5, 0), await fit(0, 0)];
        const sq = (r: { W: ArrayLike<number>; H: ArrayLike<number> }) => frobenius(r.W) ** 2 + frobenius(r.H) ** 2;
        expect(sq(l2Reg), `seed ${seed}, ${solver}: L2 shrinks ‖W‖² + ‖H‖²`).toBeLessThan(sq(l2Free));
      }
    }
  });

  it('the regularized objective decreases at every iteration (test_nmf_decreasing)', async () => {
    const m = 20, n = 15, k = 10, alpha = 0.1, l1Ratio = 0.5;
    const X = absRandn(m, n, 42);
    const avg = Math.sqrt(X.data.reduce((s, v) => s + v, 0) / (m * n) / k);
    const W0 = absRandn(m, k, 43, avg), H0 = absRandn(k, n, 44, avg);
    const reg = { alphaW: alpha, alphaH: alpha, l1Ratio };
    for (const [solver, beta] of [['cd', 2], ['mu', -1.2], ['mu', 0], ['mu', 0.2], ['mu', 1], ['mu', 2], ['mu', 2.5]] as const) {
      let W: DenseMatrix = { ...W0, data: Float64Array.from(W0.data) };
      let H: DenseMatrix = { ...H0, data: Float64Array.from(H0.data) };
      let previous = objective(X, W, H, beta, reg);
      for (let it = 0; it < 30; it++) {
        const out = await nonNegativeFactorization(X, { ...quiet, W, H, init: 'custom', nComponents: k, betaLoss: beta, solver, maxIter: 1, tol: 0, alphaW: alpha, l1Ratio, randomState: 0 });
        ({ W, H } = out);
        const loss = objective(X, W, H, beta, reg);
        expect(loss, `${solver}, β ${beta}, iteration ${it + 1}`).toBeLessThan(previous);
        previous = loss;
      }
    }
  });

  it('fitTransform is close to fit then transform, with both solvers (test_nmf_transform)', async () => {
    for (const seed of [42, 3]) {
      const A = absRandn(6, 5, seed);
      for (const solver of ['cd', 'mu'] as const) {
        const model = new NMF({ ...quiet, solver, nComponents: 3, init: 'random', randomState: 0, tol: 1e-6 });
        const ft = await model.fitTransform(A);
        const t = await model.transform(A);
        expect(maxAbsGap(t.data, ft.data), `seed ${seed}, ${solver}`).toBeLessThan(0.1);
      }
    }
  });

  it('a full-rank fit gets close, with both solvers (test_nmf_fit_close)', async () => {
    const X = absRandn(6, 5, 42);
    for (const solver of ['cd', 'mu'] as const) {
      const model = new NMF({ ...quiet, nComponents: 5, init: 'nndsvdar', randomState: 0, maxIter: 600, solver });
      await model.fit(X);
      expect(model.reconstructionErr, solver).toBeLessThan(0.1);
    }
  });
});

describe('warnings, verbose, progress and abort', () => {
  const ones = { rows: 2, cols: 2, data: [1, 1, 1, 1] };

  it('a ConvergenceWarning arrives through onWarning when maxIter is hit (test_convergence_warning)', async () => {
    for (const solver of ['cd', 'mu'] as const) {
      const warnings: NMFWarning[] = [];
      await nonNegativeFactorization(ones, { backend: 'cpu', solver, maxIter: 1, onWarning: (w) => warnings.push(w) });
      expect(warnings, solver).toContainEqual({ category: 'ConvergenceWarning', message: 'Maximum number of iterations 1 reached. Increase it to improve convergence.' });

      const estimatorWarnings: NMFWarning[] = [];
      await new NMF({ backend: 'cpu', solver, maxIter: 1, onWarning: (w) => estimatorWarnings.push(w) }).fit(ones);
      expect(estimatorWarnings.map((w) => w.category), `${solver} (estimator)`).toContain('ConvergenceWarning');
    }
  });

  it('no ConvergenceWarning with tol 0, which asks for exactly maxIter iterations', async () => {
    for (const solver of ['cd', 'mu'] as const) {
      const warnings: NMFWarning[] = [];
      const { nIter } = await nonNegativeFactorization(absRandn(4, 3, 0), { backend: 'cpu', solver, maxIter: 7, tol: 0, onWarning: (w) => warnings.push(w) });
      expect(nIter).toBe(7);
      expect(warnings.filter((w) => w.category === 'ConvergenceWarning'), solver).toEqual([]);
    }
  });

  it('verbose prints lines, and none without it', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    for (const solver of ['cd', 'mu'] as const) {
      log.mockClear();
      await nonNegativeFactorization(absRandn(5, 4, 1), { ...quiet, solver, verbose: 1, maxIter: 30 });
      expect(log.mock.calls.length, `${solver}: lines printed`).toBeGreaterThan(0);
      for (const [line] of log.mock.calls) expect(typeof line).toBe('string');
      log.mockClear();
      await nonNegativeFactorization(absRandn(5, 4, 1), { ...quiet, solver, maxIter: 30 });
      expect(log.mock.calls.length, `${solver}: silent by default`).toBe(0);
    }
  });

  it('onProgress is called with increasing iterations', async () => {
    for (const solver of ['cd', 'mu'] as const) {
      const seen: { iteration: number; elapsedMs: number; loss?: number; violation?: number }[] = [];
      const { nIter } = await nonNegativeFactorization(absRandn(8, 6, 5), { ...quiet, solver, maxIter: 60, tol: 1e-12, onProgress: (p) => seen.push(p) });
      expect(seen.length, `${solver}: calls`).toBeGreaterThan(1);
      for (let i = 1; i < seen.length; i++) {
        expect(seen[i].iteration, `${solver}: iteration`).toBeGreaterThan(seen[i - 1].iteration);
        expect(seen[i].elapsedMs).toBeGreaterThanOrEqual(seen[i - 1].elapsedMs);
      }
      expect(seen[seen.length - 1].iteration).toBeLessThanOrEqual(nIter);
      const scalar = solver === 'mu' ? seen.map((p) => p.loss) : seen.map((p) => p.violation);
      for (const v of scalar) expect(Number.isFinite(v), `${solver}: reported scalar ${v}`).toBe(true);
    }
  });

  it("mu with tol 0 (no error computed, as scikit-learn) still reports progress every 10 iterations", async () => {
    const seen: number[] = [];
    await nonNegativeFactorization(absRandn(8, 6, 5), { ...quiet, solver: 'mu', maxIter: 35, tol: 0, onProgress: (p) => { seen.push(p.iteration); expect(p.loss).toBeUndefined(); } });
    expect(seen).toEqual([10, 20, 30]);
  });

  it('an already-aborted signal rejects, with the abort reason', async () => {
    const c = new AbortController();
    c.abort();
    await expect(nonNegativeFactorization(absRandn(4, 3, 0), { ...quiet, signal: c.signal })).rejects.toMatchObject({ name: 'AbortError' });
    const reason = new Error('stop now');
    const d = new AbortController();
    d.abort(reason);
    await expect(new NMF({ ...quiet, solver: 'mu', signal: d.signal }).fit(absRandn(4, 3, 0))).rejects.toBe(reason);
  });

  it('an abort during a long CPU fit rejects promptly', async () => {
    const X = absRandn(120, 80, 9);
    for (const solver of ['cd', 'mu'] as const) {
      const c = new AbortController();
      let abortedAt = 0;
      setTimeout(() => {
        abortedAt = performance.now();
        c.abort();
      }, 100);
      const started = performance.now();
      const fit = nonNegativeFactorization(X, { ...quiet, solver, nComponents: 10, tol: 0, maxIter: 1_000_000, signal: c.signal });
      await expect(fit, solver).rejects.toMatchObject({ name: 'AbortError' });
      const now = performance.now();
      expect(abortedAt, `${solver}: the abort ran during the fit`).toBeGreaterThan(started);
      expect(now - abortedAt, `${solver}: ms from abort to rejection`).toBeLessThan(500);
    }
  });
});
