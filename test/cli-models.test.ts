// The CLI's model files: `fit --save` and `topics --save` write what NMF.fromJSON, MiniBatchNMF.fromJSON
// and TfidfVectorizer.fromJSON read, and `webnmf transform` gives the library's transform of new data
// under them, bit for bit on the CPU; a damaged or foreign file is one line on stderr.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseNpy } from '../src/cli/npy.js';
import { MiniBatchNMF, NMF, TfidfVectorizer } from '../src/index.js';
import { splitParagraphs } from '../src/text/documents.js';
import { webnmf } from './support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'webnmf-cli-models-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const path = (name: string) => join(dir, name);
const readJson = (name: string) => JSON.parse(readFileSync(path(name), 'utf8'));
const readW = (out: string) => parseNpy(readFileSync(join(out, 'W.npy')), 'W.npy');

const rows = Array.from({ length: 24 }, (_, i) => Array.from({ length: 6 }, (_, j) => ((i * 5 + j * 7) % 13) / 4 + (i % 3 === j % 3 ? 2 : 0)));
writeFileSync(path('X.csv'), rows.map((r) => r.join(',')).join('\n') + '\n');
const newRows = rows.slice(0, 5).map((r) => r.map((v) => v * 1.5));
writeFileSync(path('new.csv'), newRows.map((r) => r.join(',')).join('\n') + '\n');

describe('fit --save, then transform', () => {
  it('NMF: the file is NMF#toJSON (backend as asked), and transform writes the library’s W', async () => {
    const fit = await webnmf('fit', path('X.csv'), '--n-components', '3', '--solver', 'mu', '--init', 'random', '--random-state', '0', '--save', path('nmf.json'));
    expect(fit.code, fit.stderr).toBe(0);
    expect(fit.stdout).toContain(`saved the model to ${path('nmf.json')}`);
    const saved = readJson('nmf.json');
    expect([saved.format, saved.params.backend, saved.fitted.nComponentsOut]).toEqual(['webnmf.NMF', 'auto', 3]);

    const run = await webnmf('transform', path('nmf.json'), path('new.csv'), '--backend', 'cpu', '--out', path('out-nmf'));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('W: 5 × 3, under the 3 components of');
    const want = await NMF.fromJSON(saved, { backend: 'cpu' }).transform(newRows);
    expect(Array.from(readW(path('out-nmf')).data)).toEqual(Array.from(want.data));
    // the same model fitted by the library: the file holds what fit learned
    const model = new NMF({ nComponents: 3, solver: 'mu', init: 'random', randomState: 0, backend: 'cpu', onWarning: () => {} });
    await model.fit(rows);
    expect(saved.fitted.components).toEqual(model.toJSON().fitted!.components);
  });

  it('MiniBatchNMF (--minibatch): the file continues partialFit; transform reads it', async () => {
    const fit = await webnmf('fit', path('X.csv'), '--minibatch', '--batch-size', '8', '--n-components', '2', '--random-state', '1', '--max-iter', '5', '--backend', 'cpu', '--save', path('mb.json'));
    expect(fit.code, fit.stderr).toBe(0);
    const saved = readJson('mb.json');
    expect([saved.format, saved.params.backend, saved.fitted.componentsNumerator.shape]).toEqual(['webnmf.MiniBatchNMF', 'cpu', [2, 6]]);
    const run = await webnmf('transform', path('mb.json'), path('new.csv'), '--out', path('out-mb'));
    expect(run.code, run.stderr).toBe(0);
    expect(Array.from(readW(path('out-mb')).data)).toEqual(Array.from((await MiniBatchNMF.fromJSON(saved).transform(newRows)).data));
  });
});

