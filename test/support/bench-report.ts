// What a reader of a bench report gets, read in headless Chromium: sideways overflow, the headline,
// the warnings, and each chart's legend rows with their swatches' colours (bench-report and bench-cli tests).

import type { Page } from 'puppeteer';

/** What a reader gets: sideways overflow, and each chart's legend rows with their swatches' colours. */
export async function inspectReport(page: Page, url: string, width: number) {
  await page.setViewport({ width, height: 900, deviceScaleFactor: 1 });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => document.body.dataset.ready === 'true', { timeout: 20_000 });
  return page.evaluate(() => ({
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    headlineRows: document.querySelectorAll('#headline tr').length - 1,
    warnings: Array.from(document.querySelectorAll('#warnings .warning')).map((w) => w.textContent ?? ''),
    charts: Array.from(document.querySelectorAll('.chart')).map((box) => ({
      title: box.querySelector('h3')?.textContent ?? '',
      canvasWidth: box.querySelector('canvas')?.getBoundingClientRect().width ?? 0,
      series: Array.from(box.querySelectorAll('.u-legend tr.u-series')).map((row) => {
        const marker = row.querySelector('.u-marker') as HTMLElement;
        const style = getComputedStyle(marker);
        return { label: row.querySelector('.u-label')?.textContent ?? '', border: style.borderTopColor, fill: style.backgroundColor, width: marker.offsetWidth, height: marker.offsetHeight };
      }),
    })),
  }));
}

/** A visible colour with a hue: opaque, and its channels far apart (a grey has r ≈ g ≈ b). */
export function isColourful(css: string): boolean {
  const c = /rgba?\((\d+), (\d+), (\d+)(?:, ([\d.]+))?\)/.exec(css);
  if (!c) return false;
  const [r, g, b] = [c[1], c[2], c[3]].map(Number);
  const alpha = c[4] === undefined ? 1 : Number(c[4]);
  return alpha > 0.5 && Math.max(r, g, b) - Math.min(r, g, b) > 40;
}

