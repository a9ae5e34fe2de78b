// Row blocks read from a file without loading it whole: a Blob (a browser File, or in Node
// `await fs.openAsBlob(path)`) is read through blob.stream() chunk by chunk and cut into blocks of
// rows. The format is given, or sniffed from the first bytes: .npy (\x93NUMPY), MatrixMarket
// (%%MatrixMarket) or CSV. Every pass over the result reads the file again, so MiniBatchNMF.fit can
// read it per epoch.

import { InvalidParameterError } from '../errors.js';
import { dense, type CsrMatrix, type DataMatrix } from '../matrix/matrix.js';
import { MAX_INDEX } from '../matrix/memory.js';
import { csvFields, isHeaderRow, NPY_MAGIC, parseNpyHeader, splitLines, toNumber } from './formats.js';

export type RowBlockFormat = 'npy' | 'mtx' | 'csv';

export interface RowBlockOptions {
  /** rows per block (default 4096) */
  rowsPerBlock?: number | null;
  /** CSV delimiter (default: tab when the first line has tabs and no commas, else comma) */
  delimiter?: string | null;
  /** the name errors give the file (default: the File's name, else 'the file') */
  name?: string | null;
  /** the file's format (default: sniffed from its first bytes); a file that is not in it is an error */
  format?: RowBlockFormat | null;
}

/** X read from `file` as row blocks (dense for CSV and .npy, CSR for MatrixMarket coordinate). */
export function rowBlocks(file: Blob, options: RowBlockOptions = {}): AsyncIterable<DataMatrix> {
  const isBlob = typeof file === 'object' && file !== null && typeof file.stream === 'function' && typeof file.slice === 'function';
  if (!isBlob) {
    const got = typeof file === 'string' ? `a string ('${(file as string).slice(0, 30)}')` : file === null ? 'null' : typeof file;
    throw new InvalidParameterError('file', `rowBlocks reads a Blob or File (in Node: await fs.openAsBlob(path)); the file given is ${got}.`);
  }
  if (options.format != null && !['npy', 'mtx', 'csv'].includes(options.format)) {
    throw new InvalidParameterError('format', `rowBlocks' format must be 'npy', 'mtx' or 'csv'. Got ${String(options.format)} instead.`);
  }
  const rowsPerBlock = options.rowsPerBlock ?? 4096;
  if (!Number.isInteger(rowsPerBlock) || rowsPerBlock < 1) {
    throw new InvalidParameterError('rowsPerBlock', `rowsPerBlock must be an int in the range [1, inf). Got ${rowsPerBlock} instead.`);
  }
  const name = options.name ?? ((file as File).name || 'the file');
  return { [Symbol.asyncIterator]: () => readBlocks(file, rowsPerBlock, name, options.delimiter ?? undefined, options.format ?? undefined)[Symbol.asyncIterator]() };
}

class FileFormatError extends InvalidParameterError {
  constructor(file: string, why: string) {
    super('X', `${file}: ${why}.`);
  }
}

