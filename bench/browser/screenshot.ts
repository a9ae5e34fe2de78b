// Screenshot of a bench report, to look at it:
//   node --import tsx bench/browser/screenshot.ts REPORT.html OUT.png [WIDTH] [HEIGHT]
// Opens the file in headless Chromium (the report is self-contained) at WIDTH css px (default 1280;
// 390 is a phone), waits for its charts, and fails on any page error. HEIGHT clips the shot to the
// top of the page (default: the whole page).

import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { findBrowser, launchBrowser } from '../../test/browser/harness.js';

const [html, png, widthArg, heightArg] = process.argv.slice(2);
const width = Number(widthArg ?? 1280), height = heightArg === undefined ? null : Number(heightArg);
if (!html || !png?.endsWith('.png') || !(width > 0) || (height !== null && !(height > 0))) {
  console.error('usage: node --import tsx bench/browser/screenshot.ts REPORT.html OUT.png [WIDTH] [HEIGHT]');
  process.exit(2);
}
const browser = await launchBrowser(findBrowser());
try {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${(e as Error).message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console.error: ${m.text()}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  await page.setViewport({ width, height: height ?? 900, deviceScaleFactor: 1 });
  await page.goto(pathToFileURL(resolve(html)).href, { waitUntil: 'load' });
  await page.waitForFunction(() => document.body.dataset.ready === 'true', { timeout: 10_000 }).catch(() => problems.push('the report never finished drawing'));
  await page.screenshot({ path: resolve(png) as `${string}.png`, fullPage: height === null });
  if (problems.length > 0) throw new Error(problems.join('\n'));
  console.log(`wrote ${png}`);
} finally {
  await browser.close();
}