describe('topics --save, then transform new text', () => {
  const pets = 'cats dogs kittens puppies leash whiskers fur vet'.split(' ');
  const money = 'stocks bonds markets prices inflation dividends traders shares'.split(' ');
  const paragraphs = Array.from({ length: 30 }, (_, i) => Array.from({ length: 12 }, (_, j) => (i % 2 ? money : pets)[(i * 3 + j * 5) % 8]).join(' '));
  writeFileSync(path('corpus.txt'), paragraphs.join('\n\n'));
  writeFileSync(path('fresh.txt'), 'my kittens and puppies at the vet\n\nbond prices and inflation worry traders\n\nnothing we know');

  it('the file holds the vectorizer and the NMF; transform prints each document’s topics and writes W', async () => {
    const fit = await webnmf('topics', path('corpus.txt'), '--n-components', '2', '--min-df', '1', '--backend', 'cpu', '--save', path('topics.json'));
    expect(fit.code, fit.stderr).toBe(0);
    const saved = readJson('topics.json');
    expect(Object.keys(saved)).toEqual(['format', 'version', 'vectorizer', 'model']);
    expect([saved.format, saved.version, saved.vectorizer.format, saved.model.format]).toEqual(['webnmf.TopicModel', 1, 'webnmf.TfidfVectorizer', 'webnmf.NMF']);

    const run = await webnmf('transform', path('topics.json'), path('fresh.txt'), '--top-topics', '1', '--out', path('out-topics'));
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split('\n').filter((l) => l.startsWith('document'));
    expect(lines).toHaveLength(3);
    const theme = (line: string) => (pets.some((w) => line.includes(` ${w}`)) ? 'pets' : money.some((w) => line.includes(` ${w}`)) ? 'money' : 'none');
    expect(lines.map(theme)).toEqual(['pets', 'money', 'none']);
    expect(lines[2]).toMatch(/document 3: no known words/);
    // the library's recipe on the same file gives the same W
    const vectorizer = TfidfVectorizer.fromJSON(saved.vectorizer);
    const W = await NMF.fromJSON(saved.model).transform(vectorizer.transform(splitParagraphs(readFileSync(path('fresh.txt'), 'utf8'))));
    expect(Array.from(readW(path('out-topics')).data)).toEqual(Array.from(W.data));
  });
});

describe('bad model files and flags: one line, a non-zero exit', () => {
  it.each([
    ['--save with --no-update-h', ['fit', 'X.csv', '--no-update-h', '--H', 'X.csv', '--save', 'm.json'], 2, /--save saves a fitted model; --no-update-h learns none/],
    ['--save into a missing directory', ['fit', 'X.csv', '--save', 'nowhere/m.json'], 2, /--save: the directory of .*nowhere\/m\.json does not exist/],
    ['a file that is not a model', ['transform', 'X.csv', 'new.csv'], 1, /X\.csv: not a model file \(not JSON/],
    ['a JSON file of another kind', ['transform', 'other.json', 'new.csv'], 1, /other\.json: not a model file of webnmf fit --save or webnmf topics --save \(its format is "x"\)/],
    ['a model of a newer webnmf', ['transform', 'newer.json', 'new.csv'], 1, /newer\.json: This NMF was saved in format version 2, by a newer webnmf/],
    ['a damaged array', ['transform', 'damaged.json', 'new.csv'], 1, /damaged\.json: The saved NMF's 'fitted\.components\.shape' must be \[3, 6\]/],
    ['data with other features', ['transform', 'nmf.json', 'wide.csv'], 1, /wide\.csv: X has 7 features, but NMF is expecting 6 features as input\./],
    ['no data', ['transform', 'nmf.json'], 2, /transform takes a model file and the data to transform/],
  ])('%s', async (_name, args, code, message) => {
    writeFileSync(path('other.json'), '{"format":"x"}');
    const nmf = readJson('nmf.json');
    writeFileSync(path('newer.json'), JSON.stringify({ ...nmf, version: 2 }));
    writeFileSync(path('damaged.json'), JSON.stringify({ ...nmf, fitted: { ...nmf.fitted, components: { ...nmf.fitted.components, shape: [6, 3] } } }));
    writeFileSync(path('wide.csv'), '1,2,3,4,5,6,7\n');
    const run = await webnmf(...args.map((a) => (/\.(csv|json)$/.test(a) ? path(a) : a)));
    expect(run.code).toBe(code);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(message);
  });
});
