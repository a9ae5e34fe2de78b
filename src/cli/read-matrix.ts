// A data file, by its extension: .csv / .tsv (dense), .mtx (MatrixMarket: sparse or dense), .npy.

import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { isCsr, type DataMatrix } from '../matrix/matrix.js';
import { parseCsv } from './csv.js';
import { CliError } from './errors.js';
import { parseMatrixMarket } from './mtx.js';
import { parseNpy } from './npy.js';

export interface LoadedMatrix {
  X: DataMatrix;
  /** e.g. "dense float64 from CSV" */
  description: string;
}

export const FORMATS = '.csv, .tsv, .mtx or .npy';

const FS_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'is a directory, not a file',
  EACCES: 'permission denied',
  ENOTDIR: 'a part of the path is not a directory',
};

/** The bytes of an input file, or a one-line error naming it. */
export function readInput(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    throw new CliError(`${file}: ${FS_ERRORS[code] ?? `cannot be read (${(e as Error).message})`}.`);
  }
}

export function readMatrix(file: string): LoadedMatrix {
  const ext = extname(file).toLowerCase();
  if (!['.csv', '.tsv', '.mtx', '.npy'].includes(ext)) {
    throw new CliError(`${file}: unknown file type '${ext || '(none)'}': expected ${FORMATS}.`);
  }
  const bytes = readInput(file);
  if (bytes.length === 0) throw new CliError(`${file}: the file is empty.`);
  if (ext === '.npy') {
    const m = parseNpy(bytes, file);
    return { X: { rows: m.rows, cols: m.cols, data: m.data }, description: `dense, ${m.dtype} .npy` };
  }
  const text = bytes.toString('utf8');
  if (ext === '.mtx') {
    const X = parseMatrixMarket(text, file);
    return { X, description: isCsr(X) ? `sparse (${X.indptr[X.rows]} stored entries), MatrixMarket` : 'dense, MatrixMarket array' };
  }
  const m = parseCsv(text, file, ext === '.tsv' ? '\t' : ',');
  return { X: { rows: m.rows, cols: m.cols, data: m.data }, description: `dense, CSV${m.header ? ' with a header' : ''}` };
}
