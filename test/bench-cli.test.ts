// `npm run bench` as its users run it (bench/run.ts in a child process): a tiny grid on WebGPU and the
// CPU in the system Chromium writes the JSON and the HTML and prints the headline, with the conditions
// as they were (cross-origin isolation, threads, adapter limits, flags, version, commit); a wrong
// --browser is one clear line and a non-zero exit; a browser already running is driven through
// --ws-endpoint and left running; --serve puts up a page that runs the grid itself and offers its
// report. Sizes are tiny and rounds few: this checks the tool, it measures nothing.

import { spawn } from 'node:child_process';
import { readdir, readFile, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import puppeteer, { type Browser } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchRecord } from '../bench/browser/record.js';
import type { SklearnResult } from '../bench/browser/page-api.js';
import { spread } from '../bench/browser/stats.js';
import { CHROMIUM_ARGS, findBrowser, removeDir } from './browser/harness.js';
import { inspectReport, isColourful } from './support/bench-report.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SYSTEM_CHROMIUM = '/usr/bin/chromium';
/** a grid that runs in seconds even on SwiftShader on a loaded 2-core machine */
const TINY = ['--sizes', '100x80', '--k', '5', '--solvers', 'mu', '--losses', 'frobenius', '--iters', '5', '--rounds', '2', '--curve-iters', '20'];
/** the bench's own ones and the page's bundle: vite build 1–5 s, Chromium 2–3 s, the cases a few seconds */
const RUN_TIMEOUT = 180_000;
/** figures for --sklearn FILE: the headline divides them by the fastest backend's */
const SKLEARN_MS = 0.25;

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

function bench(args: string[], onStdout?: (text: string) => void): { done: Promise<Exit>; kill(signal: NodeJS.Signals): void } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '', stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
    onStdout?.(stdout);
  });
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<Exit>((ok) => child.on('close', (code) => ok({ code, stdout, stderr })));
  return { done, kill: (signal) => child.kill(signal) };
}

async function onlyRecord(dir: string): Promise<{ rec: BenchRecord; html: string }> {
  const files = await readdir(dir);
  const json = files.filter((f) => f.endsWith('.json'));
  expect(json).toHaveLength(1);
  expect(files).toContain(json[0].replace(/\.json$/, '.html'));
  return { rec: JSON.parse(await readFile(join(dir, json[0]), 'utf8')), html: join(dir, json[0].replace(/\.json$/, '.html')) };
}

let work: string;
let browser: Browser | undefined;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'webnmf-bench-cli-'));
});

afterAll(async () => {
  await browser?.close();
  await removeDir(work);
});

