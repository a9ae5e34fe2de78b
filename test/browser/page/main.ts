// The browser page: runs fixture cases through the public API on any browser target (WebGPU under
// either kernel plan, gpu.js on WebGL2), with the same runners and fixtures as the Node conformance
// suites, and exposes `window.webnmf` (page-api.ts) for browser.test.ts to drive through puppeteer.

import * as gpujs from 'gpu.js';
import { MiniBatchNMF, NMF, nonNegativeFactorization, rowBlocks, useGpujs } from '../../../src/index.js';
import { acquireBackend } from '../../../src/backend/select.js';
import { probeWebGL2, type GpujsBackend } from '../../../src/backend/gpujs/index.js';
import { TARGET_OPTIONS, byName, cases, minibatchCases, pgCases, relativeError, runCase, runMiniBatchCase, runPgCase } from '../../support/cases.js';
import type { AdapterReport, AutoReport, Environment, PageApi, PageCaseResult, PageMatrix, StreamReport, WorkerFit } from '../page-api.js';

// a browser build finds gpu.js only when the page hands it over
useGpujs(gpujs);

const errors: string[] = [];
addEventListener('error', (e) => errors.push(`uncaught: ${e.message} (${e.filename}:${e.lineno})`));
addEventListener('unhandledrejection', (e) => errors.push(`unhandled rejection: ${String((e.reason as Error)?.stack ?? e.reason)}`));

const log = document.getElementById('log')!;
const say = (line: string) => (log.textContent += `\n${line}`);
const quiet = () => {};

function toPage(m: { rows?: number; cols?: number; data: ArrayLike<number> }): PageMatrix {
  return { rows: m.rows ?? -1, cols: m.cols ?? -1, data: Array.from(m.data), arrayType: m.data.constructor.name };
}

/** The page's own look at the adapter, separate from the library's: what the test records. */
async function probeAdapter(): Promise<{ adapter: AdapterReport | null; webgpu: string }> {
  if (!navigator.gpu) return { adapter: null, webgpu: `navigator.gpu is absent (isSecureContext: ${isSecureContext})` };
  try {
    const a = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!a) return { adapter: null, webgpu: 'navigator.gpu.requestAdapter() returned null' };
    const info = a.info;
    return {
      webgpu: `adapter: ${info.vendor} ${info.architecture} ${info.description}`,
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
    return { adapter: null, webgpu: `requestAdapter() threw: ${(e as Error).message}` };
  }
}

const environment: Environment = { ...(await probeAdapter()), webgl2: probeWebGL2() };
const SMALL = [[1, 2, 3], [4, 5, 6], [7, 8, 9.5], [1, 0, 2]];

