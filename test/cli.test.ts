// The `webnmf` command, run from source as a user would (node --import tsx src/cli/main.ts …):
// fit on .csv, .mtx and .npy files reproduces the library's own result bit for bit (seeded: the
// nndsvd inits' randomized SVD draws from an unseeded generator otherwise, as in scikit-learn) and
// writes W and H that read back exactly; topics prints topics; every bad input is one line on stderr and a non-zero exit.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { webnmf, type Run } from './support/cli.js';
import { parseCsv } from '../src/cli/csv.js';
import { parseNpy } from '../src/cli/npy.js';
import { progressBar } from '../src/cli/progress.js';
import { NMF, nonNegativeFactorization, type DenseMatrix } from '../src/index.js';
import type { CsrMatrix } from '../src/matrix/matrix.js';

const dir = mkdtempSync(join(tmpdir(), 'webnmf-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** A .npy file as numpy writes one (version 1.0, header padded to 64 bytes). */
function npy(descr: string, fortran: boolean, shape: number[], bytes: Uint8Array): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const out = new Uint8Array(10 + header.length + bytes.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  out.set(new TextEncoder().encode(header), 10);
  out.set(bytes, 10 + header.length);
  return out;
}

/** A deterministic non-negative m × n matrix with some zeros (no Math.random: reruns agree). */
function sample(m: number, n: number, zeroEvery = 0): DenseMatrix<Float64Array> {
  const data = new Float64Array(m * n);
  let s = 12345;
  for (let p = 0; p < data.length; p++) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    data[p] = zeroEvery > 0 && s % zeroEvery === 0 ? 0 : (s % 1000) / 100;
  }
  return { rows: m, cols: n, data };
}

function toCsr(X: DenseMatrix): CsrMatrix {
  const indptr = [0];
  const indices: number[] = [];
  const data: number[] = [];
  for (let i = 0; i < X.rows; i++) {
    for (let j = 0; j < X.cols; j++) {
      if (X.data[i * X.cols + j] !== 0) {
        indices.push(j);
        data.push(X.data[i * X.cols + j]);
      }
    }
    indptr.push(indices.length);
  }
  return { rows: X.rows, cols: X.cols, indptr: Int32Array.from(indptr), indices: Int32Array.from(indices), data: Float64Array.from(data) };
}

/** W and H as the CLI wrote them, each read back from both its .npy and its .csv. */
function written(out: string) {
  const read = (name: string) => {
    const fromNpy = parseNpy(readFileSync(join(out, `${name}.npy`)), name);
    const fromCsv = parseCsv(readFileSync(join(out, `${name}.csv`), 'utf8'), name);
    expect(fromNpy.dtype, `${name}.npy holds float64 on the CPU`).toBe('float64');
    expect(Array.from(fromCsv.data), `${name}.csv and ${name}.npy agree to the last bit`).toEqual(Array.from(fromNpy.data));
    return fromNpy;
  };
  return { W: read('W'), H: read('H') };
}

function expectSame(got: DenseMatrix, want: DenseMatrix, what: string) {
  expect([got.rows, got.cols], `${what}: shape`).toEqual([want.rows, want.cols]);
  expect(Array.from(got.data), `${what}: values`).toEqual(Array.from(want.data));
}

function expectOk(r: Run) {
  expect(r.stderr.split('\n')[0], `stderr was: ${r.stderr}`).toMatch(/^webnmf: running on cpu \(float64\)/);
  expect(r.code, `stderr was: ${r.stderr}`).toBe(0);
}

describe('webnmf fit', () => {
  it('a CSV with a header: W and H round-trip through .npy and .csv, equal to the library\'s fit', async () => {
    const X = file('doc.csv', 'a,b\n1,1\n2,1\n3,1.2\n4,1\n5,0.8\n6,1\n');
    const out = join(dir, 'out-csv');
    const r = await webnmf('fit', X, '--n-components', '2', '--init', 'random', '--random-state', '0', '--backend', 'cpu', '--out', out);
    expectOk(r);
    expect(r.stdout).toContain('X: 6 × 2, dense, CSV with a header');
    expect(r.stdout).toContain('30 iterations');
    const { W, H } = written(out);
    const model = new NMF({ nComponents: 2, init: 'random', randomState: 0, backend: 'cpu' });
    expectSame(W, await model.fitTransform([[1, 1], [2, 1], [3, 1.2], [4, 1], [5, 0.8], [6, 1]]), 'W');
    expectSame(H, model.components!, 'H');
    // scikit-learn's documented result for this example
    expect(Array.from(H.data, (v) => +v.toFixed(5))).toEqual([2.09783, 0.3056, 2.13443, 2.13172]);
  });

  it('a sparse MatrixMarket file (coordinate real), solver mu with the KL loss', async () => {
    const Xd = sample(30, 20, 3);
    const csr = toCsr(Xd);
    const lines = ['%%MatrixMarket matrix coordinate real general', '% written by the webnmf CLI test', `30 20 ${csr.data.length}`];
    // entries in column order, to check the reader sorts them into CSR
    for (let j = 0; j < 20; j++) for (let i = 0; i < 30; i++) if (Xd.data[i * 20 + j] !== 0) lines.push(`${i + 1} ${j + 1} ${Xd.data[i * 20 + j]}`);
    const out = join(dir, 'out-mtx');
    const options = ['--n-components', '3', '--solver', 'mu', '--beta-loss', 'kullback-leibler', '--init', 'nndsvda', '--max-iter', '300', '--random-state', '0', '--backend', 'cpu'];
    const r = await webnmf('fit', file('x.mtx', lines.join('\n') + '\n'), ...options, '--out', out);
    expectOk(r);
    expect(r.stdout).toContain(`X: 30 × 20, sparse (${csr.data.length} stored entries), MatrixMarket`);
    const { W, H } = written(out);
    const model = new NMF({ nComponents: 3, solver: 'mu', betaLoss: 'kullback-leibler', init: 'nndsvda', maxIter: 300, randomState: 0, backend: 'cpu', onWarning: () => {} });
    expectSame(W, await model.fitTransform(csr), 'W');
    expectSame(H, model.components!, 'H');
  });

  it('a dense MatrixMarket array (column-major) and a pattern matrix', async () => {
    const Xd = sample(8, 5);
    const values: string[] = [];
    for (let j = 0; j < 5; j++) for (let i = 0; i < 8; i++) values.push(String(Xd.data[i * 5 + j]));
    const out = join(dir, 'out-array');
    const r = await webnmf('fit', file('a.mtx', `%%MatrixMarket matrix array real general\n8 5\n${values.join('\n')}\n`), '--n-components', '2', '--random-state', '0', '--backend', 'cpu', '--out', out);
    expectOk(r);
    const model = new NMF({ nComponents: 2, randomState: 0, backend: 'cpu' });
    expectSame(written(out).W, await model.fitTransform(Xd), 'W');

    const p = await webnmf('fit', file('p.mtx', '%%MatrixMarket matrix coordinate pattern general\n3 3 4\n1 1\n2 2\n3 3\n1 3\n'), '--n-components', '2', '--backend', 'cpu', '--out', join(dir, 'out-pattern'));
    expectOk(p);
    expect(p.stdout).toContain('X: 3 × 3, sparse (4 stored entries)');
  });

  it('.npy: float32 in Fortran order and int64 in C order', async () => {
    const Xd = sample(12, 6);
    const f32 = new Float32Array(72);
    for (let i = 0; i < 12; i++) for (let j = 0; j < 6; j++) f32[j * 12 + i] = Xd.data[i * 6 + j];
    const out = join(dir, 'out-npy');
    const r = await webnmf('fit', file('f.npy', npy('<f4', true, [12, 6], new Uint8Array(f32.buffer))), '--n-components', '3', '--init', 'nndsvd', '--random-state', '0', '--backend', 'cpu', '--out', out);
    expectOk(r);
    expect(r.stdout).toContain('X: 12 × 6, dense, float32 .npy');
    const asRead = Float64Array.from(Xd.data, (v) => Math.fround(v));
    const model = new NMF({ nComponents: 3, init: 'nndsvd', randomState: 0, backend: 'cpu' });
    expectSame(written(out).W, await model.fitTransform({ rows: 12, cols: 6, data: asRead }), 'W');

    const ints = BigInt64Array.from(Xd.data, (v) => BigInt(Math.round(v)));
    const ri = await webnmf('fit', file('i.npy', npy('<i8', false, [12, 6], new Uint8Array(ints.buffer))), '--n-components', '2', '--random-state', '0', '--backend', 'cpu', '--out', join(dir, 'out-int'));
    expectOk(ri);
    const intModel = new NMF({ nComponents: 2, randomState: 0, backend: 'cpu' });
    expectSame(written(join(dir, 'out-int')).W, await intModel.fitTransform({ rows: 12, cols: 6, data: Float64Array.from(ints, Number) }), 'W');
  });

  it('--W/--H with --init custom, and --no-update-h with --H, as the library', async () => {
    const X = sample(10, 4);
    const W0 = { rows: 10, cols: 2, data: new Float64Array(20).fill(0.5) };
    const H0 = { rows: 2, cols: 4, data: Float64Array.from([1, 0.2, 0.3, 0.4, 0.1, 1, 0.5, 0.2]) };
    const csv = (m: DenseMatrix) => Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)).join(',')).join('\n') + '\n';
    const [x, w, h] = [file('cx.csv', csv(X)), file('w0.csv', csv(W0)), file('h0.csv', csv(H0))];

    const r = await webnmf('fit', x, '--init', 'custom', '--n-components', '2', '--W', w, '--H', h, '--backend', 'cpu', '--out', join(dir, 'out-custom'));
    expectOk(r);
    const custom = await nonNegativeFactorization(X, { init: 'custom', nComponents: 2, W: W0, H: H0, backend: 'cpu' });
    expectSame(written(join(dir, 'out-custom')).W, custom.W, 'W');

    const f = await webnmf('fit', x, '--no-update-h', '--H', h, '--n-components', '2', '--solver', 'mu', '--backend', 'cpu', '--out', join(dir, 'out-fixed'));
    expectOk(f);
    const fixed = await nonNegativeFactorization(X, { H: H0, updateH: false, nComponents: 2, solver: 'mu', backend: 'cpu', onWarning: () => {} });
    const got = written(join(dir, 'out-fixed'));
    expectSame(got.W, fixed.W, 'W');
    expectSame(got.H, H0, 'H (held fixed)');
  });

  it("backend 'auto' says where it runs in the first stderr line; --help prints the flags", async () => {
    const r = await webnmf('fit', file('auto.csv', '1,2\n3,4\n'), '--n-components', '1');
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n')[0]).toMatch(/^webnmf: running on (cpu \(float64\) \('auto'|webgpu: )/);
    // --gpu-profile picks the WebGPU kernel plan, and the first line names it
    const hw = await webnmf('fit', file('plan.csv', '1,2\n3,4\n5,6\n'), '--n-components', '1', '--backend', 'webgpu', '--gpu-profile', 'hardware', '--max-iter', '5');
    expect(hw.code, hw.stderr).toBe(0);
    // (Dawn itself may print driver chatter first, e.g. about XDG_RUNTIME_DIR: the first line of ours)
    expect(hw.stderr.split('\n').find((l) => l.startsWith('webnmf:'))).toMatch(/^webnmf: running on webgpu: .+ \(float32, hardware plan\)$/);
    const bad = await webnmf('fit', file('plan.csv', '1,2\n3,4\n5,6\n'), '--n-components', '1', '--backend', 'webgpu', '--gpu-profile', 'fast');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/The 'gpuProfile' parameter of NMF must be a str among \{'auto', 'hardware', 'software'\}. Got 'fast' instead./);
    const help = await webnmf('fit', '--help');
    expect(help.code).toBe(0);
    for (const flag of ['--n-components', '--init', '--solver', '--beta-loss', '--tol', '--max-iter', '--alpha-w', '--alpha-h', '--l1-ratio', '--random-state', '--shuffle', '--verbose', '--backend', '--gpu-profile', '--check-every', '--out', '--no-update-h']) {
      expect(help.stdout).toContain(flag);
    }
  });
});

