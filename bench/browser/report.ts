// What a bench run leaves behind: the JSON of every figure, an HTML report (uPlot and the data
// inlined, so it opens offline) and the rows of the summary table printed to stdout.

import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { MAC_FORMULA } from './flops.js';
import { CURVE_TOL, LO_ITERS, type BenchOptions, type BenchRun, type CaseResult } from './runner.js';

const require = createRequire(import.meta.url);
const TEMPLATE = new URL('./report-template.html', import.meta.url);

export interface BenchRecord extends BenchRun {
  date: string;
  durationS: number;
  options: BenchOptions;
  loIters: number;
  curveTol: number;
  macFormula: typeof MAC_FORMULA;
}

/** 'google swiftshader' → 'google-swiftshader'; no adapter → 'no-adapter' */
export function adapterSlug(run: BenchRun): string {
  const a = run.environment.adapter;
  const name = a ? [a.vendor, a.architecture].filter(Boolean).join(' ') || a.description || 'unknown' : 'no-adapter';
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'unknown';
}

/** 2026-11-25T04:49:49.123Z → 2026-11-25-044949 (file names sort by time) */
export function dateStamp(iso: string): string {
  return iso.slice(0, 19).replace('T', '-').replace(/:/g, '');
}

export function record(run: BenchRun, options: BenchOptions, started: Date, durationS: number): BenchRecord {
  return { date: started.toISOString(), durationS, options, loIters: LO_ITERS, curveTol: CURVE_TOL, macFormula: MAC_FORMULA, ...run };
}

async function html(rec: BenchRecord): Promise<string> {
  const [template, js, css] = await Promise.all([
    readFile(TEMPLATE, 'utf8'),
    readFile(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    readFile(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  ]);
  // '<' escaped, so no string in the data can close the <script> element it sits in
  const data = JSON.stringify(rec).replace(/</g, '\\u003c');
  const values: Record<string, string> = {
    TITLE: `${rec.date.slice(0, 16).replace('T', ' ')} · ${adapterSlug(rec)}`,
    UPLOT_CSS: css,
    UPLOT_JS: js,
    DATA: data,
    LO: String(LO_ITERS),
    TOL: String(CURVE_TOL),
    FORMULA_FRO: MAC_FORMULA.frobenius,
    FORMULA_KL: MAC_FORMULA['kullback-leibler'],
  };
  // one pass, so a placeholder-like text inside uPlot or the data is never substituted again
  return template.replace(/\{\{([A-Z_]+)\}\}/g, (whole, key: string) => values[key] ?? whole);
}

/** Writes <out>/<date>-<adapter>.json and .html; returns their paths. */
export async function writeReport(rec: BenchRecord, outDir: string): Promise<{ json: string; html: string }> {
  await mkdir(outDir, { recursive: true });
  const base = join(outDir, `${dateStamp(rec.date)}-${adapterSlug(rec)}`);
  const paths = { json: `${base}.json`, html: `${base}.html` };
  await writeFile(paths.json, JSON.stringify(rec, null, 2) + '\n');
  await writeFile(paths.html, await html(rec));
  return paths;
}

const round = (x: number, digits: number) => (Number.isFinite(x) ? Number(x.toPrecision(digits)) : x);

/** One row per case, for console.table. */
export function summaryRows(results: CaseResult[]): Record<string, string | number>[] {
  return results.map((r) => ({
    size: `${r.m}×${r.n} k=${r.k}`,
    backend: r.backend,
    solver: r.solver,
    loss: r.betaLoss,
    'ms/iter': round(r.msPerIter, 3),
    'GFLOP/s': round(r.gflops, 3),
    'tol fit iters': r.curve.nIter,
    'tol fit ms': Math.round(r.curve.ms),
    'final loss': round(r.curve.finalLoss, 5),
  }));
}
