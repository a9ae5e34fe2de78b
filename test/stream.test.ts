// Streaming: row blocks read from files chunk by chunk (rowBlocks), and MiniBatchNMF fitted and
// applied from such streams without holding X, matching the in-memory MiniBatchNMF.

import { mkdtempSync, openAsBlob, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MiniBatchNMF, rowBlocks, type DenseMatrix } from '../src/index.js';
import { formatCsv } from '../src/cli/csv.js';
import { formatNpy } from '../src/cli/npy.js';
import { isCsr, toDense } from '../src/matrix/matrix.js';
import { concatRows } from '../src/stream/row-source.js';
import { relativeError } from './support/cases.js';
import { seededMatrix, toCsr } from './support/matrices.js';

const dir = mkdtempSync(join(tmpdir(), 'webnmf-stream-'));

const matrix = (rows: number, cols: number, seed: number, zeros = 0) => seededMatrix(rows, cols, seed, { zeros });

function mtxText(X: DenseMatrix<Float64Array>): string {
  const lines: string[] = [];
  for (let i = 0; i < X.rows; i++) for (let j = 0; j < X.cols; j++) if (X.data[i * X.cols + j] !== 0) lines.push(`${i + 1} ${j + 1} ${X.data[i * X.cols + j]}`);
  return `%%MatrixMarket matrix coordinate real general\n% written by the test\n${X.rows} ${X.cols} ${lines.length}\n${lines.join('\n')}\n`;
}

/** A .npy whose header says Fortran order (the header text is ASCII, so bytes can be patched in place). */
function fortranNpy(): Uint8Array {
  const bytes = formatNpy(matrix(4, 3, 2));
  const at = new TextDecoder('latin1').decode(bytes).indexOf("'fortran_order': False");
  bytes.set(new TextEncoder().encode("'fortran_order': True "), at);
  return bytes;
}

async function file(name: string, content: string | Uint8Array): Promise<Blob> {
  const path = join(dir, name);
  writeFileSync(path, content);
  return openAsBlob(path);
}

async function collect<T>(blocks: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const b of blocks) out.push(b);
  return out;
}

describe('rowBlocks reads files in row blocks', () => {
  // 3000 × 37 float64 is 888 kB: many chunks of blob.stream(), and rows that straddle chunks
  const X = matrix(3000, 37, 1, 0.3);

  it.each([
    ['npy float64', () => formatNpy(X)],
    ['npy float32', () => formatNpy({ rows: X.rows, cols: X.cols, data: Float32Array.from(X.data) })],
    ['csv', () => formatCsv(X)],
    ['tsv with a header', () => Array.from({ length: 37 }, (_, j) => `f${j}`).join('\t') + '\n' + formatCsv(X).replaceAll(',', '\t')],
    ['mtx', () => mtxText(X)],
  ])('%s', async (label, content) => {
    const blob = await file(label.replaceAll(' ', '_'), content());
    for (const rowsPerBlock of [1000, 7, 5000]) {
      const blocks = await collect(rowBlocks(blob, { rowsPerBlock }));
      expect(blocks.slice(0, -1).every((b) => b.rows === Math.min(rowsPerBlock, 3000))).toBe(true);
      const whole = toDense(concatRows(blocks));
      const f32 = label.includes('float32');
      expect(relativeError(whole, X), `${label}, ${rowsPerBlock} rows per block`).toBeLessThan(f32 ? 1e-7 : 1e-15);
      expect(isCsr(blocks[0])).toBe(label === 'mtx');
    }
    // a second pass reads the file again
    expect((await collect(rowBlocks(blob))).reduce((s, b) => s + b.rows, 0)).toBe(3000);
  });

  it.each([
    ['npy in Fortran order', () => fortranNpy(), /Fortran/],
    ['truncated npy', () => formatNpy(matrix(40, 3, 2)).slice(0, 300), /truncated: the header promises 40 rows/],
    ['mtx not sorted by row', () => '%%MatrixMarket matrix coordinate real general\n3 3 2\n2 1 1.5\n1 1 2\n', /not sorted by row/],
    ['mtx array', () => '%%MatrixMarket matrix array real general\n2 1\n1\n2\n', /column by column/],
    ['ragged csv', () => '1,2\n3\n', /ragged rows: line 2/],
    ['csv with a word', () => '1,2\n3,x\n', /line 2, column 2: 'x' is not a number/],
  ])('%s is refused with a clear error', async (label, content, message) => {
    const blob = await file(label.replaceAll(' ', '_'), content());
    await expect(collect(rowBlocks(blob))).rejects.toThrow(message);
  });
});