describe('webnmf topics', () => {
  const paragraphs = [
    'The cat sat on the mat. Cats like warm mats and milk.',
    'Dogs chase cats. A dog barks at the cat on the mat.',
    'Stocks fell as markets worried about interest rates and inflation.',
    'The central bank raised interest rates; markets and stocks fell.',
    'Milk and warm mats make a cat happy. The dog wants milk too.',
    'Inflation and rates worry markets; the bank may raise rates again.',
  ];
  const topicLines = (stdout: string) => stdout.split('\n').filter((l) => /^Topic #\d+:/.test(l));

  it('one document per file, or per paragraph of a single file', async () => {
    const files = paragraphs.map((p, i) => file(`doc${i}.txt`, p));
    const r = await webnmf('topics', ...files, '--n-components', '2', '--min-df', '1', '--top-words', '4', '--backend', 'cpu');
    expectOk(r);
    expect(r.stdout).toContain('6 documents (one per file) from 6 files');
    const topics = topicLines(r.stdout).map((l) => l.replace(/^Topic #\d+:\s*/, '').split(' '));
    expect(topics).toHaveLength(2);
    topics.forEach((words) => expect(words).toHaveLength(4));
    // one topic is about pets, the other about money
    const pets = topics.findIndex((words) => words.some((w) => /cat|dog|milk|mat/.test(w)));
    expect(topics[1 - pets].some((w) => /rates|markets|stocks|bank|inflation/.test(w))).toBe(true);

    const single = await webnmf('topics', file('all.txt', paragraphs.join('\n\n')), '--n-components', '2', '--min-df', '1', '--backend', 'cpu');
    expectOk(single);
    expect(single.stdout).toContain('6 paragraphs from');
    expect(topicLines(single.stdout)).toHaveLength(2);
  });

  it('with no files: the embedded State of the Union corpus (npm start)', async () => {
    const r = await webnmf('topics');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.split('\n')[0]).toMatch(/^webnmf: running on /);
    expect(r.stdout).toMatch(/233 State of the Union addresses \(1790–2021\), cut into \d+ passages/);
    expect(r.stdout).toMatch(/TF-IDF: \d+ documents × 1000 terms/);
    const topics = topicLines(r.stdout);
    expect(topics).toHaveLength(10);
    for (const line of topics) expect(line.split(/\s+/).length, line).toBeGreaterThan(5);
    expect(r.stdout).toMatch(/\b(war|army|navy)\b/);
  }, 180_000);
});

describe.concurrent('bad input: one line on stderr, a non-zero exit, no stack trace', () => {
  mkdirSync(join(dir, 'a-directory.csv'), { recursive: true });
  const npyTruncated = npy('<f8', false, [3, 4], new Uint8Array(80));
  const zeroLink = (name: string) => {
    const path = join(dir, name);
    rmSync(path, { force: true });
    symlinkSync('/dev/zero', path);
    return path;
  };
  const wideCsv = () => file('wide.csv', `${Array(200000).fill('1').join(',')}\n`);
  const outWithDirectory = () => {
    const out = join(dir, 'out-blocked');
    mkdirSync(join(out, 'W.npy'), { recursive: true });
    return out;
  };
  /** [name, args, the message, exit code, text the output must NOT hold (e.g. a fit's summary, or a flag wrongly blamed)] */
  const cases: [string, () => string[], string, number?, string?][] = [
    ['missing file', () => ['fit', join(dir, 'nope.csv')], 'nope.csv: no such file', 1],
    ['a directory', () => ['fit', join(dir, 'a-directory.csv')], 'is a directory'],
    ['empty file', () => ['fit', file('empty.csv', '')], 'the file is empty'],
    ['header only', () => ['fit', file('header.csv', 'a,b,c\n')], 'no data rows'],
    ['ragged csv', () => ['fit', file('ragged.csv', '1,2,3\n4,5,6\n7,8\n')], 'ragged rows: line 3 has 2 values, but line 1 has 3'],
    ['non-numeric csv', () => ['fit', file('text.csv', 'x,y\n1,2\n3,abc\n')], "line 3, column 2: 'abc' is not a number"],
    ['empty csv field', () => ['fit', file('hole.csv', '1,2\n3,\n')], 'line 2, column 2: an empty field'],
    ['negative value', () => ['fit', file('neg.csv', '1,2\n3,-1\n')], 'neg.csv: Negative values in data', 1],
    ['NaN', () => ['fit', file('nan.csv', '1,2\n3,nan\n')], 'contains NaN'],
    ['bad mtx header', () => ['fit', file('bad.mtx', '%%MatrixMarket tensor coordinate real general\n1 1 1\n1 1 1\n')], "object 'tensor' is not supported"],
    ['mtx without banner', () => ['fit', file('nobanner.mtx', '2 2 1\n1 1 1\n')], 'bad MatrixMarket header'],
    ['mtx complex', () => ['fit', file('complex.mtx', '%%MatrixMarket matrix coordinate complex general\n1 1 1\n1 1 1 0\n')], "field 'complex' is not supported"],
    ['truncated mtx', () => ['fit', file('short.mtx', '%%MatrixMarket matrix coordinate real general\n3 3 3\n1 1 1\n2 2 1\n')], 'declares 3 entries, but 2 follow'],
    ['mtx index out of range', () => ['fit', file('range.mtx', '%%MatrixMarket matrix coordinate real general\n2 2 1\n3 1 1\n')], 'outside the 2 × 2 matrix'],
    ['truncated npy', () => ['fit', file('short.npy', npyTruncated)], 'truncated: the header promises 3 × 4 float64 values (96 bytes), but 80 bytes'],
    ['npy header cut', () => ['fit', file('cut.npy', npyTruncated.subarray(0, 40))], 'ends inside its header'],
    ['not an npy', () => ['fit', file('fake.npy', 'hello world, no magic here')], 'magic string'],
    ['1-D npy', () => ['fit', file('vec.npy', npy('<f8', false, [2], new Uint8Array(16)))], 'expected a 2-D array (samples × features), got shape (2,)'],
    ['unknown file type', () => ['fit', file('x.txt', '1,2\n')], "unknown file type '.txt'"],
    ['bad flag value', () => ['fit', file('ok1.csv', '1,2\n3,4\n'), '--max-iter', '0'], "--max-iter: The 'maxIter' parameter of NMF must be an int in the range [1, inf). Got 0 instead.", 2],
    ['bad enum value', () => ['fit', file('ok2.csv', '1,2\n3,4\n'), '--solver', 'newton'], "--solver: The 'solver' parameter of NMF must be a str among {'cd', 'mu', 'pg'}. Got 'newton' instead."],
    ['non-numeric flag value', () => ['fit', file('ok3.csv', '1,2\n3,4\n'), '--n-components', 'many'], "Got 'many' instead."],
    ['solver and loss that do not go together', () => ['fit', file('ok4.csv', '1,2\n3,4\n'), '--beta-loss', 'kullback-leibler'], "solver 'cd' does not handle betaLoss"],
    ['unknown flag', () => ['fit', file('ok5.csv', '1,2\n3,4\n'), '--colour', 'blue'], "unknown option '--colour'", 2],
    ['flag without its value', () => ['fit', file('ok6.csv', '1,2\n3,4\n'), '--max-iter'], "'--max-iter <value>' argument missing", 2],
    ['no file', () => ['fit'], 'fit takes exactly one data file', 2],
    ['unknown command', () => ['factor', 'x.csv'], "unknown command 'factor'", 2],
    ['--out is a file', () => ['fit', file('ok8.csv', '1,2\n3,4\n'), '--n-components', '1', '--out', file('taken', 'x')], '--out: cannot create the directory', 2],
    ['--no-update-h without --H', () => ['fit', file('ok7.csv', '1,2\n3,4\n'), '--no-update-h'], '--no-update-h holds H fixed'],
    ['topics: missing file', () => ['topics', join(dir, 'missing.txt')], 'missing.txt: no such file'],
    ['topics: bad --top-words', () => ['topics', '--top-words', '0'], "--top-words must be an integer >= 1. Got '0' instead."],
    ['topics: bad --max-df', () => ['topics', '--max-df', '2.5'], "--max-df: The 'maxDf' parameter of TfidfVectorizer must be"],
    ['topics: only stop words', () => ['topics', file('stop.txt', 'the and of\n\nit is to'), '--min-df', '1'], 'empty vocabulary'],
    // a first row with numbers and an empty or bad field is data with an error, not a header
    ['csv first row with an empty field', () => ['fit', file('first-hole.csv', '1,,2\n3,4,5\n')], 'line 1, column 2: an empty field', 1],
    ['csv first row with a bad field', () => ['fit', file('first-bad.csv', '1,x,2\n3,4,5\n')], "line 1, column 2: 'x' is not a number", 1],
    ['--minibatch: csv first row with an empty field', () => ['fit', file('mb-first-hole.csv', '1,,2\n3,4,5\n'), '--minibatch'], 'line 1, column 2: an empty field', 1],
    // --minibatch: a data error names the file once and is a data error (exit 1), not a flag
    ['--minibatch: NaN', () => ['fit', file('mb-nan.csv', '1,2\n3,nan\n'), '--minibatch'], 'mb-nan.csv: Input X contains NaN', 1, '--'],
    ['--minibatch: negative value', () => ['fit', file('mb-neg.csv', '1,2\n3,-1\n'), '--minibatch'], 'mb-neg.csv: Negative values in data passed to X', 1],
    ['--minibatch: ragged csv', () => ['fit', file('mb-ragged.csv', '1,2,3\n4,5\n'), '--minibatch'], 'ragged rows: line 2 has 2 values, but line 1 has 3', 1],
    // --minibatch trusts the extension as a whole-file read does: a broken .npy is a broken .npy
    ['--minibatch: not an npy', () => ['fit', file('mb-fake.npy', 'hello world, no magic here'), '--minibatch'], 'not a readable .npy file', 1, 'header'],
    ['--minibatch: truncated npy', () => ['fit', file('mb-short.npy', npyTruncated), '--minibatch'], 'truncated', 1],
    ['--minibatch: an mtx without its banner', () => ['fit', file('mb-nobanner.mtx', '2 2 1\n1 1 1\n'), '--minibatch'], 'bad MatrixMarket header', 1],
    // topics blames what is wrong, not a flag the user never gave
    ['topics: a binary file', () => ['topics', file('binary.txt', new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 0, 0, 65, 66]))], 'is not a text file', 1, '--max-df'],
    ['topics: one paragraph, --min-df 2', () => ['topics', file('one-paragraph.txt', 'Cats and dogs and birds.')], '1 document, but --min-df 2', 1, '--max-df'],
    ['topics: --max-features 1', () => ['topics', '--max-features', '1'], '--n-components 10: the vocabulary has 1 term (--max-features 1)', 2, '--init'],
    // --out is checked before the fit, not after it ran
    ['--out W.npy is a directory', () => ['fit', file('ok9.csv', '1,2\n3,4\n'), '--n-components', '1', '--out', outWithDirectory()], 'is a directory, so it cannot be written', 2, 'NMF:'],
    // inputs that ask for more memory than there is are refused before anything is allocated
    ['mtx declaring 500000000 × 2 (70 bytes)', () => ['fit', file('huge.mtx', '%%MatrixMarket matrix coordinate real general\n500000000 2 1\n1 1 1\n')], '500000000 × 2', 1, 'X:'],
    ['mtx declaring 3e9 rows', () => ['fit', file('huger.mtx', '%%MatrixMarket matrix coordinate real general\n3000000000 2 1\n1 1 1\n')], 'at most 2147483647 rows and columns', 1],
    ['mtx array declaring 100000 × 100000', () => ['fit', file('huge-array.mtx', '%%MatrixMarket matrix array real general\n100000 100000\n1\n')], '100000 × 100000', 1],
    ['--minibatch: mtx declaring 1e11 × 1e11', () => ['fit', file('mb-huge.mtx', '%%MatrixMarket matrix coordinate real general\n100000000000 100000000000 1\n1 1 1\n'), '--minibatch'], 'at most 2147483647 rows and columns', 1],
    ['a link to /dev/zero', () => ['fit', zeroLink('zero.csv')], 'is a device, not a regular file', 1],
    ['--minibatch: a link to /dev/zero', () => ['fit', zeroLink('mb-zero.csv'), '--minibatch'], 'is a device, not a regular file', 1],
    ['a 1 × 200000 csv with the default k = n_features', () => ['fit', wideCsv()], '--n-components: nComponents: null means k = 200000 (n_features): H (200000 × 200000)', 2],
    ['--n-components 1e9 on a 1 × 2 csv', () => ['fit', file('tiny.csv', '1,2\n'), '--n-components', '1000000000'], '--n-components: nComponents = 1000000000', 2],
  ];

  it.each(cases.map(([name, args, message, code, absent]) => [name, args, message, code, absent] as const))('%s', async (_, args, message, code, absent) => {
    const [command, ...rest] = args();
    // a case that used to allocate gigabytes or hang is killed well before the test's own timeout
    const r = await webnmf({ killAfterMs: 30_000 }, command, '--backend', 'cpu', ...rest);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines, `stderr: ${r.stderr}`).toHaveLength(1);
    expect(lines[0]).toMatch(/^webnmf: /);
    expect(lines[0]).toContain(message);
    expect(r.code).not.toBe(0);
    expect(r.code, 'killed: still running after 30 s').not.toBeNull();
    if (code !== undefined) expect(r.code).toBe(code);
    if (absent !== undefined) expect(`${r.stdout}${lines[0].replace(/^webnmf: /, '')}`).not.toContain(absent);
    // each file is named at most once in the line
    for (const path of rest.filter((a) => a.startsWith(dir))) expect(lines[0].split(path).length - 1, `${path} named once`).toBeLessThanOrEqual(1);
  });
});

