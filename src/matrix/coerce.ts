// Input coercion and validation: every accepted shape of matrix becomes a float64 DenseMatrix or a
// canonical CsrMatrix (sorted indices, no duplicates, no explicit zeros), or a clear error naming it.

import { InvalidParameterError } from '../errors.js';
import { dense, type CsrMatrix, type DataMatrix, type DenseMatrix, type MatrixInput } from './matrix.js';
import { MAX_INDEX } from './memory.js';

const fail = (name: string, message: string): never => {
  throw new InvalidParameterError(name, message);
};

function isArrayLike(v: unknown): v is ArrayLike<number> {
  return Array.isArray(v) || ArrayBuffer.isView(v);
}

function checkDims(name: string, rows: unknown, cols: unknown): asserts rows is number {
  for (const [what, v] of [['rows', rows], ['cols', cols]] as const) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      fail(name, `${name}.${what} must be a non-negative integer. Got ${String(v)} instead.`);
    }
    if ((v as number) > MAX_INDEX) fail(name, `${name}.${what} is ${v}: at most ${MAX_INDEX} can be indexed (indices are 32-bit).`);
  }
  if ((rows as number) < 1) fail(name, `Found array with 0 sample(s) (shape=(${rows}, ${cols})) while a minimum of 1 is required (${name}).`);
  if ((cols as number) < 1) fail(name, `Found array with 0 feature(s) (shape=(${rows}, ${cols})) while a minimum of 1 is required (${name}).`);
}

/** `offset`: the flat index of data[0] in the matrix, for messages. */
function checkValues(name: string, data: ArrayLike<number>, allowNegative: boolean, offset = 0): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (typeof v !== 'number') fail(name, `Input ${name} contains a non-number (${typeof v}) at flat index ${offset + i}.`);
    if (Number.isNaN(v)) fail(name, `Input ${name} contains NaN.`);
    if (!Number.isFinite(v)) fail(name, `Input ${name} contains infinity or a value too large for float64.`);
    if (!allowNegative && v < 0) fail(name, `Negative values in data passed to ${name}.`);
  }
}

function fromNested(name: string, rowsIn: unknown[]): DenseMatrix<Float64Array> {
  const rows = rowsIn.length;
  if (rows === 0) fail(name, `Found array with 0 sample(s) (shape=(0, 0)) while a minimum of 1 is required (${name}).`);
  const first = rowsIn[0];
  if (!isArrayLike(first)) fail(name, `${name} must be a 2-D array (an array of rows). Got a 1-D array; wrap a single sample as [[...]].`);
  const cols = (first as ArrayLike<number>).length;
  checkDims(name, rows, cols);
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const row = rowsIn[i];
    if (!isArrayLike(row) || row.length !== cols) {
      fail(name, `${name} is ragged: row 0 has ${cols} values but row ${i} has ${isArrayLike(row) ? row.length : 'none'}.`);
    }
    const r = row as ArrayLike<number>;
    checkValues(name, r, true, i * cols);
    for (let j = 0; j < cols; j++) data[i * cols + j] = r[j];
  }
  return dense(rows, cols, data);
}

function fromCsr(name: string, m: { rows: number; cols: number; indptr: ArrayLike<number>; indices: ArrayLike<number>; data: ArrayLike<number> }): CsrMatrix {
  const { rows, cols, indptr, indices, data } = m;
  checkDims(name, rows, cols);
  if (!isArrayLike(indptr) || indptr.length !== rows + 1) fail(name, `${name}.indptr must have rows + 1 = ${rows + 1} entries. Got ${isArrayLike(indptr) ? indptr.length : 'none'}.`);
  if (!isArrayLike(indices) || !isArrayLike(data) || indices.length !== data.length) {
    fail(name, `${name}.indices and ${name}.data must be arrays of the same length.`);
  }
  if (indptr[0] !== 0 || indptr[rows] !== data.length) fail(name, `${name}.indptr must start at 0 and end at data.length (${data.length}).`);
  // Checked whole before any row is read, so a bad offset never reads past indices/data.
  for (let i = 0; i < rows; i++) {
    if (!Number.isInteger(indptr[i + 1]) || indptr[i + 1] < indptr[i]) fail(name, `${name}.indptr must be non-decreasing integers (row ${i}).`);
  }
  checkValues(name, data, true);
  // Canonicalize row by row: sort, sum duplicates (as scipy does), drop explicit zeros.
  const outPtr = new Int32Array(rows + 1);
  const outIdx: number[] = [];
  const outVal: number[] = [];
  for (let i = 0; i < rows; i++) {
    const start = indptr[i], end = indptr[i + 1];
    const entries: [number, number][] = [];
    for (let p = start; p < end; p++) {
      const j = indices[p];
      if (!Number.isInteger(j) || j < 0 || j >= cols) fail(name, `${name}.indices[${p}] = ${j} is out of range [0, ${cols}).`);
      entries.push([j, data[p]]);
    }
    entries.sort((a, b) => a[0] - b[0]);
    for (let e = 0; e < entries.length; e++) {
      let [j, v] = entries[e];
      while (e + 1 < entries.length && entries[e + 1][0] === j) v += entries[++e][1];
      if (v !== 0) {
        outIdx.push(j);
        outVal.push(v);
      }
    }
    outPtr[i + 1] = outIdx.length;
  }
  return { rows, cols, indptr: outPtr, indices: Int32Array.from(outIdx), data: Float64Array.from(outVal) };
}

/**
 * Accept any MatrixInput; return float64 dense or canonical CSR. `name` appears in every error
 * ("NMF (input X)"). Unless allowNegative, negative values are refused.
 */
export function toDataMatrix(input: unknown, name: string, { allowNegative = false, allowSparse = true } = {}): DataMatrix {
  let out: DataMatrix;
  if (Array.isArray(input)) {
    out = fromNested(name, input);
  } else if (typeof input === 'object' && input !== null && 'rows' in input && 'cols' in input && 'data' in input) {
    const m = input as MatrixInput & { rows: number; cols: number; data: ArrayLike<number> };
    if ('indptr' in m || 'indices' in m) {
      if (!allowSparse) fail(name, `${name} must be dense ({rows, cols, data} or number[][]); a CSR matrix was given.`);
      out = fromCsr(name, m as Parameters<typeof fromCsr>[1]);
    } else {
      checkDims(name, m.rows, m.cols);
      if (!isArrayLike(m.data) || m.data.length !== m.rows * m.cols) {
        fail(name, `${name}.data must hold rows·cols = ${m.rows * m.cols} values. Got ${isArrayLike(m.data) ? m.data.length : 'none'}.`);
      }
      checkValues(name, m.data, true);
      out = dense(m.rows, m.cols, Float64Array.from(m.data));
    }
  } else {
    return fail(name, `${name} must be a matrix: number[][], {rows, cols, data} or CSR {rows, cols, indptr, indices, data}. Got ${input === null ? 'null' : typeof input}.`);
  }
  if (!allowNegative) checkValues(name, out.data, false);
  return out;
}

/** A dense float64 matrix (custom W or H, or W for inverseTransform). */
export function toDenseMatrix(input: unknown, name: string, opts: { allowNegative?: boolean } = {}): DenseMatrix<Float64Array> {
  return toDataMatrix(input, name, { ...opts, allowSparse: false }) as DenseMatrix<Float64Array>;
}
