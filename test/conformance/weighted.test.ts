// Weighted NMF (the mask option) on every target that supports it: the loss counts observed entries
// only, each with its weight. No scikit-learn reference exists; the tests pin what weighting must mean:
// an all-ones mask is the unweighted fit, unobserved entries cannot matter, and a low-rank matrix is
// recovered from 70% of it. Tolerances: test/support/targets.ts (float64 on the CPU; float32
// arithmetic in another order on the GPU backends).

import { describe, expect, it, test } from 'vitest';
import { NMF, nonNegativeFactorization, type DenseMatrix, type FactorizationOptions } from '../../src/index.js';
import { relativeError } from '../support/cases.js';
import { rng, seededMatrix, toCsr } from '../support/matrices.js';
import { openTargets, type Target } from '../support/targets.js';

const targets = await openTargets();

const matrix = (rows: number, cols: number, seed: number, lo = 0.1) => seededMatrix(rows, cols, seed, { lo });

/** 1 where observed (about 1 − missing of the entries), 0 elsewhere; every row and column keeps one. */
function mask01(rows: number, cols: number, missing: number, seed: number): DenseMatrix<Float64Array> {
  const next = rng(seed);
  const data = Float64Array.from({ length: rows * cols }, () => (next() < missing ? 0 : 1));
  for (let i = 0; i < rows; i++) data[i * cols + (i % cols)] = 1;
  for (let j = 0; j < cols; j++) data[(j % rows) * cols + j] = 1;
  return { rows, cols, data };
}

const ones = (rows: number, cols: number) => ({ rows, cols, data: new Float64Array(rows * cols).fill(1) });
const quiet = () => {};

describe.each(targets)('weighted NMF on $name', (t: Target) => {
  const base: FactorizationOptions = { nComponents: 3, solver: 'mu', init: 'nndsvda', maxIter: 60, tol: 0, ...t.options, onWarning: quiet };
  const tolerance = t.tolerance.weighted!;
  // every case of this block is skipped, by name, on a target that declares no weighted NMF
  const it = test.skipIf(!t.supports.weighted);

  it.each([
    ['frobenius', 'dense'], ['frobenius', 'csr'], ['kullback-leibler', 'dense'], ['kullback-leibler', 'csr'],
    ['itakura-saito', 'dense'], [0.5, 'dense'], [3, 'csr'],
  ] as const)('an all-ones mask gives the unweighted fit (β %s, %s X)', async (betaLoss, format) => {
    const X0 = matrix(14, 11, 1, betaLoss === 'itakura-saito' ? 0.3 : 0.1);
    if (format === 'csr') for (let q = 0; q < X0.data.length; q += 3) X0.data[q] = 0;
    const X = format === 'csr' ? toCsr(X0) : X0;
    const o = { ...base, betaLoss, alphaW: 0.01, l1Ratio: 0.5 };
    const plain = await nonNegativeFactorization(X, o);
    for (const mask of [ones(14, 11), toCsr(ones(14, 11))]) {
      const weighted = await nonNegativeFactorization(X, { ...o, mask });
      expect(relativeError(weighted.W, plain.W)).toBeLessThan(tolerance);
      expect(relativeError(weighted.H, plain.H)).toBeLessThan(tolerance);
    }
  });

  it.each(['nndsvda', 'random'] as const)('what sits in unobserved entries changes nothing (init %s)', async (init) => {
    const X = matrix(15, 12, 2);
    const mask = mask01(15, 12, 0.3, 3);
    const other = { ...X, data: X.data.map((v, q) => (mask.data[q] === 0 ? 50 * v + 7 : v)) };
    const o = { ...base, init, randomState: 4, betaLoss: 'kullback-leibler' as const, mask };
    const a = await nonNegativeFactorization(X, o);
    const b = await nonNegativeFactorization(other, o);
    expect(Array.from(b.W.data)).toEqual(Array.from(a.W.data));
    expect(Array.from(b.H.data)).toEqual(Array.from(a.H.data));
    // while without the mask they do matter
    const c = await nonNegativeFactorization(other, { ...o, mask: null });
    expect(relativeError(c.H, a.H)).toBeGreaterThan(0.05);
  });

  it('recovers an exactly low-rank matrix with 30% of its entries missing', async () => {
    const A = matrix(40, 3, 5, 0), B = matrix(3, 30, 6, 0);
    const X = { rows: 40, cols: 30, data: new Float64Array(1200) };
    for (let i = 0; i < 40; i++) for (let j = 0; j < 30; j++) for (let r = 0; r < 3; r++) X.data[i * 30 + j] += A.data[i * 3 + r] * B.data[r * 30 + j];
    const mask = mask01(40, 30, 0.3, 7);
    const model = new NMF({ ...base, maxIter: t.supports.float64 ? 3000 : 1500, tol: 1e-9 });
    const W = await model.fitTransform(X, { mask });
    const H = model.components!;
    let missErr = 0, missRef = 0, missing = 0;
    for (let i = 0; i < 40; i++) {
      for (let j = 0; j < 30; j++) {
        if (mask.data[i * 30 + j] !== 0) continue;
        let wh = 0;
        for (let r = 0; r < 3; r++) wh += W.data[i * 3 + r] * H.data[r * 30 + j];
        missErr += (wh - X.data[i * 30 + j]) ** 2;
        missRef += X.data[i * 30 + j] ** 2;
        missing++;
      }
    }
    expect(missing).toBeGreaterThan(300);
    // the missing entries, which the fit never saw, come back within 1%
    expect(Math.sqrt(missErr / missRef)).toBeLessThan(1e-2);
  });

  it('the reconstruction error is the weighted one, and scaling all weights changes nothing', async () => {
    const X = matrix(12, 9, 8);
    const weights = { ...matrix(12, 9, 9, 0), data: matrix(12, 9, 9, 0).data.map((v) => (v < 0.25 ? 0 : v)) };
    const model = new NMF({ ...base, maxIter: 40 });
    const W = await model.fitTransform(X, { mask: weights });
    const H = model.components!;
    let d = 0;
    for (let i = 0; i < 12; i++) {
      for (let j = 0; j < 9; j++) {
        let wh = 0;
        for (let r = 0; r < 3; r++) wh += W.data[i * 3 + r] * H.data[r * 9 + j];
        d += weights.data[i * 9 + j] * (X.data[i * 9 + j] - wh) ** 2;
      }
    }
    expect(Math.abs(model.reconstructionErr! / Math.sqrt(d) - 1)).toBeLessThan(t.supports.float64 ? 1e-12 : 1e-4);
    const scaled = new NMF({ ...base, maxIter: 40 });
    await scaled.fitTransform(X, { mask: { ...weights, data: weights.data.map((w) => 8 * w) } });
    expect(relativeError(scaled.components!, H)).toBeLessThan(tolerance);
  });
});

