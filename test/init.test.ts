// initializeNmf and randomizedSvd against scikit-learn 1.2.1's _initialize_nmf (test/fixtures/gen_init.py).

import { describe, expect, it } from 'vitest';
import { initializeNmf } from '../src/init/initialize.js';
import { numpyMean } from '../src/init/numpy-mean.js';
import { randomizedSvd } from '../src/init/randomized-svd.js';
import { InvalidParameterError } from '../src/errors.js';
import { dense, toDense, type CsrMatrix, type DataMatrix, type DenseMatrix } from '../src/matrix/matrix.js';
import { RandomState } from '../src/random/random-state.js';
import fixtures from './fixtures/init.json';

/** Relative Frobenius error allowed between our W, H and scikit-learn's. */
const INIT_REL_TOL = 1e-6;
/** 'random' starts are numpy's normals times sqrt(mean/k): equal up to a last-bit difference in log. */
const RANDOM_INIT_REL_TOL = 1e-14;
/** randomizedSvd's U·diag(S)·Vt against the exact truncated SVD, on a matrix of exact rank k. */
const LOW_RANK_RECON_TOL = 1e-10;

type Encoded = { rows: number; cols: number; data: number[]; indptr?: number[]; indices?: number[]; mean: number };

function decode(m: Encoded): DataMatrix {
  if (m.indptr && m.indices) {
    return { rows: m.rows, cols: m.cols, indptr: Int32Array.from(m.indptr), indices: Int32Array.from(m.indices), data: Float64Array.from(m.data) } satisfies CsrMatrix;
  }
  return dense(m.rows, m.cols, Float64Array.from(m.data));
}

const matrices = fixtures.matrices as Record<string, Encoded>;
const X = (name: string) => decode(matrices[name]);

function relFrobenius(actual: DenseMatrix, expected: ArrayLike<number>): number {
  let num = 0, den = 0;
  for (let i = 0; i < expected.length; i++) {
    num += (actual.data[i] - expected[i]) ** 2;
    den += expected[i] ** 2;
  }
  return Math.sqrt(num / den);
}

function maxRelEntry(actual: DenseMatrix, expected: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const scale = Math.abs(expected[i]) || 1;
    worst = Math.max(worst, Math.abs(actual.data[i] - expected[i]) / scale);
  }
  return worst;
}

describe.each(fixtures.cases)('initializeNmf matches scikit-learn: $name', (c) => {
  const init = c.init as 'random' | 'nndsvd' | 'nndsvda' | 'nndsvdar' | null;
  const out = initializeNmf(X(c.X), c.nComponents, init, c.randomState);

  it('chooses the same method and shapes', () => {
    expect(out.init).toBe(c.expectedInit);
    expect([out.W.rows, out.W.cols]).toEqual([c.W.rows, c.W.cols]);
    expect([out.H.rows, out.H.cols]).toEqual([c.H.rows, c.H.cols]);
  });

  it(`W and H within relative Frobenius error ${INIT_REL_TOL}`, () => {
    expect(relFrobenius(out.W, c.W.data)).toBeLessThanOrEqual(INIT_REL_TOL);
    expect(relFrobenius(out.H, c.H.data)).toBeLessThanOrEqual(INIT_REL_TOL);
  });

  it('is non-negative, with zeros exactly where scikit-learn has them', () => {
    for (const [ours, theirs] of [[out.W, c.W.data], [out.H, c.H.data]] as const) {
      expect(ours.data.every((v) => v >= 0)).toBe(true);
      expect(Array.from(ours.data, (v) => v === 0)).toEqual(theirs.map((v) => v === 0));
    }
  });

  if (c.expectedInit === 'random') {
    it('random start equals numpy draws entry by entry', () => {
      expect(maxRelEntry(out.W, c.W.data)).toBeLessThanOrEqual(RANDOM_INIT_REL_TOL);
      expect(maxRelEntry(out.H, c.H.data)).toBeLessThanOrEqual(RANDOM_INIT_REL_TOL);
    });
  }
});

