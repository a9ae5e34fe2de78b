// scikit-learn parity on backend 'gpujs' in a browser without WebGPU: headless Chromium launched
// without --enable-unsafe-webgpu and with navigator.gpu removed before any script runs (as in a
// browser that has no WebGPU at all; Chromium flags alone keep navigator.gpu, which then finds no
// adapter), where gpu.js runs its kernels as GLSL on WebGL2 — SwiftShader's software WebGL2 where
// there is no GPU. The page (gpujs-page/main.ts) is built with vite from the same runner and fixtures
// as the Node suites. No browser or no WebGL2 is a failure, not a skip.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'puppeteer';
import { SKLEARN_VERSION, TOLERANCE, cases, relativeError, type DenseFixture, type ParityCase } from '../parity-cases.js';
import { CHROMIUM_ARGS, buildPage, findBrowser, launchBrowser, removeDir, serveDir, stopwatch, type StaticServer } from './harness.js';
import { GPUJS_BROWSER_CASES, GPUJS_BROWSER_MINIBATCH_CASES, GPUJS_BROWSER_PG_CASES, type GpujsEnvironment } from './gpujs-page-api.js';
import { SOFTWARE_ADAPTER } from '../../src/backend/select.js';
import { minibatchCases } from '../minibatch-cases.js';
import { NLS_WARNING, pgCases } from '../pg-cases.js';
import type { PageMatrix } from './page-api.js';

const PAGE_DIR = fileURLToPath(new URL('./gpujs-page/', import.meta.url));

/**
 * The harness's flags without --enable-unsafe-webgpu (no WebGPU adapter), with
 * --enable-unsafe-swiftshader (Chromium no longer falls back to software WebGL silently: without it
 * the page logs a deprecation warning). Verified with Chromium 156: --disable-webgpu,
 * --disable-features=WebGPU and --disable-blink-features=WebGPU all leave navigator.gpu defined.
 */
const ARGS = [...CHROMIUM_ARGS.filter((a) => a !== '--enable-unsafe-webgpu'), '--enable-unsafe-swiftshader'];

