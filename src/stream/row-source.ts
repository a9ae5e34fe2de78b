// A matrix that arrives as row blocks: what MiniBatchNMF.fit and transformBlocks read instead of
// holding X whole. A source is re-read once per epoch, so it must be re-iterable: a function that
// opens it anew, or an object whose [Symbol.asyncIterator]() starts over (rowBlocks(file) is one).

import { InvalidParameterError } from '../errors.js';
import { toDataMatrix } from '../matrix/coerce.js';
import { dense, isCsr, sliceRows, type CsrMatrix, type DataMatrix, type MatrixInput } from '../matrix/matrix.js';

export type RowBlocks = AsyncIterable<MatrixInput> | Iterable<MatrixInput>;
/** Row blocks of X, top to bottom; a function is called for every pass over X. */
export type RowSource = RowBlocks | (() => RowBlocks);

/** A row source rather than one matrix: a function, or an iterable that is not an array. */
export function isRowSource(x: unknown): x is RowSource {
  if (typeof x === 'function') return true;
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  return Symbol.asyncIterator in x || (Symbol.iterator in x && !('rows' in x));
}

function isIterable(v: unknown): v is RowBlocks {
  return typeof v === 'object' && v !== null && (Symbol.asyncIterator in v || Symbol.iterator in v);
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (typeof v === 'object' && typeof (v as { then?: unknown }).then === 'function') return 'a Promise (the function must return the blocks themselves, not a Promise of them)';
  if (typeof v === 'object') return 'an object that is not iterable';
  return `${typeof v} ${String(v).slice(0, 30)}`;
}

/**
 * A function that opens the source for one pass. With `reReadable` (a fit reads X once per epoch) a
 * one-shot iterator (a generator), which cannot be re-read, is refused; a function must return blocks.
 */
export function reopener(source: RowSource, { reReadable = true } = {}): () => RowBlocks {
  if (typeof source === 'function') {
    return () => {
      const blocks: unknown = source();
      if (!isIterable(blocks)) {
        throw new InvalidParameterError('X', `A function given as X must return row blocks (an iterable of matrices, e.g. rowBlocks(file)); it returned ${describe(blocks)}.`);
      }
      return blocks as RowBlocks;
    };
  }
  if (!isRowSource(source)) throw new InvalidParameterError('X', `X must be row blocks (an iterable of matrices, or a function returning one); got ${describe(source)}.`);
  if (!reReadable) return () => source as RowBlocks;
  const it = Symbol.asyncIterator in source ? (source as AsyncIterable<MatrixInput>)[Symbol.asyncIterator]() : (source as Iterable<MatrixInput>)[Symbol.iterator]();
  if ((it as unknown) === source) {
    throw new InvalidParameterError(
      'X',
      'A streamed fit reads X once to count its rows and once per epoch, but this iterator can be read only once (a generator). Pass a function that opens the stream again, e.g. () => rowBlocks(file), or call partialFit once per block.',
    );
  }
  return () => source as RowBlocks;
}

/** Each block of one pass, validated (non-negative, finite, the same number of columns). */
export async function* validatedBlocks(blocks: RowBlocks, name = 'X'): AsyncGenerator<DataMatrix> {
  let cols = -1;
  let row = 0;
  for await (const block of blocks as AsyncIterable<MatrixInput>) {
    let X: DataMatrix;
    try {
      X = toDataMatrix(block, name);
    } catch (e) {
      if (e instanceof InvalidParameterError && e.parameter === name) throw new InvalidParameterError(name, `${e.message.replace(/\.$/, '')} (in the row block at row ${row}).`);
      throw e;
    }
    if (cols >= 0 && X.cols !== cols) {
      throw new InvalidParameterError(name, `The row block at row ${row} has ${X.cols} columns, but the blocks before it have ${cols}.`);
    }
    cols = X.cols;
    row += X.rows;
    if (X.rows > 0) yield X;
  }
}

/** What one pass over a source tells: its shape, mean and smallest entry. */
export interface SourceStats {
  rows: number;
  cols: number;
  mean: number;
  min: number;
}