async function* chunks(file: Blob): AsyncGenerator<Uint8Array> {
  const reader = file.stream().getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      if (value.length > 0) yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

async function* readBlocks(file: Blob, rowsPerBlock: number, name: string, delimiter?: string, format?: RowBlockFormat): AsyncGenerator<DataMatrix> {
  if (format === undefined) {
    const head = new Uint8Array(await file.slice(0, 16).arrayBuffer());
    format = head.length >= 6 && NPY_MAGIC.every((b, i) => head[i] === b) ? 'npy' : new TextDecoder().decode(head).startsWith('%%MatrixMarket') ? 'mtx' : 'csv';
  }
  if (format === 'npy') yield* npyBlocks(file, rowsPerBlock, name);
  else if (format === 'mtx') yield* matrixMarketBlocks(file, rowsPerBlock, name);
  else yield* csvBlocks(file, rowsPerBlock, name, delimiter);
}

async function* npyBlocks(file: Blob, rowsPerBlock: number, name: string): AsyncGenerator<DataMatrix> {
  const fail = (why: string): never => {
    throw new FileFormatError(name, `not a readable .npy file: ${why}`);
  };
  let buffer: Uint8Array = new Uint8Array(0);
  let header: ReturnType<typeof parseNpyHeader> = null;
  let row = 0;
  let bytesPerRow = 0;
  for await (const chunk of chunks(file)) {
    buffer = concat(buffer, chunk);
    if (!header) {
      header = parseNpyHeader(buffer, fail, (shape) => fail(`expected a 2-D array (samples × features), got shape (${shape})`));
      if (!header) continue;
      if (header.fortranOrder && header.rows > 1 && header.cols > 1) {
        fail('it is in Fortran (column-major) order, which cannot be read row by row; save it with np.ascontiguousarray');
      }
      bytesPerRow = header.cols * header.itemSize;
      buffer = buffer.slice(header.dataStart);
    }
    const whole = Math.floor(buffer.length / bytesPerRow);
    let used = 0;
    while (whole > used) {
      const rows = Math.min(rowsPerBlock, whole - used, header.rows - row);
      if (rows <= 0 || (rows < rowsPerBlock && rows < header.rows - row)) break; // a full block needs more bytes
      yield decodeRows(header, buffer, used * bytesPerRow, rows);
      used += rows;
      row += rows;
    }
    buffer = buffer.slice(used * bytesPerRow);
  }
  if (!header) fail('the file ends inside its header');
  if (row < header!.rows) fail(`truncated: the header promises ${header!.rows} rows, but the data ends after ${row}`);
}

function decodeRows(h: NonNullable<ReturnType<typeof parseNpyHeader>>, bytes: Uint8Array, offset: number, rows: number): DataMatrix {
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, rows * h.cols * h.itemSize);
  const out = dense(rows, h.cols);
  for (let p = 0; p < rows * h.cols; p++) out.data[p] = h.read(view, p * h.itemSize);
  return out;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** The file's lines with their numbers (LF, CRLF or CR endings), decoded as UTF-8 across chunk boundaries. */
async function* lines(file: Blob): AsyncGenerator<[number, string]> {
  const decoder = new TextDecoder();
  let rest = '';
  let n = 0;
  const numbered = (line: string): [number, string] => [++n, n === 1 ? line.replace(/^\uFEFF/, '') : line];
  for await (const chunk of chunks(file)) {
    const text = rest + decoder.decode(chunk, { stream: true });
    // a CR at the end may be the first half of a CRLF split across chunks: hold it for the next one
    const held = text.endsWith('\r') ? 1 : 0;
    const parts = splitLines(text.slice(0, text.length - held));
    rest = parts.pop()! + text.slice(text.length - held);
    for (const line of parts) yield numbered(line);
  }
  const tail = splitLines(rest + decoder.decode());
  if (tail[tail.length - 1] === '') tail.pop();
  for (const line of tail) yield numbered(line);
}

async function* csvBlocks(file: Blob, rowsPerBlock: number, name: string, delimiter?: string): AsyncGenerator<DataMatrix> {
  let cols = -1, widthLine = 0;
  let values: number[] = [];
  let rows = 0, total = 0;
  let sawHeader = false;
  for await (const [n, line] of lines(file)) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    delimiter ??= line.includes('\t') && !line.includes(',') ? '\t' : ',';
    const parts = csvFields(line, delimiter);
    const numbers = parts.map(toNumber);
    if (cols < 0 && !sawHeader && isHeaderRow(numbers)) {
      sawHeader = true;
      cols = parts.length;
      widthLine = n;
      continue;
    }
    if (cols < 0) {
      cols = parts.length;
      widthLine = n;
    } else if (parts.length !== cols) {
      throw new FileFormatError(name, `ragged rows: line ${n} has ${parts.length} values, but line ${widthLine} has ${cols}`);
    }
    numbers.forEach((v, j) => {
      if (v === null) throw new FileFormatError(name, `line ${n}, column ${j + 1}: ${parts[j] === '' ? 'an empty field' : `'${parts[j].slice(0, 30)}' is not a number`}`);
      values.push(v);
    });
    if (++rows === rowsPerBlock) {
      yield dense(rows, cols, Float64Array.from(values));
      total += rows;
      values = [];
      rows = 0;
    }
  }
  if (rows > 0) yield dense(rows, cols, Float64Array.from(values));
  if (total + rows === 0) throw new FileFormatError(name, `no data rows (the file is empty${sawHeader ? ' but for a header' : ''})`);
}

