// The browser page: runs parity cases through the public API on backend 'webgpu' (navigator.gpu),
// under either kernel plan,
// and exposes `window.webnmf` (page-api.ts) for browser.test.ts to drive through puppeteer.

import { MiniBatchNMF, NMF, rowBlocks } from '../../../src/index.js';
import { cases, runCase, type ParityCase } from '../../parity-cases.js';
import type { AdapterReport, AutoReport, PageApi, PageCaseResult, PageMatrix, StreamReport } from '../page-api.js';

const errors: string[] = [];
addEventListener('error', (e) => errors.push(`uncaught: ${e.message} (${e.filename}:${e.lineno})`));
addEventListener('unhandledrejection', (e) => errors.push(`unhandled rejection: ${String((e.reason as Error)?.stack ?? e.reason)}`));

const log = document.getElementById('log')!;
const say = (line: string) => (log.textContent += `\n${line}`);

function byName(name: string): ParityCase {
  const c = cases.find((x) => x.name === name);
  if (!c) throw new Error(`no parity case named '${name}' in test/fixtures/parity.json`);
  return c;
}

function toPage(m: { rows?: number; cols?: number; data: ArrayLike<number> }): PageMatrix {
  return { rows: m.rows ?? -1, cols: m.cols ?? -1, data: Array.from(m.data), arrayType: m.data.constructor.name };
}

/** The page's own look at the adapter, separate from the library's: what the test records. */
async function probeAdapter(): Promise<{ adapter: AdapterReport | null; reason?: string }> {
  if (!navigator.gpu) return { adapter: null, reason: `navigator.gpu is absent (isSecureContext: ${isSecureContext})` };
  try {
    const a = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!a) return { adapter: null, reason: 'navigator.gpu.requestAdapter() returned null' };
    const info = a.info;
    return {
      adapter: {
        vendor: info.vendor,
        architecture: info.architecture,
        device: info.device,
        description: info.description,
        // newer than @webgpu/types' GPUAdapterInfo in some versions; read it loosely
        isFallbackAdapter: (info as { isFallbackAdapter?: boolean }).isFallbackAdapter,
        maxStorageBufferBindingSize: a.limits.maxStorageBufferBindingSize,
        features: [...a.features].sort(),
      },
    };
  } catch (e) {
    return { adapter: null, reason: `requestAdapter() threw: ${(e as Error).message}` };
  }
}

const { adapter, reason } = await probeAdapter();
const results: Record<string, PageCaseResult> = {};

const api: PageApi = {
  adapter,
  reason,
  errors,
  results,
  async run(name, plan) {
    const c = byName(name);
    const t0 = performance.now();
    const got = await runCase(c, `webgpu:${plan}`);
    const result: PageCaseResult = {
      name,
      W: toPage(got.W),
      H: toPage(got.H),
      nIter: got.nIter,
      reconstructionErr: got.reconstructionErr,
      transformW: got.transformW && toPage(got.transformW),
      inverseTransform: got.inverseTransform && toPage(got.inverseTransform),
      nComponentsOut: got.nComponentsOut,
      nFeaturesIn: got.nFeaturesIn,
      elapsedMs: performance.now() - t0,
    };
    results[`${name} (${plan})`] = result;
    say(`${name} (${plan} plan): ${result.elapsedMs.toFixed(0)} ms, nIter ${result.nIter}, W ${result.W.arrayType}`);
    return result;
  },
  async fitAuto(name): Promise<AutoReport> {
    const c = byName(name);
    const { updateH: _fixed, ...options } = c.options;
    const model = new NMF({ ...options, backend: 'auto', onWarning: () => {} });
    const W = await model.fitTransform(c.X, { ...(c.W0 ? { W: c.W0 } : {}), ...(c.H0 ? { H: c.H0 } : {}) });
    say(`auto: ${model.backendUsed}`);
    return { backendUsed: model.backendUsed, arrayType: W.data.constructor.name };
  },
  async streamFile(csv, backend, gpuProfile = 'auto'): Promise<StreamReport> {
    const file = new File([csv], 'x.csv', { type: 'text/csv' });
    const options = { nComponents: 3, batchSize: 16, maxIter: 6, tol: 1e-4, init: 'random' as const, randomState: 1, backend, gpuProfile, onWarning: () => {} };
    const blockRows: number[] = [];
    for await (const block of rowBlocks(file, { rowsPerBlock: 7 })) blockRows.push(block.rows);
    const streamed = await new MiniBatchNMF(options).fit(rowBlocks(file, { rowsPerBlock: 7 }));
    const rows = csv.trim().split('\n').map((line) => line.split(',').map(Number));
    const inMemory = new MiniBatchNMF(options);
    await inMemory.fit(rows);
    const report = (m: MiniBatchNMF) => ({ H: toPage(m.components!), nSteps: m.nSteps!, nIter: m.nIter!, reconstructionErr: m.reconstructionErr! });
    say(`streamFile (${backend}, ${streamed.backendUsed}): ${blockRows.length} blocks, ${streamed.nSteps} steps`);
    return { streamed: report(streamed), inMemory: report(inMemory), blockRows, backendUsed: streamed.backendUsed };
  },
};

window.webnmf = api;
say(adapter ? `adapter: ${adapter.vendor} ${adapter.architecture} ${adapter.description}` : `no adapter: ${reason}`);
