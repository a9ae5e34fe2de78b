// The text pipeline (src/text) against scikit-learn's TfidfVectorizer and numpy's argsort.
// Fixtures: /usr/bin/python3 test/fixtures/generate_text.py (after npm ci).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '../src/errors.js';
import type { CsrMatrix } from '../src/matrix/matrix.js';
import { argsortHeapsort } from '../src/text/argsort.js';
import {
  ENGLISH_STOP_WORDS,
  TfidfVectorizer,
  argsort,
  splitParagraphs,
  splitPassages,
  tokenize,
  topWords,
  type TfidfOptions,
} from '../src/text/index.js';

interface Csr {
  rows: number;
  cols: number;
  indptr: number[];
  indices: number[];
  data: number[];
}
interface Case {
  name: string;
  documents: string[];
  options: TfidfOptions;
  expected: { featureNames: string[]; idf: number[] | null; X: Csr };
  newDocuments?: string[];
  expectedTransform?: Csr;
}
const fixture: {
  sklearn: string;
  stopWords: string[];
  tokenize: { text: string; tokens: string[] }[];
  argsort: { v: number[]; quicksort: number[]; heapsort: number[] }[];
  cases: Case[];
  errors: { name: string; documents: string[]; options: TfidfOptions; message: string }[];
} = JSON.parse(readFileSync(new URL('./fixtures/text.json', import.meta.url), 'utf8'));

/** Values agree to float64 rounding (the row norms sum in another order than scipy's). */
const VALUE_TOLERANCE = 1e-12;

function expectCsr(got: CsrMatrix, want: Csr, what: string) {
  expect([got.rows, got.cols], `${what}: shape`).toEqual([want.rows, want.cols]);
  expect(Array.from(got.indptr), `${what}: indptr`).toEqual(want.indptr);
  expect(Array.from(got.indices), `${what}: indices`).toEqual(want.indices);
  got.data.forEach((v, p) => expect(Math.abs(v - want.data[p]), `${what}: data[${p}]`).toBeLessThan(VALUE_TOLERANCE));
}

describe(`TfidfVectorizer matches scikit-learn ${fixture.sklearn}`, () => {
  it('ships the stop-word list the fixtures were made with', () => {
    expect([...ENGLISH_STOP_WORDS]).toEqual(fixture.stopWords);
  });

  it.each(fixture.tokenize.map((t) => [t.text.slice(0, 40), t] as const))('tokenizes like (?u)\\b\\w\\w+\\b: %s', (_, t) => {
    expect(tokenize(t.text)).toEqual(t.tokens);
  });

  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const vectorizer = new TfidfVectorizer(c.options);
    const X = vectorizer.fitTransform(c.documents);
    expect(vectorizer.featureNames).toEqual(c.expected.featureNames);
    expect(vectorizer.vocabulary!.get(c.expected.featureNames[0])).toBe(0);
    if (c.expected.idf) vectorizer.idf!.forEach((v, j) => expect(Math.abs(v - c.expected.idf![j])).toBeLessThan(VALUE_TOLERANCE));
    expectCsr(X, c.expected.X, 'fitTransform');
    if (c.newDocuments) expectCsr(vectorizer.transform(c.newDocuments), c.expectedTransform!, 'transform');
  });

  it.each(fixture.errors.map((e) => [e.name, e] as const))('refuses as scikit-learn does: %s', (_, e) => {
    const message = e.message.replaceAll('min_df', 'minDf').replaceAll('max_df', 'maxDf');
    expect(() => new TfidfVectorizer(e.options).fitTransform(e.documents)).toThrow(message);
  });

  it("stopWords: 'english' is the same list as passing it explicitly", () => {
    const docs = fixture.cases[1].documents;
    const a = new TfidfVectorizer({ stopWords: 'english' }).fitTransform(docs);
    const b = new TfidfVectorizer({ stopWords: fixture.stopWords }).fitTransform(docs);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
  });
});

describe('argsort is numpy 1.24 argsort, ties included', () => {
  it.each(fixture.argsort.map((a) => [a.v.length, a] as const))('n = %i', (_, a) => {
    expect(Array.from(argsort(a.v))).toEqual(a.quicksort);
    expect(Array.from(argsortHeapsort(a.v))).toEqual(a.heapsort);
  });
  it('puts NaN last, as numpy does', () => {
    expect(Array.from(argsort([3, NaN, 1, 2]))).toEqual([2, 3, 0, 1]);
  });
});

