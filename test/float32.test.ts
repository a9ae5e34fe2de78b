// scikit-learn's dtype rule on the CPU backend: X given as float32 (Float32Array, dense or CSR) is
// factored in float32 and W, H, components and transform's W come back as Float32Array, matching
// scikit-learn 1.2.1's float32 fits (test/fixtures/float32.json, written by
// /usr/bin/python3 test/fixtures/gen_float32.py) within a float32 tolerance; float64 X stays float64.

import { describe, expect, it } from 'vitest';
import { NMF, nonNegativeFactorization, type FactorizationOptions, type NMFOptions } from '../src/index.js';
import { relativeError } from './support/cases.js';
import fixtures from './fixtures/float32.json' with { type: 'json' };

/**
 * Relative Frobenius error allowed against scikit-learn's float32 W and H. Two float32 ports differ
 * by their summation orders (scikit-learn's own mixes float32 and float64 steps): the fixtures'
 * drift (scikit-learn's change under input perturbations at float32's rounding level) is at most
 * 2.2e-5; webnmf's results land within 9.9e-6 (mu-kl-csr the largest), each below its case's drift.
 */
const FLOAT32_TOLERANCE = 5e-5;
/** The reconstruction error: webnmf sums float32 terms in float64, scikit-learn in float32 (seen: 1.5e-7). */
const ERROR_TOLERANCE = 1e-6;

interface Matrix { rows: number; cols: number; data: number[]; indptr?: number[]; indices?: number[] }
interface Case {
  name: string;
  kind: 'function' | 'estimator';
  X: Matrix;
  X2: Matrix | null;
  W0: Matrix | null;
  H0: Matrix | null;
  options: FactorizationOptions;
  expected: { W: Matrix; H: Matrix; nIter: number; reconstructionErr?: number; transformW?: Matrix };
  drift: number;
  nIterRange: [number, number];
}
const cases = (fixtures as unknown as { cases: Case[] }).cases;

/** The fixture's matrix with float32 data, as a user would hand it over. */
const float32 = (M: Matrix) =>
  M.indptr ? { ...M, indptr: Int32Array.from(M.indptr), indices: Int32Array.from(M.indices!), data: Float32Array.from(M.data) } : { ...M, data: Float32Array.from(M.data) };

const quiet = () => {};

describe(`float32 X is factored in float32, as scikit-learn ${(fixtures as { sklearn: string }).sklearn} does (cpu)`, () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (name, c) => {
    const start = { ...(c.W0 ? { W: float32(c.W0) } : {}), ...(c.H0 ? { H: float32(c.H0) } : {}) };
    let W, H, nIter;
    if (c.kind === 'function') {
      ({ W, H, nIter } = await nonNegativeFactorization(float32(c.X), { ...c.options, ...start, backend: 'cpu', onWarning: quiet }));
    } else {
      const model = new NMF({ ...(c.options as NMFOptions), backend: 'cpu', onWarning: quiet });
      W = await model.fitTransform(float32(c.X), start);
      H = model.components!;
      nIter = model.nIter!;
      expect(model.backendUsed).toBe('cpu (float32)');
      expect(Math.abs(model.reconstructionErr! / c.expected.reconstructionErr! - 1), `${name}: reconstructionErr`).toBeLessThan(ERROR_TOLERANCE);
      const transformW = await model.transform(float32(c.X2!));
      expect(transformW.data, `${name}: transform's W`).toBeInstanceOf(Float32Array);
      expect(relativeError(transformW, c.expected.transformW!), `${name}: transform's W`).toBeLessThan(FLOAT32_TOLERANCE);
    }
    expect(W.data, `${name}: W`).toBeInstanceOf(Float32Array);
    expect(H.data, `${name}: H`).toBeInstanceOf(Float32Array);
    expect(relativeError(W, c.expected.W), `${name}: W`).toBeLessThan(FLOAT32_TOLERANCE);
    expect(relativeError(H, c.expected.H), `${name}: H`).toBeLessThan(FLOAT32_TOLERANCE);
    // Where tol > 0 the stopping test compares float32 losses: nIter within the fixture's spread.
    const [least, most] = c.nIterRange;
    expect(nIter, `${name}: nIter`).toBeGreaterThanOrEqual(least - 1);
    expect(nIter, `${name}: nIter`).toBeLessThanOrEqual(most + 1);
    if (c.options.tol === 0) expect(nIter).toBe(c.expected.nIter);
  });

  it('float64 X (and number[][]) stays float64; float32 X with a mask or solver pg computes in float64', async () => {
    const X = { rows: 6, cols: 4, data: Float64Array.from({ length: 24 }, (_, i) => 1 + (i % 5)) };
    const X32 = { ...X, data: Float32Array.from(X.data) };
    const options = { nComponents: 2, init: 'random', randomState: 0, backend: 'cpu', onWarning: quiet } as const;
    expect((await nonNegativeFactorization(X, options)).W.data).toBeInstanceOf(Float64Array);
    expect((await nonNegativeFactorization([[1, 2], [3, 4], [5, 6]], options)).W.data).toBeInstanceOf(Float64Array);
    expect((await nonNegativeFactorization(X32, options)).W.data).toBeInstanceOf(Float32Array);
    const mask = { rows: 6, cols: 4, data: Float64Array.from({ length: 24 }, (_, i) => (i % 7 === 0 ? 0 : 1)) };
    expect((await nonNegativeFactorization(X32, { ...options, solver: 'mu', mask })).W.data).toBeInstanceOf(Float64Array);
    expect((await nonNegativeFactorization(X32, { ...options, solver: 'pg' })).W.data).toBeInstanceOf(Float64Array);
  });
});
