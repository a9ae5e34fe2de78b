// scikit-learn's TfidfVectorizer (CountVectorizer + TfidfTransformer) for word unigrams:
//   tf(t, d)  = count of t in d, or 1 + ln(count) with sublinearTf
//   idf(t)    = ln((1 + n) / (1 + df(t))) + 1 with smoothIdf, else ln(n / df(t)) + 1
//   row d     = tf·idf, then scaled to unit l2 (or l1) norm
// The vocabulary is sorted by code point (Python's str order), pruned by document frequency
// (maxDf, minDf), then cut to the maxFeatures terms most frequent in the corpus, ties broken by
// numpy's argsort as scikit-learn's _limit_features breaks them. Runs in browsers and Node alike.

import { InvalidParameterError } from '../errors.js';
import type { CsrMatrix } from '../matrix/matrix.js';
import { encodeArray, MODEL_FORMAT_VERSION, ModelReader, openSaved, type SavedArray, type SavedEnvelope } from '../model-format.js';
import { argsort } from './argsort.js';
import { ENGLISH_STOP_WORDS } from './stop-words.js';
import { TOKEN_PATTERN, tokenize } from './tokenize.js';

export interface TfidfOptions {
  /** lowercase before tokenizing (default true) */
  lowercase?: boolean;
  /** a global regex whose matches are the tokens (default: scikit-learn's `(?u)\b\w\w+\b`) */
  tokenPattern?: RegExp;
  /** 'english' (ENGLISH_STOP_WORDS), a list of lowercase words, or null (default: none, as scikit-learn) */
  stopWords?: 'english' | readonly string[] | null;
  /**
   * Drop terms in more documents than this: a number in [0, 1] is a proportion of the documents
   * (scikit-learn's float max_df; 1 = no limit, the default), an integer > 1 a count.
   */
  maxDf?: number;
  /**
   * Drop terms in fewer documents than this: an integer ≥ 1 is a count (scikit-learn's int min_df;
   * 1, the default, keeps every term), a number in [0, 1) a proportion of the documents.
   */
  minDf?: number;
  /** keep only this many terms, the most frequent in the corpus (default null: all) */
  maxFeatures?: number | null;
  /** row normalization (default 'l2') */
  norm?: 'l2' | 'l1' | null;
  /** weight by idf (default true) */
  useIdf?: boolean;
  /** add one to every document frequency, as if one document held every term (default true) */
  smoothIdf?: boolean;
  /** tf = 1 + ln(count) instead of count (default false) */
  sublinearTf?: boolean;
}

type Resolved = Required<Omit<TfidfOptions, 'stopWords'>> & { stopWords: ReadonlySet<string> | null };

/** A saved TfidfVectorizer (TfidfVectorizer#toJSON): its options and, once fitted, its vocabulary and idf. */
export interface SavedTfidfVectorizer extends SavedEnvelope<'webnmf.TfidfVectorizer'> {
  /** the options, tokenPattern as its source and flags */
  params: Omit<Required<TfidfOptions>, 'tokenPattern'> & { tokenPattern: { source: string; flags: string } };
  fitted: {
    /** the terms in column order */
    featureNames: string[];
    /** idf of each column, float64 */
    idf: SavedArray;
  } | null;
}

function describe(v: unknown): string {
  return typeof v === 'string' ? `'${v}'` : Array.isArray(v) ? 'an array' : String(v);
}

function fail(name: string, rule: string, value: unknown): never {
  throw new InvalidParameterError(name, `The '${name}' parameter of TfidfVectorizer must be ${rule}. Got ${describe(value)} instead.`);
}

