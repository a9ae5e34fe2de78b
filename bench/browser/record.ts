// What a run leaves behind, as data: the record (every figure and the conditions it was measured
// under, written as JSON) and its headline — for each problem, the fastest backend and its speed-up
// over webnmf's CPU backend and over scikit-learn, WebGPU's share of its GEMM rate, the plan that ran.
// Pure: the runner (Node) and the page (--serve) both build records with it.

import { isSoftwareAdapter } from '../../src/backend/adapter.js';
import { CURVE_TOL, LO_ITERS, problemLabel, sameProblem } from './cases.js';
import { MAC_FORMULA } from './flops.js';
import type { Spread } from './stats.js';
import type {
  AdapterReport, BenchBackend, BenchLoss, BenchOptions, BenchSolver, CaseResult, GemmResult, HostEnvironment, PageEnvironment,
  SklearnFigures, WebnmfVersion,
} from './page-api.js';

/** A GPU emulated on the CPU: the library's one rule (src/backend/adapter.ts), which gpuProfile 'auto' follows. */
export const isSoftware = isSoftwareAdapter;

export function adapterName(a: AdapterReport | null): string {
  if (!a) return 'no WebGPU adapter';
  const { vendor, architecture, description, isFallbackAdapter } = a.info;
  return [vendor, architecture, description].filter(Boolean).join(' / ') + (isFallbackAdapter ? ' (isFallbackAdapter)' : '');
}

export interface HeadlineRow {
  m: number;
  n: number;
  k: number;
  solver: BenchSolver;
  betaLoss: BenchLoss;
  fastest: BenchBackend;
  fastestMs: Spread;
  /** median ms of webnmf's CPU backend ÷ the fastest's (null: no CPU figure) */
  vsCpu: number | null;
  /** median ms of scikit-learn ÷ the fastest's (null: no scikit-learn figure) */
  vsSklearn: number | null;
  /** WebGPU's median ms per iteration (null: WebGPU not measured) */
  webgpuMs: number | null;
  /** the CPU backend's and scikit-learn's median ms ÷ WebGPU's: how much faster the GPU is (< 1: slower) */
  webgpuVsCpu: number | null;
  webgpuVsSklearn: number | null;
  /** WebGPU's effective GFLOP/s ÷ the GEMM case's (null: no WebGPU or no GEMM figure) */
  webgpuOfGemm: number | null;
  /** WebGPU's effective GFLOP/s ÷ the peak the user stated */
  webgpuOfPeak: number | null;
}

export interface Headline {
  rows: HeadlineRow[];
  /** the LOUD warning: the WebGPU (or gpujs' WebGL2) figures come from a CPU emulation, or there is no adapter */
  warnings: string[];
  adapter: string;
  gemmGflops: number | null;
  /** backendUsed of each backend's first case (on WebGPU it names the adapter and the kernel plan) */
  backendUsed: Partial<Record<BenchBackend, string>>;
  gpuProfile: string;
  cpuThreads: number;
  crossOriginIsolated: boolean;
}

export interface BenchRecord {
  schema: 2;
  date: string;
  durationS: number;
  options: BenchOptions;
  loIters: number;
  curveTol: number;
  macFormula: typeof MAC_FORMULA;
  webnmf: WebnmfVersion;
  environment: { page: PageEnvironment; host: HostEnvironment };
  results: CaseResult[];
  gemm: GemmResult | null;
  sklearn: SklearnFigures | null;
  headline: Headline;
}

const README = 'bench/browser/README.md, "Benchmarking your GPU"';

export function softwareWarnings(env: PageEnvironment, backends: readonly BenchBackend[]): string[] {
  const out: string[] = [];
  if (backends.includes('webgpu') || backends.includes('gpujs')) {
    if (!env.adapter) out.push(`NO WebGPU ADAPTER (${env.adapterReason ?? 'unknown'}).`);
    else if (env.adapter.software) {
      out.push(`SOFTWARE ADAPTER: WebGPU runs on ${adapterName(env.adapter)}, a GPU emulated on the CPU — NOT your GPU. Its figures say nothing about a real GPU; see ${README}.`);
    }
  }
  if (backends.includes('gpujs') && env.webgl?.software) {
    out.push(`SOFTWARE WebGL2: the gpujs backend runs on ${env.webgl.renderer}, a CPU emulation — NOT your GPU.`);
  }
  return out;
}

function headline(r: Omit<BenchRecord, 'headline'>): Headline {
  const problems = r.results.filter((c, i) => r.results.findIndex((d) => sameProblem(c, d)) === i);
  const rows = problems.flatMap((p): HeadlineRow[] => {
    const here = r.results.filter((c) => sameProblem(c, p) && c.msPerIter.median > 0);
    if (here.length === 0) return [];
    const fastest = here.reduce((best, c) => (c.msPerIter.median < best.msPerIter.median ? c : best));
    const cpu = here.find((c) => c.backend === 'cpu');
    const webgpu = here.find((c) => c.backend === 'webgpu');
    const sk = r.sklearn?.results.find((s) => sameProblem(s, p) && s.msPerIter.median > 0);
    const ratio = (ms: number | undefined, to = fastest) => (ms === undefined || !to ? null : ms / to.msPerIter.median);
    return [{
      m: p.m, n: p.n, k: p.k, solver: p.solver, betaLoss: p.betaLoss,
      fastest: fastest.backend,
      fastestMs: fastest.msPerIter,
      vsCpu: ratio(cpu?.msPerIter.median),
      vsSklearn: ratio(sk?.msPerIter.median),
      webgpuMs: webgpu?.msPerIter.median ?? null,
      webgpuVsCpu: ratio(cpu?.msPerIter.median, webgpu),
      webgpuVsSklearn: ratio(sk?.msPerIter.median, webgpu),
      webgpuOfGemm: webgpu?.gflops && r.gemm ? webgpu.gflops / r.gemm.gflops : null,
      webgpuOfPeak: webgpu?.gflops && r.options.peakGflops ? webgpu.gflops / r.options.peakGflops : null,
    }];
  });
  const backendUsed: Partial<Record<BenchBackend, string>> = {};
  for (const c of r.results) if (c.backendUsed && !backendUsed[c.backend]) backendUsed[c.backend] = c.backendUsed;
  const page = r.environment.page;
  return {
    rows,
    warnings: softwareWarnings(page, r.options.backends),
    adapter: adapterName(page.adapter),
    gemmGflops: r.gemm?.gflops ?? null,
    backendUsed,
    gpuProfile: profileThatRan(r.options.gpuProfile, backendUsed.webgpu),
    cpuThreads: page.cpuThreads,
    crossOriginIsolated: page.crossOriginIsolated,
  };
}

