// `webnmf fit FILE`: factor a matrix file, print a summary, write W and H (.npy and .csv) to --out.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { toDense, type DenseMatrix } from '../matrix/matrix.js';
import { NMF, nonNegativeFactorization } from '../nmf.js';
import type { FactorizationOptions } from '../params.js';
import { formatCsv } from './csv.js';
import { CliError, inFile } from './errors.js';
import { formatNpy } from './npy.js';
import { nmfFlagConfig, nmfFlagHelp, nmfOptions } from './options.js';
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

async function fitFile(file: string, values: { W?: string; H?: string; out?: string }, options: Partial<FactorizationOptions>, updateH: boolean): Promise<void> {
  if (values.out) {
    // before the fit, so a bad --out does not waste one
    try {
      mkdirSync(values.out, { recursive: true });
    } catch (e) {
      throw new CliError(`--out: cannot create the directory ${values.out}: ${(e as Error).message}`, 2);
    }
  }
  const { X, description } = readMatrix(file);
  const W0 = values.W ? toDense(readMatrix(values.W).X) : undefined;
  const H0 = values.H ? toDense(readMatrix(values.H).X) : undefined;
  process.stdout.write(`X: ${shape(X)}, ${description} (${file})\n`);

  const { backend, line } = await chooseBackend(options.backend);
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

  if (values.out) {
    const written: string[] = [];
    for (const [name, M] of [['W', W], ['H', H]] as const) {
      for (const [ext, bytes] of [['npy', formatNpy(M)], ['csv', formatCsv(M)]] as const) {
        const path = join(values.out, `${name}.${ext}`);
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
