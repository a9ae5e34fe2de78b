// The browser demo (demo/), as a person would use it, in headless Chromium through puppeteer:
// build it with vite into a temp dir, serve it on 127.0.0.1, fit topics on the State of the Union
// passages, stop a long fit, factor the digits on WebGPU. Screenshots go to test/artifacts/ for a
// human (or a reviewing engineer) to look at. Any console error or warning, uncaught error or failed
// request, in the page or its worker, fails the suite.

import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, ConsoleMessage, Page } from 'puppeteer';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoProbe } from '../../demo/shared/probe.js';
import { findBrowser, launchBrowser, removeDir, serveDir, stopwatch, type StaticServer } from '../browser/harness.js';

const DEMO_CONFIG = fileURLToPath(new URL('../../demo/vite.config.ts', import.meta.url));
const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

// Measured on this machine (2 cores, SwiftShader): vite build 1.5–5 s (the corpus chunk is 11 MB);
// a topic fit of 1990–2021 (1,497 passages, 500 terms, k = 5, 60 iterations; 'auto' runs on the CPU
// beside a software adapter) ≈ 1–1.5 s with the corpus load; stop → stopped 0.1–0.8 s; the digits on
// WebGPU (600 × 64, k = 16, 60 iterations, ≈ 80 ms each on SwiftShader) 6–12 s. The file: 15–30 s.
const SETUP_TIMEOUT = 120_000;
const TEST_TIMEOUT = 60_000;
const FIT_TIMEOUT = 45_000;

let outDir: string | undefined;
let server: StaticServer | undefined;
let browser: Browser | undefined;
const problems: string[] = [];
const { timings, timed } = stopwatch();

