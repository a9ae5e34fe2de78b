// Term counts for TfidfVectorizer's default analyzer (lowercase, scikit-learn's token pattern
// `(?u)\b\w\w+\b`, stop words), without a string per token: each document is scanned once, a token is
// a maximal run of two or more word code points (letters, numbers, '_'; the pattern's exact
// matches, see tokenize.ts), hashed as it is scanned and looked up in an open-addressing table of
// the terms seen so far; only a new term becomes a string. On the State of the Union passages (10 MB,
// 1.8 M tokens) this replaces 1.8 M token strings and a Map per document, which kept the garbage
// collector busy for most of the TF-IDF time.

/** Word characters among the ASCII code points. */
const ASCII_WORD = Uint8Array.from({ length: 128 }, (_, c) => Number(/[\p{L}\p{N}_]/u.test(String.fromCharCode(c))));
const WORD = /^[\p{L}\p{N}_]$/u;
/** Whether each non-ASCII code point met so far is a word character. */
const wordCache = new Map<number, boolean>();

function isWordCodePoint(cp: number): boolean {
  if (cp < 128) return ASCII_WORD[cp] === 1;
  let word = wordCache.get(cp);
  if (word === undefined) wordCache.set(cp, (word = WORD.test(String.fromCodePoint(cp))));
  return word;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over UTF-16 code units, the hash the scanner computes. */
function hashOf(term: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < term.length; i++) h = Math.imul(h ^ term.charCodeAt(i), FNV_PRIME);
  return h;
}

/** Terms by id, found from a range of a string without making the string. */
export class TermTable {
  readonly terms: string[] = [];
  /** per id: dropped (a stop word: it keeps an id so that meeting it again is one lookup) */
  private readonly dropped: boolean[] = [];

  constructor(private readonly stopWords: ReadonlySet<string> | null = null) {}

  private hashes = new Int32Array(64);
  /** id + 1 per slot, 0 when empty */
  private slots = new Int32Array(256);

  /** The id of text[start, end), or −1. */
  find(text: string, start: number, end: number, hash: number): number {
    const mask = this.slots.length - 1, len = end - start;
    for (let s = hash & mask; ; s = (s + 1) & mask) {
      const id = this.slots[s] - 1;
      if (id < 0) return -1;
      if (this.hashes[id] !== hash) continue;
      const term = this.terms[id];
      if (term.length !== len) continue;
      let i = 0;
      while (i < len && term.charCodeAt(i) === text.charCodeAt(start + i)) i++;
      if (i === len) return id;
    }
  }

  /** Adds a term (not already present); returns its id. */
  add(term: string, hash = hashOf(term)): number {
    const id = this.terms.length;
    this.terms.push(term);
    this.dropped.push(this.stopWords?.has(term) ?? false);
    if (id >= this.hashes.length) {
      const grown = new Int32Array(this.hashes.length * 2);
      grown.set(this.hashes);
      this.hashes = grown;
    }
    this.hashes[id] = hash;
    if (2 * this.terms.length > this.slots.length) this.rehash();
    else this.place(id);
    return id;
  }

  isDropped(id: number): boolean {
    return this.dropped[id];
  }

  private place(id: number): void {
    const mask = this.slots.length - 1;
    let s = this.hashes[id] & mask;
    while (this.slots[s] !== 0) s = (s + 1) & mask;
    this.slots[s] = id + 1;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    for (let id = 0; id < this.terms.length; id++) this.place(id);
  }
}

/** Term counts per document: CSR over term ids. */
export interface Counts {
  indptr: Int32Array;
  indices: Int32Array;
  counts: Float64Array;
}

/** A growable Int32Array. */
class Int32List {
  data = new Int32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = v;
  }
}

/**
 * Counts the tokens of each document (lowercased first when `lowercase`). With `grow`, a new token
 * joins the table; otherwise it is skipped. Tokens whose id is dropped (stop words) are skipped.
 * Each row's ids are in order of first appearance in the document, or ascending with `sortRows`.
 */
