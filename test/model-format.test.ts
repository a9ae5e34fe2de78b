// Save and load: fit → JSON.stringify(toJSON()) → JSON.parse → fromJSON gives a model whose transform
// equals the original's, bit for bit on the CPU, and on another backend within that backend's
// precision; MiniBatchNMF's partialFit goes on as if the model had never left memory; the text
// pipeline round-trips; bad files are refused with an InvalidParameterError naming the field.

import { describe, expect, it } from 'vitest';
import {
  InvalidParameterError,
  MiniBatchNMF,
  MODEL_FORMAT_VERSION,
  NMF,
  NMFError,
  TfidfVectorizer,
  type DenseMatrix,
  type NMFOptions,
} from '../src/index.js';
import { relativeError } from './support/cases.js';
import { FLOAT32_SKLEARN } from './support/targets.js';
import { seededMatrix, toCsr } from './support/matrices.js';

const quiet = () => {};
/** Through text and back, as a file would take it. */
const roundTrip = (model: { toJSON(): unknown }) => JSON.parse(JSON.stringify(model.toJSON()));

/** Same dtype, same bits. */
function expectIdentical(got: DenseMatrix, want: DenseMatrix, what: string): void {
  expect(got.data.constructor.name, `${what}: dtype`).toBe(want.data.constructor.name);
  expect([got.rows, got.cols], `${what}: shape`).toEqual([want.rows, want.cols]);
  const differ = Array.from(got.data).findIndex((v, i) => !Object.is(v, want.data[i]));
  expect(differ, `${what}: first entry that differs`).toBe(-1);
}

const X = seededMatrix(30, 12, 1);
const X2 = seededMatrix(9, 12, 2);

const NMF_CASES: [string, NMFOptions, DenseMatrix | ReturnType<typeof toCsr>][] = [
  ['cd', { solver: 'cd', init: 'nndsvda', alphaW: 0.01, l1Ratio: 0.5 }, X],
  ['cd with shuffle, csr', { solver: 'cd', shuffle: true, randomState: 3 }, toCsr(seededMatrix(30, 12, 1, { zeros: 0.4 }))],
  ['mu kullback-leibler', { solver: 'mu', betaLoss: 'kullback-leibler', init: 'random', randomState: 0 }, X],
  ['mu beta 1.5, csr', { solver: 'mu', betaLoss: 1.5, init: 'random', randomState: 0 }, toCsr(seededMatrix(30, 12, 1, { zeros: 0.4 }))],
  ['pg', { solver: 'pg', init: 'nndsvd', sparseness: 'components', beta: 0.5 }, X],
];

