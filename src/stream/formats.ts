// What the whole-file readers of the CLI and the streaming readers share: how a CSV field becomes a
// number, and how a .npy header is read (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html).

/** A decimal number as numpy's loadtxt reads one, plus nan and inf (which the fit then refuses). */
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$|^[+-]?(?:nan|inf|infinity)$/i;

export function toNumber(field: string): number | null {
  if (!NUMBER.test(field)) return null;
  const lower = field.toLowerCase();
  if (lower.endsWith('nan')) return NaN;
  if (lower.endsWith('inf') || lower.endsWith('infinity')) return lower.startsWith('-') ? -Infinity : Infinity;
  return Number(field);
}

/** Lines split at LF, CRLF or a lone CR (classic Mac). */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/**
 * The first row is a header when it has no number at all (`a,b,c`, `,name,`). A row with some numbers
 * and a bad or empty field (`1,,2`) is data, and its bad field an error, as on any other line.
 */
export function isHeaderRow(numbers: (number | null)[]): boolean {
  return numbers.every((v) => v === null);
}

/** A CSV line's fields, trimmed and unquoted. */
export function csvFields(line: string, delimiter: string): string[] {
  return line.split(delimiter).map((f) => f.trim().replace(/^"(.*)"$/, '$1').trim());
}

export const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

type Reader = (view: DataView, offset: number, little: boolean) => number;
const READERS: Record<string, [size: number, read: Reader]> = {
  f8: [8, (v, o, le) => v.getFloat64(o, le)],
  f4: [4, (v, o, le) => v.getFloat32(o, le)],
  i8: [8, (v, o, le) => Number(v.getBigInt64(o, le))],
  i4: [4, (v, o, le) => v.getInt32(o, le)],
  i2: [2, (v, o, le) => v.getInt16(o, le)],
  i1: [1, (v, o) => v.getInt8(o)],
  u8: [8, (v, o, le) => Number(v.getBigUint64(o, le))],
  u4: [4, (v, o, le) => v.getUint32(o, le)],
  u2: [2, (v, o, le) => v.getUint16(o, le)],
  u1: [1, (v, o) => v.getUint8(o)],
  b1: [1, (v, o) => (v.getUint8(o) ? 1 : 0)],
};
const NAMES: Record<string, string> = { f8: 'float64', f4: 'float32', i8: 'int64', i4: 'int32', i2: 'int16', i1: 'int8', u8: 'uint64', u4: 'uint32', u2: 'uint16', u1: 'uint8', b1: 'bool' };

export interface NpyHeader {
  rows: number;
  cols: number;
  fortranOrder: boolean;
  /** byte offset of the first value */
  dataStart: number;
  /** numpy's name of the stored dtype, e.g. 'float32' */
  dtype: string;
  itemSize: number;
  read: (view: DataView, offset: number) => number;
}

/**
 * The header of a 2-D .npy file from its first bytes; null while more bytes are needed.
 * `fail(why)` throws the caller's error; `notMatrix(shape)` is called for shapes other than 2-D.
 */
export function parseNpyHeader(bytes: Uint8Array, fail: (why: string) => never, notMatrix: (shape: string) => never): NpyHeader | null {
  if (!NPY_MAGIC.slice(0, bytes.length).every((b, i) => bytes[i] === b)) fail('it does not start with the \\x93NUMPY magic string');
  if (bytes.length < 10) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  if (major < 1 || major > 3) fail(`format version ${major}.${bytes[7]} is unknown`);
  const headerStart = major === 1 ? 10 : 12;
  if (bytes.length < headerStart) return null;
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = headerStart + headerLength;
  if (bytes.length < dataStart) return null;
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, dataStart));

  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined) fail(/'descr'\s*:\s*\[/.test(header) ? 'structured dtypes are not supported' : "its header has no 'descr'");
  if (fortran === undefined || shapeText === undefined) fail("its header lacks 'fortran_order' or 'shape'");
  const shape = shapeText!.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (!shape.every((s) => /^\d+$/.test(s))) fail(`its shape (${shapeText}) is not a tuple of integers`);
  if (shape.length !== 2) notMatrix(shapeText!.trim());
  const [rows, cols] = shape.map(Number);
  const code = /^[<>|=]/.test(descr!) ? descr!.slice(1) : descr!;
  if (!(code in READERS)) fail(`dtype '${descr}' is not supported; use float64, float32 or an integer type`);
  const [itemSize, reader] = READERS[code];
  const little = descr![0] !== '>';
  return { rows, cols, fortranOrder: fortran === 'True', dataStart, dtype: NAMES[code], itemSize, read: (v, o) => reader(v, o, little) };
}