describe('webnmf fit --minibatch', () => {
  it('streams the file in row blocks: H as the library\'s MiniBatchNMF in memory, W by transform', async () => {
    const { MiniBatchNMF } = await import('../src/index.js');
    const X = sample(37, 6);
    const path = file('stream.npy', npy('<f8', false, [37, 6], new Uint8Array(X.data.buffer)));
    const out = join(dir, 'stream-out');
    const r = await webnmf('fit', path, '--minibatch', '--batch-size', '10', '--n-components', '2', '--init', 'random', '--random-state', '3', '--max-iter', '4', '--backend', 'cpu', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/MiniBatchNMF: W 37 × 2, H 2 × 6; \d+ epochs, \d+ steps/);
    const model = new MiniBatchNMF({ nComponents: 2, batchSize: 10, init: 'random', randomState: 3, maxIter: 4, backend: 'cpu', onWarning: () => {} });
    await model.fit(X);
    const H = parseNpy(readFileSync(join(out, 'H.npy')), 'H.npy');
    let diff = 0;
    for (let q = 0; q < H.data.length; q++) diff = Math.max(diff, Math.abs(H.data[q] - model.components!.data[q]));
    expect(diff).toBeLessThan(1e-12);
    const W = parseNpy(readFileSync(join(out, 'W.npy')), 'W.npy');
    const expectedW = await model.transform(X);
    let wdiff = 0;
    for (let q = 0; q < W.data.length; q++) wdiff = Math.max(wdiff, Math.abs(W.data[q] - expectedW.data[q]));
    expect(W.rows).toBe(37);
    expect(wdiff).toBeLessThan(1e-12); // 37 rows fit one block of transform
  });

  it('refuses NMF-only flags, MiniBatchNMF flags without --minibatch, and unstreamable files', async () => {
    const path = file('mb.csv', '1,2\n3,4\n5,6\n');
    let r = await webnmf('fit', path, '--minibatch', '--solver', 'mu');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/Unknown option 'solver' for MiniBatchNMF/);
    r = await webnmf('fit', path, '--batch-size', '2');
    expect(r.stderr).toMatch(/--batch-size is a MiniBatchNMF option: add --minibatch/);
    r = await webnmf('fit', file('arr.mtx', '%%MatrixMarket matrix array real general\n2 1\n1\n2\n'), '--minibatch', '--backend', 'cpu');
    expect(r.stderr).toMatch(/cannot be read row by row/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('line endings, Ctrl-C and the progress of a long final solve', () => {
  it('a CSV with CR-only line endings (classic Mac) reads as its rows, whole and --minibatch', async () => {
    const path = file('mac.csv', '1,2\r3,4\r5,6\r');
    const r = await webnmf('fit', path, '--n-components', '1', '--backend', 'cpu');
    expectOk(r);
    expect(r.stdout).toContain('X: 3 × 2, dense, CSV (');
    const m = await webnmf('fit', path, '--minibatch', '--n-components', '1', '--batch-size', '2', '--max-iter', '2', '--backend', 'cpu');
    expect(m.code, m.stderr).toBe(0);
    expect(m.stdout).toContain('X: 3 × 2, streamed in row blocks');
  });

  /**
   * `webnmf ARGS`, interrupted: `times` Ctrl-C, `afterMs` after the first progress line (the backend
   * line goes out with the first report: the fit is running then); and the ms from Ctrl-C to exit.
   */
  async function interrupted(args: string[], { afterMs = 0, times = 1 } = {}) {
    let sentAt = Infinity;
    const run = await webnmf(
      {
        killAfterMs: 120_000,
        onStderr: (text, child) => {
          if (sentAt !== Infinity || !text.includes('running on')) return;
          sentAt = performance.now() + afterMs;
          setTimeout(() => {
            for (let i = 0; i < times; i++) child.kill('SIGINT');
          }, afterMs);
        },
      },
      ...args,
    );
    return { run, msToExit: performance.now() - sentAt };
  }
  const longMiniBatch = (name: string) => {
    const X = sample(3000, 20);
    const path = file(name, npy('<f8', false, [3000, 20], new Uint8Array(X.data.buffer)));
    return ['fit', path, '--minibatch', '--batch-size', '10', '--max-iter', '100000', '--tol', '0', '--max-no-improvement', 'none', '--n-components', '3', '--backend', 'cpu'];
  };

  it('Ctrl-C stops a --minibatch fit: exit 130 and one line, within seconds', async () => {
    const { run: r, msToExit } = await interrupted(longMiniBatch('long.npy'));
    expect(r.code, `stderr: ${r.stderr}`).toBe(130);
    expect(r.stderr.trimEnd().split('\n').at(-1)).toBe('webnmf: interrupted');
    expect(msToExit, 'ms from Ctrl-C to exit').toBeLessThan(10_000);
  });

  it('Ctrl-C stops a WebGPU fit (tol 0, nothing read back) within seconds: little GPU work was queued', async () => {
    const path = file('gpu-long.csv', Array.from({ length: 64 }, (_, i) => Array.from({ length: 40 }, (_, j) => ((i * 7 + j * 3) % 11) + 1).join(',')).join('\n'));
    // 8 s into the fit the host could have queued a minute of iterations (before the pacing: 41 s
    // from Ctrl-C to exit; now well under a second)
    const { run: r, msToExit } = await interrupted(
      ['fit', path, '--backend', 'webgpu', '--solver', 'mu', '--n-components', '5', '--tol', '0', '--max-iter', '1000000', '--check-every', '10'],
      { afterMs: 8000 },
    );
    expect(r.code, `stderr: ${r.stderr}`).toBe(130);
    expect(r.stderr.trimEnd().split('\n').at(-1)).toBe('webnmf: interrupted');
    expect(msToExit, 'ms from Ctrl-C to exit').toBeLessThan(5_000);
  }, 150_000);

  it('a second Ctrl-C leaves at once, with a line that says so', async () => {
    const { run: r } = await interrupted(longMiniBatch('long2.npy'), { times: 2 });
    expect(r.code, `stderr: ${r.stderr}`).toBe(130);
    expect(r.stderr.trimEnd().split('\n').at(-1)).toMatch(/^webnmf: interrupted/);
  });

  it("the progress bar shows 'pg''s final W solve, which can take as long as the fit", () => {
    let out = '';
    const stream = Object.assign(Object.create(process.stderr), {
      isTTY: true,
      columns: 120,
      write: (chunk: string) => ((out += chunk), true),
      cursorTo: () => true,
      clearLine: () => true,
      moveCursor: () => true,
    }) as NodeJS.WriteStream;
    const bar = progressBar(3, stream);
    bar.update({ iteration: 3, violation: 0.5, elapsedMs: 10 });
    bar.update({ iteration: 3, nlsIteration: 17, elapsedMs: 20 });
    bar.stop();
    expect(out).toContain('W subproblem, iteration 17');
  });
});

describe('webnmf fit --backend gpujs', () => {
  it('runs on gpu.js (WebAssembly in Node) and says so', async () => {
    const r = await webnmf('fit', file('g.csv', '1,2,3\n2,1,0.5\n3,3,1\n0.2,1,2\n'), '--backend', 'gpujs', '--n-components', '2', '--max-iter', '20');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.split('\n')[0]).toMatch(/^webnmf: running on gpujs \(webasm(, \d+ threads)?\)$/);
    expect(r.stdout).toMatch(/NMF: W 4 × 2, H 2 × 3; 20 iterations/);
  });
});
