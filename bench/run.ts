// npm run bench — how fast is NMF on my GPU, against my CPU and against scikit-learn: webnmf in a
// Chromium page (headless by default; the user's own browser, channel or a browser already running
// elsewhere), a grid of sizes × solvers × losses × backends through the public API, timed at steady
// state over rounds (median and spread), with effective GFLOP/s, a GEMM case for the adapter's rate,
// loss against time, and scikit-learn on the same X. Writes bench/results/<date>-<adapter>.json and
// .html, and prints the headline. See bench/browser/README.md.

import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { removeDir } from '../test/browser/harness.js';
import { chooseBrowser } from './browser/launch.js';
import { parseCli, UsageError, USAGE, type CliOptions } from './browser/options.js';
import { headlineLines, makeRecord, summaryRows, type BenchRecord } from './browser/record.js';
import { writeReport } from './browser/report.js';
import { runInBrowser } from './browser/runner.js';
import { buildBenchPage, servePageOverHttp } from './browser/serve.js';
import { sklearnFigures } from './browser/sklearn.js';
import type { HostEnvironment, PageConfig, WebnmfVersion } from './browser/page-api.js';

const ROOT = new URL('..', import.meta.url);
const t0 = performance.now();
const log = (line: string) => console.error(`[bench ${((performance.now() - t0) / 1000).toFixed(0)} s] ${line}`);

async function webnmfVersion(): Promise<WebnmfVersion> {
  const { version } = JSON.parse(await readFile(new URL('package.json', ROOT), 'utf8')) as { version: string };
  const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    return { version, commit: git('rev-parse', 'HEAD'), dirty: git('status', '--porcelain', '--untracked-files=no') !== '' };
  } catch {
    return { version, commit: null, dirty: false }; // not a git checkout
  }
}

function host(): HostEnvironment {
  return { node: process.version, platform: `${process.platform}/${process.arch}`, cpuModel: cpus()[0]?.model ?? '?', cpus: cpus().length, loadAverageStart: loadavg(), loadAverageEnd: null, launch: null };
}

async function render(file: string): Promise<void> {
  const rec = JSON.parse(await readFile(file, 'utf8')) as BenchRecord;
  if (rec.schema !== 2) throw new UsageError(`--render ${file}: a record of an older bench (no schema 2); run the bench again`);
  // the headline again, from the figures: a render picks up how the current bench reads them
  const paths = await writeReport(makeRecord(rec), dirname(resolve(file)));
  console.log(`wrote ${paths.html}`);
}

async function serve(cli: CliOptions, config: PageConfig): Promise<void> {
  const dir = await buildBenchPage(config);
  const server = await servePageOverHttp(dir, cli.serve!.port);
  const port = new URL(server.url).port;
  console.log(`Serving the bench page, cross-origin isolated, at ${server.url}`);
  console.log('Open it in the browser to measure: it runs the grid and shows its report, with links to download it (HTML, JSON).');
  console.log(`From another machine: ssh -L ${port}:127.0.0.1:${port} <this machine>, then open http://localhost:${port}/ there`);
  console.log('(WebGPU needs a secure context: localhost or https). Ctrl-C stops the server.');
  await new Promise<void>((done) => process.once('SIGINT', done));
  await server.close();
  await removeDir(dir);
}

async function main(): Promise<void> {
  const cli = parseCli(process.argv.slice(2));
  if (cli === 'help') {
    console.log(USAGE);
    return;
  }
  if (cli.render) return render(cli.render);
  // the browser is checked first: a wrong path fails in a second, before anything is built or timed
  const choice = cli.serve ? null : chooseBrowser(cli.browser);
  const o = cli.bench;
  const config: PageConfig = {
    options: o,
    autorun: cli.serve !== null,
    webnmf: await webnmfVersion(),
    sklearn: await sklearnFigures(cli.sklearn, o, log),
    host: host(),
  };
  if (config.sklearn?.error) log(config.sklearn.error);
  if (!choice) return serve(cli, config);

  const date = new Date().toISOString();
  const run = await runInBrowser(choice, config, log);
  const rec = makeRecord({
    date,
    durationS: (performance.now() - t0) / 1000,
    options: o,
    webnmf: config.webnmf,
    environment: { page: run.environment, host: { ...config.host, loadAverageEnd: loadavg(), launch: run.launch } },
    results: run.results,
    gemm: run.gemm,
    sklearn: config.sklearn,
  });
  const paths = await writeReport(rec, cli.out);
  console.table(summaryRows(rec.results));
  console.log(headlineLines(rec).join('\n'));
  console.log(`wrote ${paths.json}\n      ${paths.html}\n(${rec.durationS.toFixed(0)} s in all)`);
}

try {
  await main();
} catch (e) {
  // a bad command line is one line; anything else says what failed, in the page's own words
  console.error(`bench: ${(e as Error).message}${e instanceof UsageError ? ' (npm run bench -- --help lists the flags)' : ''}`);
  process.exitCode = 1;
}
