// The conformance targets in a real browser: headless Chromium through puppeteer, one page (page/,
// built with vite from the same runners and fixtures as the Node suites) in two tabs: one with WebGPU
// from navigator.gpu (SwiftShader where there is no GPU) for WebGPU's two kernel plans, and one whose
// navigator.gpu is removed before any script runs (a browser without WebGPU; Chromium flags alone keep
// navigator.gpu, which then finds no adapter), where gpu.js runs its kernels as GLSL on WebGL2
// (SwiftShader's software WebGL2 without a GPU). Each target runs a subset of the fixtures
// (page-api.ts) and is checked against scikit-learn's at its Node tolerance. No browser, no adapter
// or no WebGL2 is a failure, not a skip: a silently skipped browser suite proves nothing.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'puppeteer';
import { SKLEARN_VERSION, byName, cases, minibatchCases, pgCases, relativeError, NLS_WARNING, type DenseFixture } from '../support/cases.js';
import { FLOAT32_SKLEARN } from '../support/targets.js';
import { CHROMIUM_ARGS, buildPage, findBrowser, launchBrowser, removeDir, serveDir, stopwatch, type StaticServer } from './harness.js';
import { SOFTWARE_ADAPTER } from '../../src/backend/select.js';
import { BROWSER_CASES, TAB, type BrowserTarget, type Environment, type PageMatrix } from './page-api.js';

/**
 * The harness's flags and --enable-unsafe-swiftshader (Chromium no longer falls back to software
 * WebGL silently: without it the page logs a deprecation warning). Verified with Chromium 156:
 * --disable-webgpu, --disable-features=WebGPU and --disable-blink-features=WebGPU all leave
 * navigator.gpu defined, so the tab without WebGPU deletes it instead.
 */
const ARGS = [...CHROMIUM_ARGS, '--enable-unsafe-swiftshader'];

