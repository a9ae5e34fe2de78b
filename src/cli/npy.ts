// NumPy's .npy format (versions 1–3): read a 2-D numeric array, write a float64/float32 one.
// A reader of our own (≈100 lines) because it must refuse what it cannot read faithfully, in one
// clear sentence: truncated data, 1-D or 3-D shapes, structured or complex dtypes.
// https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html

import type { DenseMatrix } from '../matrix/matrix.js';
import { checkArrayLength } from '../matrix/memory.js';
import { NPY_MAGIC as MAGIC, parseNpyHeader } from '../stream/formats.js';
import { CliError } from './errors.js';
import type { ShapeCheck } from './read-matrix.js';

export interface NpyArray extends DenseMatrix<Float64Array> {
  /** numpy's name of the stored dtype, e.g. 'float32' */
  dtype: string;
}

/** A 2-D .npy array as row-major float64 (Fortran order is transposed, any endianness). */
export function parseNpy(bytes: Uint8Array, file: string, check?: ShapeCheck): NpyArray {
  const bad = (why: string): never => {
    throw new CliError(`${file}: not a readable .npy file: ${why}.`);
  };
  const h = parseNpyHeader(bytes, bad, (shape) => {
    throw new CliError(`${file}: expected a 2-D array (samples × features), got shape (${shape}).`);
  }) ?? bad('the file ends inside its header');
  const { rows, cols, dataStart, itemSize, read } = h;
  const need = rows * cols * itemSize;
  if (bytes.length - dataStart < need) {
    throw new CliError(`${file}: truncated: the header promises ${rows} × ${cols} ${h.dtype} values (${need} bytes), but ${bytes.length - dataStart} bytes of data follow.`);
  }
  checkArrayLength('X', `a .npy array of ${rows} × ${cols}`, rows * cols);
  check?.({ rows, cols, stored: null });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const flat = h.fortranOrder ? j * rows + i : i * cols + j;
      data[i * cols + j] = read(view, dataStart + flat * itemSize);
    }
  }
  return { rows, cols, data, dtype: h.dtype };
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
