// The gpujs browser page: runs parity cases through the public API on backend 'gpujs' in a browser
// without WebGPU (gpu.js then runs on WebGL2), and exposes `window.webnmfGpujs` (gpujs-page-api.ts)
// for gpujs.test.ts to drive through puppeteer.

import { NMF } from '../../../src/index.js';
import { probeWebGL2 } from '../../../src/backend/gpujs/index.js';
import { cases, runCase, type Backend, type ParityCase } from '../../parity-cases.js';
import type { PageCaseResult, PageMatrix } from '../page-api.js';
import type { GpujsEnvironment, GpujsPageApi } from '../gpujs-page-api.js';

const GPUJS = 'gpujs' as unknown as Backend;

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
