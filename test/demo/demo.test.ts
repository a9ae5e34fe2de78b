// The browser demo (demo/), as a person would use it, in headless Chromium through puppeteer: fit
// topics on State of the Union passages, stop long fits (also while the corpus loads, and a WebGPU
// fit with tol 0), the answers to bad or unusual input (tol 0, a few pasted lines, k beyond the
// vocabulary, an empty k), every estimator, solver and backend of the form, and the digits on
// WebGPU. The views after a fit (linked views, export, address, code, side by side, screenshots)
// are in topics-views.test.ts. Any console error or warning, uncaught error or failed request, in
// the page or its workers, fails the suite.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fill, fit, messages, openPage, screenshot, startDemo, stat, statusText, waitForState, type Demo } from './harness.js';

// Measured on this machine (2 cores shared with other work, SwiftShader): vite build 4–8 s; the
// topic fit of 1990–2021 (1,497 passages, 500 terms, k = 5, 60 iterations, on the CPU beside a
// software adapter) 1–2 s with the corpus load; the short fits of 2010–2021 (591 passages, 300
// terms) 0.5–1 s each on the CPU, 3–4 s on gpu.js (WebGL2 on SwiftShader); a WebGPU cd iteration
// of that size ≈ 10 ms; the digits on WebGPU (600 × 64, k = 16, 60 iterations) 6–12 s.
const SETUP_TIMEOUT = 120_000;
const TEST_TIMEOUT = 90_000;

let demo: Demo;

beforeAll(async () => {
  demo = await startDemo();
}, SETUP_TIMEOUT);

afterAll(async () => {
  await demo?.close();
  if (demo) console.info(`demo suite timings (ms): ${JSON.stringify(demo.timings)}`);
}, SETUP_TIMEOUT);

/** A short corpus: 591 passages, 300 terms. */
const SHORT = { corpus: 'sotu', fromYear: '2010', toYear: '2021', maxFeatures: '300', minDf: '5', maxDf: '0.5', nComponents: '5', estimator: 'NMF', solver: 'cd', tol: '0.0001' };