function watch(page: Page): void {
  const onConsole = (where: string) => (m: ConsoleMessage) => {
    if (m.type() === 'error' || m.type() === 'warn') problems.push(`${where} console.${m.type()}: ${m.text()}`);
  };
  page.on('console', onConsole('page'));
  page.on('pageerror', (e) => problems.push(`page error: ${(e as Error).message ?? String(e)}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  page.on('workercreated', (w) => {
    w.on('console', onConsole('worker'));
    w.on('error', (e) => problems.push(`worker error: ${(e as Error).message ?? String(e)}`));
  });
}

async function openPage(path: string, viewport = { width: 1360, height: 900 }): Promise<Page> {
  const page = await browser!.newPage();
  await page.setViewport({ ...viewport, deviceScaleFactor: 1 });
  watch(page);
  await page.goto(new URL(path, server!.url).href, { waitUntil: 'load' });
  await page.waitForFunction(() => window.demo !== undefined, { timeout: 20_000 });
  // the worker has looked at WebGPU when the header chip stops saying "checking"
  await page.waitForFunction(() => !document.querySelector('#env-gpu')?.textContent?.includes('checking'), { timeout: 20_000 });
  return page;
}

/** Set form fields by name, as a user would (input + change events). */
async function fill(page: Page, values: Record<string, string | boolean>): Promise<void> {
  await page.evaluate((values) => {
    const form = document.querySelector<HTMLFormElement>('#controls')!;
    for (const [name, value] of Object.entries(values)) {
      const el = form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null;
      if (!el) throw new Error(`no field ${name}`);
      if (el instanceof HTMLInputElement && el.type === 'checkbox') el.checked = value === true;
      else el.value = String(value);
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
    }
  }, values);
}

type State = ReturnType<DemoProbe['state']>;

async function waitForState(page: Page, states: State[], timeout = FIT_TIMEOUT): Promise<State> {
  try {
    await page.waitForFunction((s: State[]) => s.includes(window.demo!.state()), { timeout, polling: 100 }, states);
  } catch (e) {
    const now = await page.evaluate(() => `${window.demo!.state()}: ${document.querySelector('#status-text')?.textContent} ${document.querySelector('#status-messages')?.textContent}`);
    throw new Error(`waited ${timeout} ms for ${states.join('|')}, the page says ${now} (${(e as Error).message})\n${problems.join('\n')}`);
  }
  return page.evaluate(() => window.demo!.state());
}

const statusText = (page: Page) => page.$eval('#status-text', (el) => el.textContent ?? '');
const stat = (page: Page, name: string) => page.$eval(`[data-stat='${name}']`, (el) => el.textContent ?? '');

/** The whole page, from the top (a click may have scrolled it; sticky parts follow the scroll). */
async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  // let a pending chart redraw (requestAnimationFrame) land first
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) as `${string}.png`, fullPage });
}

beforeAll(async () => {
  const executablePath = findBrowser();
  await mkdir(ARTIFACTS, { recursive: true });
  outDir = await mkdtemp(join(tmpdir(), 'webnmf-demo-'));
  await timed('vite build', () => build({ configFile: DEMO_CONFIG, logLevel: 'warn', build: { outDir, emptyOutDir: true, sourcemap: false } }));
  server = await serveDir(outDir);
  browser = await timed('launch', () => launchBrowser(executablePath));
}, SETUP_TIMEOUT);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await removeDir(outDir);
  console.info(`demo suite timings (ms): ${JSON.stringify(timings)}`);
}, SETUP_TIMEOUT);

describe('topic modeling page', () => {
  let page: Page;

  beforeAll(async () => {
    page = await timed('topics page load', () => openPage('index.html'));
  }, SETUP_TIMEOUT);

  it('shows the WebGPU adapter the page found', async () => {
    const chip = await page.$eval('#env-gpu', (el) => el.textContent ?? '');
    expect(chip).toMatch(/^WebGPU · /);
    expect(problems).toEqual([]);
  });

  it('fits 5 topics on State of the Union passages: words, a decreasing curve, heatmap and documents', async () => {
    await fill(page, { corpus: 'sotu', fromYear: '1990', toYear: '2021', maxFeatures: '500', minDf: '5', maxDf: '0.5', nComponents: '5', maxIter: '60', solver: 'cd', backend: 'auto' });
    await page.click('#fit');
    expect(await page.$eval('#stop', (b) => (b as HTMLButtonElement).disabled)).toBe(false);
    await timed('topics fit (k=5)', () => waitForState(page, ['done', 'error']));
    expect(await page.$eval('#status-messages', (el) => el.textContent)).not.toMatch(/Error/);
    expect(await page.evaluate(() => window.demo!.state())).toBe('done');

    const topics = await page.evaluate(() => window.demo!.topics());
    expect(topics).toHaveLength(5);
    for (const words of topics) {
      expect(words).toHaveLength(10);
      for (const w of words) expect(w).toMatch(/^[\p{L}\p{N}_]{2,}$/u);
    }
    expect(await page.$$eval('#topics .topic', (els) => els.map((e) => e.querySelectorAll('.bars li').length))).toEqual([10, 10, 10, 10, 10]);

    const { measure, values } = await page.evaluate(() => window.demo!.series());
    expect(measure).toBe('violation');
    expect(values.length).toBeGreaterThanOrEqual(5);
    expect(values[values.length - 1]).toBeLessThan(values[0]);

    expect(Number((await stat(page, 'documents')).replace(/,/g, ''))).toBeGreaterThan(500);
    expect(await stat(page, 'terms')).toBe('500');
    expect(await stat(page, 'backend')).toMatch(/cpu|webgpu/);
    expect(await page.$$eval('#heatmap canvas', (c) => c.length)).toBe(1);
    expect(await page.$$eval('#documents .doc', (d) => d.length)).toBe(15);
    expect(problems).toEqual([]);
    await screenshot(page, 'demo-topics');
    await screenshot(page, 'demo-topics-viewport', false);
  }, TEST_TIMEOUT);

  it('Stop ends a long fit, says so, and the page fits again', async () => {
    await fill(page, { maxIter: '100000', tol: '0' });
    await page.click('#fit');
    // stop once the fit is under way (a few progress points on the chart)
    await page.waitForFunction(() => window.demo!.series().values.length >= 3 && window.demo!.state() === 'running', { timeout: FIT_TIMEOUT, polling: 50 });
    const t0 = performance.now();
    await page.click('#stop');
    expect(await waitForState(page, ['stopped', 'done', 'error'], 10_000)).toBe('stopped');
    timings['stop → stopped'] = Math.round(performance.now() - t0);
    expect(await statusText(page)).toMatch(/^Stopped at iteration \d+/);
    expect(await page.$eval('#fit', (b) => (b as HTMLButtonElement).disabled)).toBe(false);
    expect(await page.$eval('#stop', (b) => (b as HTMLButtonElement).disabled)).toBe(true);
    await screenshot(page, 'demo-topics-stopped');

    // usable again: a short fit runs to the end
    await fill(page, { maxIter: '20', tol: '0.0001', nComponents: '4' });
    await page.click('#fit');
    expect(await waitForState(page, ['done', 'error'])).toBe('done');
    expect(await page.evaluate(() => window.demo!.topics().length)).toBe(4);
    expect(problems).toEqual([]);
  }, TEST_TIMEOUT);

  it("fits a CSV of the user's, chosen through the file input", async () => {
    // two themes, one document per row, text in the second column (the first is an id)
    const pets = ['cats', 'dogs', 'kittens', 'puppies', 'veterinarian', 'leash', 'whiskers', 'fur'];
    const money = ['stocks', 'bonds', 'markets', 'prices', 'inflation', 'dividends', 'traders', 'shares'];
    const rows = Array.from({ length: 40 }, (_, i) => {
      const words = i % 2 === 0 ? pets : money;
      const text = Array.from({ length: 12 }, (_, j) => words[(i * 3 + j * 5) % words.length]).join(' ');
      return `${i + 1},"${text}, with a ""quoted"" aside"`;
    });
    const file = join(outDir!, 'themes.csv');
    await writeFile(file, `id,text\n${rows.join('\n')}\n`);
    await fill(page, { corpus: 'custom' });
    const input = await page.$('input[type=file][name=file]');
    await input!.uploadFile(file);
    await page.waitForFunction(() => document.querySelector('#custom-note')?.textContent?.includes('40 rows'), { timeout: 10_000 });
    expect(await page.$eval('#custom-note', (el) => el.textContent)).toContain('text from “text”');
    await fill(page, { maxFeatures: '100', minDf: '1', maxDf: '1', nComponents: '2', maxIter: '200', tol: '0.0001' });
    await page.click('#fit');
    expect(await waitForState(page, ['done', 'error'])).toBe('done');
    // the two topics are the two themes: each topic's top 4 words all come from one of them
    const themeOf = (words: string[]) => [pets, money].findIndex((theme) => words.slice(0, 4).every((w) => theme.includes(w)));
    const topics = await page.evaluate(() => window.demo!.topics());
    expect(topics.map(themeOf).sort()).toEqual([0, 1]);
    expect(await page.$eval('.doc figcaption span', (el) => el.textContent)).toMatch(/^themes\.csv · row \d+$/);
    expect(problems).toEqual([]);
    await screenshot(page, 'demo-topics-csv');
    await fill(page, { corpus: 'sotu' });
  }, TEST_TIMEOUT);

  it('lays out on a phone-sized screen', async () => {
    await page.setViewport({ width: 390, height: 844, deviceScaleFactor: 1 });
    // the chart and the heatmap follow their boxes through ResizeObserver: let them run
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    // one screen at the top (the form), one at the topics: a full page would be too tall to look at
    await screenshot(page, 'demo-topics-narrow', false);
    await page.$eval('#topics', (el) => el.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: join(ARTIFACTS, 'demo-topics-narrow-results.png') as `${string}.png` });
    await page.close();
  }, TEST_TIMEOUT);
});

describe('digits page', () => {
  it('factors the digits on WebGPU and draws components and reconstructions', async () => {
    const page = await timed('digits page load', () => openPage('digits.html'));
    // SwiftShader runs a cd iteration of this size in ≈ 80 ms: 60 iterations keep the test short
    await fill(page, { backend: 'webgpu', nComponents: '16', maxIter: '60' });
    await page.click('#fit');
    expect(await timed('digits fit (webgpu, k=16)', () => waitForState(page, ['done', 'error']))).toBe('done');
    expect(await stat(page, 'backend')).toMatch(/^webgpu/);
    expect(await page.evaluate(() => window.demo!.drawn())).toEqual({ components: 16, reconstructions: 5 });
    // every component is an image with ink in it (not a blank canvas)
    const inked = await page.$$eval('#components canvas', (canvases) =>
      canvases.map((c) => {
        const d = (c as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, 8, 8).data;
        let dark = 0;
        for (let p = 0; p < 64; p++) if (d[p * 4] < 200) dark++;
        return dark;
      }),
    );
    expect(inked).toHaveLength(16);
    for (const dark of inked) expect(dark).toBeGreaterThan(0);
    const { values } = await page.evaluate(() => window.demo!.series());
    expect(values.length).toBeGreaterThan(1);
    expect(problems).toEqual([]);
    await screenshot(page, 'demo-digits');

    // "Other digits" rebuilds five more from the same fit
    const captions = () => page.$$eval('#reconstructions .caption', (els) => els.map((e) => e.textContent));
    const before = await captions();
    await page.click('#reshuffle');
    const after = await captions();
    expect(after).toHaveLength(5);
    expect(after).not.toEqual(before);
    await page.close();
  }, TEST_TIMEOUT);
});