function resolve(o: TfidfOptions): Resolved {
  const known = ['lowercase', 'tokenPattern', 'stopWords', 'maxDf', 'minDf', 'maxFeatures', 'norm', 'useIdf', 'smoothIdf', 'sublinearTf'];
  for (const key of Object.keys(o)) {
    if (!known.includes(key)) throw new InvalidParameterError(key, `Unknown option '${key}' for TfidfVectorizer. Valid options are: ${known.join(', ')}.`);
  }
  const r = {
    lowercase: o.lowercase ?? true,
    tokenPattern: o.tokenPattern ?? TOKEN_PATTERN,
    maxDf: o.maxDf ?? 1,
    minDf: o.minDf ?? 1,
    maxFeatures: o.maxFeatures ?? null,
    norm: o.norm === undefined ? 'l2' : o.norm,
    useIdf: o.useIdf ?? true,
    smoothIdf: o.smoothIdf ?? true,
    sublinearTf: o.sublinearTf ?? false,
  };
  for (const name of ['lowercase', 'useIdf', 'smoothIdf', 'sublinearTf'] as const) {
    if (typeof r[name] !== 'boolean') fail(name, 'a boolean', r[name]);
  }
  if (!(r.tokenPattern instanceof RegExp) || !r.tokenPattern.global) fail('tokenPattern', 'a RegExp with the global flag (g)', r.tokenPattern);
  const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  if (!isNum(r.maxDf) || r.maxDf < 0 || (r.maxDf > 1 && !Number.isInteger(r.maxDf))) {
    fail('maxDf', 'a float in the range [0, 1] (a proportion) or an int in the range [2, inf) (a count)', r.maxDf);
  }
  if (!isNum(r.minDf) || r.minDf < 0 || (r.minDf >= 1 && !Number.isInteger(r.minDf))) {
    fail('minDf', 'a float in the range [0, 1) (a proportion) or an int in the range [1, inf) (a count)', r.minDf);
  }
  if (r.maxFeatures !== null && (!Number.isInteger(r.maxFeatures) || r.maxFeatures < 1)) fail('maxFeatures', 'an int in the range [1, inf) or null', r.maxFeatures);
  if (r.norm !== null && r.norm !== 'l2' && r.norm !== 'l1') fail('norm', "a str among {'l1', 'l2'} or null", r.norm);
  let stopWords: ReadonlySet<string> | null = null;
  if (o.stopWords === 'english') stopWords = new Set(ENGLISH_STOP_WORDS);
  else if (Array.isArray(o.stopWords) && o.stopWords.every((w) => typeof w === 'string')) stopWords = new Set(o.stopWords);
  else if (o.stopWords != null) fail('stopWords', "'english', an array of strings or null", o.stopWords);
  return { ...r, stopWords };
}

/** Python's string order (by code point); JavaScript's default compares UTF-16 code units. */
function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/** Term counts per document: CSR over the given vocabulary, columns sorted within each row. */
interface Counts {
  indptr: Int32Array;
  indices: Int32Array;
  counts: Float64Array;
}

export class TfidfVectorizer {
  private readonly o: Resolved;
  /** stopWords as given (the resolved set loses whether it was 'english') */
  private readonly stopWordsOption: 'english' | readonly string[] | null;
  /** term → column */
  vocabulary?: Map<string, number>;
  /** the terms, in column order (scikit-learn's get_feature_names_out()) */
  featureNames?: string[];
  /** idf of each column (with useIdf) */
  idf?: Float64Array;
  /** terms dropped by maxDf, minDf or maxFeatures (scikit-learn's stop_words_) */
  prunedTerms?: Set<string>;

  constructor(options: TfidfOptions = {}) {
    this.o = resolve(options);
    this.stopWordsOption = options.stopWords === undefined ? null : Array.isArray(options.stopWords) ? [...options.stopWords] : options.stopWords;
  }

  /** The tokens of a document after lowercasing and stop-word removal (scikit-learn's build_analyzer()). */
  analyze(doc: string): string[] {
    const tokens = tokenize(doc, { lowercase: this.o.lowercase, tokenPattern: this.o.tokenPattern });
    const stop = this.o.stopWords;
    return stop ? tokens.filter((t) => !stop.has(t)) : tokens;
  }

  fit(docs: readonly string[]): this {
    this.fitTransform(docs);
    return this;
  }