describe('initializeNmf rules', () => {
  it.each(fixtures.errors)('refuses init=$init with nComponents=$nComponents > min(shape)', (e) => {
    const call = () => initializeNmf(X(e.X), e.nComponents, e.init as 'nndsvd', 0);
    expect(call).toThrow(InvalidParameterError);
    // scikit-learn's message, in our camelCase names
    const ours = e.sklearnMessage.replace('n_components', 'nComponents').replace('n_samples', 'nSamples').replace('n_features', 'nFeatures');
    expect(call).toThrow(ours);
    try {
      call();
    } catch (err) {
      expect((err as InvalidParameterError).parameter).toBe('init');
    }
  });

  it("'random' accepts nComponents > min(shape)", () => {
    const out = initializeNmf(X('tiny6x5'), 9, 'random', 0);
    expect([out.W.cols, out.H.rows]).toEqual([9, 9]);
  });

  it('refuses negative X', () => {
    const Xneg = dense(2, 2, Float64Array.from([1, -1, 2, 3]));
    expect(() => initializeNmf(Xneg, 1, 'nndsvd', 0)).toThrow(/Negative values in data passed to NMF initialization/);
  });

  it("refuses 'custom' (W and H are supplied, not initialized)", () => {
    expect(() => initializeNmf(X('tiny6x5'), 2, 'custom', 0)).toThrow(InvalidParameterError);
  });

  it('is reproducible for an int seed and differs for randomState null', () => {
    const a = initializeNmf(X('random12x9'), 3, 'nndsvdar', 9);
    const b = initializeNmf(X('random12x9'), 3, 'nndsvdar', 9);
    expect(Array.from(a.W.data)).toEqual(Array.from(b.W.data));
    const r1 = initializeNmf(X('random12x9'), 3, 'random', null);
    const r2 = initializeNmf(X('random12x9'), 3, 'random', null);
    expect(Array.from(r1.H.data)).not.toEqual(Array.from(r2.H.data));
  });

  it('dense and CSR input give the same start', () => {
    const S = X('sparse25x18');
    for (const init of ['nndsvd', 'nndsvdar', 'random'] as const) {
      const a = initializeNmf(S, 4, init, 1), b = initializeNmf(toDense(S), 4, init, 1);
      expect(relFrobenius(a.W, b.W.data)).toBeLessThanOrEqual(1e-12);
      expect(relFrobenius(a.H, b.H.data)).toBeLessThanOrEqual(1e-12);
    }
  });
});

describe('numpyMean', () => {
  it("equals X.mean() bit for bit (numpy's pairwise sum; scipy's scaled row sums for CSR)", () => {
    for (const name of Object.keys(matrices)) expect(numpyMean(X(name))).toBe(matrices[name].mean);
  });

  it("follows numpy past its 8192-item reduction buffer (20000 entries), dense and CSR", () => {
    const b = fixtures.bufferMeans;
    const rng = new RandomState(b.seed);
    const a = Float64Array.from({ length: 20000 }, () => rng.randomSample() * b.scale);
    expect(numpyMean(dense(100, 200, a))).toBe(b.dense100x200);
    const indptr = [0], indices: number[] = [], data: number[] = [];
    for (let i = 0; i < 10000; i++) {
      for (let j = 0; j < 2; j++) if (a[2 * i + j] >= 500) { indices.push(j); data.push(a[2 * i + j]); }
      indptr.push(indices.length);
    }
    const S: CsrMatrix = { rows: 10000, cols: 2, indptr: Int32Array.from(indptr), indices: Int32Array.from(indices), data: Float64Array.from(data) };
    expect(numpyMean(S)).toBe(b.csr10000x2DropBelow500);
  });
});

describe('randomizedSvd', () => {
  it('recovers an exactly rank-k matrix, tall and wide, dense and CSR', () => {
    const rng = new RandomState(0);
    for (const [m, n, k] of [[30, 20, 3], [12, 40, 2], [9, 9, 4]]) {
      const A = rng.standardNormal(m * k), B = rng.standardNormal(k * n);
      const Xd = dense(m, n);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) for (let r = 0; r < k; r++) Xd.data[i * n + j] += A[i * k + r] * B[r * n + j];
      const { U, S, Vt } = randomizedSvd(Xd, k, new RandomState(1));
      let err = 0, ref = 0;
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let v = 0;
          for (let r = 0; r < k; r++) v += U.data[i * k + r] * S[r] * Vt.data[r * n + j];
          err += (v - Xd.data[i * n + j]) ** 2;
          ref += Xd.data[i * n + j] ** 2;
        }
      }
      expect(Math.sqrt(err / ref)).toBeLessThanOrEqual(LOW_RANK_RECON_TOL);
      for (let r = 1; r < k; r++) expect(S[r]).toBeLessThanOrEqual(S[r - 1]);
    }
  });

  it('returns orthonormal U columns whose largest entry is positive (svd_flip)', () => {
    const { U } = randomizedSvd(X('random25x18'), 5, new RandomState(42));
    for (let a = 0; a < 5; a++) {
      let best = 0;
      for (let i = 0; i < U.rows; i++) if (Math.abs(U.data[i * 5 + a]) > Math.abs(U.data[best * 5 + a])) best = i;
      expect(U.data[best * 5 + a]).toBeGreaterThan(0);
      for (let b = 0; b < 5; b++) {
        let dot = 0;
        for (let i = 0; i < U.rows; i++) dot += U.data[i * 5 + a] * U.data[i * 5 + b];
        expect(Math.abs(dot - (a === b ? 1 : 0))).toBeLessThanOrEqual(1e-12);
      }
    }
  });
});