describe('the mask option is checked', () => {
  const X = matrix(6, 5, 10);
  const o: FactorizationOptions = { nComponents: 2, solver: 'mu', backend: 'cpu', onWarning: quiet };
  it.each([
    ['a mask of another shape', { mask: ones(5, 5) }, /mask must have the shape of X \(6, 5\)\. Got \(5, 5\) instead/],
    ['negative weights', { mask: { rows: 6, cols: 5, data: new Float64Array(30).fill(-1) } }, /Negative values in data passed to mask/i],
    ['an all-zero mask', { mask: { rows: 6, cols: 5, data: new Float64Array(30) } }, /mask has no positive entry/],
    ['solver cd', { mask: ones(6, 5), solver: 'cd' as const }, /mask \(weighted NMF\) needs solver 'mu'/],
    ['not a matrix', { mask: 3 as never }, /'mask' parameter of nonNegativeFactorization must be a matrix or null/],
  ])('%s', async (_, extra, message) => {
    await expect(nonNegativeFactorization(X, { ...o, ...extra })).rejects.toThrow(message);
  });

  it('β ≤ 0 refuses zeros only where they count', async () => {
    const Z = { ...X, data: X.data.map((v, q) => (q === 0 ? 0 : v)) };
    const mask = { ...ones(6, 5), data: ones(6, 5).data.map((v, q) => (q === 0 ? 0 : v)) };
    await expect(nonNegativeFactorization(Z, { ...o, betaLoss: 'itakura-saito' })).rejects.toThrow(/betaLoss <= 0 and X contains zeros/);
    await expect(nonNegativeFactorization(Z, { ...o, betaLoss: 'itakura-saito', mask, maxIter: 5 })).resolves.toBeTruthy();
  });
});