const api: PageApi = {
  environment,
  errors,
  async run(name, target) {
    const c = byName(cases, name);
    const t0 = performance.now();
    const got = await runCase(c, TARGET_OPTIONS[target]);
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
    say(`${name} (${target}): ${result.elapsedMs.toFixed(0)} ms, nIter ${result.nIter}, W ${result.W.arrayType}`);
    return result;
  },
  async runPg(name, target) {
    const t0 = performance.now();
    const got = await runPgCase(byName(pgCases, name), TARGET_OPTIONS[target]);
    say(`${name} (${target}): ${(performance.now() - t0).toFixed(0)} ms, nIter ${got.nIter}`);
    return { W: toPage(got.W), H: toPage(got.H), nIter: got.nIter, warnings: got.warnings.map((w) => w.message) };
  },
  async runMiniBatch(name, target) {
    const t0 = performance.now();
    const { model, W, transformW } = await runMiniBatchCase(byName(minibatchCases, name), TARGET_OPTIONS[target]);
    say(`${name} (${target}): ${(performance.now() - t0).toFixed(0)} ms, nSteps ${model.nSteps}`);
    return { H: toPage(model.components!), W: W && toPage(W), transformW: toPage(transformW), nSteps: model.nSteps!, backendUsed: model.backendUsed };
  },
  async describe(target) {
    const model = new NMF({ nComponents: 2, init: 'random', randomState: 0, maxIter: 3, tol: 0, ...TARGET_OPTIONS[target], onWarning: quiet });
    await model.fitTransform(SMALL);
    say(`${target}: ${model.backendUsed}`);
    return model.backendUsed;
  },
  async fitAuto(name): Promise<AutoReport> {
    const c = byName(cases, name);
    const { updateH: _fixed, ...options } = c.options;
    const model = new NMF({ ...options, backend: 'auto', onWarning: quiet });
    const W = await model.fitTransform(c.X, { ...(c.W0 ? { W: c.W0 } : {}), ...(c.H0 ? { H: c.H0 } : {}) });
    say(`auto: ${model.backendUsed}`);
    return { backendUsed: model.backendUsed, arrayType: W.data.constructor.name };
  },
  async streamFile(csv, backend, gpuProfile = 'auto'): Promise<StreamReport> {
    const file = new File([csv], 'x.csv', { type: 'text/csv' });
    const options = { nComponents: 3, batchSize: 16, maxIter: 6, tol: 1e-4, init: 'random' as const, randomState: 1, backend, gpuProfile, onWarning: quiet };
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
  async fitInWorker() {
    const X = [[1, 2, 3, 0.5], [4, 5, 6, 1], [7, 8, 9.5, 2], [1, 0.3, 2, 3], [2, 2, 1, 0.1]];
    const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
    const inWorker = await new Promise<WorkerFit>((resolve, reject) => {
      worker.onmessage = (e: MessageEvent<WorkerFit>) => resolve(e.data);
      worker.onerror = (e) => reject(new Error(`worker error: ${e.message}`));
      worker.postMessage({ X });
    }).finally(() => worker.terminate());
    const model = new NMF({ nComponents: 2, init: 'random', randomState: 0, solver: 'mu', maxIter: 50, tol: 0, backend: 'gpujs', onWarning: quiet });
    const W = await model.fitTransform(X);
    say(`worker: ${inWorker.backendUsed ?? inWorker.error}`);
    return { worker: inWorker, main: { backendUsed: model.backendUsed, arrayType: W.data.constructor.name, W: Array.from(W.data), H: Array.from(model.components!.data) } };
  },
  async degenerateShapes() {
    const out = [];
    // and loops longer than gpu.js's default loopMaxIterations (1000): n > 1000, m > 1000
    const shapes: [number, number, number][] = [[1, 5, 1], [5, 1, 1], [1, 1, 1], [3, 4, 3], [4, 1500, 2], [1300, 3, 2]];
    for (const [m, n, k] of shapes) {
      const X = Array.from({ length: m }, (_, i) => Array.from({ length: n }, (_, j) => 0.5 + ((i * 7 + j * 3) % 5) / 4));
      for (const solver of ['cd', 'mu'] as const) {
        const fit = async (backend: 'gpujs' | 'cpu') => {
          const model = new NMF({ nComponents: k, init: 'random', randomState: 0, solver, maxIter: 30, tol: 0, backend, checkEvery: 1, onWarning: quiet });
          const W = await model.fitTransform(X);
          return { W: W.data, H: model.components!.data, backendUsed: model.backendUsed };
        };
        const got = await fit('gpujs'), want = await fit('cpu');
        out.push({ label: `${m}×${n} k=${k} ${solver}`, gapW: relativeError({ data: got.W }, { data: want.W }), gapH: relativeError({ data: got.H }, { data: want.H }), backendUsed: got.backendUsed });
      }
    }
    return out;
  },
  async loseContextMidFit() {
    const X = Array.from({ length: 12 }, (_, i) => Array.from({ length: 9 }, (_, j) => 0.3 + ((i * 5 + j * 7) % 11) / 5));
    const backend = (await acquireBackend('gpujs', null)) as GpujsBackend;
    const options = { nComponents: 3, init: 'random', randomState: 0, solver: 'mu', maxIter: 100, tol: 0, onWarning: quiet } as const;
    let error: string | null = null, errorName: string | null = null;
    try {
      await nonNegativeFactorization(X, {
        ...options,
        backend: 'gpujs',
        onProgress: ({ iteration }) => {
          if (iteration === 10) backend.webglContext()?.getExtension('WEBGL_lose_context')?.loseContext();
        },
      });
    } catch (e) {
      error = (e as Error).message;
      errorName = (e as Error).name;
    }
    const again = await nonNegativeFactorization(X, { ...options, backend: 'gpujs' });
    const cpu = await nonNegativeFactorization(X, { ...options, backend: 'cpu' });
    say(`context loss: ${error}`);
    return { error, errorName, refit: backend.description, gapW: relativeError(again.W, cpu.W) };
  },
};

window.webnmf = api;
say(`${environment.webgpu}; webgl2: ${environment.webgl2 ? environment.webgl2.renderer : 'none'}`);
