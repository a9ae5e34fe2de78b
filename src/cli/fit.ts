// `webnmf fit FILE`: factor a matrix file, print a summary, write W and H (.npy and .csv) to --out.

import { accessSync, constants, mkdirSync, openAsBlob, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { describeK } from '../fit.js';
import { toDense, type DenseMatrix } from '../matrix/matrix.js';
import { checkFitMemory } from '../matrix/memory.js';
import { MiniBatchNMF } from '../minibatch.js';
import { rowBlocks } from '../stream/row-blocks.js';
import { NMF, nonNegativeFactorization } from '../nmf.js';
import type { FactorizationOptions } from '../params.js';
import { formatCsv } from './csv.js';
import { CliError, inFile } from './errors.js';
import { checkSavePath, saveModel } from './model-file.js';
import { formatNpy } from './npy.js';
import { MINIBATCH_FLAGS, nmfFlagConfig, nmfFlagHelp, nmfOptions } from './options.js';
import { checkRegularFile, FORMATS, readMatrix, type ShapeCheck } from './read-matrix.js';
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
  `${'  --save FILE'.padEnd(30)} save the fitted model as JSON, for webnmf transform and NMF.fromJSON`,
  `${'  -h, --help'.padEnd(30)} this help`,
  '',
  'A progress bar (iteration, loss or violation, ETA if every iteration runs) is drawn on stderr',
  'when it is a terminal; the first stderr line names the backend. Ctrl-C stops the fit.',
].join('\n');

/** Node's "EEXIST: file already exists, mkdir '/path'" without the path (the message names it once already). */
const reason = (e: unknown): string => (e as Error).message.replace(/, \w+ '[^']*'( -> '[^']*')?$/, '');

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
      save: { type: 'string' },
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
    checkSavePath(values.save);
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
  if (!updateH && values.save) throw new CliError('--save saves a fitted model; --no-update-h learns none (H is given).', 2);
  checkSavePath(values.save);
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
async function fitStreamed(file: string, values: { W?: string; H?: string; out?: string; save?: string }, options: Record<string, unknown>): Promise<void> {
  makeOutDir(values.out);
  const ext = extname(file).toLowerCase();
  if (!['.csv', '.tsv', '.mtx', '.npy'].includes(ext)) throw new CliError(`${file}: unknown file type '${ext || '(none)'}': expected ${FORMATS}.`);
  checkRegularFile(file);
  let blob: Blob;
  try {
    blob = await openAsBlob(file);
  } catch (e) {
    throw new CliError(`${file}: cannot be read (${reason(e)}).`);
  }
  // the extension says the format, as for a file read whole (a broken .npy is not read as CSV)
  const format = ext === '.npy' ? 'npy' : ext === '.mtx' ? 'mtx' : 'csv';
  const source = rowBlocks(blob, { name: file, format, delimiter: ext === '.tsv' ? '\t' : undefined });
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
  writeFactors(values.out, [['W', W], ['H', H]]);
  if (values.save) saveModel(values.save, model.toJSON(), options.backend);
}

/**
 * --out is made and checked writable before the fit, so a bad one does not waste a fit: the folder
 * takes a new file, and none of the files to come (`names` as .npy and .csv) is a folder or read-only.
 */
export function makeOutDir(out: string | undefined, names: string[] = ['W', 'H']): void {
  if (!out) return;
  try {
    mkdirSync(out, { recursive: true });
  } catch (e) {
    throw new CliError(`--out: cannot create the directory ${out}: ${reason(e)}`, 2);
  }
  const probe = join(out, `.webnmf-write-test-${process.pid}`);
  try {
    writeFileSync(probe, '');
    unlinkSync(probe);
  } catch (e) {
    throw new CliError(`--out: cannot write into ${out}: ${reason(e)}`, 2);
  }
  for (const path of names.flatMap((name) => [join(out, `${name}.npy`), join(out, `${name}.csv`)])) {
    try {
      if (statSync(path).isDirectory()) throw new CliError(`--out: ${path} is a directory, so it cannot be written.`, 2);
      accessSync(path, constants.W_OK);
    } catch (e) {
      if (e instanceof CliError) throw e;
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new CliError(`--out: cannot write ${path}: ${reason(e)}`, 2);
    }
  }
}

/**
 * The CLI's check of X's declared shape, before the reader allocates it: the library's memory rule
 * (src/matrix/memory.ts) for a fit of that shape with the k the options give.
 */
function memoryCheck(options: Partial<FactorizationOptions>, H0: DenseMatrix | undefined): ShapeCheck {
  return ({ rows, cols, stored }) => {
    const nComponents = options.nComponents ?? null;
    const k = typeof nComponents === 'number' ? nComponents : nComponents === 'auto' && H0 ? H0.rows : cols;
    checkFitMemory({ rows, cols, stored, k }, describeK({ nComponents }, k));
  };
}

async function fitFile(file: string, values: { W?: string; H?: string; out?: string; save?: string }, options: Partial<FactorizationOptions>, updateH: boolean): Promise<void> {
  makeOutDir(values.out);
  const W0 = values.W ? toDense(readMatrix(values.W).X) : undefined;
  const H0 = values.H ? toDense(readMatrix(values.H).X) : undefined;
  const { X, description } = readMatrix(file, memoryCheck(options, H0));
  process.stdout.write(`X: ${shape(X)}, ${description} (${file})\n`);

  const { backend, line } = await chooseBackend(options.backend, options.gpuProfile);
  const hooks = fitHooks(typeof options.maxIter === 'number' ? options.maxIter : 200, line);
  let succeeded = false;
  const t0 = performance.now();
  let W: DenseMatrix, H: DenseMatrix, nIter: number, error: number | undefined;
  let model: NMF | undefined;
  try {
    const run = { ...options, backend, onProgress: hooks.onProgress, onWarning: hooks.onWarning, signal: hooks.signal };
    if (updateH) {
      model = new NMF(run);
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
  writeFactors(values.out, [['W', W], ['H', H]]);
  if (values.save && model) saveModel(values.save, model.toJSON(), options.backend);
}

/** Factors as .npy and .csv into `out` (when given). */
export function writeFactors(out: string | undefined, factors: [string, DenseMatrix][]): void {
  if (out) {
    const written: string[] = [];
    for (const [name, M] of factors) {
      for (const [ext, bytes] of [['npy', formatNpy(M)], ['csv', formatCsv(M)]] as const) {
        const path = join(out, `${name}.${ext}`);
        try {
          writeFileSync(path, bytes);
        } catch (e) {
          throw new CliError(`--out: cannot write ${path}: ${reason(e)}`);
        }
        written.push(path);
      }
    }
    const dtype = factors[0][1].data instanceof Float32Array ? 'float32' : 'float64';
    process.stdout.write(`wrote ${written.join(', ')} (${dtype})\n`);
  }
}
