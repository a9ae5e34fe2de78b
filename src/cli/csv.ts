// Dense numeric CSV: one row of X per line (LF, CRLF or CR endings), comma-separated (tab for .tsv),
// an optional header line (a first line with no number at all), blank lines and '#' comment lines skipped.

import type { DenseMatrix } from '../matrix/matrix.js';
import { csvFields as fields, isHeaderRow, splitLines, toNumber } from '../stream/formats.js';
import { CliError } from './errors.js';

export function parseCsv(text: string, file: string, delimiter = ','): DenseMatrix<Float64Array> & { header: string[] | null } {
  const lines = splitLines(text.replace(/^\uFEFF/, ''));
  const values: number[] = [];
  let header: string[] | null = null;
  let cols = -1;
  let widthLine = 0;
  let rows = 0;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n];
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const parts = fields(line, delimiter);
    const numbers = parts.map(toNumber);
    if (cols < 0 && header === null && isHeaderRow(numbers)) {
      header = parts;
      cols = parts.length;
      widthLine = n + 1;
      continue;
    }
    if (cols < 0) {
      cols = parts.length;
      widthLine = n + 1;
    } else if (parts.length !== cols) {
      throw new CliError(`${file}: ragged rows: line ${n + 1} has ${parts.length} values, but line ${widthLine} has ${cols}.`);
    }
    numbers.forEach((v, j) => {
      if (v === null) {
        const shown = parts[j] === '' ? 'an empty field' : `'${parts[j].slice(0, 30)}' is not a number`;
        throw new CliError(`${file}: line ${n + 1}, column ${j + 1}: ${shown}.`);
      }
      values.push(v);
    });
    rows++;
  }
  if (rows === 0) throw new CliError(`${file}: no data rows (the file is empty${header ? ' but for a header' : ''}).`);
  return { rows, cols, data: Float64Array.from(values), header };
}

/** Shortest decimal that reads back as the same float32. */
function float32Text(v: number): string {
  for (let p = 1; p < 9; p++) {
    const s = v.toPrecision(p);
    if (Math.fround(Number(s)) === v) return String(Number(s));
  }
  return String(v);
}

/** A matrix as CSV text: no header, full precision (float32 values in their shortest float32 form). */
export function formatCsv(m: DenseMatrix): string {
  const text = m.data instanceof Float32Array ? float32Text : String;
  const lines: string[] = [];
  for (let i = 0; i < m.rows; i++) lines.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols), text).join(','));
  return lines.join('\n') + '\n';
}