/** `onBlock(rows, cols)` after each block, with the rows so far: it may throw to stop the pass (an abort, a size that cannot be fitted). */
export async function sourceStats(blocks: RowBlocks, onBlock?: (rows: number, cols: number) => void): Promise<SourceStats> {
  let rows = 0, cols = 0, sum = 0, min = Infinity;
  for await (const X of validatedBlocks(blocks)) {
    rows += X.rows;
    cols = X.cols;
    onBlock?.(rows, cols);
    const stored = isCsr(X) ? X.indptr[X.rows] : X.rows * X.cols;
    for (let p = 0; p < stored; p++) {
      sum += X.data[p];
      if (X.data[p] < min) min = X.data[p];
    }
    if (stored < X.rows * X.cols) min = Math.min(min, 0);
  }
  if (rows === 0) throw new InvalidParameterError('X', 'The row source X gave no rows.');
  return { rows, cols, mean: sum / (rows * cols), min };
}

/** Rows of several matrices stacked, in the format of the first (CSR stays CSR). */
export function concatRows(parts: DataMatrix[]): DataMatrix {
  if (parts.length === 1) return parts[0];
  const cols = parts[0].cols;
  const rows = parts.reduce((s, p) => s + p.rows, 0);
  if (!isCsr(parts[0])) {
    const out = dense(rows, cols);
    let r = 0;
    for (const p of parts) {
      if (isCsr(p)) {
        for (let i = 0; i < p.rows; i++) for (let q = p.indptr[i]; q < p.indptr[i + 1]; q++) out.data[(r + i) * cols + p.indices[q]] = p.data[q];
      } else out.data.set(p.data, r * cols);
      r += p.rows;
    }
    return out;
  }
  const csr = parts.map(toCsr);
  const nnz = csr.reduce((s, p) => s + p.indptr[p.rows], 0);
  const indptr = new Int32Array(rows + 1), indices = new Int32Array(nnz), data = new Float64Array(nnz);
  let r = 0, offset = 0;
  for (const p of csr) {
    for (let i = 1; i <= p.rows; i++) indptr[r + i] = offset + p.indptr[i];
    indices.set(p.indices.subarray(0, p.indptr[p.rows]), offset);
    data.set(p.data.subarray(0, p.indptr[p.rows]), offset);
    r += p.rows;
    offset += p.indptr[p.rows];
  }
  return { rows, cols, indptr, indices, data };
}

/** X as CSR (a dense X keeps its nonzeros, in row order). */
export function toCsr(X: DataMatrix): CsrMatrix {
  if (isCsr(X)) return X;
  const indptr = new Int32Array(X.rows + 1), indices: number[] = [], data: number[] = [];
  for (let i = 0; i < X.rows; i++) {
    for (let j = 0; j < X.cols; j++) {
      const v = X.data[i * X.cols + j];
      if (v !== 0) {
        indices.push(j);
        data.push(v);
      }
    }
    indptr[i + 1] = indices.length;
  }
  return { rows: X.rows, cols: X.cols, indptr, indices: Int32Array.from(indices), data: Float64Array.from(data) };
}

/** One pass over the source regrouped into batches of exactly `size` rows (the last may be shorter). */
export async function* rebatch(blocks: RowBlocks, size: number): AsyncGenerator<{ X: DataMatrix; start: number }> {
  let pending: DataMatrix[] = [];
  let pendingRows = 0, start = 0;
  for await (const block of validatedBlocks(blocks)) {
    let offset = 0;
    while (offset < block.rows) {
      const take = Math.min(size - pendingRows, block.rows - offset);
      pending.push(offset === 0 && take === block.rows ? block : sliceRows(block, offset, offset + take));
      pendingRows += take;
      offset += take;
      if (pendingRows === size) {
        yield { X: concatRows(pending), start };
        start += size;
        pending = [];
        pendingRows = 0;
      }
    }
  }
  if (pendingRows > 0) yield { X: concatRows(pending), start };
}
