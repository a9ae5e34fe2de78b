// Small seeded matrices for tests that need data but no fixture.

import type { CsrMatrix, DenseMatrix } from '../../src/index.js';
import { toCsr as csrOf } from '../../src/stream/row-source.js';

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
  return csrOf({ rows: X.rows, cols: X.cols, data: Float64Array.from(X.data) });
}