describe('NMF: toJSON → fromJSON', () => {
  it.each(NMF_CASES)('%s: transform and inverseTransform are bit for bit the original’s (cpu)', async (_name, options, data) => {
    const model = new NMF({ nComponents: 4, maxIter: 80, backend: 'cpu', onWarning: quiet, ...options });
    await model.fit(data);
    const saved = roundTrip(model);
    const loaded = NMF.fromJSON(saved, { onWarning: quiet });

    expect(saved.format).toBe('webnmf.NMF');
    expect(saved.version).toBe(MODEL_FORMAT_VERSION);
    expect(saved.fitted.components.dtype).toBe('float64');
    expectIdentical(loaded.components!, model.components!, 'components');
    expect([loaded.nIter, loaded.reconstructionErr, loaded.nComponentsOut, loaded.nFeaturesIn]).toEqual([model.nIter, model.reconstructionErr, 4, 12]);
    expectIdentical(await loaded.transform(X2), await model.transform(X2), 'transform(X2)');
    const W = await model.transform(X2);
    expectIdentical(await loaded.inverseTransform(W), await model.inverseTransform(W), 'inverseTransform');
    // saving the loaded model gives the same file
    expect(JSON.stringify(loaded.toJSON())).toBe(JSON.stringify(saved));
  });

  it('a model fitted on WebGPU keeps its float32 components; its transform is the original’s on WebGPU, and within float32 of it on the CPU', async () => {
    const model = new NMF({ nComponents: 3, solver: 'mu', init: 'random', randomState: 0, maxIter: 40, backend: 'webgpu', onWarning: quiet });
    await model.fit(X);
    const saved = roundTrip(model);
    expect(saved.fitted.components.dtype).toBe('float32');
    const onGpu = NMF.fromJSON(saved, { onWarning: quiet });
    expectIdentical(onGpu.components!, model.components!, 'components');
    const want = await model.transform(X2);
    expectIdentical(await onGpu.transform(X2), want, 'transform on webgpu');
    const onCpu = NMF.fromJSON(saved, { backend: 'cpu', onWarning: quiet });
    const got = await onCpu.transform(X2);
    expect(got.data).toBeInstanceOf(Float64Array);
    expect(relativeError(got, { rows: want.rows, cols: want.cols, data: Array.from(want.data) })).toBeLessThan(FLOAT32_SKLEARN);
  });

  it('a model fitted on the CPU transforms on WebGPU within float32 of the CPU', async () => {
    const model = new NMF({ nComponents: 3, solver: 'cd', init: 'nndsvd', maxIter: 60, backend: 'cpu', onWarning: quiet });
    await model.fit(X);
    const onGpu = NMF.fromJSON(roundTrip(model), { backend: 'webgpu', checkEvery: 1, onWarning: quiet });
    const got = await onGpu.transform(X2);
    expect(got.data, 'computed on WebGPU').toBeInstanceOf(Float32Array);
    const want = await model.transform(X2);
    expect(relativeError(got, { rows: want.rows, cols: want.cols, data: Array.from(want.data) })).toBeLessThan(FLOAT32_SKLEARN);
  });

  it('an unfitted model saves its options only, and loads unfitted', async () => {
    const saved = roundTrip(new NMF({ nComponents: 5, solver: 'mu', betaLoss: 0.5, alphaH: 0.1 }));
    expect(saved.fitted).toBeNull();
    expect(saved.params).toMatchObject({ nComponents: 5, solver: 'mu', betaLoss: 0.5, alphaH: 0.1, alphaW: 0 });
    expect(Object.keys(saved.params)).not.toContain('signal');
    const loaded = NMF.fromJSON(saved);
    expect(loaded.components).toBeUndefined();
    await expect(loaded.transform(X2)).rejects.toThrow(NMFError);
    expect(JSON.stringify(loaded.toJSON())).toBe(JSON.stringify(saved));
  });
});

describe('MiniBatchNMF: toJSON → fromJSON', () => {
  const batches = [seededMatrix(14, 12, 10), seededMatrix(9, 12, 11), seededMatrix(14, 12, 12)];
  const options = { nComponents: 3, batchSize: 10, forgetFactor: 0.6, randomState: 0, maxIter: 6, onWarning: quiet };

  it.each(['cpu', 'webgpu'] as const)('partialFit after a save and a load goes on as the model that never left memory (%s)', async (backend) => {
    const stream = new MiniBatchNMF({ ...options, backend, betaLoss: 'kullback-leibler', alphaW: 0.01 });
    let saved = new MiniBatchNMF({ ...options, backend, betaLoss: 'kullback-leibler', alphaW: 0.01 });
    await stream.fit(X);
    await saved.fit(X);
    for (const [i, batch] of batches.entries()) {
      saved = MiniBatchNMF.fromJSON(roundTrip(saved), { onWarning: quiet });
      await stream.partialFit(batch);
      await saved.partialFit(batch);
      expectIdentical(saved.components!, stream.components!, `components after batch ${i}`);
      expect(saved.nSteps).toBe(stream.nSteps);
    }
    expect(JSON.stringify(saved.toJSON())).toBe(JSON.stringify(stream.toJSON()));
    expectIdentical(await saved.transform(X2), await stream.transform(X2), 'transform(X2)');
  });

  it('a model built by partialFit alone round-trips (no nIter, no reconstructionErr)', async () => {
    const model = new MiniBatchNMF({ ...options, backend: 'cpu' });
    await model.partialFit(batches[0]);
    const saved = roundTrip(model);
    expect(saved.fitted).toMatchObject({ nSteps: 1, nIter: null, reconstructionErr: null, nComponentsOut: 3, nFeaturesIn: 12 });
    expect(saved.fitted.componentsNumerator).toMatchObject({ dtype: 'float64', shape: [3, 12] });
    const loaded = MiniBatchNMF.fromJSON(saved);
    expect(loaded.nIter).toBeUndefined();
    await model.partialFit(batches[1]);
    await loaded.partialFit(batches[1]);
    expectIdentical(loaded.components!, model.components!, 'components');
  });
});

