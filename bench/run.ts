// npm run bench — webnmf in headless Chromium: a grid of sizes × solvers × losses × backends run
// through the public API inside a page, timed at steady state, with effective GFLOP/s and loss
// against time. Writes bench/results/<date>-<adapter>.json and .html and prints a summary table.
// See bench/browser/README.md for what is measured and how.

import { parseArgs } from 'node:util';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { runBench, type BenchOptions } from './browser/runner.js';
import { record, summaryRows, writeReport, type BenchRecord } from './browser/report.js';
import type { BenchBackend, BenchLoss, BenchSolver } from './browser/page-api.js';

/**
 * Sized for the whole default run to take ≈ 2–3 minutes on SwiftShader (2 cores), where Chromium's
 * WebGPU does ≈ 0.04 GFLOP/s: 1000×800 alone would cost over a second per iteration there.
 */
const DEFAULT_SIZES = '100x80,200x150,400x300';

const USAGE = `usage: npm run bench -- [--sizes ${DEFAULT_SIZES}] [--k 10] [--iters 20] [--curve-iters 100]
                        [--backends webgpu,gpujs,cpu] [--solvers cd,mu] [--losses frobenius,kullback-leibler]
                        [--out bench/results]
       npm run bench -- --render bench/results/<run>.json   (rewrite that run's HTML report)`;

function list<T extends string>(flag: string, value: string, allowed: readonly T[]): T[] {
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const it of items) if (!allowed.includes(it as T)) throw new Error(`--${flag}: '${it}' is not one of ${allowed.join(', ')}`);
  if (items.length === 0) throw new Error(`--${flag} is empty`);
  return [...new Set(items)] as T[];
}

function positiveInt(flag: string, value: string): number {
  const x = Number(value);
  if (!Number.isInteger(x) || x < 1) throw new Error(`--${flag} must be a positive integer, got '${value}'`);
  return x;
}

function parseOptions(): { options: BenchOptions; out: string; render?: string } {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: DEFAULT_SIZES },
      k: { type: 'string', default: '10' },
      iters: { type: 'string', default: '20' },
      'curve-iters': { type: 'string', default: '100' },
      backends: { type: 'string', default: 'webgpu,gpujs,cpu' },
      solvers: { type: 'string', default: 'cd,mu' },
      losses: { type: 'string', default: 'frobenius,kullback-leibler' },
      out: { type: 'string', default: 'bench/results' },
      render: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const sizes = values.sizes.split(',').map((s): [number, number] => {
    const m = /^\s*(\d+)\s*[x×]\s*(\d+)\s*$/.exec(s);
    if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) throw new Error(`--sizes: '${s}' is not ROWSxCOLS (e.g. 400x300)`);
    return [Number(m[1]), Number(m[2])];
  });
  const options: BenchOptions = {
    sizes,
    k: positiveInt('k', values.k),
    iters: positiveInt('iters', values.iters),
    curveIters: positiveInt('curve-iters', values['curve-iters']),
    backends: list<BenchBackend>('backends', values.backends, ['webgpu', 'gpujs', 'cpu']),
    solvers: list<BenchSolver>('solvers', values.solvers, ['cd', 'mu']),
    losses: list<BenchLoss>('losses', values.losses, ['frobenius', 'kullback-leibler']),
  };
  for (const [m, n] of sizes) if (options.k > Math.min(m, n)) throw new Error(`--k ${options.k} is larger than min(${m}, ${n})`);
  if (!options.solvers.includes('mu') && !options.losses.includes('frobenius')) throw new Error("kullback-leibler needs --solvers mu ('cd' is frobenius only): nothing to run");
  return { options, out: resolve(values.out), render: values.render };
}

const t0 = performance.now();
const log = (line: string) => console.error(`[bench ${((performance.now() - t0) / 1000).toFixed(0)} s] ${line}`);

try {
  const { options, out, render } = parseOptions();
  if (render) {
    // the report of an earlier run, drawn again with the current template, next to its JSON
    const rec = JSON.parse(await readFile(render, 'utf8')) as BenchRecord;
    const paths = await writeReport(rec, dirname(resolve(render)));
    console.table(summaryRows(rec.results));
    console.log(`wrote ${paths.html}`);
    process.exit(0);
  }
  const started = new Date();
  const run = await runBench(options, log);
  const rec = record(run, options, started, (performance.now() - t0) / 1000);
  const paths = await writeReport(rec, out);
  console.table(summaryRows(run.results));
  console.log(`wrote ${paths.json}\n      ${paths.html}\n(${rec.durationS.toFixed(0)} s in all)`);
} catch (e) {
  console.error(`bench: ${(e as Error).message}`);
  if ((e as Error).message.startsWith('--') || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) console.error(USAGE);
  process.exitCode = 1;
}
