// The gpujs browser page: runs parity cases through the public API on backend 'gpujs' in a browser
// without WebGPU (gpu.js then runs on WebGL2), and exposes `window.webnmfGpujs` (gpujs-page-api.ts)
// for gpujs.test.ts to drive through puppeteer.

import * as gpujs from 'gpu.js';
import { MiniBatchNMF, NMF, nonNegativeFactorization, useGpujs } from '../../../src/index.js';
import { acquireBackend } from '../../../src/backend/select.js';
import type { GpujsBackend } from '../../../src/backend/gpujs/index.js';
import { minibatchCases } from '../../minibatch-cases.js';
import { pgCases, runPgCase } from '../../pg-cases.js';
import { probeWebGL2 } from '../../../src/backend/gpujs/index.js';
import { cases, relativeError, runCase, type ParityCase } from '../../parity-cases.js';
import type { PageCaseResult, PageMatrix } from '../page-api.js';
import type { GpujsEnvironment, GpujsPageApi, WorkerFit } from '../gpujs-page-api.js';

// a browser build finds gpu.js only when the page hands it over
useGpujs(gpujs);

const GPUJS = 'gpujs' as const;

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

async function webgpuSeen(): Promise<string> {
  if (!navigator.gpu) return 'navigator.gpu is absent';
  try {
    const a = await navigator.gpu.requestAdapter();
    return a ? `adapter: ${a.info.vendor} ${a.info.architecture} ${a.info.description}` : 'requestAdapter() returned null';
  } catch (e) {
    return `requestAdapter() threw: ${(e as Error).message}`;
  }
}



const environment: GpujsEnvironment = { webgpu: await webgpuSeen(), webgl2: probeWebGL2() };
const SMALL = [[1, 2, 3], [4, 5, 6], [7, 8, 9.5], [1, 0, 2]];

const api: GpujsPageApi = {
  environment,
  errors,
  async run(name) {
    const c = byName(name);
    const t0 = performance.now();
    const got = await runCase(c, GPUJS);
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
    say(`${name}: ${result.elapsedMs.toFixed(0)} ms, nIter ${result.nIter}, W ${result.W.arrayType}`);
    return result;
  },
  async runPg(name) {
    const c = pgCases.find((x) => x.name === name);
    if (!c) throw new Error(`no pg case named '${name}' in test/fixtures/pg.json`);
    const t0 = performance.now();
    const got = await runPgCase(c, 'gpujs' as 'webgpu');
    say(`${name}: ${(performance.now() - t0).toFixed(0)} ms, nIter ${got.nIter}`);
    return { W: toPage(got.W), H: toPage(got.H), nIter: got.nIter, warnings: got.warnings.map((w) => w.message) };
  },
  async runMiniBatch(name) {
    const c = minibatchCases.find((x) => x.name === name);
    if (!c) throw new Error(`no MiniBatchNMF case named '${name}' in test/fixtures/minibatch.json`);
    const t0 = performance.now();
    const start = { ...(c.W0 ? { W: c.W0 } : {}), ...(c.H0 ? { H: c.H0 } : {}) };
    const model = new MiniBatchNMF({ ...c.options, backend: 'gpujs', onWarning: () => {} });
    let W;
    if (c.kind === 'fit') W = await model.fitTransform(c.X!, start);
    else for (const [i, batch] of c.batches!.entries()) await model.partialFit(batch, i === 0 ? start : {});
    const transformW = await model.transform(c.X2);
    say(`${name}: ${(performance.now() - t0).toFixed(0)} ms, nSteps ${model.nSteps}`);
    return { H: toPage(model.components!), W: W && toPage(W), transformW: toPage(transformW), nSteps: model.nSteps!, backendUsed: model.backendUsed };
  },
  async fitInWorker() {
    const X = [[1, 2, 3, 0.5], [4, 5, 6, 1], [7, 8, 9.5, 2], [1, 0.3, 2, 3], [2, 2, 1, 0.1]];
    const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
    const inWorker = await new Promise<WorkerFit>((resolve, reject) => {
      worker.onmessage = (e: MessageEvent<WorkerFit>) => resolve(e.data);
      worker.onerror = (e) => reject(new Error(`worker error: ${e.message}`));
      worker.postMessage({ X });
    }).finally(() => worker.terminate());
    const model = new NMF({ nComponents: 2, init: 'random', randomState: 0, solver: 'mu', maxIter: 50, tol: 0, backend: 'gpujs', onWarning: () => {} });
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
          const model = new NMF({ nComponents: k, init: 'random', randomState: 0, solver, maxIter: 30, tol: 0, backend, checkEvery: 1, onWarning: () => {} });
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
    const options = { nComponents: 3, init: 'random', randomState: 0, solver: 'mu', maxIter: 100, tol: 0, onWarning: () => {} } as const;
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
  async describe() {
    const model = new NMF({ nComponents: 2, init: 'random', randomState: 0, maxIter: 3, tol: 0, backend: 'gpujs', onWarning: () => {} });
    await model.fitTransform(SMALL);
    say(`gpujs: ${model.backendUsed}`);
    return model.backendUsed;
  },
  async fitAuto() {
    const model = new NMF({ nComponents: 2, init: 'random', randomState: 0, maxIter: 3, tol: 0, backend: 'auto', onWarning: () => {} });
    const W = await model.fitTransform(SMALL);
    say(`auto: ${model.backendUsed}`);
    return { backendUsed: model.backendUsed, arrayType: W.data.constructor.name };
  },
};

window.webnmfGpujs = api;
say(`webgpu: ${environment.webgpu}; webgl2: ${environment.webgl2 ? environment.webgl2.renderer : 'none'}`);