describe('TfidfVectorizer: toJSON → fromJSON', () => {
  const docs = [
    'The cat sat on the mat. The cat purred.',
    'Dogs and cats are friends; dogs bark, cats meow.',
    'Stock markets fell as prices rose: inflation worries traders.',
    'Traders bought bonds; bond prices and stock prices moved.',
    'A café in Zürich serves cats and coffee — naïve résumé.',
  ];
  const fresh = ['cats and dogs at the café', 'inflation and bond traders', 'nothing known here', ''];

  it.each([
    ['defaults', {}],
    ['english stop words, max features', { stopWords: 'english' as const, maxFeatures: 8, minDf: 1 }],
    ['own pattern and stop words, sublinear, l1, no idf smoothing', { tokenPattern: /\b\w+\b/gu, stopWords: ['and', 'the'], sublinearTf: true, norm: 'l1' as const, smoothIdf: false, maxDf: 0.9 }],
  ])('%s: transform gives the same matrix, bit for bit', (_name, options) => {
    const v = new TfidfVectorizer(options);
    v.fit(docs);
    const saved = roundTrip(v);
    expect(saved.format).toBe('webnmf.TfidfVectorizer');
    const loaded = TfidfVectorizer.fromJSON(saved);
    expect(loaded.featureNames).toEqual(v.featureNames);
    expect([...loaded.vocabulary!]).toEqual([...v.vocabulary!]);
    const a = loaded.transform(fresh), b = v.transform(fresh);
    expect(Array.from(a.indptr)).toEqual(Array.from(b.indptr));
    expect(Array.from(a.indices)).toEqual(Array.from(b.indices));
    expectIdentical({ rows: 1, cols: a.data.length, data: a.data }, { rows: 1, cols: b.data.length, data: b.data }, 'tf-idf values');
    expect(JSON.stringify(loaded.toJSON())).toBe(JSON.stringify(saved));
  });

  it('an unfitted vectorizer loads unfitted', () => {
    const loaded = TfidfVectorizer.fromJSON(roundTrip(new TfidfVectorizer({ stopWords: 'english' })));
    expect(() => loaded.transform(['a'])).toThrow(/not fitted/);
  });
});

describe('new documents: vectorizer.transform, nmf.transform, top topics per document (the README recipe)', () => {
  it('puts each new document under the topic of its theme', async () => {
    const pets = 'cats dogs kittens puppies leash whiskers fur vet'.split(' ');
    const money = 'stocks bonds markets prices inflation dividends traders shares'.split(' ');
    const corpus = Array.from({ length: 40 }, (_, i) => Array.from({ length: 10 }, (_, j) => (i % 2 ? money : pets)[(i * 3 + j * 5) % 8]).join(' '));
    const vectorizer = new TfidfVectorizer();
    const nmf = new NMF({ nComponents: 2, init: 'nndsvda', backend: 'cpu' });
    await nmf.fit(vectorizer.fitTransform(corpus));
    // a page would load both from a file saved in Node: do the same here
    const [v, m] = [TfidfVectorizer.fromJSON(roundTrip(vectorizer)), NMF.fromJSON(roundTrip(nmf))];
    const { topWords } = await import('../src/index.js');

    const W = await m.transform(v.transform(['my kittens chase the puppies', 'bond prices and inflation']));
    const topics = topWords(m.components!, v.featureNames!, 3).map((t) => t.words.join(' '));
    const best = topWords(W, topics, 1);

    const themeOf = (label: string) => (label.split(' ').every((w) => pets.includes(w)) ? 'pets' : label.split(' ').every((w) => money.includes(w)) ? 'money' : label);
    expect(best.map((b) => themeOf(b.words[0]))).toEqual(['pets', 'money']);
    expect(best[0].weights[0]).toBeGreaterThan(0);
  });
});

