// A Web Worker of the browser page: a fit with backend 'gpujs' where there is no document (gpu.js then
// needs an OffscreenCanvas WebGL2 context), as the demo runs its fits.

import * as gpujs from 'gpu.js';
import { NMF, useGpujs } from '../../../src/index.js';

useGpujs(gpujs);

self.onmessage = async (e: MessageEvent<{ X: number[][] }>) => {
  try {
    const model = new NMF({ nComponents: 2, init: 'random', randomState: 0, solver: 'mu', maxIter: 50, tol: 0, backend: 'gpujs', onWarning: () => {} });
    const W = await model.fitTransform(e.data.X);
    postMessage({ backendUsed: model.backendUsed, arrayType: W.data.constructor.name, W: Array.from(W.data), H: Array.from(model.components!.data) });
  } catch (err) {
    postMessage({ error: String((err as Error)?.stack ?? err) });
  }
};