describe('option rules', () => {
  const bad: [TfidfOptions, string][] = [
    [{ maxDf: 1.5 }, "The 'maxDf' parameter of TfidfVectorizer must be a float in the range [0, 1] (a proportion) or an int in the range [2, inf) (a count). Got 1.5 instead."],
    [{ maxDf: -0.1 }, "'maxDf'"],
    [{ minDf: 2.5 }, "The 'minDf' parameter of TfidfVectorizer must be a float in the range [0, 1) (a proportion) or an int in the range [1, inf) (a count). Got 2.5 instead."],
    [{ maxFeatures: 0 }, "The 'maxFeatures' parameter of TfidfVectorizer must be an int in the range [1, inf) or null. Got 0 instead."],
    [{ norm: 'l3' as 'l2' }, "'norm'"],
    [{ stopWords: 'french' as 'english' }, "The 'stopWords' parameter of TfidfVectorizer must be 'english', an array of strings or null. Got 'french' instead."],
    [{ tokenPattern: /\w+/ }, "'tokenPattern'"],
    [{ max_df: 0.5 } as TfidfOptions, "Unknown option 'max_df' for TfidfVectorizer"],
  ];
  it.each(bad.map(([o, m]) => [JSON.stringify(o) ?? String(o), o, m] as const))('%s', (_, o, m) => {
    expect(() => new TfidfVectorizer(o)).toThrow(InvalidParameterError);
    expect(() => new TfidfVectorizer(o)).toThrow(m);
  });

  it('maxDf 1 is the whole corpus (a proportion), minDf 1 one document (a count), as the scikit-learn defaults', () => {
    const docs = ['aa bb', 'aa cc', 'aa dd'];
    expect(new TfidfVectorizer({ maxDf: 1, minDf: 1 }).fit(docs).featureNames).toEqual(['aa', 'bb', 'cc', 'dd']);
    expect(new TfidfVectorizer({ maxDf: 2 }).fit(docs).featureNames).toEqual(['bb', 'cc', 'dd']);
    expect(new TfidfVectorizer({ minDf: 2 }).fit(docs).featureNames).toEqual(['aa']);
  });

  it('transform before fit is refused', () => {
    expect(() => new TfidfVectorizer().transform(['aa'])).toThrow('not fitted');
  });
});

describe('documents and top words', () => {
  it('splits paragraphs at blank lines', () => {
    expect(splitParagraphs('One\ntwo.\n\n  \nThree\r\n\r\nfour  five\n')).toEqual(['One two.', 'Three', 'four five']);
  });

  it('cuts passages of whole sentences of at least minWords words; a short tail joins the last', () => {
    const text = 'One two three. Four five! Six seven eight nine? Ten.';
    expect(splitPassages(text, 4)).toEqual(['One two three. Four five!', 'Six seven eight nine? Ten.']);
    expect(splitPassages(text, 100)).toEqual([text]);
    expect(splitPassages('', 5)).toEqual([]);
  });

  it('collapses every run of whitespace (any Unicode space, line break, tab) to one space, as /\\s+/ does', () => {
    const spaces = [' ', '  ', '\n', ' \n ', '\t\t', '\u00a0', ' \u2028', '\r\n', '\u3000 '];
    const text = spaces.map((w, i) => `word${i}${w}`).join('') + 'end.';
    const collapsed = text.replace(/\s+/g, ' ');
    expect(splitPassages(text, 1)).toEqual([collapsed]);
    expect(splitParagraphs(`${text}\n\n${text}`)).toEqual([collapsed, collapsed]);
  });

  it('picks the heaviest words of each topic, heaviest first', () => {
    const H = { rows: 2, cols: 4, data: new Float64Array([0.1, 0.9, 0.5, 0, 2, 0, 0, 1]) };
    expect(topWords(H, ['aa', 'bb', 'cc', 'dd'], 2)).toEqual([
      { words: ['bb', 'cc'], weights: [0.9, 0.5] },
      { words: ['aa', 'dd'], weights: [2, 1] },
    ]);
    expect(() => topWords(H, ['aa'], 2)).toThrow('4 columns');
  });
});
