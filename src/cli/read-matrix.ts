// A data file, by its extension: .csv / .tsv (dense), .mtx (MatrixMarket: sparse or dense), .npy.

import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { isCsr, type DataMatrix } from '../matrix/matrix.js';
import { formatBytes } from '../matrix/memory.js';
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

/** The shape a file declares (or, for CSV, holds) and its stored entries (null: dense), known before its values are allocated. */
export interface DeclaredShape {
  rows: number;
  cols: number;
  stored: number | null;
}

/** Called with the shape a file declares before its values are allocated; throws to refuse it (too large to fit). */
export type ShapeCheck = (shape: DeclaredShape) => void;

const FS_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'is a directory, not a file',
  EACCES: 'permission denied',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many symbolic links (a link loop?)',
};

const fsError = (file: string, e: unknown): CliError => {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  return new CliError(`${file}: ${FS_ERRORS[code] ?? `cannot be read (${(e as Error).message})`}.`);
};

/**
 * An input must be a regular file (links followed): a device such as /dev/zero, a pipe or a socket
 * has no size and may never end, so reading it would hang.
 */
export function checkRegularFile(file: string): number {
  let st;
  try {
    st = statSync(file);
  } catch (e) {
    throw fsError(file, e);
  }
  if (st.isDirectory()) throw new CliError(`${file}: ${FS_ERRORS.EISDIR}.`);
  if (!st.isFile()) {
    const kind = st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : st.isFIFO() ? 'a pipe' : st.isSocket() ? 'a socket' : 'not a regular file';
    throw new CliError(`${file}: is ${kind}, not a regular file: webnmf reads data files only (a device or pipe may never end).`);
  }
  return st.size;
}

/** Files read whole are held in one buffer: Node reads at most 2 GiB at once. */
const MAX_WHOLE_FILE = 2 ** 31 - 1;

/** The bytes of an input file, or a one-line error naming it. */
export function readInput(file: string): Buffer {
  const size = checkRegularFile(file);
  if (size > MAX_WHOLE_FILE) {
    throw new CliError(`${file}: is ${formatBytes(size)}; a file is read whole up to ${formatBytes(MAX_WHOLE_FILE)}: use fit --minibatch, which streams it in row blocks.`);
  }
  try {
    return readFileSync(file);
  } catch (e) {
    throw fsError(file, e);
  }
}

/** X from a file; `check` sees the shape the file declares before its values are allocated. */
export function readMatrix(file: string, check?: ShapeCheck): LoadedMatrix {
  const ext = extname(file).toLowerCase();
  if (!['.csv', '.tsv', '.mtx', '.npy'].includes(ext)) {
    throw new CliError(`${file}: unknown file type '${ext || '(none)'}': expected ${FORMATS}.`);
  }
  const bytes = readInput(file);
  if (bytes.length === 0) throw new CliError(`${file}: the file is empty.`);
  if (ext === '.npy') {
    const m = parseNpy(bytes, file, check);
    return { X: { rows: m.rows, cols: m.cols, data: m.data }, description: `dense, ${m.dtype} .npy` };
  }
  const text = bytes.toString('utf8');
  if (ext === '.mtx') {
    const X = parseMatrixMarket(text, file, check);
    return { X, description: isCsr(X) ? `sparse (${X.indptr[X.rows]} stored entries), MatrixMarket` : 'dense, MatrixMarket array' };
  }
  const m = parseCsv(text, file, ext === '.tsv' ? '\t' : ',');
  check?.({ rows: m.rows, cols: m.cols, stored: null });
  return { X: { rows: m.rows, cols: m.cols, data: m.data }, description: `dense, CSV${m.header ? ' with a header' : ''}` };
}
