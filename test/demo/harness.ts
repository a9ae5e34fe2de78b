// What the demo's browser tests share: build the demo with vite into a temp dir, serve it (with the
// cross-origin isolation headers the dev server sends), open its pages in headless Chromium, drive
// the form as a person would, and collect every console error or warning, uncaught error and failed
// request of the page and its workers (any of them fails a test).

import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, ConsoleMessage, Page } from 'puppeteer';
import { build } from 'vite';
import type { DemoProbe } from '../../demo/shared/probe.js';
import { CHROMIUM_ARGS, findBrowser, launchBrowser, removeDir, serveDir, stopwatch, type StaticServer } from '../browser/harness.js';

const DEMO_CONFIG = fileURLToPath(new URL('../../demo/vite.config.ts', import.meta.url));
export const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

export const DESKTOP = { width: 1400, height: 900 };
export const PHONE = { width: 390, height: 844 };

/** WebGPU (SwiftShader) and, for backend 'gpujs', WebGL2 on SwiftShader without Chromium's deprecation warning. */
const ARGS = [...CHROMIUM_ARGS, '--enable-unsafe-swiftshader'];
/** ANGLE's performance notes ("GPU stall due to ReadPixels"): Chromium's, on every readback of a software GL. */
const BENIGN = /GL Driver Message \(OpenGL, Performance/;

export interface Demo {
  url: string;
  outDir: string;
  browser: Browser;
  problems: string[];
  timings: Record<string, number>;
  timed: <T>(name: string, fn: () => Promise<T>) => Promise<T>;
  close(): Promise<void>;
}

export async function startDemo(): Promise<Demo> {
  const { timings, timed } = stopwatch();
  const executablePath = findBrowser();
  await mkdir(ARTIFACTS, { recursive: true });
  const outDir = await mkdtemp(join(tmpdir(), 'webnmf-demo-'));
  await timed('vite build', () => build({ configFile: DEMO_CONFIG, logLevel: 'warn', build: { outDir, emptyOutDir: true, sourcemap: false } }));
  const server: StaticServer = await serveDir(outDir, { headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } });
  const browser = await timed('launch', () => launchBrowser(executablePath, ARGS));
  return {
    url: server.url,
    outDir,
    browser,
    problems: [],
    timings,
    timed,
    close: async () => {
      await browser.close();
      await server.close();
      await removeDir(outDir);
    },
  };
}

function watch(page: Page, problems: string[]): void {
  const onConsole = (where: string) => (m: ConsoleMessage) => {
    if ((m.type() === 'error' || m.type() === 'warn') && !BENIGN.test(m.text())) problems.push(`${where} console.${m.type()}: ${m.text()}`);
  };
  page.on('console', onConsole('page'));
  page.on('pageerror', (e) => problems.push(`page error: ${(e as Error).message ?? String(e)}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  page.on('workercreated', (w) => {
    w.on('console', onConsole('worker'));
    w.on('error', (e) => problems.push(`worker error: ${(e as Error).message ?? String(e)}`));
  });
}

/** A demo page (`path` may carry a query), once its probe is up and the header has looked at WebGPU. */
export async function openPage(demo: Demo, path: string, viewport = DESKTOP): Promise<Page> {
  const page = await demo.browser.newPage();
  await page.setViewport({ ...viewport, deviceScaleFactor: 1 });
  watch(page, demo.problems);
  await page.goto(new URL(path, demo.url).href, { waitUntil: 'load' });
  await page.waitForFunction(() => window.demo !== undefined, { timeout: 20_000 });
  await page.waitForFunction(() => !document.querySelector('#env-gpu')?.textContent?.includes('checking'), { timeout: 20_000 });
  return page;
}

/** Set form fields by name, as a user would (input + change events). */
export async function fill(page: Page, values: Record<string, string | boolean>, form = '#controls'): Promise<void> {
  await page.evaluate(
    (values, form) => {
      const f = document.querySelector<HTMLFormElement>(form)!;
      for (const [name, value] of Object.entries(values)) {
        const el = f.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null;
        if (!el) throw new Error(`no field ${name}`);
        if (el instanceof HTMLInputElement && el.type === 'checkbox') el.checked = value === true;
        else el.value = String(value);
        el.dispatchEvent(new Event('input', { bubbles: true }));
        el.dispatchEvent(new Event('change', { bubbles: true }));
      }
    },
    values,
    form,
  );
}

export type State = ReturnType<DemoProbe['state']>;

export async function waitForState(demo: Demo, page: Page, states: State[], timeout = 45_000): Promise<State> {
  try {
    await page.waitForFunction((s: State[]) => s.includes(window.demo!.state()), { timeout, polling: 100 }, states);
  } catch (e) {
    const now = await page.evaluate(() => `${window.demo!.state()}: ${document.querySelector('#status-text')?.textContent} ${document.querySelector('#status-messages')?.textContent}`);
    throw new Error(`waited ${timeout} ms for ${states.join('|')}, the page says ${now} (${(e as Error).message})\n${demo.problems.join('\n')}`);
  }
  return page.evaluate(() => window.demo!.state());
}

/** Fit with the form as it is; the state it ends in. */
export async function fit(demo: Demo, page: Page, timeout?: number): Promise<State> {
  await page.click('#fit');
  return waitForState(demo, page, ['done', 'error', 'stopped'], timeout);
}

export const statusText = (page: Page) => page.$eval('#status-text', (el) => el.textContent ?? '');
export const messages = (page: Page) => page.$$eval('#status-messages li', (els) => els.map((e) => e.textContent ?? ''));
export const stat = (page: Page, name: string) => page.$eval(`[data-stat='${name}']`, (el) => el.textContent ?? '');

/** Let pending redraws (requestAnimationFrame, ResizeObserver) land. */
export const settle = (page: Page) => page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

/** The whole page from the top, or (fullPage false) the screen as it is scrolled now. */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
  await settle(page);
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) as `${string}.png`, fullPage });
}

/** One element (a card), scrolled into view. */
export async function screenshotOf(page: Page, selector: string, name: string): Promise<void> {
  const el = await page.$(selector);
  if (!el) throw new Error(`no ${selector} to photograph`);
  await el.scrollIntoView();
  await settle(page);
  await el.screenshot({ path: join(ARTIFACTS, `${name}.png`) as `${string}.png` });
}
