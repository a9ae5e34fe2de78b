// Small seeded matrices for tests that need data but no fixture.

import type { CsrMatrix, DenseMatrix } from '../../src/index.js';

/** A seeded uniform generator on [0, 1) (an LCG: tests need repeatability, not quality). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** rows × cols with entries lo + U[0, 1); about `zeros` of them set to 0. */
export function seededMatrix(rows: number, cols: number, seed: number, { lo = 0.1, zeros = 0 } = {}): DenseMatrix<Float64Array> {
  const next = rng(seed);
  return { rows, cols, data: Float64Array.from({ length: rows * cols }, () => (zeros > 0 && next() < zeros ? 0 : lo + next())) };
}

/** The CSR form of a dense matrix (its nonzeros, in row order). */
export function toCsr(X: DenseMatrix): CsrMatrix {
  const indptr = [0], indices: number[] = [], data: number[] = [];
  for (let i = 0; i < X.rows; i++) {
    for (let j = 0; j < X.cols; j++) {
      const v = X.data[i * X.cols + j];
      if (v !== 0) {
        indices.push(j);
        data.push(v);
      }
    }
    indptr.push(indices.length);
  }
  return { rows: X.rows, cols: X.cols, indptr: Int32Array.from(indptr), indices: Int32Array.from(indices), data: Float64Array.from(data) };
}
