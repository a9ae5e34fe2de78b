// The bench report (bench/browser/report-template.html) as a reader sees it, in headless Chromium,
// from a record with three backends × three cases × two sizes and scikit-learn: no sideways scroll at
// a phone's 390 px, every series of every chart in its own non-grey colour with a legend swatch that
// shows it, the headline first. Also the pure pieces the report stands on: the spread of rounds, the
// headline's ratios, the software-adapter warning, the command line's one-line errors.

import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCli, UsageError } from '../bench/browser/options.js';
import { makeRecord, softwareWarnings, type BenchRecord } from '../bench/browser/record.js';
import { reportAssets } from '../bench/browser/report.js';
import { reportHtml } from '../bench/browser/report-html.js';
import { spread } from '../bench/browser/stats.js';
import { chooseBrowser } from '../bench/browser/launch.js';
import type { BenchBackend, BenchLoss, BenchOptions, BenchSolver, CaseResult, PageEnvironment, SklearnResult } from '../bench/browser/page-api.js';
import { findBrowser, launchBrowser, removeDir } from './browser/harness.js';
import { inspectReport, isColourful } from './support/bench-report.js';

const SIZES: [number, number][] = [[100, 80], [200, 150]];
const CONFIGS: [BenchSolver, BenchLoss][] = [['cd', 'frobenius'], ['mu', 'frobenius'], ['mu', 'kullback-leibler']];
const BACKENDS: BenchBackend[] = ['webgpu', 'gpujs', 'cpu'];
/** ms per iteration of the made-up record, per backend (scikit-learn: 0.5) */
const MS: Record<BenchBackend, number> = { webgpu: 2, gpujs: 8, cpu: 1 };
const SKLEARN_MS = 0.5;
const PHONE = 390;

const OPTIONS: BenchOptions = {
  sizes: SIZES, k: 10, iters: 20, rounds: 5, curveIters: 100, backends: BACKENDS, solvers: ['cd', 'mu'],
  losses: ['frobenius', 'kullback-leibler'], gemm: 512, peakGflops: null, gpuProfile: 'auto',
};

const SWIFTSHADER: PageEnvironment = {
  adapter: {
    info: { vendor: 'google', architecture: 'swiftshader', device: '', description: '', isFallbackAdapter: true },
    limits: { maxStorageBufferBindingSize: 1 << 30, maxComputeWorkgroupsPerDimension: 65535 },
    features: ['timestamp-query'],
    software: true,
  },
  webgl: { vendor: 'Google Inc. (Google)', renderer: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)', software: true },
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/156.0.0.0',
  hardwareConcurrency: 2,
  crossOriginIsolated: true,
  cpuThreads: 2,
};

function result(m: number, n: number, backend: BenchBackend, solver: BenchSolver, betaLoss: BenchLoss): CaseResult {
  const per = [0.9, 1, 1, 1.1, 1.3].map((f) => f * MS[backend]);
  return {
    m, n, k: 10, backend, solver, betaLoss, iters: 20,
    loMs: per.map(() => 10), hiMs: per.map((p) => 10 + 20 * p),
    msPerIter: spread(per), macsPerIter: 2 * m * n * 10, gflops: (4 * m * n * 10) / (MS[backend] * 1e6),
    backendUsed: backend === 'webgpu' ? 'webgpu: google swiftshader (float32)' : backend,
    workerChunks: backend === 'cpu' ? 0 : null,
    curve: {
      measure: solver === 'mu' ? 'loss' : 'violation',
      points: [10, 20, 30].map((iteration, i) => ({ iteration, elapsedMs: iteration * MS[backend], value: 1 / (i + 1) })),
      nIter: 30, ms: 30 * MS[backend], finalLoss: 1.5,
    },
  };
}

