// The topic job's step before the fit: corpus → TF-IDF (the library's TfidfVectorizer, run in
// vectorize.worker.ts). Document-frequency limits made for a corpus of thousands keep no term of a
// few pasted paragraphs: then the limits are relaxed, and the page says so.

import { TfidfVectorizer, type CsrMatrix, type SavedTfidfVectorizer } from '../../src/index.js';
import type { Corpus } from './corpus.js';
import { loadSotu } from './sotu.js';

export interface VectorizerSettings {
  maxFeatures: number;
  /** an absolute document count (int ≥ 1) or a proportion in [0, 1) */
  minDf: number;
  /** a proportion in (0, 1] or an absolute count (int > 1) */
  maxDf: number;
  stopWords: boolean;
}

export type CorpusSpec =
  | { kind: 'sotu'; fromYear: number; toYear: number; wordsPerPassage: number }
  | ({ kind: 'custom'; name: string } & Corpus);

export interface VectorizedCorpus extends Corpus {
  X: CsrMatrix;
  featureNames: string[];
  /** the fitted vectorizer, saved: the exported topic model holds it */
  vectorizer: SavedTfidfVectorizer;
  /** what was changed in the settings to make them fit this corpus, for the page to say */
  notes: string[];
}

/** The vectorizer's options (scikit-learn's names in camelCase), as the page and its code panel give them. */
export function tfidfOptions(v: VectorizerSettings) {
  return { maxFeatures: v.maxFeatures, minDf: v.minDf, maxDf: v.maxDf, stopWords: v.stopWords ? ('english' as const) : null };
}

/**
 * The limits in documents that minDf and maxDf mean for n documents (scikit-learn's rule: an integer
 * minDf ≥ 1 or maxDf > 1 is a count, else a proportion), relaxed to 1 and n when they leave no room.
 */
export function fitDocumentFrequency(v: VectorizerSettings, n: number): { minDf: number; maxDf: number; note: string | null } {
  const minCount = v.minDf >= 1 ? v.minDf : v.minDf * n;
  const maxCount = v.maxDf <= 1 ? v.maxDf * n : v.maxDf;
  if (minCount <= n && maxCount >= minCount && maxCount >= 1) return { minDf: v.minDf, maxDf: v.maxDf, note: null };
  const maxText = v.maxDf <= 1 ? `${v.maxDf} (${Math.floor(maxCount)} of them)` : String(v.maxDf);
  return {
    minDf: 1,
    maxDf: 1,
    note:
      `Only ${n} document${n === 1 ? '' : 's'}: min. doc. freq. ${v.minDf} with max. doc. freq. ${maxText} would keep no term, ` +
      'so this fit used min. doc. freq. 1 and max. doc. freq. 1 (every term).',
  };
}

/** `stage` shows what is being done (and throws once the user pressed Stop). */
export async function vectorizeCorpus(spec: CorpusSpec, v: VectorizerSettings, stage: (text: string) => Promise<void>): Promise<VectorizedCorpus> {
  let corpus: Corpus;
  if (spec.kind === 'sotu') {
    await stage(`Loading State of the Union addresses, ${spec.fromYear}–${spec.toYear}…`);
    corpus = await loadSotu(spec.fromYear, spec.toYear, spec.wordsPerPassage);
  } else {
    const { kind: _kind, name: _name, ...own } = spec;
    corpus = own;
  }
  const n = corpus.documents.length;
  await stage(`Building the TF-IDF matrix of ${n.toLocaleString('en-US')} documents…`);
  const df = fitDocumentFrequency(v, n);
  const vectorizer = new TfidfVectorizer({ ...tfidfOptions(v), minDf: df.minDf, maxDf: df.maxDf });
  const X = vectorizer.fitTransform(corpus.documents);
  return { ...corpus, X, featureNames: vectorizer.featureNames!, vectorizer: vectorizer.toJSON(), notes: df.note ? [df.note] : [] };
}
