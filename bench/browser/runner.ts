// Node side of `npm run bench`: build the bench page with vite into a temp dir, serve it on
// 127.0.0.1, open it in headless Chromium with WebGPU (test/browser/harness.ts) and run the grid of
// cases through `window.webnmfBench`. Any page error, console error or failed request ends the run.

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'puppeteer';
import { build } from 'vite';
import { CHROMIUM_ARGS, findBrowser, launchBrowser, removeDir, serveDir, type StaticServer } from '../../test/browser/harness.js';
import { gflops, macsPerIteration } from './flops.js';
import type { BenchAdapter, BenchBackend, BenchLoss, BenchSolver, FitRequest, FitResponse, ProgressPoint } from './page-api.js';

const PAGE_DIR = fileURLToPath(new URL('./page/', import.meta.url));
/** iterations of the shorter timing fit; the longer one runs `iters` more */
export const LO_ITERS = 10;
/** tolerance of the loss-vs-time fit */
export const CURVE_TOL = 1e-4;
/**
 * The timing pair is repeated until it has run this long in all (at most MAX_ROUNDS times; once
 * when a single pair is that long, as on a software GPU) and each fit's fastest time counts: other
 * work only adds time. A pair whose
 * difference is under MIN_DIFF_MS (a fast CPU case) runs more iterations, so the timer's
 * resolution and the noise stay small beside it.
 */
const MEASURE_MS = 1500;
const MAX_ROUNDS = 10;
const MIN_DIFF_MS = 30;

export interface BenchOptions {
  sizes: [number, number][];
  k: number;
  iters: number;
  curveIters: number;
  backends: BenchBackend[];
  solvers: BenchSolver[];
  losses: BenchLoss[];
}

export interface CaseResult {
  m: number;
  n: number;
  k: number;
  backend: BenchBackend;
  solver: BenchSolver;
  betaLoss: BenchLoss;
  /** iterations the longer fit ran beyond LO_ITERS: `iters`, or more for a case too fast to time with it */
  iters: number;
  /** timing pairs run; loMs, hiMs are the fastest of them */
  rounds: number;
  /** wall time of the fits with LO_ITERS and LO_ITERS + iters iterations */
  loMs: number;
  hiMs: number;
  msPerIter: number;
  macsPerIter: number;
  gflops: number;
  /** the tol > 0 fit: its progress, its iterations and wall time, its final loss */
  curve: { measure: 'loss' | 'violation'; points: ProgressPoint[]; nIter: number; ms: number; finalLoss: number };
}

export interface BenchEnvironment {
  browser: string;
  userAgent: string;
  hardwareConcurrency: number;
  adapter: BenchAdapter | null;
  adapterReason?: string;
}

export interface BenchRun {
  environment: BenchEnvironment;
  results: CaseResult[];
}

/** The grid, in run order: size-major, so the small sizes report first. KL exists only for 'mu'. */
export function grid(o: BenchOptions): Omit<FitRequest, 'maxIter' | 'tol' | 'progress'>[] {
  const out: Omit<FitRequest, 'maxIter' | 'tol' | 'progress'>[] = [];
  for (const [m, n] of o.sizes)
    for (const backend of o.backends)
      for (const solver of o.solvers)
        for (const betaLoss of o.losses) if (solver === 'mu' || betaLoss === 'frobenius') out.push({ m, n, k: o.k, backend, solver, betaLoss });
  return out;
}

async function buildBenchPage(): Promise<string> {
  const outDir = await mkdtemp(join(tmpdir(), 'webnmf-bench-'));
  // the options of test/browser/harness.ts's buildPage, with the bench page as root
  await build({
    root: PAGE_DIR,
    configFile: false,
    logLevel: 'warn',
    base: './',
    build: { outDir, emptyOutDir: true, target: 'es2022', minify: false, sourcemap: false, rolldownOptions: { external: ['webgpu'] } },
  });
  return outDir;
}

/** Rejects with everything the page reported as wrong, as soon as anything is. */
class PageWatch {
  readonly problems: string[] = [];
  private fail: ((e: Error) => void) | null = null;
  readonly failed = new Promise<never>((_, reject) => (this.fail = reject));

