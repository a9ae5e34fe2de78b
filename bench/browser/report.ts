// The runner's side of a report: read the template and uPlot from disk, write <date>-<adapter>.json
// and .html.

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { adapterSlug, dateStamp, type BenchRecord } from './record.js';
import { reportHtml, type ReportAssets } from './report-html.js';

const require = createRequire(import.meta.url);

export async function reportAssets(): Promise<ReportAssets> {
  const [template, uplotJs, uplotCss] = await Promise.all([
    readFile(new URL('./report-template.html', import.meta.url), 'utf8'),
    readFile(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    readFile(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  ]);
  return { template, uplotJs, uplotCss };
}

/** Writes <out>/<date>-<adapter>.json and .html; returns their paths. */
export async function writeReport(rec: BenchRecord, outDir: string): Promise<{ json: string; html: string }> {
  await mkdir(outDir, { recursive: true });
  const base = join(outDir, `${dateStamp(rec.date)}-${adapterSlug(rec)}`);
  const paths = { json: `${base}.json`, html: `${base}.html` };
  await writeFile(paths.json, JSON.stringify(rec, null, 2) + '\n');
  await writeFile(paths.html, reportHtml(rec, await reportAssets()));
  return paths;
}
