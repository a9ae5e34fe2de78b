// The topic page's views after a fit, in headless Chromium: the topics drawn while the fit runs,
// topics over time (against the fit's own W), the linked views (a topic, a year, a document), λ
// relevance, the export (its CSVs against the fit, its model loaded by the library and by
// `webnmf transform`, a real download), the settings in the address, the code panel, two fits side
// by side; then screenshots of every view at desktop (1400 × 900) and phone (390 × 844) width.

import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsvRows } from '../../demo/topics/corpus.js';
import type { PlainMatrix } from '../../demo/shared/probe.js';
import { NMF, TfidfVectorizer } from '../../src/index.js';
import { removeDir } from '../browser/harness.js';
import { webnmf } from '../support/cli.js';
import { PHONE, fill, fit, openPage, screenshot, screenshotOf, settle, startDemo, waitForState, type Demo } from './harness.js';

const SETUP_TIMEOUT = 120_000;
const TEST_TIMEOUT = 90_000;
const K = 5;
/**
 * 1990–2021: 1,497 passages of 32 years, 500 terms; on the CPU (the page's 'auto' beside a software
 * adapter). 1500 iterations with tol 0: the CPU backend runs one in well under a millisecond, and the
 * fit must last long enough for its progress to reach the page while it runs.
 */
const SETTINGS = { corpus: 'sotu', fromYear: '1990', toYear: '2021', maxFeatures: '500', minDf: '5', maxDf: '0.5', nComponents: String(K), maxIter: '1500', tol: '0', solver: 'cd', backend: 'cpu' };

let demo: Demo;
let page: Page;
let result: { W: PlainMatrix; H: PlainMatrix; labels: string[]; years: number[] | null; featureNames: string[] };
let scratch: string;

beforeAll(async () => {
  demo = await startDemo();
  scratch = await mkdtemp(join(tmpdir(), 'webnmf-demo-export-'));
  page = await openPage(demo, 'index.html');
}, SETUP_TIMEOUT);

afterAll(async () => {
  await demo?.close();
  await removeDir(scratch);
  if (demo) console.info(`demo views suite timings (ms): ${JSON.stringify(demo.timings)}`);
}, SETUP_TIMEOUT);

const probe = <T>(fn: () => T) => page.evaluate(fn);

/** Move the λ slider and let it go, as a drag does (input, then change). */
const setLambda = (value: number) =>
  page.$eval('#lambda', (el, value) => {
    (el as HTMLInputElement).value = String(value);
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }, value);