  constructor(page: Page) {
    this.failed.catch(() => {}); // observed through race(); never an unhandled rejection
    page.on('console', (m) => {
      // Chromium reports uncaptured WebGPU validation errors as console warnings; ANGLE's performance
      // notes ("GPU stall due to ReadPixels", on every gpujs read-back on a software GL) are not errors
      if ((m.type() === 'error' || m.type() === 'warn') && !/GL Driver Message \(OpenGL, Performance/.test(m.text())) this.report(`console.${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => this.report(`page error: ${(e as Error).message ?? String(e)}`));
    page.on('requestfailed', (r) => this.report(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
    page.on('error', (e) => this.report(`page crashed: ${e.message}`));
  }

  private report(line: string): void {
    this.problems.push(line);
    this.fail?.(new Error(`the bench page failed:\n  ${this.problems.join('\n  ')}`));
  }

  race<T>(what: string, p: Promise<T>): Promise<T> {
    return Promise.race([p, this.failed]).catch((e: Error) => {
      throw new Error(`${what}: ${e.message}`, { cause: e });
    });
  }
}

export async function runBench(o: BenchOptions, log: (line: string) => void): Promise<BenchRun> {
  const executablePath = findBrowser();
  let outDir: string | undefined;
  let server: StaticServer | undefined;
  let browser: Browser | undefined;
  try {
    let t0 = performance.now();
    outDir = await buildBenchPage();
    server = await serveDir(outDir);
    log(`built the page in ${((performance.now() - t0) / 1000).toFixed(1)} s, serving it at ${server.url}`);
    t0 = performance.now();
    // --enable-unsafe-swiftshader: WebGL2 for the gpujs backend may be SwiftShader (no GPU), which Chromium
    // no longer falls back to without this flag (it did, with a deprecation warning)
    browser = await launchBrowser(executablePath, [...CHROMIUM_ARGS, '--enable-unsafe-swiftshader']);
    const page = await browser.newPage();
    const watch = new PageWatch(page);
    await watch.race('loading the page', page.goto(server.url, { waitUntil: 'load' }));
    await watch.race('waiting for window.webnmfBench', page.waitForFunction(() => window.webnmfBench !== undefined, { timeout: 30_000 }));
    const env = await page.evaluate(() => {
      const b = window.webnmfBench!;
      return { adapter: b.adapter, adapterReason: b.reason, userAgent: b.userAgent, hardwareConcurrency: b.hardwareConcurrency };
    });
    const environment: BenchEnvironment = { browser: executablePath, ...env };
    const a = env.adapter;
    log(`${executablePath} up in ${((performance.now() - t0) / 1000).toFixed(1)} s; adapter: ${a ? [a.vendor, a.architecture, a.description].filter(Boolean).join(' / ') + (a.isFallbackAdapter ? ' (fallback)' : '') : `none (${env.adapterReason})`}`);
    if (o.backends.includes('webgpu') && !a) throw new Error(`--backends includes webgpu, but Chromium offers no WebGPU adapter: ${env.adapterReason}`);

    const fit = (r: FitRequest): Promise<FitResponse> =>
      watch.race(`${r.m}×${r.n} ${r.backend} ${r.solver} ${r.betaLoss} (maxIter ${r.maxIter})`, page.evaluate((req) => window.webnmfBench!.fit(req), r));

    const results: CaseResult[] = [];
    const cases = grid(o);
    for (const [i, c] of cases.entries()) {
      const started = performance.now();
      // compiles the pipelines and warms the JIT; not timed
      await fit({ ...c, maxIter: 2, tol: 0, progress: false });
      const time = async (maxIter: number) => (await fit({ ...c, maxIter, tol: 0, progress: false })).ms;
      let iters = o.iters;
      let loMs = await time(LO_ITERS);
      let hiMs = await time(LO_ITERS + iters);
      if (hiMs - loMs < MIN_DIFF_MS) {
        iters = Math.ceil((iters * MIN_DIFF_MS) / Math.max(hiMs - loMs, MIN_DIFF_MS / 50));
        hiMs = await time(LO_ITERS + iters);
      }
      let rounds = 1;
      const measuring = performance.now() - loMs - hiMs;
      while (rounds < MAX_ROUNDS && performance.now() - measuring < MEASURE_MS) {
        loMs = Math.min(loMs, await time(LO_ITERS));
        hiMs = Math.min(hiMs, await time(LO_ITERS + iters));
        rounds++;
      }
      const curve = await fit({ ...c, maxIter: o.curveIters, tol: CURVE_TOL, progress: true });
      const msPerIter = (hiMs - loMs) / iters;
      const macsPerIter = macsPerIteration(c.m, c.n, c.k, c.betaLoss);
      const r: CaseResult = {
        ...c,
        iters,
        rounds,
        loMs,
        hiMs,
        msPerIter,
        macsPerIter,
        gflops: gflops(macsPerIter, msPerIter),
        curve: { measure: curve.measure, points: curve.points, nIter: curve.nIter, ms: curve.ms, finalLoss: curve.finalLoss },
      };
      results.push(r);
      log(`[${i + 1}/${cases.length}] ${c.m}×${c.n} k=${c.k} ${c.backend} ${c.solver} ${c.betaLoss}: ${msPerIter.toFixed(2)} ms/iter, ${r.gflops.toFixed(2)} GFLOP/s (${LO_ITERS} vs ${LO_ITERS}+${iters} iterations, best of ${rounds}); tol fit ${curve.nIter} iterations in ${curve.ms.toFixed(0)} ms (case ${((performance.now() - started) / 1000).toFixed(1)} s)`);
    }
    return { environment, results };
  } finally {
    await browser?.close().catch(() => {});
    await server?.close();
    await removeDir(outDir);
  }
}