describe('MiniBatchNMF on a stream matches MiniBatchNMF in memory', () => {
  const options = { nComponents: 4, batchSize: 50, maxIter: 8, tol: 1e-4, init: 'random' as const, randomState: 3, backend: 'cpu' as const, onWarning: () => {} };

  it.each([
    ['dense .npy', () => matrix(230, 20, 5), (X: DenseMatrix<Float64Array>) => formatNpy(X)],
    ['sparse .mtx', () => matrix(230, 20, 6, 0.6), (X: DenseMatrix<Float64Array>) => mtxText(X)],
  ])('%s', async (label, make, write) => {
    const X = make();
    const Xin = label.includes('mtx') ? toCsr(X) : X;
    const memory = new MiniBatchNMF(options);
    const W = await memory.fitTransform(Xin);

    const blob = await file(`fit-${label.replace(/\W/g, '')}`, write(X));
    // blocks of 33 rows do not line up with batches of 50: the stream is regrouped
    const streamed = await new MiniBatchNMF(options).fit(rowBlocks(blob, { rowsPerBlock: 33 }));
    expect(relativeError(streamed.components!, memory.components!)).toBeLessThan(1e-10);
    expect(streamed.nSteps).toBe(memory.nSteps);
    expect(streamed.nIter).toBe(memory.nIter);
    expect(Math.abs(streamed.reconstructionErr! / memory.reconstructionErr! - 1)).toBeLessThan(1e-10);

    // transformBlocks: block by block, as transform of each block
    const X2 = matrix(70, 20, 9);
    const got = await collect((async function* () { yield* streamed.transformBlocks(rowBlocks(await file(`t-${label.replace(/\W/g, '')}`, formatNpy(X2)), { rowsPerBlock: 30 })); })());
    expect(got.map((b) => b.rows)).toEqual([30, 30, 10]);
    const rowsOf = (A: DenseMatrix<Float64Array>, a: number, b: number) => ({ rows: b - a, cols: A.cols, data: A.data.slice(a * A.cols, b * A.cols) });
    for (const [i, block] of got.entries()) {
      const expected = await memory.transform(rowsOf(X2, i * 30, Math.min(70, i * 30 + 30)));
      expect(relativeError(block as DenseMatrix, expected)).toBeLessThan(1e-10);
    }
    expect(W.rows).toBe(230);
  });

  it('a custom start is taken from W and H as given', async () => {
    const X = matrix(60, 10, 11);
    const W0 = matrix(60, 3, 12), H0 = matrix(3, 10, 13);
    const o = { ...options, nComponents: 3, init: 'custom' as const, batchSize: 25 };
    const memory = new MiniBatchNMF(o);
    await memory.fit(X, { W: W0, H: H0 });
    const streamed = await new MiniBatchNMF(o).fit(() => [X], { W: W0, H: H0 });
    expect(relativeError(streamed.components!, memory.components!)).toBeLessThan(1e-12);
  });

  it('refuses a one-shot generator, init nndsvd, and a source whose passes differ', async () => {
    const X = matrix(20, 5, 14);
    async function* once() { yield X; }
    await expect(new MiniBatchNMF(options).fit(once())).rejects.toThrow(/can be read only once/);
    await expect(new MiniBatchNMF({ ...options, init: 'nndsvda' }).fit(() => [X])).rejects.toThrow(/init='nndsvda' needs all of X at once/);
    let pass = 0;
    const shrinking = () => (pass++ === 0 ? [X] : [{ rows: 10, cols: 5, data: X.data.slice(0, 50) }]);
    await expect(new MiniBatchNMF({ ...options, batchSize: 5 }).fit(shrinking)).rejects.toThrow(/gave 10 rows in epoch 1, not the 20/);
    await expect(new MiniBatchNMF(options).fit(() => [X, matrix(3, 6, 1)])).rejects.toThrow(/has 6 columns, but the blocks before it have 5/);
  });
});