describe('npm run bench', () => {
  it('--browser /nonexistent: exit 1 and one line that says so, before anything is built', async () => {
    const { code, stdout, stderr } = await bench(['--browser', '/nonexistent', ...TINY]).done;
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual(['bench: --browser /nonexistent: no such file (npm run bench -- --help lists the flags)']);
  }, 30_000);

  it(`--browser ${SYSTEM_CHROMIUM}: the JSON, the HTML and the headline, with the conditions as they were`, async () => {
    const out = join(work, 'run');
    const skFile = join(work, 'sklearn.json');
    const sk: SklearnResult[] = [{ m: 100, n: 80, k: 5, solver: 'mu', betaLoss: 'frobenius', iters: 20, msPerIter: spread([SKLEARN_MS]) }];
    await writeFile(skFile, JSON.stringify(sk));
    const { code, stdout, stderr } = await bench(['--browser', SYSTEM_CHROMIUM, ...TINY, '--backends', 'webgpu,cpu', '--profile', 'hardware', '--gemm', '64', '--sklearn', skFile, '--out', out]).done;
    expect(code, stderr).toBe(0);
    const { rec, html } = await onlyRecord(out);

    expect(rec.schema).toBe(2);
    expect(rec.results.map((r) => r.backend)).toEqual(['webgpu', 'cpu']);
    for (const r of rec.results) {
      expect(r.msPerIter.n).toBe(2);
      expect(r.loMs).toHaveLength(2);
      expect(Number.isFinite(r.msPerIter.median)).toBe(true);
      expect(r.msPerIter.min).toBeLessThanOrEqual(r.msPerIter.median);
      expect(r.msPerIter.median).toBeLessThanOrEqual(r.msPerIter.max);
      expect(r.curve.points.length).toBeGreaterThan(0);
      // the same problem, the same start: both backends end at the same loss (float32 against float64)
      expect(Math.abs(r.curve.finalLoss / rec.results[1].curve.finalLoss - 1)).toBeLessThan(1e-3);
    }
    expect(rec.results[0].backendUsed).toMatch(/^webgpu: .*\(float32, hardware plan\)$/); // --profile hardware reached the fits
    expect(rec.results[1].backendUsed).toMatch(/^cpu/);

    // the conditions: the page is cross-origin isolated, so the CPU backend gets its threads
    const page = rec.environment.page;
    expect(page.crossOriginIsolated).toBe(true);
    expect(page.cpuThreads).toBe(Math.min(8, page.hardwareConcurrency));
    expect(page.adapter!.limits.maxStorageBufferBindingSize).toBeGreaterThan(0);
    expect(Array.isArray(page.adapter!.features)).toBe(true);
    const launch = rec.environment.host.launch!;
    expect(launch.executablePath).toBe(SYSTEM_CHROMIUM);
    expect(launch.version).toMatch(/Chrome\/\d+/);
    expect(launch.commandLine).toContain('--enable-unsafe-webgpu');
    expect(rec.webnmf.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(rec.webnmf.version).toBe(JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')).version);
    expect(rec.gemm!.n).toBe(64);
    expect(rec.gemm!.error).toBeLessThan(1e-5);

    // the headline: the fastest backend and its speed-ups, said on stdout too
    const [row] = rec.headline.rows;
    const fastest = rec.results.find((r) => r.backend === row.fastest)!;
    expect(row.fastestMs.median).toBe(Math.min(...rec.results.map((r) => r.msPerIter.median)));
    expect(row.vsCpu).toBeCloseTo(rec.results[1].msPerIter.median / fastest.msPerIter.median, 12);
    expect(row.vsSklearn).toBeCloseTo(SKLEARN_MS / fastest.msPerIter.median, 12);
    expect(row.webgpuOfGemm).toBeCloseTo(rec.results[0].gflops! / rec.gemm!.gflops, 12);
    expect(stdout).toContain(`100×80 k=5 mu frobenius: fastest ${row.fastest}`);
    expect(stdout).toContain('CPU backend threads');
    expect(stdout).toContain('gpuProfile: hardware (ran the hardware plan)');
    // here WebGPU is SwiftShader: the console and the report say so, loudly
    expect(page.adapter!.software).toBe(true);
    expect(stdout).toMatch(/^!!! SOFTWARE ADAPTER/m);

    browser = await puppeteer.launch({ executablePath: findBrowser(), headless: true, args: CHROMIUM_ARGS });
    const tab = await browser.newPage();
    for (const width of [390, 1280]) {
      const r = await inspectReport(tab, pathToFileURL(html).href, width);
      expect(r.overflow).toBeLessThanOrEqual(0);
      expect(r.headlineRows).toBe(1);
      expect(r.warnings[0]).toMatch(/SOFTWARE ADAPTER/);
      for (const chart of r.charts) for (const s of chart.series) expect(isColourful(s.border), `${chart.title}: ${s.label}`).toBe(true);
    }
    await tab.close();
  }, RUN_TIMEOUT);

  it('--ws-endpoint: drives a browser already running and leaves it running', async () => {
    browser ??= await puppeteer.launch({ executablePath: findBrowser(), headless: true, args: CHROMIUM_ARGS });
    const out = join(work, 'ws');
    const { code, stderr } = await bench(['--ws-endpoint', browser.wsEndpoint(), ...TINY, '--backends', 'cpu', '--no-sklearn', '--out', out]).done;
    expect(code, stderr).toBe(0);
    const { rec } = await onlyRecord(out);
    expect(rec.environment.host.launch).toMatchObject({ mode: 'ws-endpoint', endpoint: browser.wsEndpoint(), executablePath: null });
    expect(rec.results).toHaveLength(1);
    expect(browser.connected).toBe(true);
    expect((await browser.pages()).length).toBeGreaterThan(0); // it closed its own tab only
  }, RUN_TIMEOUT);

  it('--serve: a page that runs the grid itself and offers its report, cross-origin isolated', async () => {
    let found: (url: string) => void;
    const address = new Promise<string>((ok) => (found = ok));
    const server = bench(['--serve', ...TINY, '--backends', 'cpu', '--no-sklearn'], (text) => {
      const m = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(text);
      if (m) found(m[1]);
    });
    try {
      const url = await Promise.race([address, server.done.then((e) => Promise.reject(new Error(`--serve exited: ${e.stderr}`)))]);
      browser ??= await puppeteer.launch({ executablePath: findBrowser(), headless: true, args: CHROMIUM_ARGS });
      const tab = await browser.newPage();
      const errors: string[] = [];
      tab.on('pageerror', (e) => errors.push((e as Error).message));
      tab.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      await tab.goto(url, { waitUntil: 'load' });
      await tab.waitForFunction(() => !document.getElementById('done')!.hidden || /FAILED/.test(document.getElementById('log')!.textContent!), { timeout: 120_000 });
      const rec = (await tab.evaluate(async () => (await fetch((document.getElementById('download-json') as HTMLAnchorElement).href)).json())) as BenchRecord;
      expect(errors).toEqual([]);
      expect(rec.results).toHaveLength(1);
      expect(rec.environment.page.crossOriginIsolated).toBe(true);
      expect(rec.environment.host.launch).toBeNull();
      // the CPU at this tiny size can time within noise (a median ≤ 0 on a loaded machine): then the headline skips it
      if (rec.results[0].msPerIter.median > 0) expect(rec.headline.rows[0].fastest).toBe('cpu');
      else expect(rec.headline.rows).toEqual([]);
      // the report, drawn in the page
      await tab.waitForFunction(() => (document.getElementById('report') as HTMLIFrameElement).contentDocument?.body?.dataset.ready === 'true', { timeout: 20_000 });
      await tab.close();
    } finally {
      server.kill('SIGINT');
    }
    expect((await server.done).code).toBe(0);
  }, RUN_TIMEOUT);
});