/** ANGLE's performance notes ("GPU stall due to ReadPixels"): every readback on a software GL says so. */
const BENIGN = /GL Driver Message \(OpenGL, Performance/;

const tolerance = TOLERANCE.webgpu;
const SETUP_TIMEOUT = 120_000;
const CASE_TIMEOUT = 90_000;

let outDir: string | undefined;
let server: StaticServer | undefined;
let browser: Browser | undefined;
let page: Page;
let environment: GpujsEnvironment;
const problems: string[] = [];
const { timings, timed } = stopwatch();

beforeAll(async () => {
  const executablePath = findBrowser();
  outDir = await timed('vite build', () => buildPage(PAGE_DIR));
  server = await serveDir(outDir);
  browser = await timed('launch', () => launchBrowser(executablePath, ARGS));
  page = await browser.newPage();
  // a browser without WebGPU: no navigator.gpu for the page or the library
  await page.evaluateOnNewDocument(() => {
    delete (Navigator.prototype as { gpu?: unknown }).gpu;
  });
  page.on('console', (m) => {
    if ((m.type() === 'error' || m.type() === 'warn') && !BENIGN.test(m.text())) problems.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${(e as Error).message ?? String(e)}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  await timed('page load', async () => {
    await page.goto(server!.url, { waitUntil: 'load' });
    try {
      await page.waitForFunction(() => window.webnmfGpujs !== undefined, { timeout: 30_000 });
    } catch (e) {
      throw new Error(`The page never exposed window.webnmfGpujs: ${(e as Error).message}\n${problems.join('\n')}`);
    }
  });
  environment = await page.evaluate(() => window.webnmfGpujs!.environment);
  if (!environment.webgl2) throw new Error(`Chromium (${executablePath}) gave the page no WebGL2 context. Flags: ${ARGS.join(' ')}.`);
  console.info(`browser: ${executablePath} (${await browser.version()}); ${JSON.stringify(environment)}`);
}, SETUP_TIMEOUT);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await removeDir(outDir);
  console.info(`gpujs browser suite timings (ms): ${JSON.stringify(timings)}`);
}, SETUP_TIMEOUT);

function byName(name: string): ParityCase {
  const c = cases.find((x) => x.name === name);
  if (!c) throw new Error(`GPUJS_BROWSER_CASES names '${name}', which test/fixtures/parity.json does not have`);
  return c;
}

function expectMatrix(got: PageMatrix | undefined, want: DenseFixture | undefined, what: string, fromGpu = true): void {
  expect(got, `${what} was returned`).toBeDefined();
  expect(want, `${what} has an expected value`).toBeDefined();
  if (fromGpu) expect(got!.arrayType, `${what} is float32: the fit really ran on gpu.js`).toBe('Float32Array');
  expect({ rows: got!.rows, cols: got!.cols }, `shape of ${what}`).toEqual({ rows: want!.rows, cols: want!.cols });
  expect(relativeError(got!, want!), `relative error of ${what}`).toBeLessThan(tolerance);
}

describe(`webnmf on gpu.js (WebGL2) in headless Chromium without WebGPU matches scikit-learn ${SKLEARN_VERSION}`, () => {
  it('the page has no WebGPU and a WebGL2 context with float render targets', () => {
    expect(environment.webgpu).toBe('navigator.gpu is absent');
    expect(environment.webgl2!.floatTargets).toBe(true);
    expect(environment.webgl2!.maxTextureSize).toBeGreaterThan(0);
  });

  it("backend 'gpujs' runs on WebGL2 and says so", async () => {
    const description = await timed('describe', () => page.evaluate(() => window.webnmfGpujs!.describe()));
    expect(description).toMatch(/^gpujs \(webgl2: .+\)$/);
    expect(description).toContain(environment.webgl2!.renderer);
  }, CASE_TIMEOUT);

  it.each(GPUJS_BROWSER_CASES.map((name) => [name, byName(name)] as const))(
    '%s',
    async (name, c) => {
      const before = problems.length;
      const got = await timed(name, () => page.evaluate((n) => window.webnmfGpujs!.run(n), name));
      const e = c.expected;
      expectMatrix(got.W, e.W, `${name}: W`);
      expectMatrix(got.H, e.H, `${name}: H`);
      if (c.options.tol === 0) expect(got.nIter, `${name}: nIter`).toBe(e.nIter);
      if (c.kind === 'estimator') {
        expect(got.nComponentsOut, `${name}: nComponentsOut`).toBe(e.H.rows);
        const errGap = Math.abs(got.reconstructionErr! - e.reconstructionErr!) / e.reconstructionErr!;
        expect(errGap, `${name}: relative error of reconstructionErr`).toBeLessThan(tolerance);
        expectMatrix(got.transformW, e.transformW, `${name}: transform(X2)`);
        expectMatrix(got.inverseTransform, e.inverseTransform, `${name}: inverseTransform(W)`, false);
      }
      expect(problems.slice(before), `${name}: console errors or warnings, page errors`).toEqual([]);
    },
    CASE_TIMEOUT,
  );

  it.each(GPUJS_BROWSER_PG_CASES.map((name) => [name] as const))(
    "solver 'pg': %s",
    async (name) => {
      const c = pgCases.find((x) => x.name === name)!;
      const before = problems.length;
      const got = await timed(name, () => page.evaluate((n) => window.webnmfGpujs!.runPg(n), name));
      // test/webgpu/pg.test.ts's tolerances: float32 may move a late line-search branch
      expectMatrix(got.W, c.expected.W, `${name}: W`);
      expectMatrix(got.H, c.expected.H, `${name}: H`);
      expect(Math.abs(got.nIter - c.expected.nIter), `${name}: nIter ${got.nIter} vs ${c.expected.nIter}`).toBeLessThanOrEqual(Math.max(1, Math.floor(0.1 * c.expected.nIter)));
      expect(got.warnings.filter((w) => w === NLS_WARNING).length, `${name}: nls warning`).toBe(c.expected.nlsLimitHits > 0 ? 1 : 0);
      expect(problems.slice(before), `${name}: console errors or warnings, page errors`).toEqual([]);
    },
    CASE_TIMEOUT,
  );

  it.each(GPUJS_BROWSER_MINIBATCH_CASES.map((name) => [name] as const))(
    'MiniBatchNMF: %s',
    async (name) => {
      const c = minibatchCases.find((x) => x.name === name)!;
      const before = problems.length;
      const got = await timed(name, () => page.evaluate((n) => window.webnmfGpujs!.runMiniBatch(n), name));
      // MiniBatchNMF keeps H (and returns W) in float64 between batches: the backend is what says where it ran
      expect(got.backendUsed).toMatch(/^gpujs \(webgl2: /);
      expectMatrix(got.H, c.expected.H, `${name}: H`, false);
      expectMatrix(got.transformW, c.expected.transformW, `${name}: transform(X2)`, false);
      if (c.expected.W) expectMatrix(got.W, c.expected.W, `${name}: W`, false);
      expect(problems.slice(before), `${name}: console errors or warnings, page errors`).toEqual([]);
    },
    CASE_TIMEOUT,
  );

  it('degenerate shapes (one row, one column, k = 1, k = min(m, n)) and loops over 1000 agree with the CPU backend', async () => {
    const got = await timed('shapes', () => page.evaluate(() => window.webnmfGpujs!.degenerateShapes()));
    expect(got.length).toBe(12);
    for (const r of got) {
      expect(r.backendUsed, r.label).toMatch(/^gpujs \(webgl2: /);
      expect(r.gapW, `${r.label}: W`).toBeLessThan(1e-4);
      expect(r.gapH, `${r.label}: H`).toBeLessThan(1e-4);
    }
  }, CASE_TIMEOUT);

  it('a WebGL2 context lost mid-fit rejects the fit clearly; the next fit makes a new context', async () => {
    const before = problems.length;
    const got = await timed('context loss', () => page.evaluate(() => window.webnmfGpujs!.loseContextMidFit()));
    expect(got.errorName).toBe('NMFError');
    expect(got.error).toMatch(/WebGL2 context of the gpujs backend was lost.*Fit again/);
    expect(got.refit).toMatch(/^gpujs \(webgl2: /);
    expect(got.gapW).toBeLessThan(1e-4);
    // Chromium reports the loss itself on the console; nothing else may appear
    const seen = problems.splice(before);
    expect(seen.filter((p) => !/CONTEXT_LOST_WEBGL|context lost/i.test(p))).toEqual([]);
  }, CASE_TIMEOUT);

  it("backend 'gpujs' in a Web Worker (OffscreenCanvas WebGL2) gives the main thread's result", async () => {
    const { worker, main } = await timed('worker', () => page.evaluate(() => window.webnmfGpujs!.fitInWorker()));
    expect(worker.error, 'the worker fit threw').toBeUndefined();
    expect(worker.backendUsed).toMatch(/^gpujs \(webgl2: /);
    expect(worker.arrayType).toBe('Float32Array');
    expect(relativeError({ data: worker.W! }, { data: main.W! })).toBeLessThan(1e-6);
    expect(relativeError({ data: worker.H! }, { data: main.H! })).toBeLessThan(1e-6);
  }, CASE_TIMEOUT);

  it("backend 'auto' without WebGPU: gpu.js on a hardware WebGL2, the CPU on a software one", async () => {
    const got = await timed('auto', () => page.evaluate(() => window.webnmfGpujs!.fitAuto()));
    if (SOFTWARE_ADAPTER.test(environment.webgl2!.renderer)) {
      expect(got.backendUsed, `auto on '${environment.webgl2!.renderer}'`).toBe('cpu (float64)');
      expect(got.arrayType).toBe('Float64Array');
    } else {
      expect(got.backendUsed, `auto on '${environment.webgl2!.renderer}'`).toMatch(/^gpujs \(webgl2: /);
      expect(got.arrayType).toBe('Float32Array');
    }
  }, CASE_TIMEOUT);

  it('the page saw no uncaught errors, unhandled rejections or console errors', async () => {
    const pageErrors = await page.evaluate(() => window.webnmfGpujs!.errors);
    expect(pageErrors).toEqual([]);
    expect(problems).toEqual([]);
  });
});
