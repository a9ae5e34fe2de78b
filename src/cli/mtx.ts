// MatrixMarket exchange format: `coordinate` (real, integer or pattern; general or symmetric) read
// into CSR, `array` (real or integer, column-major) into a dense matrix.
// https://math.nist.gov/MatrixMarket/formats.html

import type { CsrMatrix, DenseMatrix } from '../matrix/matrix.js';
import { checkArrayLength, MAX_INDEX } from '../matrix/memory.js';
import { CliError } from './errors.js';
import type { ShapeCheck } from './read-matrix.js';

const EXPECTED = "'%%MatrixMarket matrix coordinate|array real|integer|pattern general|symmetric'";

/** `check` sees the declared shape before anything of that size is allocated. */
export function parseMatrixMarket(text: string, file: string, check?: ShapeCheck): CsrMatrix | DenseMatrix<Float64Array> {
  const fail = (why: string): never => {
    throw new CliError(`${file}: ${why}.`);
  };
  const lines = text.split(/\r?\n/);
  const banner = lines[0].trim().split(/\s+/).map((s, i) => (i === 0 ? s : s.toLowerCase()));
  if (banner[0] !== '%%MatrixMarket' || banner.length !== 5) fail(`bad MatrixMarket header '${lines[0].slice(0, 60)}': expected ${EXPECTED}`);
  const [, object, format, field, symmetry] = banner;
  if (object !== 'matrix') fail(`MatrixMarket object '${object}' is not supported: expected 'matrix'`);
  if (format !== 'coordinate' && format !== 'array') fail(`MatrixMarket format '${format}' is unknown: expected 'coordinate' or 'array'`);
  if (!['real', 'double', 'integer', 'pattern'].includes(field)) fail(`MatrixMarket field '${field}' is not supported: expected real, integer or pattern`);
  if (symmetry !== 'general' && symmetry !== 'symmetric') fail(`MatrixMarket symmetry '${symmetry}' is not supported: expected general or symmetric`);
  if (format === 'array' && field === 'pattern') fail("a MatrixMarket 'array' cannot be 'pattern'");

  // Every line after the banner that is not a comment or blank, as [line number, tokens].
  const body: [number, string[]][] = [];
  for (let n = 1; n < lines.length; n++) {
    const t = lines[n].trim();
    if (t !== '' && !t.startsWith('%')) body.push([n + 1, t.split(/\s+/)]);
  }
  if (body.length === 0) fail('no size line after the MatrixMarket header');
  const [sizeLine, size] = body[0];
  const wantSize = format === 'coordinate' ? 3 : 2;
  if (size.length !== wantSize || !size.every((s) => /^\d+$/.test(s))) {
    fail(`line ${sizeLine}: expected the size line '${format === 'coordinate' ? 'rows cols entries' : 'rows cols'}', got '${size.join(' ')}'`);
  }
  const [rows, cols, declared] = size.map(Number);
  if (symmetry === 'symmetric' && rows !== cols) fail(`a symmetric matrix must be square, got ${rows} × ${cols}`);
  if (rows > MAX_INDEX || cols > MAX_INDEX) fail(`line ${sizeLine}: the size line declares ${rows} × ${cols}; at most ${MAX_INDEX} rows and columns can be indexed (indices are 32-bit)`);
  if (format === 'array') checkArrayLength('X', `a MatrixMarket array of ${rows} × ${cols}`, rows * cols);
  check?.({ rows, cols, stored: format === 'array' ? null : declared });
  const entries = body.slice(1);
  const number = (s: string, line: number): number => {
    const v = Number(s);
    if (s === '' || !Number.isFinite(v) || (field === 'integer' && !Number.isInteger(v))) fail(`line ${line}: '${s}' is not ${field === 'integer' ? 'an integer' : 'a number'}`);
    return v;
  };

  if (format === 'array') {
    const count = symmetry === 'symmetric' ? (rows * (rows + 1)) / 2 : rows * cols;
    if (entries.length !== count) fail(`expected ${count} values after the size line, found ${entries.length}`);
    const data = new Float64Array(rows * cols);
    let k = 0;
    // column-major; a symmetric array stores the lower triangle only
    for (let j = 0; j < cols; j++) {
      for (let i = symmetry === 'symmetric' ? j : 0; i < rows; i++) {
        const [line, tokens] = entries[k++];
        if (tokens.length !== 1) fail(`line ${line}: expected one value, got ${tokens.length}`);
        data[i * cols + j] = number(tokens[0], line);
        if (symmetry === 'symmetric') data[j * cols + i] = data[i * cols + j];
      }
    }
    return { rows, cols, data };
  }

  if (entries.length !== declared) fail(`the size line declares ${declared} entries, but ${entries.length} follow`);
  const perEntry = field === 'pattern' ? 2 : 3;
  const I: number[] = [];
  const J: number[] = [];
  const V: number[] = [];
  for (const [line, tokens] of entries) {
    if (tokens.length !== perEntry) fail(`line ${line}: expected ${perEntry} numbers ('row col${perEntry === 3 ? ' value' : ''}'), got ${tokens.length}`);
    const i = Number(tokens[0]);
    const j = Number(tokens[1]);
    if (!Number.isInteger(i) || !Number.isInteger(j) || i < 1 || i > rows || j < 1 || j > cols) {
      fail(`line ${line}: index (${tokens[0]}, ${tokens[1]}) is outside the ${rows} × ${cols} matrix (indices start at 1)`);
    }
    const v = field === 'pattern' ? 1 : number(tokens[2], line);
    I.push(i - 1);
    J.push(j - 1);
    V.push(v);
    if (symmetry === 'symmetric' && i !== j) {
      I.push(j - 1);
      J.push(i - 1);
      V.push(v);
    }
  }
  // CSR by a counting sort on rows, then columns sorted within each row; the library sums duplicates.
  const indptr = new Int32Array(rows + 1);
  for (const i of I) indptr[i + 1]++;
  for (let i = 0; i < rows; i++) indptr[i + 1] += indptr[i];
  const next = indptr.slice(0, rows);
  const order = new Int32Array(I.length);
  I.forEach((i, p) => (order[next[i]++] = p));
  const indices = new Int32Array(I.length);
  const data = new Float64Array(I.length);
  for (let i = 0; i < rows; i++) {
    if (indptr[i + 1] === indptr[i]) continue;
    const row = Array.from(order.subarray(indptr[i], indptr[i + 1])).sort((a, b) => J[a] - J[b]);
    row.forEach((p, k) => {
      indices[indptr[i] + k] = J[p];
      data[indptr[i] + k] = V[p];
    });
  }
  return { rows, cols, indptr, indices, data };
}