/** 'auto (ran the software plan)': what was asked for, and the plan WebGPU's backendUsed names. */
function profileThatRan(asked: string | null, webgpuUsed: string | undefined): string {
  const plan = /(\w+) plan\)$/.exec(webgpuUsed ?? '')?.[1];
  return `${asked ?? 'auto'}${plan ? ` (ran the ${plan} plan)` : ''}`; // null: a record from before --profile
}

export function makeRecord(r: Omit<BenchRecord, 'schema' | 'headline' | 'loIters' | 'curveTol' | 'macFormula'>): BenchRecord {
  const base = { schema: 2 as const, loIters: LO_ITERS, curveTol: CURVE_TOL, macFormula: MAC_FORMULA, ...r };
  return { ...base, headline: headline(base) };
}

const times = (x: number | null) => (x === null ? '—' : `${x >= 10 ? x.toFixed(0) : x >= 0.1 ? x.toFixed(2) : x.toPrecision(2)}×`);
const percent = (x: number | null) => (x === null ? '—' : `${100 * x >= 10 ? (100 * x).toFixed(0) : (100 * x).toPrecision(2)} %`);
const ms = (s: Spread) => `${s.median.toPrecision(3)} ms (IQR ${s.q1.toPrecision(2)}–${s.q3.toPrecision(2)})`;

/** The headline as console lines, warnings first and last-loud. */
export function headlineLines(rec: BenchRecord): string[] {
  const h = rec.headline;
  const bang = h.warnings.map((w) => `!!! ${w}`);
  const lines = [...bang, `webnmf ${rec.webnmf.version}${rec.webnmf.commit ? ` (${rec.webnmf.commit.slice(0, 10)}${rec.webnmf.dirty ? ', uncommitted changes' : ''})` : ''} — median ms per iteration over ${rec.options.rounds} rounds`];
  for (const r of h.rows) {
    lines.push(`  ${problemLabel(r)}: fastest ${r.fastest} ${ms(r.fastestMs)}; ${times(r.vsCpu)} webnmf cpu, ${times(r.vsSklearn)} scikit-learn` +
      (r.webgpuMs !== null && r.fastest !== 'webgpu' ? `; webgpu ${r.webgpuMs.toPrecision(3)} ms: ${times(r.webgpuVsCpu)} cpu, ${times(r.webgpuVsSklearn)} scikit-learn` : '') +
      (r.webgpuOfGemm !== null ? `; webgpu at ${percent(r.webgpuOfGemm)} of its GEMM rate` : '') +
      (r.webgpuOfPeak !== null ? `, ${percent(r.webgpuOfPeak)} of the stated peak` : ''));
  }
  lines.push(`  adapter: ${h.adapter}`);
  if (rec.gemm) lines.push(`  GEMM ${rec.gemm.n}³ on WebGPU: ${rec.gemm.gflops.toPrecision(3)} GFLOP/s (median of ${rec.gemm.ms.n})`);
  for (const [backend, used] of Object.entries(h.backendUsed)) lines.push(`  ${backend} ran as: ${used}`);
  lines.push(`  gpuProfile: ${h.gpuProfile}; CPU backend threads: ${h.cpuThreads} (crossOriginIsolated: ${h.crossOriginIsolated})`);
  if (rec.sklearn?.error) lines.push(`  scikit-learn: ${rec.sklearn.error}`);
  return [...lines, ...bang];
}

/** 'google swiftshader' → 'google-swiftshader'; no adapter → 'no-adapter' */
export function adapterSlug(rec: Pick<BenchRecord, 'environment'>): string {
  const a = rec.environment.page.adapter;
  const name = a ? [a.info.vendor, a.info.architecture].filter(Boolean).join(' ') || a.info.description || 'unknown' : 'no-adapter';
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'unknown';
}

/** 2026-11-25T04:49:49.123Z → 2026-11-25-044949 (file names sort by time) */
export function dateStamp(iso: string): string {
  return iso.slice(0, 19).replace('T', '-').replace(/:/g, '');
}

const round = (x: number | null, digits: number) => (x !== null && Number.isFinite(x) ? Number(x.toPrecision(digits)) : '—');

/** One row per case, for console.table. */
export function summaryRows(results: CaseResult[]): Record<string, string | number>[] {
  return results.map((r) => ({
    size: `${r.m}×${r.n} k=${r.k}`,
    backend: r.backend,
    solver: r.solver,
    loss: r.betaLoss,
    'ms/iter (median)': round(r.msPerIter.median, 3),
    'IQR': `${round(r.msPerIter.q1, 2)}–${round(r.msPerIter.q3, 2)}`,
    'GFLOP/s': round(r.gflops, 3),
    'tol fit iters': r.curve.nIter,
    'tol fit ms': Math.round(r.curve.ms),
    'final loss': round(r.curve.finalLoss, 5),
  }));
}