function record(): BenchRecord {
  const results = SIZES.flatMap(([m, n]) => BACKENDS.flatMap((b) => CONFIGS.map(([s, l]) => result(m, n, b, s, l))));
  const sk: SklearnResult[] = SIZES.flatMap(([m, n]) => CONFIGS.map(([solver, betaLoss]) => ({ m, n, k: 10, solver, betaLoss, iters: 20, msPerIter: spread([SKLEARN_MS]) })));
  return makeRecord({
    date: '2026-12-06T03:00:00.000Z', durationS: 100, options: OPTIONS,
    webnmf: { version: '0.1.0', commit: 'a'.repeat(40), dirty: false },
    environment: {
      page: SWIFTSHADER,
      host: { node: 'v20', platform: 'linux/x64', cpuModel: 'test cpu', cpus: 2, loadAverageStart: [1, 1, 1], loadAverageEnd: [1, 1, 1], launch: null },
    },
    results,
    gemm: { n: 512, reps: 4, ms: spread([200, 210, 220]), gflops: (2 * 512 ** 3) / (210 * 1e6), error: 1e-7, kernel: 'gemm.wgsl' },
    sklearn: { source: 'file', from: 'figures.json', version: '1.2.1', numpy: '1.24', blas: 'openblas', results: sk, error: null },
  });
}

describe('the bench report, three backends and scikit-learn', () => {
  let browser: Browser;
  let page: Page;
  let dir: string;
  let url: string;
  const rec = record();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'webnmf-bench-report-'));
    const file = join(dir, 'report.html');
    await writeFile(file, reportHtml(rec, await reportAssets()));
    url = pathToFileURL(file).href;
    browser = await launchBrowser(findBrowser());
    page = await browser.newPage();
    page.on('pageerror', (e) => {
      throw e;
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await removeDir(dir);
  });

  for (const width of [PHONE, 1280]) {
    it(`at ${width} px: nothing scrolls sideways; every series has its own colour and a legend swatch`, async () => {
      const r = await inspectReport(page, url, width);
      expect(r.overflow).toBeLessThanOrEqual(0);
      expect(r.headlineRows).toBe(SIZES.length * CONFIGS.length);
      expect(r.warnings.join('\n')).toMatch(/SOFTWARE ADAPTER/);
      const [ms, gflops, ...curves] = r.charts;
      expect(curves).toHaveLength(SIZES.length * CONFIGS.length);
      // by size: backends × cases, scikit-learn's three cases included
      for (const chart of [ms, gflops]) expect(chart.series.map((s) => s.label).sort()).toEqual([...BACKENDS, 'scikit-learn'].flatMap((b) => CONFIGS.map(([s, l]) => `${b} ${s} ${l}`)).sort());
      for (const chart of r.charts) {
        expect(chart.canvasWidth).toBeGreaterThan(200);
        expect(chart.canvasWidth).toBeLessThanOrEqual(width);
        for (const s of chart.series) {
          expect(isColourful(s.border), `${chart.title}: ${s.label} swatch border ${s.border}`).toBe(true);
          expect(isColourful(s.fill), `${chart.title}: ${s.label} swatch fill ${s.fill}`).toBe(true);
          expect(s.width * s.height).toBeGreaterThan(0);
        }
        expect(new Set(chart.series.map((s) => s.border)).size, chart.title).toBe(chart.series.length);
      }
      // the loss-against-time charts name gpujs too (its series had no colour before)
      expect(curves.every((c) => c.series.some((s) => s.label.startsWith('gpujs')))).toBe(true);
    }, 60_000);
  }
});