describe('the topic views', () => {
  it('draws the topics while the fit runs, then the finished fit', async () => {
    await fill(page, SETTINGS);
    expect(await demo.timed('views fit', () => fit(demo, page))).toBe('done');
    // at least the first report's H (read through the running fit) was drawn before the end
    expect(await probe(() => window.demo!.liveDraws())).toBeGreaterThanOrEqual(1);
    result = (await probe(() => window.demo!.result!()))!;
    expect([result.W.rows, result.W.cols, result.H.rows, result.H.cols]).toEqual([1497, K, K, 500]);
    expect(demo.problems).toEqual([]);
  }, TEST_TIMEOUT);

  it("topics over time: each year's mean topic shares, from the fit's W", async () => {
    const drawn = (await probe(() => window.demo!.yearShares!()))!;
    // the same numbers, computed here from W and the documents' years
    const byYear = new Map<number, number[][]>();
    result.years!.forEach((y, i) => {
      const row = result.W.data.slice(i * K, (i + 1) * K);
      const sum = row.reduce((a, b) => a + b, 0);
      if (sum > 0) byYear.set(y, [...(byYear.get(y) ?? []), row.map((v) => v / sum)]);
    });
    const years = [...byYear.keys()].sort((a, b) => a - b);
    expect(drawn.years).toEqual(years);
    expect(years).toHaveLength(32);
    years.forEach((y, r) => {
      const rows = byYear.get(y)!;
      for (let t = 0; t < K; t++) expect(drawn.shares[r * K + t]).toBeCloseTo(rows.reduce((s, row) => s + row[t], 0) / rows.length, 12);
    });
    expect(await page.$$eval('#timeline svg polygon', (p) => p.length)).toBe(K);
    expect(await page.$$eval('#timeline .chip-topic', (c) => c.length)).toBe(K);
    await screenshotOf(page, '#timeline-card', 'demo-timeline');
  }, TEST_TIMEOUT);

  it('linked views: a topic filters the heatmap and the documents; a year lists its documents; a document opens with its topic mix', async () => {
    await page.click('#topics .topic[data-topic="1"]');
    expect(await probe(() => window.demo!.selection!())).toEqual({ topic: 1, year: null });
    expect(await page.$eval('#heatmap-sub', (el) => el.textContent)).toMatch(/whose largest topic is topic 2/);
    const shares = await page.$$eval('#documents .doc figcaption span:last-child', (els) => els.map((e) => e.textContent));
    expect(shares.length).toBe(9);
    for (const s of shares) expect(s).toMatch(/^\d+% topic 2$/);
    expect(await page.$eval('#map .bubble[data-topic="1"]', (el) => el.classList.contains('on'))).toBe(true);
    await screenshotOf(page, '#map-card', 'demo-map');

    // a click in the middle of the timeline picks a year; its documents are listed, all of that year
    await page.$eval('#timeline svg', (svg) => {
      const r = svg.getBoundingClientRect();
      svg.dispatchEvent(new MouseEvent('click', { clientX: r.left + r.width / 2, clientY: r.top + 60, bubbles: true }));
    });
    const { year } = (await probe(() => window.demo!.selection!()))!;
    expect(year).toBeGreaterThanOrEqual(1990);
    const labels = await page.$$eval('#year-docs .doc figcaption span:first-child', (els) => els.map((e) => e.textContent ?? ''));
    expect(labels.length).toBe(result.years!.filter((y) => y === year).length);
    for (const l of labels) expect(l.startsWith(`${year} · `)).toBe(true);
    expect(await page.$eval('#year-title', (el) => el.textContent)).toMatch(new RegExp(`^${year}: ${labels.length} documents, by their share of topic 2$`));
    await screenshotOf(page, '#timeline-card', 'demo-timeline-year');

    // a document opens in full, with its topic mix; Esc closes it and stops nothing
    await page.click('#year-docs .doc');
    expect(await page.$eval('#reader', (d) => (d as HTMLDialogElement).open)).toBe(true);
    expect(await page.$eval('#reader h2', (el) => el.textContent)).toBe(labels[0]);
    expect(await page.$$eval('#reader .mix span', (s) => s.length)).toBeGreaterThanOrEqual(1);
    await screenshot(page, 'demo-reader', false);
    await page.keyboard.press('Escape');
    expect(await page.$eval('#reader', (d) => (d as HTMLDialogElement).open)).toBe(false);
    expect(await probe(() => window.demo!.state())).toBe('done');

    // keyboard: Enter on a topic card clears the selection
    await page.focus('#topics .topic[data-topic="1"]');
    await page.keyboard.press('Enter');
    expect(await probe(() => window.demo!.selection!())).toEqual({ topic: null, year });
    expect(demo.problems).toEqual([]);
  }, TEST_TIMEOUT);

  it('λ: lower values rank words peculiar to a topic above words frequent everywhere (pyLDAvis relevance)', async () => {
    const atOne = await probe(() => window.demo!.topics());
    await setLambda(0.2);
    const atLow = await probe(() => window.demo!.topics());
    expect(atLow).toHaveLength(K);
    expect(atLow).not.toEqual(atOne);
    // topics.csv: relevance falls within each topic, and is λ·log p(w|t) + (1 − λ)·log(p(w|t) / p(w))
    const rows = parseCsvRows((await probe(() => window.demo!.exports!()))['topics.csv']).slice(1);
    for (const [topic, rank, , pwt, pw, relevance] of rows) {
      expect(Number(relevance)).toBeCloseTo(0.2 * Math.log(Number(pwt)) + 0.8 * Math.log(Number(pwt) / Number(pw)), 10);
      if (rank !== '1') expect(Number(relevance)).toBeLessThanOrEqual(Number(rows.find((r) => r[0] === topic && Number(r[1]) === Number(rank) - 1)![5]));
    }
    await setLambda(1);
    expect(await probe(() => window.demo!.topics())).toEqual(atOne);
  }, TEST_TIMEOUT);

  it('export: W and H as the fit returned them, document shares, and a model that the library and `webnmf transform` load', async () => {
    const files = await probe(() => window.demo!.exports!());
    const numbers = (text: string, skip: number) => parseCsvRows(text).slice(1).map((r) => r.slice(skip).map(Number));
    expect(numbers(files['W.csv'], 2).flat()).toEqual(result.W.data);
    expect(numbers(files['H.csv'], 1).flat()).toEqual(result.H.data);
    expect(parseCsvRows(files['H.csv'])[0].slice(1)).toEqual(result.featureNames);
    const shares = parseCsvRows(files['document-topics.csv']);
    expect(shares[0]).toEqual(['document', 'label', 'year', 'largest_topic', ...Array.from({ length: K }, (_, t) => `topic_${t + 1}`)]);
    shares.slice(1).forEach((r, i) => {
      const w = result.W.data.slice(i * K, (i + 1) * K);
      const sum = w.reduce((a, b) => a + b, 0);
      expect(r[1]).toBe(result.labels[i]);
      expect(Number(r[2])).toBe(result.years![i]);
      r.slice(4).forEach((s, t) => expect(Number(s)).toBeCloseTo(w[t] / sum, 14));
    });
    const json = JSON.parse(files['topics.json']);
    expect(json.W.data).toEqual(result.W.data);
    expect(json.H.data).toEqual(result.H.data);

    // the model file, as the CLI's topics --save writes it: the library loads both halves
    const saved = JSON.parse(files['topic-model.json']);
    expect([saved.format, saved.version]).toEqual(['webnmf.TopicModel', 1]);
    const model = NMF.fromJSON(saved.model);
    const vectorizer = TfidfVectorizer.fromJSON(saved.vectorizer);
    expect(Array.from(model.components!.data)).toEqual(result.H.data);
    expect(vectorizer.featureNames).toEqual(result.featureNames);
    const W = await model.transform(vectorizer.transform(['Our schools and our teachers need help, and our children need good schools.']));
    expect([W.rows, W.cols]).toEqual([1, K]);

    // the file the button downloads is that file
    const downloads = join(scratch, 'downloads');
    const cdp = await page.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
    await page.click('#export button[data-file="topic-model.json"]');
    const path = join(downloads, 'topic-model.json');
    for (let i = 0; i < 100 && !(await readFile(path, 'utf8').catch(() => null)); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await readFile(path, 'utf8')).toBe(files['topic-model.json']);

    // `webnmf transform` takes it as it takes a model of `webnmf topics --save`
    const text = join(scratch, 'new.txt');
    await writeFile(text, 'Our schools and our teachers need help.\n\nThe war in Iraq and the threat of terror.\n');
    const run = await demo.timed('webnmf transform', () => webnmf('transform', path, text, '--backend', 'cpu'));
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^2 paragraphs from /m);
    expect(run.stdout).toMatch(/^document 1: #\d \d\.\d{3} \(/m);
    expect(run.stdout).toMatch(/^document 2: #\d \d\.\d{3} \(/m);
    await screenshotOf(page, '#export-card', 'demo-export');
    expect(demo.problems).toEqual([]);
  }, TEST_TIMEOUT);

  it('the settings live in the address: a link opens the page with them; the code panel shows the calls', async () => {
    const query = await probe(() => location.search);
    const params = Object.fromEntries(new URLSearchParams(query));
    expect(params).toMatchObject({ fromYear: '1990', maxFeatures: '500', nComponents: String(K), maxIter: SETTINGS.maxIter, tol: '0', backend: 'cpu' });
    expect(params).not.toHaveProperty('solver'); // defaults stay out
    const code = await page.$eval('#code', (el) => el.textContent ?? '');
    expect(code).toContain(`nComponents: ${K},`);
    expect(code).toContain("backend: 'cpu',");
    expect(code).toContain(`n_components=${K},`);
    expect(code).toContain('max_df=0.5,');
    await screenshotOf(page, '#code-card', 'demo-code');

    const again = await openPage(demo, `index.html${query}`);
    const values = await again.evaluate(() => {
      const form = document.querySelector<HTMLFormElement>('#controls')!;
      return Object.fromEntries(['fromYear', 'toYear', 'maxFeatures', 'nComponents', 'maxIter', 'solver', 'backend'].map((n) => [n, (form.elements.namedItem(n) as HTMLInputElement).value]));
    });
    expect(values).toEqual({ fromYear: '1990', toYear: '2021', maxFeatures: '500', nComponents: String(K), maxIter: SETTINGS.maxIter, solver: 'cd', backend: 'cpu' });
    expect(await again.$eval('#code', (el) => el.textContent)).toBe(code);
    await again.close();
    expect(demo.problems).toEqual([]);
  }, TEST_TIMEOUT);

  it('every view at desktop width', async () => {
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'demo-topics-overview', false);
    for (const [card, name] of [['#status', 'status'], ['#topics-card', 'topics'], ['#map-card', 'map'], ['#heatmap-card', 'heatmap'], ['#documents-card', 'documents']]) await screenshotOf(page, card, `demo-desktop-${name}`);
  }, TEST_TIMEOUT);
  it('side by side: the same documents fitted with Kullback-Leibler beside the Frobenius fit, with their times', async () => {
    await page.click('#compare-run');
    expect(await waitForState(demo, page, ['done', 'error', 'stopped'])).toBe('done');
    const compared = (await probe(() => window.demo!.compared!()))!;
    expect(compared.secondLoss).toBe('kullback-leibler');
    expect((compared.first as { fitMs: number }).fitMs).toBeGreaterThan(0);
    expect((compared.second as { fitMs: number }).fitMs).toBeGreaterThan(0);
    expect(await page.$$eval('#compare .run', (r) => r.length)).toBe(2);
    expect(await page.$eval('#status-text', (el) => el.textContent)).toMatch(/^Side by side: (Converged after|Reached the limit of) [\d,]+ iterations/);
    expect(await page.$$eval('#compare .run-topics', (lists) => lists.map((l) => l.children.length))).toEqual([K, K]);
    // the first fit's views stay
    expect((await probe(() => window.demo!.result!()))!.W.data).toEqual(result.W.data);
    await screenshotOf(page, '#compare-card', 'demo-compare');
    expect(demo.problems).toEqual([]);
  }, TEST_TIMEOUT);

});

