// webnmf/worker in headless Chromium: WorkerNMF in a module Web Worker that vite bundled from
// `new Worker(new URL(...), { type: 'module' })`, compared in the page with the same fit on the page's
// thread: equal bit for bit on the CPU and on WebGPU (SwiftShader), progress in order, abort freeing
// the worker's GPU buffers, two workers at once, the same error classes and messages, and a model
// saved in Node loaded into the page and into a worker. No browser or adapter is a failure.

import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NMF } from '../../src/index.js';
import { seededMatrix } from '../support/matrices.js';
import { buildPage, findBrowser, launchBrowser, removeDir, serveDir, stopwatch, type StaticServer } from './harness.js';
import type { Comparison } from './worker-page-api.js';

const PAGE_DIR = fileURLToPath(new URL('./worker-page/', import.meta.url));
// Measured on SwiftShader (2 cores): build ≈ 2 s, a worker start ≈ 0.1 s, the WebGPU checks 2–6 s each.
const SETUP_TIMEOUT = 120_000;
const CASE_TIMEOUT = 90_000;

let outDir: string | undefined;
let server: StaticServer | undefined;
let browser: Browser | undefined;
let page: Page;
const problems: string[] = [];
const { timings, timed } = stopwatch();

beforeAll(async () => {
  const executablePath = findBrowser();
  outDir = await timed('vite build', () => buildPage(PAGE_DIR));
  server = await serveDir(outDir);
  browser = await timed('launch', () => launchBrowser(executablePath));
  page = await browser.newPage();
  const onConsole = (where: string) => (m: { type(): string; text(): string }) => {
    if (m.type() === 'error' || m.type() === 'warn') problems.push(`${where} console.${m.type()}: ${m.text()}`);
  };
  page.on('console', onConsole('page'));
  page.on('pageerror', (e) => problems.push(`page error: ${(e as Error).message ?? String(e)}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  page.on('workercreated', (w) => w.on('console', onConsole('worker')));
  await timed('page load', async () => {
    await page.goto(server!.url, { waitUntil: 'load' });
    await page.waitForFunction(() => window.webnmfWorker !== undefined, { timeout: 30_000 });
  });
}, SETUP_TIMEOUT);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await removeDir(outDir);
  console.info(`worker browser suite timings (ms): ${JSON.stringify(timings)}`);
}, SETUP_TIMEOUT);

const identical = (c: Comparison, dtype: string) => expect(c).toEqual({ dtypes: [dtype, dtype], firstDifference: -1 });

describe('webnmf/worker in headless Chromium (a module Web Worker)', () => {
  it.each([
    ['cd on the CPU', { nComponents: 4, solver: 'cd', randomState: 0, backend: 'cpu', maxIter: 200 }, 'Float64Array', 'cpu (float64)'],
    ['mu on WebGPU', { nComponents: 3, solver: 'mu', init: 'random', randomState: 0, backend: 'webgpu', maxIter: 40, tol: 0 }, 'Float32Array', 'webgpu: '],
  ] as const)('%s: the worker fit equals the page’s, progress included', async (name, options, dtype, backend) => {
    const r = await timed(name, () => page.evaluate((o) => window.webnmfWorker!.fit(o), options as Record<string, unknown>));
    identical(r.W, dtype);
    identical(r.components, dtype);
    identical(r.transform, dtype);
    identical(r.inverseTransform, 'Float64Array');
    expect(r.sameAttributes).toBe(true);
    expect(r.sameJSON).toBe(true);
    expect(r.backendUsed.startsWith(backend)).toBe(true);
    expect(r.progress[1].length).toBeGreaterThan(1);
    expect(r.progress[1]).toEqual(r.progress[0]);
  }, CASE_TIMEOUT);

  it('abort stops the worker’s WebGPU fit and frees its GPU buffers; the call rejects with the signal’s reason', async () => {
    const r = await timed('abort', () => page.evaluate(() => window.webnmfWorker!.abort()));
    expect(r.rejectedWithReason).toBe(true);
    expect(r.buffersDuring).toBeGreaterThan(0);
    expect(r.buffersAfter).toBe(0);
    expect(r.iterationsReported).toBeGreaterThanOrEqual(40);
  }, CASE_TIMEOUT);

  it('two workers at once (one on the CPU, one on WebGPU), each as on the page', async () => {
    const [a, b] = await timed('two workers', () => page.evaluate(() => window.webnmfWorker!.twoAtOnce()));
    identical(a, 'Float64Array');
    identical(b, 'Float32Array');
  }, CASE_TIMEOUT);

  it('errors come back as the same class with the same message and parameter', async () => {
    const pairs = await page.evaluate(() => window.webnmfWorker!.errorPairs());
    expect(pairs.map(([here]) => here[0])).toEqual(['InvalidParameterError', 'NMFError', 'InvalidParameterError', 'InvalidParameterError', 'InvalidParameterError']);
    for (const [here, there] of pairs) expect(there).toEqual(here);
  }, CASE_TIMEOUT);

  it('a model fitted and saved in Node transforms in the page and in a worker as it does in Node, bit for bit', async () => {
    const X = seededMatrix(30, 16, 7);
    const X2 = Array.from({ length: 5 }, (_, i) => Array.from({ length: 16 }, (_, j) => ((i * 3 + j) % 7) / 2));
    const model = new NMF({ nComponents: 3, solver: 'mu', betaLoss: 'kullback-leibler', init: 'nndsvdar', randomState: 0, backend: 'cpu', onWarning: () => {} });
    await model.fit(X);
    const want = Array.from((await model.transform(X2)).data);
    const got = await page.evaluate((saved, rows) => window.webnmfWorker!.load(saved, rows), JSON.parse(JSON.stringify(model)), X2);
    expect(got.dtype).toBe('Float64Array');
    expect(got.page).toEqual(want);
    expect(got.worker).toEqual(want);
  }, CASE_TIMEOUT);

  it('WorkerMiniBatchNMF: fit then partialFit as on the page', async () => {
    const r = await page.evaluate(() => window.webnmfWorker!.miniBatch());
    identical(r.components, 'Float64Array');
    expect(r.nSteps[1]).toBe(r.nSteps[0]);
  }, CASE_TIMEOUT);

  it('the page and its workers logged no errors or warnings', async () => {
    expect(await page.evaluate(() => window.webnmfWorker!.errors)).toEqual([]);
    expect(problems).toEqual([]);
  });
});