  /** Learn the vocabulary and idf from `docs`; return their TF-IDF matrix (documents × terms). */
  fitTransform(docs: readonly string[]): CsrMatrix {
    checkDocuments(docs);
    // Count with a vocabulary in order of first appearance, as scikit-learn's _count_vocab.
    const seen = new Map<string, number>();
    const raw = this.count(docs, (t) => {
      let j = seen.get(t);
      if (j === undefined) seen.set(t, (j = seen.size));
      return j;
    });
    if (seen.size === 0) throw new InvalidParameterError('documents', 'empty vocabulary; perhaps the documents only contain stop words');

    const nDoc = docs.length;
    const maxDocCount = this.o.maxDf <= 1 ? this.o.maxDf * nDoc : this.o.maxDf;
    const minDocCount = this.o.minDf >= 1 ? this.o.minDf : this.o.minDf * nDoc;
    if (maxDocCount < minDocCount) throw new InvalidParameterError('maxDf', 'maxDf corresponds to < documents than minDf');

    // Columns in sorted term order (_sort_features), then pruned (_limit_features).
    const terms = [...seen.keys()].sort(compareCodePoints);
    const sortedOf = new Int32Array(terms.length);
    terms.forEach((t, j) => (sortedOf[seen.get(t)!] = j));
    const dfs = new Float64Array(terms.length);
    const tfs = new Float64Array(terms.length);
    for (let p = 0; p < raw.indices.length; p++) {
      const j = sortedOf[raw.indices[p]];
      dfs[j] += 1;
      tfs[j] += raw.counts[p];
    }
    let keep = Array.from(dfs, (df) => df <= maxDocCount && df >= minDocCount);
    const kept = keep.reduce((s, k) => s + (k ? 1 : 0), 0);
    if (this.o.maxFeatures !== null && kept > this.o.maxFeatures) {
      const candidates = keep.flatMap((k, j) => (k ? [j] : []));
      const order = argsort(candidates.map((j) => -tfs[j]));
      keep = new Array<boolean>(terms.length).fill(false);
      for (let r = 0; r < this.o.maxFeatures; r++) keep[candidates[order[r]]] = true;
    }
    const column = new Int32Array(terms.length).fill(-1);
    const featureNames: string[] = [];
    const pruned = new Set<string>();
    terms.forEach((t, j) => {
      if (keep[j]) column[j] = featureNames.push(t) - 1;
      else pruned.add(t);
    });
    if (featureNames.length === 0) {
      throw new InvalidParameterError('minDf', 'After pruning, no terms remain. Try a lower minDf or a higher maxDf.');
    }

    this.featureNames = featureNames;
    this.vocabulary = new Map(featureNames.map((t, j) => [t, j]));
    this.prunedTerms = pruned;
    const counts = remapColumns(raw, (old) => column[sortedOf[old]]);
    // idf from the pruned counts (TfidfTransformer.fit), with the smoothing document if asked
    const df = new Float64Array(featureNames.length);
    for (const j of counts.indices) df[j] += 1;
    const smooth = this.o.smoothIdf ? 1 : 0;
    this.idf = df.map((d) => Math.log((nDoc + smooth) / (d + smooth)) + 1);
    return this.weigh(counts, nDoc);
  }

  /** TF-IDF of new documents over the learned vocabulary (unknown terms are ignored). */
  transform(docs: readonly string[]): CsrMatrix {
    if (!this.vocabulary) throw new InvalidParameterError('vocabulary', "This TfidfVectorizer instance is not fitted yet. Call 'fit' with appropriate arguments before using this estimator.");
    checkDocuments(docs);
    const vocabulary = this.vocabulary;
    return this.weigh(this.count(docs, (t) => vocabulary.get(t)), docs.length);
  }

  /** Term counts of each document (columns sorted per row); `column` maps a token to its column, or undefined to skip it. */
  private count(docs: readonly string[], column: (token: string) => number | undefined): Counts {
    const indptr = new Int32Array(docs.length + 1);
    const indices: number[] = [];
    const counts: number[] = [];
    docs.forEach((doc, i) => {
      const row = new Map<number, number>();
      for (const t of this.analyze(doc)) {
        const j = column(t);
        if (j !== undefined) row.set(j, (row.get(j) ?? 0) + 1);
      }
      for (const [j, c] of [...row].sort((a, b) => a[0] - b[0])) {
        indices.push(j);
        counts.push(c);
      }
      indptr[i + 1] = indices.length;
    });
    return { indptr, indices: Int32Array.from(indices), counts: Float64Array.from(counts) };
  }

  /** tf (or 1 + ln tf) · idf, then each row scaled to unit norm (TfidfTransformer.transform). */
  private weigh(c: Counts, rows: number): CsrMatrix {
    const data = new Float64Array(c.counts.length);
    for (let p = 0; p < data.length; p++) {
      const tf = this.o.sublinearTf ? Math.log(c.counts[p]) + 1 : c.counts[p];
      data[p] = this.o.useIdf ? tf * this.idf![c.indices[p]] : tf;
    }
    if (this.o.norm !== null) {
      for (let i = 0; i < rows; i++) {
        let sum = 0;
        for (let p = c.indptr[i]; p < c.indptr[i + 1]; p++) sum += this.o.norm === 'l2' ? data[p] * data[p] : Math.abs(data[p]);
        if (sum === 0) continue;
        const scale = this.o.norm === 'l2' ? Math.sqrt(sum) : sum;
        for (let p = c.indptr[i]; p < c.indptr[i + 1]; p++) data[p] /= scale;
      }
    }
    return { rows, cols: this.featureNames!.length, indptr: c.indptr, indices: c.indices, data };
  }

