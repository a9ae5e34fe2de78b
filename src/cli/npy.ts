// NumPy's .npy format (versions 1–3): read a 2-D numeric array, write a float64/float32 one.
// A reader of our own (≈100 lines) because it must refuse what it cannot read faithfully, in one
// clear sentence: truncated data, 1-D or 3-D shapes, structured or complex dtypes.
// https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html

import type { DenseMatrix } from '../matrix/matrix.js';
import { CliError } from './errors.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

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

export interface NpyArray extends DenseMatrix<Float64Array> {
  /** numpy's name of the stored dtype, e.g. 'float32' */
  dtype: string;
}

/** A 2-D .npy array as row-major float64 (Fortran order is transposed, any endianness). */
export function parseNpy(bytes: Uint8Array, file: string): NpyArray {
  const bad = (why: string): never => {
    throw new CliError(`${file}: not a readable .npy file: ${why}.`);
  };
  if (bytes.length < 10 || !MAGIC.every((b, i) => bytes[i] === b)) bad('it does not start with the \\x93NUMPY magic string');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  if (major < 1 || major > 3) bad(`format version ${major}.${bytes[7]} is unknown`);
  const headerStart = major === 1 ? 10 : 12;
  if (bytes.length < headerStart) bad('the file ends inside its header');
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = headerStart + headerLength;
  if (bytes.length < dataStart) bad(`the file ends inside its header (${bytes.length} bytes, header to byte ${dataStart})`);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, dataStart));

  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined) bad(/'descr'\s*:\s*\[/.test(header) ? 'structured dtypes are not supported' : "its header has no 'descr'");
  if (fortran === undefined || shapeText === undefined) bad("its header lacks 'fortran_order' or 'shape'");
  const shape = shapeText!.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (!shape.every((s) => /^\d+$/.test(s))) bad(`its shape (${shapeText}) is not a tuple of integers`);
  if (shape.length !== 2) {
    throw new CliError(`${file}: expected a 2-D array (samples × features), got shape (${shapeText!.trim()}).`);
  }
  const [rows, cols] = shape.map(Number);

  const order = descr![0];
  const code = /^[<>|=]/.test(descr!) ? descr!.slice(1) : descr!;
  if (!(code in READERS)) {
    throw new CliError(`${file}: dtype '${descr}' is not supported; use float64, float32 or an integer type.`);
  }
  const [size, read] = READERS[code];
  const little = order !== '>';
  const need = rows * cols * size;
  if (bytes.length - dataStart < need) {
    throw new CliError(`${file}: truncated: the header promises ${rows} × ${cols} ${NAMES[code]} values (${need} bytes), but ${bytes.length - dataStart} bytes of data follow.`);
  }
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const flat = fortran === 'True' ? j * rows + i : i * cols + j;
      data[i * cols + j] = read(view, dataStart + flat * size, little);
    }
  }
  return { rows, cols, data, dtype: NAMES[code] };
}

/** A .npy (version 1.0, C order, little-endian) of a float64 or float32 matrix. */
export function formatNpy(m: DenseMatrix): Uint8Array {
  const f32 = m.data instanceof Float32Array;
  let header = `{'descr': '<${f32 ? 'f4' : 'f8'}', 'fortran_order': False, 'shape': (${m.rows}, ${m.cols}), }`;
  // numpy pads the header with spaces so the data starts on a 64-byte boundary, then a newline
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const size = f32 ? 4 : 8;
  const out = new Uint8Array(10 + header.length + m.data.length * size);
  out.set(MAGIC, 0);
  out.set([1, 0], 6);
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const start = 10 + header.length;
  for (let p = 0; p < m.data.length; p++) {
    if (f32) view.setFloat32(start + p * 4, m.data[p], true);
    else view.setFloat64(start + p * 8, m.data[p], true);
  }
  return out;
}
