// scikit-learn parity in a real browser: headless Chromium through puppeteer, WebGPU from
// navigator.gpu (SwiftShader where there is no GPU). The page (page/main.ts) is built with vite from
// the same runner and fixtures as the Node suites and runs a subset of the cases on backend
// 'webgpu'; this file drives it and checks the results against scikit-learn's. No browser or no
// adapter is a failure, not a skip: a silently skipped browser suite proves nothing.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'puppeteer';
import { SKLEARN_VERSION, TOLERANCE, cases, relativeError, type DenseFixture, type ParityCase } from '../parity-cases.js';
import { CHROMIUM_ARGS, buildPage, findBrowser, launchBrowser, removeDir, serveDir, stopwatch, type StaticServer } from './harness.js';
import { SOFTWARE_ADAPTER } from '../../src/backend/select.js';
import { BROWSER_CASES, BROWSER_HARDWARE_CASES, type AdapterReport, type PageMatrix, type PagePlan } from './page-api.js';

const tolerance = TOLERANCE.webgpu;

// Measured on SwiftShader (2 cores): vite build ≈ 0.8 s, launch + load ≈ 0.7 s, a case 0.05–0.4 s
// plus 2–5 s the first time a dense β-class's pipelines compile; the whole file ≈ 22 s.
const SETUP_TIMEOUT = 120_000;
const CASE_TIMEOUT = 60_000;

let outDir: string | undefined;
let server: StaticServer | undefined;
let browser: Browser | undefined;
let page: Page;
let adapter: AdapterReport;
/** console errors and warnings, uncaught page errors, failed requests: any of them fails the suite */
const problems: string[] = [];
const { timings, timed } = stopwatch();

beforeAll(async () => {
  const executablePath = findBrowser();
  outDir = await timed('vite build', buildPage);
  server = await serveDir(outDir);
  browser = await timed('launch', () => launchBrowser(executablePath));
  page = await browser.newPage();
  page.on('console', (m) => {
    // Chromium reports uncaptured WebGPU validation errors as console warnings
    if (m.type() === 'error' || m.type() === 'warn') problems.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${(e as Error).message ?? String(e)}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));

  await timed('page load', async () => {
    await page.goto(server!.url, { waitUntil: 'load' });
    try {
      await page.waitForFunction(() => window.webnmf !== undefined, { timeout: 30_000 });
    } catch (e) {
      throw new Error(`The page never exposed window.webnmf: ${(e as Error).message}\n${problems.join('\n')}`);
    }
  });
  const seen = await page.evaluate(() => ({ adapter: window.webnmf!.adapter, reason: window.webnmf!.reason }));
  if (!seen.adapter) {
    throw new Error(
      `Chromium (${executablePath}, ${await browser.version()}) gave the page no WebGPU adapter: ${seen.reason}. ` +
        `Flags: ${CHROMIUM_ARGS.join(' ')}. Without a GPU, WebGPU runs on Chromium's bundled SwiftShader.`,
    );
  }
  adapter = seen.adapter;
  console.info(`browser: ${executablePath} (${await browser.version()}); adapter: ${JSON.stringify(adapter)}`);
}, SETUP_TIMEOUT);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await removeDir(outDir);
  console.info(`browser suite timings (ms): ${JSON.stringify(timings)}`);
}, SETUP_TIMEOUT);

function byName(name: string): ParityCase {
  const c = cases.find((x) => x.name === name);
  if (!c) throw new Error(`BROWSER_CASES names '${name}', which test/fixtures/parity.json does not have`);
  return c;
}

/** `fromGpu`: the matrix came out of a WebGPU fit, so it must be float32 (inverseTransform is a host product). */
function expectMatrix(got: PageMatrix | undefined, want: DenseFixture | undefined, what: string, fromGpu = true): void {
  expect(got, `${what} was returned`).toBeDefined();
  expect(want, `${what} has an expected value`).toBeDefined();
  if (fromGpu) expect(got!.arrayType, `${what} is float32: the fit really ran on WebGPU`).toBe('Float32Array');
  expect({ rows: got!.rows, cols: got!.cols }, `shape of ${what}`).toEqual({ rows: want!.rows, cols: want!.cols });
  expect(relativeError(got!, want!), `relative error of ${what}`).toBeLessThan(tolerance);
}