/** ANGLE's performance notes ("GPU stall due to ReadPixels"): every readback on a software GL says so. */
const BENIGN = /GL Driver Message \(OpenGL, Performance/;

/** the browser tolerance of every target: float32 against scikit-learn's float64 */
const tolerance = FLOAT32_SKLEARN;

// Measured on SwiftShader (2 cores): vite build ≈ 1 s, launch + load ≈ 1 s, a case 0.05–0.4 s plus
// 2–5 s the first time a WebGPU β-class's pipelines or a gpu.js shape's kernels compile.
const SETUP_TIMEOUT = 120_000;
const CASE_TIMEOUT = 90_000;

interface Tab {
  page: Page;
  environment: Environment;
  /** console errors and warnings, uncaught page errors, failed requests: any of them fails the suite */
  problems: string[];
}

let outDir: string | undefined;
let server: StaticServer | undefined;
let browser: Browser | undefined;
let executablePath: string;
const tabs = {} as Record<'webgpu' | 'no-webgpu', Tab>;
const { timings, timed } = stopwatch();

async function openTab(kind: 'webgpu' | 'no-webgpu'): Promise<Tab> {
  const page = await browser!.newPage();
  const problems: string[] = [];
  // a browser without WebGPU: no navigator.gpu for the page or the library
  if (kind === 'no-webgpu') await page.evaluateOnNewDocument(() => delete (Navigator.prototype as { gpu?: unknown }).gpu);
  page.on('console', (m) => {
    // Chromium reports uncaptured WebGPU validation errors as console warnings
    if ((m.type() === 'error' || m.type() === 'warn') && !BENIGN.test(m.text())) problems.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${(e as Error).message ?? String(e)}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  await timed(`load (${kind})`, async () => {
    await page.goto(server!.url, { waitUntil: 'load' });
    try {
      await page.waitForFunction(() => window.webnmf !== undefined, { timeout: 30_000 });
    } catch (e) {
      throw new Error(`The page (${kind}) never exposed window.webnmf: ${(e as Error).message}\n${problems.join('\n')}`);
    }
  });
  const environment = await page.evaluate(() => window.webnmf!.environment);
  console.info(`browser tab (${kind}): ${JSON.stringify(environment)}`);
  return { page, environment, problems };
}

beforeAll(async () => {
  executablePath = findBrowser();
  outDir = await timed('vite build', buildPage);
  server = await serveDir(outDir);
  browser = await timed('launch', () => launchBrowser(executablePath, ARGS));
  console.info(`browser: ${executablePath} (${await browser.version()})`);
  tabs.webgpu = await openTab('webgpu');
  tabs['no-webgpu'] = await openTab('no-webgpu');
  if (!tabs.webgpu.environment.adapter) {
    throw new Error(
      `Chromium (${executablePath}) gave the page no WebGPU adapter: ${tabs.webgpu.environment.webgpu}. ` +
        `Flags: ${ARGS.join(' ')}. Without a GPU, WebGPU runs on Chromium's bundled SwiftShader.`,
    );
  }
  if (!tabs['no-webgpu'].environment.webgl2) throw new Error(`Chromium (${executablePath}) gave the page no WebGL2 context. Flags: ${ARGS.join(' ')}.`);
}, SETUP_TIMEOUT);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await removeDir(outDir);
  console.info(`browser suite timings (ms): ${JSON.stringify(timings)}`);
}, SETUP_TIMEOUT);

/** `fromGpu`: the matrix came out of a GPU fit, so it must be float32 (inverseTransform is a host product). */
function expectMatrix(got: PageMatrix | undefined, want: DenseFixture | undefined, what: string, fromGpu = true): void {
  expect(got, `${what} was returned`).toBeDefined();
  expect(want, `${what} has an expected value`).toBeDefined();
  if (fromGpu) expect(got!.arrayType, `${what} is float32: the fit really ran on the GPU backend`).toBe('Float32Array');
  expect({ rows: got!.rows, cols: got!.cols }, `shape of ${what}`).toEqual({ rows: want!.rows, cols: want!.cols });
  expect(relativeError(got!, want!), `relative error of ${what}`).toBeLessThan(tolerance);
}

/** Run `fn` in `tab`; fail on anything the tab logged meanwhile. */
async function inTab<T>(tab: Tab, label: string, fn: (page: Page) => Promise<T>): Promise<T> {
  const before = tab.problems.length;
  const result = await timed(label, () => fn(tab.page));
  expect(tab.problems.slice(before), `${label}: console errors or warnings, page errors`).toEqual([]);
  return result;
}

const TARGETS = Object.keys(BROWSER_CASES) as BrowserTarget[];

describe.each(TARGETS)(`%s in headless Chromium matches scikit-learn ${SKLEARN_VERSION}`, (target) => {
  const tab = () => tabs[TAB[target]];
  const { parity, pg, minibatch } = BROWSER_CASES[target];

  it('runs where the target says, and says so', async () => {
    const description = await inTab(tab(), `describe ${target}`, (page) => page.evaluate((t) => window.webnmf!.describe(t), target));
    if (target === 'gpujs') {
      expect(description).toMatch(/^gpujs \(webgl2: .+\)$/);
      expect(description).toContain(tab().environment.webgl2!.renderer);
    } else {
      expect(description).toMatch(new RegExp(`^webgpu: .*\\(float32, ${target.slice('webgpu/'.length)} plan\\)$`));
    }
  }, CASE_TIMEOUT);

  it.each(parity.map((name) => [name, byName(cases, name)] as const))('%s', async (name, c) => {
    const got = await inTab(tab(), `${name} (${target})`, (page) => page.evaluate((n, t) => window.webnmf!.run(n, t), name, target));
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
  }, CASE_TIMEOUT);

  if (pg.length > 0) {
    it.each(pg.map((name) => [name, byName(pgCases, name)] as const))("solver 'pg': %s", async (name, c) => {
      const got = await inTab(tab(), `${name} (${target})`, (page) => page.evaluate((n, t) => window.webnmf!.runPg(n, t), name, target));
      // test/conformance/pg.test.ts's float32 rules: a late line-search branch may move
      expectMatrix(got.W, c.expected.W, `${name}: W`);
      expectMatrix(got.H, c.expected.H, `${name}: H`);
      expect(Math.abs(got.nIter - c.expected.nIter), `${name}: nIter ${got.nIter} vs ${c.expected.nIter}`).toBeLessThanOrEqual(Math.max(1, Math.floor(0.1 * c.expected.nIter)));
      expect(got.warnings.filter((w) => w === NLS_WARNING).length, `${name}: nls warning`).toBe(c.expected.nlsLimitHits > 0 ? 1 : 0);
    }, CASE_TIMEOUT);
  }

  if (minibatch.length > 0) {
    it.each(minibatch.map((name) => [name, byName(minibatchCases, name)] as const))('MiniBatchNMF: %s', async (name, c) => {
      const got = await inTab(tab(), `${name} (${target})`, (page) => page.evaluate((n, t) => window.webnmf!.runMiniBatch(n, t), name, target));
      // MiniBatchNMF keeps H (and returns W) in float64 between batches: the backend is what says where it ran
      expect(got.backendUsed).toMatch(target === 'gpujs' ? /^gpujs \(webgl2: / : /^webgpu: /);
      expectMatrix(got.H, c.expected.H, `${name}: H`, false);
      expectMatrix(got.transformW, c.expected.transformW, `${name}: transform(X2)`, false);
      if (c.expected.W) expectMatrix(got.W, c.expected.W, `${name}: W`, false);
    }, CASE_TIMEOUT);
  }
});

describe('the tab with WebGPU', () => {
  it('sees a WebGPU adapter', () => {
    expect(tabs.webgpu.environment.adapter!.maxStorageBufferBindingSize).toBeGreaterThan(0);
  });

  it("backend 'auto' passes over a software adapter and fits on the CPU", async () => {
    const adapter = tabs.webgpu.environment.adapter!;
    const got = await inTab(tabs.webgpu, 'auto (webgpu)', (page) => page.evaluate(() => window.webnmf!.fitAuto('est-cd-csr')));
    const description = `${adapter.vendor} ${adapter.architecture} ${adapter.description}`;
    if (SOFTWARE_ADAPTER.test(description)) {
      expect(got.backendUsed, `auto on '${description}'`).toBe('cpu (float64)');
      expect(got.arrayType).toBe('Float64Array');
    } else {
      // a hardware GPU (not on this project's machines): 'auto' takes it
      expect(got.backendUsed, `auto on '${description}'`).toMatch(/^webgpu: /);
      expect(got.arrayType).toBe('Float32Array');
    }
  }, CASE_TIMEOUT);

  it.each([['cpu', 'auto'], ['webgpu', 'software'], ['webgpu', 'hardware']] as const)(
    'MiniBatchNMF fits from a File read in row blocks as it does in memory (%s, gpuProfile %s)',
    async (backend, gpuProfile) => {
      const rows = Array.from({ length: 45 }, (_, i) => Array.from({ length: 8 }, (_, j) => 0.1 + ((i * 7 + j * 13) % 17) / 10));
      const csv = rows.map((r) => r.join(',')).join('\n') + '\n';
      const got = await inTab(tabs.webgpu, `stream ${backend} ${gpuProfile}`, (page) => page.evaluate((text, b, g) => window.webnmf!.streamFile(text, b, g), csv, backend, gpuProfile));
      if (backend === 'webgpu') expect(got.backendUsed).toMatch(new RegExp(`\\(float32, ${gpuProfile} plan\\)$`));
      expect(got.blockRows).toEqual([7, 7, 7, 7, 7, 7, 3]);
      expect(got.streamed.nSteps).toBe(got.inMemory.nSteps);
      expect(got.streamed.nIter).toBe(got.inMemory.nIter);
      expectMatrix(got.streamed.H, { rows: 3, cols: 8, data: got.inMemory.H.data }, 'streamed H', false);
      expect(Math.abs(got.streamed.reconstructionErr / got.inMemory.reconstructionErr - 1)).toBeLessThan(1e-6);
    },
    CASE_TIMEOUT,
  );
});

describe('the tab without WebGPU (gpu.js on WebGL2)', () => {
  const tab = () => tabs['no-webgpu'];

  it('has no WebGPU and a WebGL2 context with float render targets', () => {
    expect(tab().environment.webgpu).toMatch(/^navigator\.gpu is absent/);
    expect(tab().environment.webgl2!.floatTargets).toBe(true);
    expect(tab().environment.webgl2!.maxTextureSize).toBeGreaterThan(0);
  });

  it('degenerate shapes (one row, one column, k = 1, k = min(m, n)) and loops over 1000 agree with the CPU backend', async () => {
    const got = await inTab(tab(), 'shapes', (page) => page.evaluate(() => window.webnmf!.degenerateShapes()));
    expect(got.length).toBe(12);
    for (const r of got) {
      expect(r.backendUsed, r.label).toMatch(/^gpujs \(webgl2: /);
      expect(r.gapW, `${r.label}: W`).toBeLessThan(1e-4);
      expect(r.gapH, `${r.label}: H`).toBeLessThan(1e-4);
    }
  }, CASE_TIMEOUT);

  it('a WebGL2 context lost mid-fit rejects the fit clearly; the next fit makes a new context', async () => {
    const before = tab().problems.length;
    const got = await timed('context loss', () => tab().page.evaluate(() => window.webnmf!.loseContextMidFit()));
    expect(got.errorName).toBe('NMFError');
    expect(got.error).toMatch(/WebGL2 context of the gpujs backend was lost.*Fit again/);
    expect(got.refit).toMatch(/^gpujs \(webgl2: /);
    expect(got.gapW).toBeLessThan(1e-4);
    // Chromium reports the loss itself on the console; nothing else may appear
    const seen = tab().problems.splice(before);
    expect(seen.filter((p) => !/CONTEXT_LOST_WEBGL|context lost/i.test(p))).toEqual([]);
  }, CASE_TIMEOUT);

  it("backend 'gpujs' in a Web Worker (OffscreenCanvas WebGL2) gives the main thread's result", async () => {
    const { worker, main } = await inTab(tab(), 'worker', (page) => page.evaluate(() => window.webnmf!.fitInWorker()));
    expect(worker.error, 'the worker fit threw').toBeUndefined();
    expect(worker.backendUsed).toMatch(/^gpujs \(webgl2: /);
    expect(worker.arrayType).toBe('Float32Array');
    expect(relativeError({ data: worker.W! }, { data: main.W! })).toBeLessThan(1e-6);
    expect(relativeError({ data: worker.H! }, { data: main.H! })).toBeLessThan(1e-6);
  }, CASE_TIMEOUT);

  it("backend 'auto' without WebGPU: gpu.js on a hardware WebGL2, the CPU on a software one", async () => {
    const renderer = tab().environment.webgl2!.renderer;
    const got = await inTab(tab(), 'auto (no webgpu)', (page) => page.evaluate(() => window.webnmf!.fitAuto('est-cd-csr')));
    if (SOFTWARE_ADAPTER.test(renderer)) {
      expect(got.backendUsed, `auto on '${renderer}'`).toBe('cpu (float64)');
      expect(got.arrayType).toBe('Float64Array');
    } else {
      expect(got.backendUsed, `auto on '${renderer}'`).toMatch(/^gpujs \(webgl2: /);
      expect(got.arrayType).toBe('Float32Array');
    }
  }, CASE_TIMEOUT);
});

it.each(['webgpu', 'no-webgpu'] as const)('the page (tab %s) saw no uncaught errors, unhandled rejections or console errors', async (kind) => {
  const pageErrors = await tabs[kind].page.evaluate(() => window.webnmf!.errors);
  expect(pageErrors).toEqual([]);
  expect(tabs[kind].problems).toEqual([]);
});