describe('the topic page on a phone (390 × 844)', () => {
  let phone: Page;

  beforeAll(async () => {
    phone = await openPage(demo, 'index.html', PHONE);
  }, SETUP_TIMEOUT);

  afterAll(async () => {
    await phone?.close();
  });

  it('shows the WebGPU and CPU chips, the results right below folded settings, and Fit always on screen', async () => {
    for (const chip of ['#env-gpu', '#env-cpu']) expect(await phone.$eval(chip, (el) => (el as HTMLElement).offsetWidth > 0)).toBe(true);
    expect(await phone.$eval('#settings-toggle', (el) => el.getAttribute('aria-expanded'))).toBe('false');
    // the status card starts within the first screen
    expect(await phone.$eval('#status', (el) => el.getBoundingClientRect().top)).toBeLessThan(PHONE.height / 2);
    await screenshot(phone, 'demo-phone-start', false);

    // open the settings and "Regularization and stopping": Fit stays on screen
    await phone.click('#settings-toggle');
    await phone.click('#more summary');
    await phone.$eval('#more', (el) => el.scrollIntoView({ block: 'end' }));
    await settle(phone);
    const fitBox = await phone.$eval('#fit', (el) => el.getBoundingClientRect().toJSON());
    expect(fitBox.top).toBeGreaterThan(0);
    expect(fitBox.bottom).toBeLessThanOrEqual(PHONE.height);
    await screenshot(phone, 'demo-phone-settings', false);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
  }, TEST_TIMEOUT);

  it('fits, folds the settings away, and lays out every view within the width', async () => {
    await fill(phone, SETTINGS);
    expect(await fit(demo, phone)).toBe('done');
    expect(await phone.$eval('#settings-toggle', (el) => el.getAttribute('aria-expanded'))).toBe('false');
    await screenshot(phone, 'demo-phone-status', false);
    for (const [card, name] of [['#topics-card', 'topics'], ['#map-card', 'map'], ['#timeline-card', 'timeline'], ['#heatmap-card', 'heatmap'], ['#documents-card', 'documents'], ['#compare-card', 'compare'], ['#export-card', 'export'], ['#code-card', 'code']]) {
      await phone.$eval(card, (el) => el.scrollIntoView({ block: 'start' }));
      await screenshot(phone, `demo-phone-${name}`, false);
    }
    await phone.click('#documents .doc');
    await screenshot(phone, 'demo-phone-reader', false);
    await phone.keyboard.press('Escape');
    await settle(phone);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    expect(demo.problems).toEqual([]);
  }, TEST_TIMEOUT);
});
