// Weighted NMF's input: which entries of X count, and how much (the `mask` option).

import type { WeightedEntries } from '../backend/backend.js';
import { InvalidParameterError } from '../errors.js';
import { toDataMatrix } from './coerce.js';
import { dense, isCsr, type DataMatrix, type DenseMatrix } from './matrix.js';

/** The entries of X with a positive weight in `mask` (dense weights, or CSR of the observed entries). */
export function observedEntries(X: DataMatrix, maskInput: unknown): WeightedEntries {
  const M = toDataMatrix(maskInput, 'mask');
  if (M.rows !== X.rows || M.cols !== X.cols) {
    throw new InvalidParameterError('mask', `mask must have the shape of X (${X.rows}, ${X.cols}). Got (${M.rows}, ${M.cols}) instead.`);
  }
  const n = X.cols;
  const indptr = new Int32Array(X.rows + 1);
  const indices: number[] = [], weights: number[] = [];
  for (let i = 0; i < X.rows; i++) {
    if (isCsr(M)) {
      for (let p = M.indptr[i]; p < M.indptr[i + 1]; p++) if (M.data[p] > 0) { indices.push(M.indices[p]); weights.push(M.data[p]); }
    } else {
      for (let j = 0; j < n; j++) if (M.data[i * n + j] > 0) { indices.push(j); weights.push(M.data[i * n + j]); }
    }
    indptr[i + 1] = indices.length;
  }
  if (weights.length === 0) throw new InvalidParameterError('mask', 'mask has no positive entry: no entry of X would count in the fit.');
  const values = new Float64Array(weights.length);
  for (let i = 0; i < X.rows; i++) {
    if (!isCsr(X)) {
      for (let p = indptr[i]; p < indptr[i + 1]; p++) values[p] = X.data[i * n + indices[p]];
      continue;
    }
    // both rows are sorted by column: merge
    let q = X.indptr[i];
    for (let p = indptr[i]; p < indptr[i + 1]; p++) {
      while (q < X.indptr[i + 1] && X.indices[q] < indices[p]) q++;
      values[p] = q < X.indptr[i + 1] && X.indices[q] === indices[p] ? X.data[q] : 0;
    }
  }
  return { rows: X.rows, cols: n, indptr, indices: Int32Array.from(indices), weights: Float64Array.from(weights), values };
}

/**
 * X as the initialization sees it: observed entries as they are, the others set to the weighted mean
 * of the observed ones, so that what sits in X's unobserved entries changes nothing.
 */
export function imputeUnobserved(E: WeightedEntries): DenseMatrix<Float64Array> {
  let sw = 0, swx = 0;
  for (let p = 0; p < E.weights.length; p++) {
    sw += E.weights[p];
    swx += E.weights[p] * E.values[p];
  }
  const out = dense(E.rows, E.cols);
  out.data.fill(swx / sw);
  for (let i = 0; i < E.rows; i++) for (let p = E.indptr[i]; p < E.indptr[i + 1]; p++) out.data[i * E.cols + E.indices[p]] = E.values[p];
  return out;
}
