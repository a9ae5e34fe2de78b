// Screenshot of a bench report, to look at it: node --import tsx bench/browser/screenshot.ts REPORT.html OUT.png
// Opens the file in headless Chromium (the report is self-contained), waits for its charts, and fails
// on any page error.

import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { findBrowser, launchBrowser } from '../../test/browser/harness.js';

const [html, png] = process.argv.slice(2);
if (!html || !png?.endsWith('.png')) {
  console.error('usage: node --import tsx bench/browser/screenshot.ts REPORT.html OUT.png');
  process.exit(2);
}
const browser = await launchBrowser(findBrowser());
try {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${(e as Error).message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console.error: ${m.text()}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  await page.setViewport({ width: 1280, height: 900, deviceScaleFactor: 1 });
  await page.goto(pathToFileURL(resolve(html)).href, { waitUntil: 'load' });
  await page.waitForFunction(() => document.body.dataset.ready === 'true', { timeout: 10_000 }).catch(() => problems.push('the report never finished drawing'));
  await page.screenshot({ path: resolve(png) as `${string}.png`, fullPage: true });
  if (problems.length > 0) throw new Error(problems.join('\n'));
  console.log(`wrote ${png}`);
} finally {
  await browser.close();
}