export function countTerms(docs: readonly string[], table: TermTable, { lowercase, grow, sortRows }: { lowercase: boolean; grow: boolean; sortRows: boolean }): Counts {
  const indptr = new Int32Array(docs.length + 1);
  const indices = new Int32List();
  const counts = new Int32List();
  let inDoc = new Int32Array(1024); // per id: occurrences in the current document
  const row = new Int32List();
  for (let d = 0; d < docs.length; d++) {
    const text = lowercase ? docs[d].toLowerCase() : docs[d];
    const n = text.length;
    let i = 0;
    while (i < n) {
      // skip to the next word code point (ASCII by table, the rest through isWordCodePoint)
      let c = text.charCodeAt(i);
      if (c < 128 ? ASCII_WORD[c] === 0 : !isWordCodePoint(codePointAt(text, i, c))) {
        i += c >= 0xd800 && c <= 0xdbff && isLowSurrogate(text, i + 1) ? 2 : 1;
        continue;
      }
      const start = i;
      let h = FNV_OFFSET, points = 0;
      for (;;) {
        if (c < 128) {
          if (ASCII_WORD[c] === 0) break;
          h = Math.imul(h ^ c, FNV_PRIME);
          i++;
        } else {
          const cp = codePointAt(text, i, c);
          if (!isWordCodePoint(cp)) break;
          h = Math.imul(h ^ c, FNV_PRIME);
          if (cp > 0xffff) h = Math.imul(h ^ text.charCodeAt(i + 1), FNV_PRIME);
          i += cp > 0xffff ? 2 : 1;
        }
        points++;
        if (i >= n) break;
        c = text.charCodeAt(i);
      }
      if (points < 2) continue;
      let id = table.find(text, start, i, h);
      if (id < 0) {
        if (!grow) continue;
        id = table.add(text.slice(start, i), h);
      }
      if (table.isDropped(id)) continue;
      if (id >= inDoc.length) {
        const grown = new Int32Array(Math.max(id + 1, inDoc.length * 2));
        grown.set(inDoc);
        inDoc = grown;
      }
      if (inDoc[id]++ === 0) row.push(id);
    }
    const ids = row.data.subarray(0, row.length);
    if (sortRows) ids.sort();
    for (const id of ids) {
      indices.push(id);
      counts.push(inDoc[id]);
      inDoc[id] = 0;
    }
    row.length = 0;
    indptr[d + 1] = indices.length;
  }
  return { indptr, indices: indices.data.slice(0, indices.length), counts: Float64Array.from(counts.data.subarray(0, counts.length)) };
}

const isLowSurrogate = (text: string, i: number): boolean => {
  const c = text.charCodeAt(i); // NaN past the end
  return c >= 0xdc00 && c <= 0xdfff;
};

/** The code point at text[i] (whose code unit is c): a surrogate pair's, else c itself. */
const codePointAt = (text: string, i: number, c: number): number =>
  c >= 0xd800 && c <= 0xdbff && isLowSurrogate(text, i + 1) ? (c - 0xd800) * 0x400 + (text.charCodeAt(i + 1) - 0xdc00) + 0x10000 : c;

/** Counts with columns renamed by `to` (−1 drops the entry), sorted within each row. */
export function remapColumns(c: Counts, to: Int32Array, columns: number): Counts {
  const rows = c.indptr.length - 1;
  const indptr = new Int32Array(rows + 1);
  const indices = new Int32List();
  const counts = new Float64Array(c.counts.length);
  const countOf = new Float64Array(columns);
  let q = 0;
  for (let i = 0; i < rows; i++) {
    const first = indices.length;
    for (let p = c.indptr[i]; p < c.indptr[i + 1]; p++) {
      const j = to[c.indices[p]];
      if (j < 0) continue;
      indices.push(j);
      countOf[j] = c.counts[p];
    }
    const row = indices.data.subarray(first, indices.length).sort();
    for (const j of row) counts[q++] = countOf[j];
    indptr[i + 1] = indices.length;
  }
  return { indptr, indices: indices.data.slice(0, indices.length), counts: counts.slice(0, q) };
}
