// Files saved in format version 1 (committed in test/fixtures/models/, written by gen_models.ts) stay
// loadable, and the loaded models give what they gave when the files were written, bit for bit on
// the CPU: transform, and MiniBatchNMF's partialFit continuing from the saved state.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MiniBatchNMF, NMF, TfidfVectorizer } from '../src/index.js';

const read = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/models/${name}`, import.meta.url), 'utf8'));
const expected = read('expected-v1.json');

function expectExactly(got: { rows: number; cols: number; data: ArrayLike<number> }, want: { rows: number; cols: number; data: number[] }, what: string): void {
  expect([got.rows, got.cols], `${what}: shape`).toEqual([want.rows, want.cols]);
  expect(Array.from(got.data), what).toEqual(want.data);
}

describe('saved files of format version 1', () => {
  it('nmf-v1.json: an NMF (cd) whose transform is unchanged', async () => {
    const saved = read('nmf-v1.json');
    expect([saved.format, saved.version]).toEqual(['webnmf.NMF', 1]);
    const model = NMF.fromJSON(saved);
    expectExactly(await model.transform(expected.nmf.X2), expected.nmf.transform, 'transform(X2)');
    // written before gpuProfile existed: it loads as 'auto', and is saved from now on
    expect(model.toJSON()).toEqual({ ...saved, params: { ...saved.params, gpuProfile: 'auto' } });
  });

  it('minibatch-v1.json: a MiniBatchNMF (KL) whose transform is unchanged and whose partialFit continues as it did', async () => {
    const saved = read('minibatch-v1.json');
    expect([saved.format, saved.version]).toEqual(['webnmf.MiniBatchNMF', 1]);
    const model = MiniBatchNMF.fromJSON(saved);
    expectExactly(await model.transform(expected.minibatch.X2), expected.minibatch.transform, 'transform(X2)');
    await model.partialFit(expected.minibatch.next);
    expectExactly(model.components!, expected.minibatch.componentsAfterNext, 'components after partialFit');
    expect(model.nSteps).toBe(expected.minibatch.nStepsAfterNext);
  });

  it('tfidf-v1.json: a TfidfVectorizer whose transform is unchanged', () => {
    const saved = read('tfidf-v1.json');
    expect([saved.format, saved.version]).toEqual(['webnmf.TfidfVectorizer', 1]);
    const X = TfidfVectorizer.fromJSON(saved).transform(expected.tfidf.documents);
    const want = expected.tfidf.transform;
    expect([X.rows, X.cols, Array.from(X.indptr), Array.from(X.indices)]).toEqual([want.rows, want.cols, want.indptr, want.indices]);
    expect(Array.from(X.data)).toEqual(want.data);
  });
});