/** MatrixMarket coordinate entries sorted by row (as scipy.io.mmwrite writes a CSR matrix) as CSR blocks. */
async function* matrixMarketBlocks(file: Blob, rowsPerBlock: number, name: string): AsyncGenerator<DataMatrix> {
  const fail = (why: string): never => {
    throw new FileFormatError(name, why);
  };
  let field = '', size: number[] | null = null;
  let block: { start: number; I: number[]; J: number[]; V: number[] } = { start: 0, I: [], J: [], V: [] };
  let seen = 0, lastRow = 0;
  const flush = (end: number): CsrMatrix => {
    const rows = end - block.start;
    const indptr = new Int32Array(rows + 1);
    for (const i of block.I) indptr[i - block.start + 1]++;
    for (let r = 0; r < rows; r++) indptr[r + 1] += indptr[r];
    const out = { rows, cols: size![1], indptr, indices: Int32Array.from(block.J), data: Float64Array.from(block.V) };
    block = { start: end, I: [], J: [], V: [] };
    return out;
  };
  for await (const [n, line] of lines(file)) {
    if (n === 1) {
      const banner = line.trim().split(/\s+/).map((s, i) => (i === 0 ? s : s.toLowerCase()));
      if (banner.length !== 5 || banner[1] !== 'matrix') fail(`bad MatrixMarket header '${line.slice(0, 60)}'`);
      if (banner[2] !== 'coordinate') fail(`a MatrixMarket '${banner[2]}' is stored column by column and cannot be read row by row; use 'coordinate', .npy or CSV`);
      if (banner[4] !== 'general') fail(`MatrixMarket symmetry '${banner[4]}' cannot be read row by row; expected general`);
      field = banner[3];
      if (!['real', 'double', 'integer', 'pattern'].includes(field)) fail(`MatrixMarket field '${field}' is not supported: expected real, integer or pattern`);
      continue;
    }
    const t = line.trim();
    if (t === '' || t.startsWith('%')) continue;
    const tokens = t.split(/\s+/);
    if (!size) {
      if (tokens.length !== 3 || !tokens.every((s) => /^\d+$/.test(s))) fail(`line ${n}: expected the size line 'rows cols entries', got '${t}'`);
      size = tokens.map(Number);
      // declared sizes are checked before a row is read: a 70-byte file may declare 1e11 rows
      if (size[0] > MAX_INDEX || size[1] > MAX_INDEX) fail(`line ${n}: the size line declares ${size[0]} × ${size[1]}; at most ${MAX_INDEX} rows and columns can be indexed (indices are 32-bit)`);
      continue;
    }
    const per = field === 'pattern' ? 2 : 3;
    if (tokens.length !== per) fail(`line ${n}: expected ${per} numbers, got ${tokens.length}`);
    const i = Number(tokens[0]) - 1, j = Number(tokens[1]) - 1;
    if (!Number.isInteger(i) || !Number.isInteger(j) || i < 0 || i >= size[0] || j < 0 || j >= size[1]) {
      fail(`line ${n}: index (${tokens[0]}, ${tokens[1]}) is outside the ${size[0]} × ${size[1]} matrix (indices start at 1)`);
    }
    if (i < lastRow) fail(`line ${n}: entries are not sorted by row (row ${i + 1} after row ${lastRow + 1}); a streamed MatrixMarket file must list rows in order`);
    lastRow = i;
    const v = per === 2 ? 1 : Number(tokens[2]);
    if (per === 3 && (!Number.isFinite(v) || tokens[2] === '')) fail(`line ${n}: '${tokens[2]}' is not a number`);
    while (i >= block.start + rowsPerBlock) yield flush(block.start + rowsPerBlock);
    block.I.push(i);
    block.J.push(j);
    block.V.push(v);
    seen++;
  }
  if (!size) fail('no size line after the MatrixMarket header');
  if (seen !== size![2]) fail(`the size line declares ${size![2]} entries, but ${seen} follow`);
  while (block.start < size![0]) yield flush(Math.min(block.start + rowsPerBlock, size![0]));
}