describe(`webnmf in headless Chromium matches scikit-learn ${SKLEARN_VERSION} (webgpu)`, () => {
  it('the page sees a WebGPU adapter', () => {
    expect(adapter.maxStorageBufferBindingSize).toBeGreaterThan(0);
  });

  const runs: [string, PagePlan, ParityCase][] = [
    ...BROWSER_CASES.map((name) => [name, 'software', byName(name)] as [string, PagePlan, ParityCase]),
    ...BROWSER_HARDWARE_CASES.map((name) => [name, 'hardware', byName(name)] as [string, PagePlan, ParityCase]),
  ];
  it.each(runs)(
    '%s (%s plan)',
    async (name, plan, c) => {
      const before = problems.length;
      const got = await timed(`${name} (${plan})`, () => page.evaluate((n, p) => window.webnmf!.run(n, p), name, plan));
      const e = c.expected;

      expectMatrix(got.W, e.W, `${name}: W`);
      expectMatrix(got.H, e.H, `${name}: H`);
      // with tol 0 every backend runs maxIter iterations; a tol-stopped float32 fit may stop elsewhere
      if (c.options.tol === 0) expect(got.nIter, `${name}: nIter`).toBe(e.nIter);
      if (c.kind === 'estimator') {
        expect(got.nComponentsOut, `${name}: nComponentsOut`).toBe(e.H.rows);
        expect(got.nFeaturesIn, `${name}: nFeaturesIn`).toBe(c.X.cols);
        const errGap = Math.abs(got.reconstructionErr! - e.reconstructionErr!) / e.reconstructionErr!;
        expect(errGap, `${name}: relative error of reconstructionErr`).toBeLessThan(tolerance);
        expectMatrix(got.transformW, e.transformW, `${name}: transform(X2)`);
        expectMatrix(got.inverseTransform, e.inverseTransform, `${name}: inverseTransform(W)`, false);
      }
      expect(problems.slice(before), `${name}: console errors or warnings, page errors`).toEqual([]);
    },
    CASE_TIMEOUT,
  );

  it(
    "backend 'auto' passes over a software adapter and fits on the CPU",
    async () => {
      const got = await timed('auto', () => page.evaluate(() => window.webnmf!.fitAuto('est-cd-csr')));
      const description = `${adapter.vendor} ${adapter.architecture} ${adapter.description}`;
      if (SOFTWARE_ADAPTER.test(description)) {
        expect(got.backendUsed, `auto on '${description}'`).toBe('cpu (float64)');
        expect(got.arrayType).toBe('Float64Array');
      } else {
        // a hardware GPU (not on this project's machines): 'auto' takes it
        expect(got.backendUsed, `auto on '${description}'`).toMatch(/^webgpu: /);
        expect(got.arrayType).toBe('Float32Array');
      }
    },
    CASE_TIMEOUT,
  );

  it.each([['cpu', 'auto'], ['webgpu', 'software'], ['webgpu', 'hardware']] as const)(
    'MiniBatchNMF fits from a File read in row blocks as it does in memory (%s, gpuProfile %s)',
    async (backend, gpuProfile) => {
      const rows = Array.from({ length: 45 }, (_, i) => Array.from({ length: 8 }, (_, j) => 0.1 + ((i * 7 + j * 13) % 17) / 10));
      const csv = rows.map((r) => r.join(',')).join('\n') + '\n';
      const got = await timed(`stream ${backend} ${gpuProfile}`, () => page.evaluate((text, b, g) => window.webnmf!.streamFile(text, b, g), csv, backend, gpuProfile));
      if (backend === 'webgpu') expect(got.backendUsed).toMatch(new RegExp(`\\(float32, ${gpuProfile} plan\\)$`));
      expect(got.blockRows).toEqual([7, 7, 7, 7, 7, 7, 3]);
      expect(got.streamed.nSteps).toBe(got.inMemory.nSteps);
      expect(got.streamed.nIter).toBe(got.inMemory.nIter);
      expectMatrix(got.streamed.H, { rows: 3, cols: 8, data: got.inMemory.H.data }, 'streamed H', false);
      expect(Math.abs(got.streamed.reconstructionErr / got.inMemory.reconstructionErr - 1)).toBeLessThan(1e-6);
    },
    CASE_TIMEOUT,
  );

  it('the page saw no uncaught errors, unhandled rejections or console errors', async () => {
    const pageErrors = await page.evaluate(() => window.webnmf!.errors);
    expect(pageErrors).toEqual([]);
    expect(problems).toEqual([]);
  });
});
