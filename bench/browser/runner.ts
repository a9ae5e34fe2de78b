// Node side of `npm run bench`: open the browser (launch.ts), hand it the page (serve.ts) and run the
// grid through `window.webnmfBench`, one case per page.evaluate, then the GEMM case. Any page error,
// console error or warning, or failed request ends the run with the page's own words.

import type { Page } from 'puppeteer';
import { removeDir } from '../../test/browser/harness.js';
import { caseLabel, grid } from './cases.js';
import { openBrowser, type BrowserChoice, type OpenBrowser } from './launch.js';
import { adapterName, softwareWarnings } from './record.js';
import { buildBenchPage, servePageThrough } from './serve.js';
import type { CaseResult, GemmResult, LaunchReport, PageConfig, PageEnvironment } from './page-api.js';

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

export interface BrowserRun {
  launch: LaunchReport;
  environment: PageEnvironment;
  results: CaseResult[];
  gemm: GemmResult | null;
}

export async function runInBrowser(choice: BrowserChoice, config: PageConfig, log: (line: string) => void): Promise<BrowserRun> {
  let dir: string | undefined;
  let open: OpenBrowser | undefined;
  let page: Page | undefined;
  try {
    let t0 = performance.now();
    dir = await buildBenchPage(config);
    log(`built the page in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    t0 = performance.now();
    open = await openBrowser(choice);
    page = await open.browser.newPage();
    const watch = new PageWatch(page);
    const url = await servePageThrough(page, dir);
    await watch.race('loading the page', page.goto(url, { waitUntil: 'load' }));
    await watch.race('waiting for window.webnmfBench', page.waitForFunction(() => window.webnmfBench !== undefined, { timeout: 60_000 }));
    const environment = await page.evaluate(() => window.webnmfBench!.environment);
    log(`${open.report.version} (${choice.executablePath ?? choice.endpoint}) up in ${((performance.now() - t0) / 1000).toFixed(1)} s; adapter: ${adapterName(environment.adapter)}; crossOriginIsolated ${environment.crossOriginIsolated}, CPU backend threads ${environment.cpuThreads}`);
    for (const w of softwareWarnings(environment, config.options.backends)) log(`!!! ${w}`);
    const o = config.options;
    if (o.backends.includes('webgpu') && !environment.adapter) throw new Error(`--backends includes webgpu, but the browser offers no WebGPU adapter: ${environment.adapterReason}`);

    const results: CaseResult[] = [];
    const cases = grid(o);
    for (const [i, c] of cases.entries()) {
      const started = performance.now();
      const r = await watch.race(caseLabel(c), page.evaluate((c, o) => window.webnmfBench!.runCase(c, o), c, o));
      results.push(r);
      const s = r.msPerIter;
      log(`[${i + 1}/${cases.length}] ${caseLabel(c)}: ${s.median.toPrecision(3)} ms/iter (IQR ${s.q1.toPrecision(3)}–${s.q3.toPrecision(3)}, ${s.n} rounds of ${r.iters} iterations), ${r.gflops?.toPrecision(3) ?? '—'} GFLOP/s; tol fit ${r.curve.nIter} iterations in ${r.curve.ms.toFixed(0)} ms (case ${((performance.now() - started) / 1000).toFixed(1)} s)`);
    }
    let gemm: GemmResult | null = null;
    if (o.backends.includes('webgpu') && o.gemm > 0) {
      gemm = await watch.race(`GEMM ${o.gemm}³`, page.evaluate((n, rounds) => window.webnmfBench!.gemm(n, rounds), o.gemm, o.rounds));
      log(`GEMM ${gemm.n}³ on WebGPU: ${gemm.gflops.toPrecision(3)} GFLOP/s (${gemm.ms.median.toPrecision(3)} ms per dispatch, median of ${gemm.ms.n}; max relative error ${gemm.error.toExponential(1)})`);
    }
    return { launch: open.report, environment, results, gemm };
  } finally {
    await page?.close().catch(() => {});
    await open?.close().catch(() => {});
    await removeDir(dir);
  }
}