describe('topic modeling page', () => {
  let page: Page;

  beforeAll(async () => {
    page = await demo.timed('topics page load', () => openPage(demo, 'index.html'));
  }, SETUP_TIMEOUT);

  afterAll(async () => {
    await page?.close();
  });

  it('shows the WebGPU adapter the page found', async () => {
    const chip = await page.$eval('#env-gpu', (el) => el.textContent ?? '');
    expect(chip).toMatch(/^WebGPU · /);
    expect(demo.problems).toEqual([]);
  });

  it('fits 5 topics on State of the Union passages: words, a decreasing curve, heatmap and documents', async () => {
    await fill(page, { corpus: 'sotu', fromYear: '1990', toYear: '2021', maxFeatures: '500', minDf: '5', maxDf: '0.5', nComponents: '5', maxIter: '60', solver: 'cd', backend: 'auto' });
    await page.click('#fit');
    expect(await page.$eval('#stop', (b) => (b as HTMLButtonElement).disabled)).toBe(false);
    expect(await demo.timed('topics fit (k=5)', () => waitForState(demo, page, ['done', 'error']))).toBe('done');

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
    expect(await stat(page, 'per-iteration')).toMatch(/ms$/);
    expect(await page.$$eval('#heatmap canvas', (c) => c.length)).toBe(1);
    expect(await page.$$eval('#documents .doc', (d) => d.length)).toBe(15);
    expect(demo.problems).toEqual([]);
    await screenshot(page, 'demo-topics');
  }, TEST_TIMEOUT);

  it('tol 0: the chart draws the time per iteration for mu (which then computes no loss, as scikit-learn) and the violation for cd', async () => {
    await fill(page, { ...SHORT, solver: 'mu', tol: '0', maxIter: '60', backend: 'cpu' });
    expect(await fit(demo, page)).toBe('done');
    const mu = await page.evaluate(() => window.demo!.series());
    expect(mu.measure).toBe('time');
    expect(mu.values.length).toBe(6); // a report every 10 iterations
    for (const v of mu.values) expect(v).toBeGreaterThan(0);
    expect(await page.$$eval('#chart canvas', (c) => c.length)).toBe(1);
    expect(await statusText(page)).toMatch(/^Reached the limit of 60 iterations/);
    expect(await statusText(page)).not.toMatch(/NaN/);

    await fill(page, { solver: 'cd' });
    expect(await fit(demo, page)).toBe('done');
    const cd = await page.evaluate(() => window.demo!.series());
    expect(cd.measure).toBe('violation');
    expect(cd.values.length).toBe(60);
    expect(cd.values.every((v) => Number.isFinite(v) && v > 0)).toBe(true);
    expect(demo.problems).toEqual([]);
  }, TEST_TIMEOUT);

  it('Stop ends a long fit, says so, and the page fits again', async () => {
    await fill(page, { ...SHORT, maxIter: '100000', tol: '0', backend: 'cpu' });
    await page.click('#fit');
    await page.waitForFunction(() => window.demo!.series().values.length >= 3 && window.demo!.state() === 'running', { timeout: 45_000, polling: 50 });
    const t0 = performance.now();
    await page.click('#stop');
    expect(await waitForState(demo, page, ['stopped', 'done', 'error'], 10_000)).toBe('stopped');
    demo.timings['stop → stopped (cpu)'] = Math.round(performance.now() - t0);
    expect(await statusText(page)).toMatch(/^Stopped at iteration \d+/);
    expect(await page.$eval('#fit', (b) => (b as HTMLButtonElement).disabled)).toBe(false);
    expect(await page.$eval('#stop', (b) => (b as HTMLButtonElement).disabled)).toBe(true);

    // usable again: a short fit runs to the end
    await fill(page, { maxIter: '20', tol: '0.0001', nComponents: '4' });
    expect(await fit(demo, page)).toBe('done');
    expect(await page.evaluate(() => window.demo!.topics().length)).toBe(4);
    expect(demo.problems).toEqual([]);
  }, TEST_TIMEOUT);

  it('Stop ends a WebGPU fit with tol 0 within one check interval (10 iterations)', async () => {
    await fill(page, { ...SHORT, maxIter: '100000', tol: '0', backend: 'webgpu' });
    await page.click('#fit');
    await page.waitForFunction(() => window.demo!.iteration() >= 20 && window.demo!.state() === 'running', { timeout: 60_000, polling: 50 });
    // the iteration reported last, read as Stop is pressed
    const atStop = await page.evaluate(() => {
      const last = window.demo!.iteration();
      document.querySelector<HTMLButtonElement>('#stop')!.click();
      return last;
    });
    expect(await waitForState(demo, page, ['stopped', 'done', 'error'], 20_000)).toBe('stopped');
    const final = await page.evaluate(() => window.demo!.iteration());
    expect(final - atStop).toBeLessThanOrEqual(10);
    expect(await statusText(page)).toBe(`Stopped at iteration ${final.toLocaleString('en-US')}. Change the settings or fit again.`);
    expect(demo.problems).toEqual([]);
  }, TEST_TIMEOUT);

  it('Stop while the corpus loads stops at once and says no iteration ran', async () => {
    await fill(page, { ...SHORT, fromYear: '1790', toYear: '2021', maxIter: '50', backend: 'cpu' });
    await page.click('#fit');
    const t0 = performance.now();
    await page.click('#stop');
    expect(await waitForState(demo, page, ['stopped', 'done', 'error'], 5_000)).toBe('stopped');
    demo.timings['stop while loading → stopped'] = Math.round(performance.now() - t0);
    expect(await statusText(page)).toMatch(/^Stopped before the first iteration \((loading|building)/);
    expect(demo.problems).toEqual([]);
  }, TEST_TIMEOUT);

  it('a few pasted lines: the document-frequency limits are relaxed, and the page says so', async () => {
    await fill(page, {
      corpus: 'custom',
      customText: 'Cats purr and sleep in the sun all day.\n\nDogs bark at the mail carrier and chase cats.\n\nStocks fell as markets worried about prices.',
      minDf: '5',
      maxDf: '0.5',
      nComponents: '2',
      maxIter: '100',
      backend: 'cpu',
      solver: 'cd',
      tol: '0.0001',
    });
    expect(await fit(demo, page)).toBe('done');
    const said = await messages(page);
    expect(said.some((m) => /^Only 3 documents: min\. doc\. freq\. 5 with max\. doc\. freq\. 0\.5 \(1 of them\) would keep no term, so this fit used min\. doc\. freq\. 1/.test(m))).toBe(true);
    expect(await stat(page, 'documents')).toBe('3');
    expect(await page.evaluate(() => window.demo!.topics().length)).toBe(2);
    expect(demo.problems).toEqual([]);
  }, TEST_TIMEOUT);

  it('k beyond the documents and terms, and an empty k, are refused with the reason, naming the field', async () => {
    await fill(page, { nComponents: '500' });
    expect(await fit(demo, page)).toBe('error');
    expect(await statusText(page)).toBe('Check the settings: the fit did not run.');
    expect(await messages(page)).toEqual([
      'k = 500 topics, but the TF-IDF matrix is 3 documents × 15 terms: NMF finds at most min(documents, terms) = 3 distinct topics. Choose k ≤ 3, or more text or a larger vocabulary.',
    ]);
    expect(await page.$eval("[name='nComponents']", (el) => el.getAttribute('aria-invalid'))).toBe('true');

    await fill(page, { nComponents: '' });
    await page.click('#fit');
    expect(await page.evaluate(() => window.demo!.state())).toBe('error');
    expect(await messages(page)).toEqual(['“Topics (k)” is empty: enter a number (at least 1).']);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('nComponents');

    // a value out of the library's range: its message, under the field's label
    await fill(page, { nComponents: '2', tol: '-1' });
    await page.click('#fit');
    await waitForState(demo, page, ['error']);
    expect(await messages(page)).toEqual([expect.stringMatching(/^tol: The 'tol' parameter of NMF must be a float in the range \[0, inf\)\. Got -1 instead\.$/)]);
    await fill(page, { tol: '0.0001', corpus: 'sotu' });
    expect(demo.problems).toEqual([]);
  }, TEST_TIMEOUT);

  it.each([
    ['MiniBatchNMF (batch cost per step)', { estimator: 'MiniBatchNMF', batchSize: '128', maxIter: '4', betaLoss: 'kullback-leibler', backend: 'cpu' }, 'batch cost', /^cpu/],
    ["solver 'pg' (scikit-learn 0.18)", { estimator: 'NMF', solver: 'pg', maxIter: '10', backend: 'cpu' }, 'violation', /^cpu/],
    ['backend gpujs, on the page (WebGL2)', { estimator: 'NMF', solver: 'mu', maxIter: '30', backend: 'gpujs' }, 'loss', /^gpujs \(webgl2: /],
  ])('fits with %s', async (_name, values, measure, backend) => {
    await fill(page, { ...SHORT, ...values });
    expect(await fit(demo, page, 60_000)).toBe('done');
    expect((await page.evaluate(() => window.demo!.series())).measure).toBe(measure);
    expect(await stat(page, 'backend')).toMatch(backend);
    expect(await page.evaluate(() => window.demo!.topics().length)).toBe(5);
    expect(demo.problems).toEqual([]);
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
    const file = join(demo.outDir, 'themes.csv');
    await writeFile(file, `id,text\n${rows.join('\n')}\n`);
    await fill(page, { corpus: 'custom', estimator: 'NMF', solver: 'cd', backend: 'cpu' });
    const input = await page.$('input[type=file][name=file]');
    await input!.uploadFile(file);
    await page.waitForFunction(() => document.querySelector('#custom-note')?.textContent?.includes('40 rows'), { timeout: 10_000 });
    expect(await page.$eval('#custom-note', (el) => el.textContent)).toContain('text from “text”');
    await fill(page, { maxFeatures: '100', minDf: '1', maxDf: '1', nComponents: '2', maxIter: '200', tol: '0.0001' });
    expect(await fit(demo, page)).toBe('done');
    // the two topics are the two themes: each topic's top 4 words all come from one of them
    const themeOf = (words: string[]) => [pets, money].findIndex((theme) => words.slice(0, 4).every((w) => theme.includes(w)));
    const topics = await page.evaluate(() => window.demo!.topics());
    expect(topics.map(themeOf).sort()).toEqual([0, 1]);
    expect(await page.$eval('.doc figcaption span', (el) => el.textContent)).toMatch(/^themes\.csv · row \d+$/);
    // no column of years: the topics-over-time view says what it needs
    expect(await page.$eval('#timeline', (el) => el.textContent)).toMatch(/needs dated documents/);
    expect(demo.problems).toEqual([]);
    await fill(page, { corpus: 'sotu' });
  }, TEST_TIMEOUT);
});

describe('digits page', () => {
  it('factors the digits on WebGPU, drawing the parts while it runs, then components and reconstructions', async () => {
    const page = await demo.timed('digits page load', () => openPage(demo, 'digits.html'));
    // SwiftShader runs a cd iteration of this size in ≈ 80 ms: 60 iterations keep the test short
    await fill(page, { backend: 'webgpu', nComponents: '16', maxIter: '60' });
    await page.click('#fit');
    expect(await demo.timed('digits fit (webgpu, k=16)', () => waitForState(demo, page, ['done', 'error']))).toBe('done');
    expect(await stat(page, 'backend')).toMatch(/^webgpu/);
    expect(await page.evaluate(() => window.demo!.liveDraws())).toBeGreaterThanOrEqual(1);
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
    expect(demo.problems).toEqual([]);
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
