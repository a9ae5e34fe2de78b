// `webnmf fit FILE`: factor a matrix file, print a summary, write W and H (.npy and .csv) to --out.

import { mkdirSync, openAsBlob, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { toDense, type DenseMatrix } from '../matrix/matrix.js';
import { MiniBatchNMF } from '../minibatch.js';
import { rowBlocks } from '../stream/row-blocks.js';
import { NMF, nonNegativeFactorization } from '../nmf.js';
import type { FactorizationOptions } from '../params.js';
import { formatCsv } from './csv.js';
import { CliError, inFile } from './errors.js';
import { formatNpy } from './npy.js';
import { MINIBATCH_FLAGS, nmfFlagConfig, nmfFlagHelp, nmfOptions } from './options.js';
import { FORMATS, readMatrix } from './read-matrix.js';
import { chooseBackend, fitHooks } from './run-fit.js';

export const FIT_HELP = [
  'Usage: webnmf fit FILE [options]',
  '',
  `Factor the non-negative matrix in FILE (${FORMATS}) as X ≈ W·H with scikit-learn's NMF.`,
  '  .csv/.tsv  dense, one row per line, optional header line, blank and # lines skipped',
  '  .mtx       MatrixMarket: coordinate real|integer|pattern (sparse, kept sparse) or array (dense)',
  '  .npy       2-D float64, float32 or integer array, C or Fortran order',
  '',
  'Options (scikit-learn\'s, kebab-case; defaults as scikit-learn\'s):',
  ...nmfFlagHelp({ 'n-components': 'none', init: 'none', solver: 'cd', 'beta-loss': 'frobenius', tol: '1e-4', 'max-iter': '200', 'alpha-w': '0', 'alpha-h': 'same', 'l1-ratio': '0', 'random-state': 'none', backend: 'auto' }),
  `${'  --W FILE, --H FILE'.padEnd(30)} custom start (with --init custom), or H to hold fixed (with --no-update-h)`,
  `${'  --no-update-h'.padEnd(30)} solve W only, for the H of --H (scikit-learn's update_H=False)`,
  `${'  --minibatch'.padEnd(30)} scikit-learn's MiniBatchNMF, streaming FILE in row blocks (never read whole;`,
  `${''.padEnd(30)} .mtx must be coordinate, sorted by row); W is then transform's, block by block`,
  ...nmfFlagHelp({ 'batch-size': '1024', 'forget-factor': '0.7', 'fresh-restarts-max-iter': '30', 'max-no-improvement': '10' }, MINIBATCH_FLAGS),
  `${'  --out DIR'.padEnd(30)} write W.npy, H.npy, W.csv, H.csv into DIR (float64; float32 from WebGPU)`,
  `${'  -h, --help'.padEnd(30)} this help`,
  '',
  'A progress bar (iteration, loss or violation, ETA if every iteration runs) is drawn on stderr',
  'when it is a terminal; the first stderr line names the backend. Ctrl-C stops the fit.',
].join('\n');

function shape(m: { rows: number; cols: number }): string {
  return `${m.rows} × ${m.cols}`;
}

export async function fitCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    allowNegative: true,
    strict: true,
    options: {
      ...nmfFlagConfig(),
      ...nmfFlagConfig(MINIBATCH_FLAGS),
      minibatch: { type: 'boolean' },
      out: { type: 'string' },
      W: { type: 'string' },
      H: { type: 'string' },
      'update-h': { type: 'boolean', default: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${FIT_HELP}\n`);
    return;
  }
  if (positionals.length !== 1) {
    throw new CliError(`fit takes exactly one data file (${FORMATS}); got ${positionals.length === 0 ? 'none' : positionals.length}. See webnmf fit --help.`, 2);
  }
  const options = nmfOptions(values);
  const updateH = values['update-h'] !== false;
  const minibatchOptions = nmfOptions(values, MINIBATCH_FLAGS);
  if (values.minibatch) {
    if (!updateH) throw new CliError('--minibatch learns H: it cannot be combined with --no-update-h.', 2);
    const run = { ...options, ...minibatchOptions };
    new MiniBatchNMF(run as never); // refuses NMF-only flags (--solver, --shuffle, …) with the library's message
    try {
      return await fitStreamed(positionals[0], values, run);
    } catch (e) {
      throw inFile(e, { X: positionals[0], W: values.W, H: values.H });
    }
  }
  if (Object.keys(minibatchOptions).length > 0) {
    throw new CliError(`--${Object.keys(MINIBATCH_FLAGS).find((f) => (values as Record<string, unknown>)[f] !== undefined)} is a MiniBatchNMF option: add --minibatch.`, 2);
  }
  if (!updateH && !values.H) throw new CliError('--no-update-h holds H fixed: give it with --H FILE.', 2);
  // Check the options before reading anything (the estimator validates them on construction).
  new NMF(options);

  const file = positionals[0];
  const files = { X: file, W: values.W, H: values.H };
  try {
    return await fitFile(file, values, options, updateH);
  } catch (e) {
    throw inFile(e, files);
  }
}

/** --minibatch: MiniBatchNMF from FILE read in row blocks; W by transform, block by block. */
async function fitStreamed(file: string, values: { W?: string; H?: string; out?: string }, options: Record<string, unknown>): Promise<void> {
  makeOutDir(values.out);
  const ext = extname(file).toLowerCase();
  if (!['.csv', '.tsv', '.mtx', '.npy'].includes(ext)) throw new CliError(`${file}: unknown file type '${ext || '(none)'}': expected ${FORMATS}.`);
  let blob: Blob;
  try {
    blob = await openAsBlob(file);
  } catch (e) {
    throw new CliError(`${file}: cannot be read (${(e as Error).message}).`);
  }
  const source = rowBlocks(blob, { name: file, delimiter: ext === '.tsv' ? '\t' : undefined });
  const start = { W: values.W ? toDense(readMatrix(values.W).X) : undefined, H: values.H ? toDense(readMatrix(values.H).X) : undefined };
  const { backend, line } = await chooseBackend(options.backend, options.gpuProfile);
  const hooks = fitHooks(typeof options.maxIter === 'number' ? options.maxIter : 200, line);
  let succeeded = false;
  const t0 = performance.now();
  const model = new MiniBatchNMF({ ...options, backend, onProgress: hooks.onProgress, onWarning: hooks.onWarning, signal: hooks.signal } as never);
  const blocks: DenseMatrix[] = [];
  try {
    await model.fit(source, start);
    for await (const W of model.transformBlocks(source)) blocks.push(W);
    succeeded = true;
  } finally {
    hooks.finish(succeeded);
  }
  const k = model.nComponentsOut!;
  const rows = blocks.reduce((s, b) => s + b.rows, 0);
  const W: DenseMatrix = { rows, cols: k, data: new (blocks[0].data.constructor as Float64ArrayConstructor)(rows * k) };
  let at = 0;
  for (const b of blocks) {
    W.data.set(b.data, at);
    at += b.data.length;
  }
  const H = model.components!;
  const seconds = (performance.now() - t0) / 1000;
  const err = model.reconstructionErr !== undefined ? `, reconstruction error ${model.reconstructionErr.toPrecision(6)}` : '';
  process.stdout.write(`X: ${rows} × ${H.cols}, streamed in row blocks (${file})\n`);
  process.stdout.write(`MiniBatchNMF: W ${shape(W)}, H ${shape(H)}; ${model.nIter} epochs, ${model.nSteps} steps in ${seconds.toFixed(2)} s${err}\n`);
  writeFactors(values.out, W, H);
}

function makeOutDir(out: string | undefined): void {
  if (!out) return;
  // before the fit, so a bad --out does not waste one
  try {
    mkdirSync(out, { recursive: true });
  } catch (e) {
    throw new CliError(`--out: cannot create the directory ${out}: ${(e as Error).message}`, 2);
  }
}

async function fitFile(file: string, values: { W?: string; H?: string; out?: string }, options: Partial<FactorizationOptions>, updateH: boolean): Promise<void> {
  makeOutDir(values.out);
  const { X, description } = readMatrix(file);
  const W0 = values.W ? toDense(readMatrix(values.W).X) : undefined;
  const H0 = values.H ? toDense(readMatrix(values.H).X) : undefined;
  process.stdout.write(`X: ${shape(X)}, ${description} (${file})\n`);

  const { backend, line } = await chooseBackend(options.backend, options.gpuProfile);
  const hooks = fitHooks(typeof options.maxIter === 'number' ? options.maxIter : 200, line);
  let succeeded = false;
  const t0 = performance.now();
  let W: DenseMatrix, H: DenseMatrix, nIter: number, error: number | undefined;
  try {
    const run = { ...options, backend, onProgress: hooks.onProgress, onWarning: hooks.onWarning, signal: hooks.signal };
    if (updateH) {
      const model = new NMF(run);
      W = await model.fitTransform(X, { W: W0, H: H0 });
      [H, nIter, error] = [model.components!, model.nIter!, model.reconstructionErr];
    } else {
      ({ W, H, nIter } = await nonNegativeFactorization(X, { ...run, H: H0, updateH: false }));
    }
    succeeded = true;
  } finally {
    hooks.finish(succeeded);
  }
  const seconds = (performance.now() - t0) / 1000;
  const loss = error !== undefined ? `, reconstruction error ${error.toPrecision(6)}` : '';
  process.stdout.write(`NMF: W ${shape(W)}, H ${shape(H)}; ${nIter} iterations in ${seconds.toFixed(2)} s${loss}\n`);
  writeFactors(values.out, W, H);
}

/** W and H as .npy and .csv into `out` (when given). */
function writeFactors(out: string | undefined, W: DenseMatrix, H: DenseMatrix): void {
  if (out) {
    const written: string[] = [];
    for (const [name, M] of [['W', W], ['H', H]] as const) {
      for (const [ext, bytes] of [['npy', formatNpy(M)], ['csv', formatCsv(M)]] as const) {
        const path = join(out, `${name}.${ext}`);
        try {
          writeFileSync(path, bytes);
        } catch (e) {
          throw new CliError(`--out: cannot write ${path}: ${(e as Error).message}`);
        }
        written.push(path);
      }
    }
    const dtype = W.data instanceof Float32Array ? 'float32' : 'float64';
    process.stdout.write(`wrote ${written.join(', ')} (${dtype})\n`);
  }
}