  /** The vectorizer as a plain, versioned object for JSON.stringify (prunedTerms, for inspection only, is not saved). */
  toJSON(): SavedTfidfVectorizer {
    const { stopWords: _set, tokenPattern, ...o } = this.o;
    return {
      format: 'webnmf.TfidfVectorizer',
      version: MODEL_FORMAT_VERSION,
      params: { ...o, tokenPattern: { source: tokenPattern.source, flags: tokenPattern.flags }, stopWords: this.stopWordsOption },
      fitted: this.featureNames ? { featureNames: [...this.featureNames], idf: encodeArray(this.idf!, [this.idf!.length]) } : null,
    };
  }

  /** The vectorizer that toJSON() saved (or JSON.parse of its text); its transform gives the same matrix. */
  static fromJSON(json: unknown): TfidfVectorizer {
    return loadVectorizer(json);
  }
}

// Outside the class: a class that names itself inside its body gets renamed by bundlers (TfidfVectorizer2).
function loadVectorizer(json: unknown): TfidfVectorizer {
  const read = new ModelReader('TfidfVectorizer');
  const saved = openSaved(json, 'webnmf.TfidfVectorizer', read);
  const params = read.object(saved, 'params')!;
  const names = ['lowercase', 'tokenPattern', 'stopWords', 'maxDf', 'minDf', 'maxFeatures', 'norm', 'useIdf', 'smoothIdf', 'sublinearTf'];
  for (const name of names) read.field(params, `params.${name}`);
  const pattern = read.object(params, 'params.tokenPattern')!;
  const source = String(read.field(pattern, 'params.tokenPattern.source'));
  const flags = String(read.field(pattern, 'params.tokenPattern.flags'));
  let tokenPattern: RegExp | undefined;
  try {
    tokenPattern = new RegExp(source, flags);
  } catch (e) {
    read.fail('params.tokenPattern', `is not a valid regular expression (${(e as Error).message})`);
  }
  let vectorizer: TfidfVectorizer;
  try {
    vectorizer = new TfidfVectorizer({ ...(params as TfidfOptions), tokenPattern });
  } catch (e) {
    if (e instanceof InvalidParameterError) throw new InvalidParameterError(`params.${e.parameter}`, `The saved TfidfVectorizer's params: ${e.message}`);
    throw e;
  }
  const fit = read.object(saved, 'fitted', true);
  if (fit) {
    const terms = read.field(fit, 'fitted.featureNames') as string[];
    if (!Array.isArray(terms) || terms.length === 0 || !terms.every((t) => typeof t === 'string')) read.fail('fitted.featureNames', 'must be a non-empty array of strings');
    const vocabulary = new Map(terms.map((t, j) => [t, j]));
    if (vocabulary.size !== terms.length) read.fail('fitted.featureNames', 'must not repeat a term');
    vectorizer.featureNames = [...terms];
    vectorizer.vocabulary = vocabulary;
    vectorizer.idf = Float64Array.from(read.array(fit, 'fitted.idf', [terms.length], true));
  }
  return vectorizer;
}

function checkDocuments(docs: readonly string[]): void {
  if (!Array.isArray(docs) || !docs.every((d) => typeof d === 'string')) {
    throw new InvalidParameterError('documents', 'The documents must be an array of strings.');
  }
}

/** Counts with columns renamed by `to` (−1 drops the entry), sorted within each row. */
function remapColumns(c: Counts, to: (old: number) => number): Counts {
  const indptr = new Int32Array(c.indptr.length);
  const indices: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i + 1 < c.indptr.length; i++) {
    const row: [number, number][] = [];
    for (let p = c.indptr[i]; p < c.indptr[i + 1]; p++) {
      const j = to(c.indices[p]);
      if (j >= 0) row.push([j, c.counts[p]]);
    }
    row.sort((a, b) => a[0] - b[0]);
    for (const [j, n] of row) {
      indices.push(j);
      counts.push(n);
    }
    indptr[i + 1] = indices.length;
  }
  return { indptr, indices: Int32Array.from(indices), counts: Float64Array.from(counts) };
}