describe('what the report stands on', () => {
  it('spread() gives numpy\'s linear-interpolation quartiles', () => {
    expect(spread([4, 1, 3, 2])).toEqual({ median: 2.5, q1: 1.75, q3: 3.25, min: 1, max: 4, n: 4 });
    expect(spread([7])).toEqual({ median: 7, q1: 7, q3: 7, min: 7, max: 7, n: 1 });
  });

  it('the headline names the fastest backend and its speed-ups over the CPU backend, scikit-learn and the GEMM rate', () => {
    const rec = record();
    expect(rec.headline.rows).toHaveLength(SIZES.length * CONFIGS.length);
    for (const row of rec.headline.rows) {
      expect(row.fastest).toBe('cpu');
      expect(row.vsCpu).toBe(1);
      expect(row.vsSklearn).toBeCloseTo(SKLEARN_MS / MS.cpu, 12);
      const webgpu = rec.results.find((r) => r.backend === 'webgpu' && r.m === row.m && r.solver === row.solver && r.betaLoss === row.betaLoss)!;
      expect(row.webgpuOfGemm).toBeCloseTo(webgpu.gflops! / rec.gemm!.gflops, 12);
      expect(row.webgpuMs).toBe(webgpu.msPerIter.median);
      expect(row.webgpuVsCpu).toBeCloseTo(MS.cpu / MS.webgpu, 12);
      expect(row.webgpuVsSklearn).toBeCloseTo(SKLEARN_MS / MS.webgpu, 12);
    }
    expect(rec.headline.backendUsed.webgpu).toBe('webgpu: google swiftshader (float32)');
  });

  it('a timing lost in noise (median ≤ 0) is never the fastest and has no GFLOP/s', () => {
    const base = record();
    const noisy = base.results.map((r) => (r.backend === 'cpu' ? { ...r, msPerIter: spread([-0.1, -0.05, 0.2]), gflops: null } : r));
    const rec = makeRecord({ ...base, results: noisy });
    for (const row of rec.headline.rows) {
      expect(row.fastest).toBe('webgpu');
      expect(row.vsCpu).toBeNull();
      expect(row.webgpuOfGemm).not.toBeNull();
    }
  });

  it('a software adapter or WebGL2 renderer is said loudly; a hardware one is not', () => {
    const warnings = softwareWarnings(SWIFTSHADER, ['webgpu', 'gpujs']);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/SOFTWARE ADAPTER.*swiftshader.*NOT your GPU/);
    const hardware: PageEnvironment = {
      ...SWIFTSHADER,
      adapter: { ...SWIFTSHADER.adapter!, info: { vendor: 'nvidia', architecture: 'ada', device: '', description: 'NVIDIA GeForce RTX 4070', isFallbackAdapter: false }, software: false },
      webgl: { vendor: 'Google Inc. (NVIDIA)', renderer: 'ANGLE (NVIDIA, NVIDIA GeForce RTX 4070)', software: false },
    };
    expect(softwareWarnings(hardware, ['webgpu', 'gpujs'])).toEqual([]);
    expect(softwareWarnings({ ...hardware, adapter: null, adapterReason: 'requestAdapter() returned null' }, ['webgpu'])[0]).toMatch(/NO WebGPU ADAPTER/);
  });

  it('a bad command line is one line naming the flag', () => {
    const bad: [string[], RegExp][] = [
      [['--sizes', '10'], /--sizes: '10' is not ROWSxCOLS/],
      [['--backends', 'metal'], /--backends: 'metal' is not one of webgpu, gpujs, cpu/],
      [['--rounds', '0'], /--rounds must be an integer ≥ 1/],
      [['--browser', '/a', '--channel', 'beta'], /--browser and --channel: give one way/],
      [['--channel', 'nightly'], /--channel: 'nightly' is not one of stable, beta, dev, canary/],
      [['--serve', '--flag=--use-angle=vulkan'], /--serve runs no browser/],
      [['--ws-endpoint', 'ws://x', '--headful'], /--headful and --flag apply to a browser the bench launches/],
      [['--flag', '--use-angle=vulkan'], /--flag' argument is ambiguous/],
      [['--k', '200', '--sizes', '100x80'], /--k 200 is larger than min\(100, 80\)/],
      [['--profile', 'fast'], /--profile: 'fast' is not one of auto, hardware, software/],
      [['--profile', 'auto,hardware'], /--profile takes one of auto, hardware, software, got 'auto,hardware'/],
    ];
    for (const [args, message] of bad) {
      let error: unknown;
      try {
        parseCli(args);
      } catch (e) {
        error = e;
      }
      expect(error, args.join(' ')).toBeInstanceOf(UsageError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain('\n');
    }
    expect(() => chooseBrowser({ browser: '/nonexistent', channel: null, wsEndpoint: null, headful: false, flags: [] })).toThrow('--browser /nonexistent: no such file');
    if (process.platform === 'linux') {
      const display = { DISPLAY: process.env.DISPLAY, WAYLAND_DISPLAY: process.env.WAYLAND_DISPLAY };
      delete process.env.DISPLAY;
      delete process.env.WAYLAND_DISPLAY;
      try {
        expect(() => chooseBrowser({ browser: null, channel: null, wsEndpoint: null, headful: true, flags: [] })).toThrow(/--headful needs a display/);
      } finally {
        for (const [name, value] of Object.entries(display)) if (value !== undefined) process.env[name] = value;
      }
    }
    const cli = parseCli(['--flag=--use-angle=vulkan', '--flag=--enable-features=Vulkan', '--sizes', '40x30', '--k', '3']);
    expect(cli !== 'help' && chooseBrowser(cli.browser).flags.slice(-2)).toEqual(['--use-angle=vulkan', '--enable-features=Vulkan']);
  });
});