describe('fromJSON refuses bad files, naming the field', () => {
  let good: ReturnType<NMF['toJSON']>;
  let goodMb: ReturnType<MiniBatchNMF['toJSON']>;

  async function saved() {
    if (!good) {
      const model = new NMF({ nComponents: 2, maxIter: 20, backend: 'cpu', onWarning: quiet });
      await model.fit(X);
      good = roundTrip(model);
      const mb = new MiniBatchNMF({ nComponents: 2, batchSize: 10, maxIter: 2, backend: 'cpu', onWarning: quiet });
      await mb.fit(X);
      goodMb = roundTrip(mb);
    }
    return { nmf: structuredClone(good), mb: structuredClone(goodMb) };
  }

  function expectRefusal(load: () => unknown, parameter: string, message: RegExp): void {
    let error: unknown;
    try {
      load();
    } catch (e) {
      error = e;
    }
    expect(error, `refused (${parameter})`).toBeInstanceOf(InvalidParameterError);
    expect((error as InvalidParameterError).parameter).toBe(parameter);
    expect((error as Error).message).toMatch(message);
  }

  it('not a model, another model, a newer or invalid version', async () => {
    const { nmf, mb } = await saved();
    expectRefusal(() => NMF.fromJSON('{"format":"webnmf.NMF"}'), 'json', /takes the object that toJSON\(\) returned.*Got '\{"format/);
    expectRefusal(() => NMF.fromJSON(null), 'json', /Got null instead/);
    expectRefusal(() => NMF.fromJSON(mb), 'format', /NMF\.fromJSON reads 'webnmf\.NMF' models; this one is 'webnmf\.MiniBatchNMF': load it with MiniBatchNMF\.fromJSON/);
    expectRefusal(() => MiniBatchNMF.fromJSON(nmf), 'format', /load it with NMF\.fromJSON/);
    expectRefusal(() => NMF.fromJSON({ ...nmf, format: 'sklearn' }), 'format', /not a saved webnmf NMF: its 'format' must be 'webnmf\.NMF'\. Got 'sklearn'/);
    expectRefusal(() => NMF.fromJSON({ ...nmf, version: MODEL_FORMAT_VERSION + 1 }), 'version', new RegExp(`format version ${MODEL_FORMAT_VERSION + 1}, by a newer webnmf; this webnmf reads versions up to ${MODEL_FORMAT_VERSION}\\. Update webnmf`));
    expectRefusal(() => NMF.fromJSON({ ...nmf, version: '1' }), 'version', /'version' must be an int in the range \[1, inf\)\. Got '1'/);
    const { version: _v, ...noVersion } = nmf;
    expectRefusal(() => NMF.fromJSON(noVersion), 'version', /'version' is missing/);
  });

  it('missing or bad params', async () => {
    const { nmf } = await saved();
    const { params: _p, ...noParams } = nmf;
    expectRefusal(() => NMF.fromJSON(noParams), 'params', /The saved NMF's 'params' is missing/);
    const { solver: _s, ...noSolver } = nmf.params;
    expectRefusal(() => NMF.fromJSON({ ...nmf, params: noSolver }), 'params.solver', /'params\.solver' is missing/);
    expectRefusal(() => NMF.fromJSON({ ...nmf, params: { ...nmf.params, maxIter: 0 } }), 'params.maxIter', /The saved NMF's params: The 'maxIter' parameter of NMF must be an int in the range \[1, inf\)\. Got 0 instead/);
    expectRefusal(() => NMF.fromJSON({ ...nmf, params: { ...nmf.params, learningRate: 1 } }), 'params.learningRate', /Unknown option 'learningRate'/);
    expectRefusal(() => NMF.fromJSON({ ...nmf, params: { ...nmf.params, signal: {} } }), 'params.signal', /never saved/);
    expectRefusal(() => NMF.fromJSON({ ...nmf, params: { ...nmf.params, nComponents: 3 } }), 'fitted.nComponentsOut', /must equal params\.nComponents \(3\)\. Got 2/);
  });

  it('options of fromJSON: only where and how it runs', async () => {
    const { nmf, mb } = await saved();
    expectRefusal(() => NMF.fromJSON(nmf, { maxIter: 5 } as never), 'maxIter', /Unknown option 'maxIter' for NMF\.fromJSON\. Valid options are: backend, gpuProfile, device, signal, onProgress, onWarning, verbose, checkEvery/);
    expectRefusal(() => NMF.fromJSON(nmf, { backend: 'gpu' as never }), 'backend', /The 'backend' parameter of NMF must be a str among/);
    expectRefusal(() => MiniBatchNMF.fromJSON(mb, { checkEvery: 2 } as never), 'checkEvery', /Valid options are: backend, gpuProfile, device, signal, onProgress, onWarning, verbose\./);
  });

  it('missing fields, wrong shape, dtype, data or values of an array', async () => {
    const { nmf, mb } = await saved();
    const fitted = nmf.fitted!;
    const { components: _c, ...noComponents } = fitted;
    expectRefusal(() => NMF.fromJSON({ ...nmf, fitted: noComponents }), 'fitted.components', /'fitted\.components' is missing/);
    expectRefusal(() => NMF.fromJSON({ ...nmf, fitted: { ...fitted, nIter: 1.5 } }), 'fitted.nIter', /must be an int/);
    expectRefusal(() => NMF.fromJSON({ ...nmf, fitted: { ...fitted, reconstructionErr: null } }), 'fitted.reconstructionErr', /must be a finite number\. Got null/);
    const withArray = (a: object) => ({ ...nmf, fitted: { ...fitted, components: { ...fitted.components, ...a } } });
    expectRefusal(() => NMF.fromJSON(withArray({ dtype: 'int32' })), 'fitted.components.dtype', /must be 'float64' or 'float32'\. Got 'int32'/);
    expectRefusal(() => NMF.fromJSON(withArray({ shape: [12, 2] })), 'fitted.components.shape', /must be \[2, 12\]\. Got \[12, 2\]/);
    expectRefusal(() => NMF.fromJSON(withArray({ dtype: 'float32' })), 'fitted.components.data', /must hold 24 float32 values \(96 bytes\)\. Got 192 bytes/);
    expectRefusal(() => NMF.fromJSON(withArray({ data: '***' })), 'fitted.components.data', /is not valid base64/);
    expectRefusal(() => NMF.fromJSON(withArray({ data: btoa(String.fromCharCode(...new Uint8Array(Float64Array.from({ length: 24 }, (_, i) => (i === 5 ? -1 : 1)).buffer))) })), 'fitted.components.data', /finite, non-negative values\. Got -1 at flat index 5/);
    const mbFitted = mb.fitted!;
    const { componentsDenominator: _d, ...noB } = mbFitted;
    expectRefusal(() => MiniBatchNMF.fromJSON({ ...mb, fitted: noB }), 'fitted.componentsDenominator', /is missing/);
    expectRefusal(() => MiniBatchNMF.fromJSON({ ...mb, fitted: { ...mbFitted, rho: 0 } }), 'fitted.rho', /must be in the range \(0, 1\]/);
  });

  it('a TfidfVectorizer with a bad vocabulary, idf or pattern', () => {
    const v = new TfidfVectorizer();
    v.fit(['alpha beta', 'beta gamma']);
    const s = roundTrip(v);
    expectRefusal(() => TfidfVectorizer.fromJSON({ ...s, fitted: { ...s.fitted, featureNames: ['alpha', 'alpha', 'gamma'] } }), 'fitted.featureNames', /must not repeat a term/);
    expectRefusal(() => TfidfVectorizer.fromJSON({ ...s, fitted: { ...s.fitted, featureNames: ['alpha', 'beta'] } }), 'fitted.idf.shape', /must be \[2\]\. Got \[3\]/);
    expectRefusal(() => TfidfVectorizer.fromJSON({ ...s, params: { ...s.params, tokenPattern: { source: '(', flags: 'g' } } }), 'params.tokenPattern', /not a valid regular expression/);
    expectRefusal(() => TfidfVectorizer.fromJSON({ ...s, params: { ...s.params, tokenPattern: { source: '\\w+', flags: '' } } }), 'params.tokenPattern', /The saved TfidfVectorizer's params: The 'tokenPattern' parameter of TfidfVectorizer must be a RegExp with the global flag/);
    expectRefusal(() => TfidfVectorizer.fromJSON({ ...s, params: { ...s.params, norm: 'l3' } }), 'params.norm', /'norm' parameter/);
  });
});
