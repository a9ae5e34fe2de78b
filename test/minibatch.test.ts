// scikit-learn parity of MiniBatchNMF (fit_transform, partial_fit, transform) on every backend: the
// CPU (float64) and WebGPU and gpu.js (float32, gpu.js on its WebAssembly backend in Node).
// Fixtures: /usr/bin/python3 test/fixtures/gen_minibatch.py (also run by generate.py).

import { describe, expect, it } from 'vitest';
import { MiniBatchNMF } from '../src/index.js';
import { minibatchCases, type MiniBatchCase } from './minibatch-cases.js';
import { backendOptions, relativeError, TOLERANCE, type DenseFixture } from './parity-cases.js';
import { matmul } from '../src/matrix/matrix.js';

const dense = (f: DenseFixture) => ({ rows: f.rows, cols: f.cols, data: Float64Array.from(f.data) });

const cases = minibatchCases;
/** WebGPU under both kernel plans (gpuProfile 'software' and 'hardware') */
const MINIBATCH_BACKENDS = ['cpu', 'webgpu:software', 'webgpu:hardware', 'gpujs'] as const;
type Backend = (typeof MINIBATCH_BACKENDS)[number];
const quiet = () => {};

/** One case through the public API; returns what scikit-learn's fixture records. */
async function runMiniBatchCase(c: MiniBatchCase, backend: Backend) {
  const start = { ...(c.W0 ? { W: c.W0 } : {}), ...(c.H0 ? { H: c.H0 } : {}) };
  const model = new MiniBatchNMF({ ...c.options, ...backendOptions(backend), onWarning: quiet });
  let W;
  if (c.kind === 'fit') W = await model.fitTransform(c.X!, start);
  else for (const [i, batch] of c.batches!.entries()) await model.partialFit(batch, i === 0 ? start : {});
  return { model, W, transformW: await model.transform(c.X2) };
}

describe.each(MINIBATCH_BACKENDS)('MiniBatchNMF matches scikit-learn (%s)', (backend) => {
  const tolerance = backend === 'cpu' ? TOLERANCE.cpu : TOLERANCE.webgpu; // float32 on the GPU backends
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (name, c) => {
    const inputs = JSON.stringify(c);
    const { model, W, transformW } = await runMiniBatchCase(c, backend);
    const e = c.expected;
    if (backend === 'gpujs') expect(model.backendUsed).toMatch(/^gpujs \(webasm(, \d+ threads)?\)$/);
    if (backend.startsWith('webgpu:')) expect(model.backendUsed).toMatch(new RegExp(`\\(float32, ${backend.slice(7)} plan\\)$`));
    expect(relativeError(model.components!, e.H), `${name}: H`).toBeLessThan(tolerance);
    expect(relativeError(transformW, e.transformW), `${name}: transform`).toBeLessThan(tolerance);
    if (e.W) expect(relativeError(W!, e.W), `${name}: W`).toBeLessThan(tolerance);
    // every step's stopping test is exact in float64; in float32 a tol or EWA decision may move
    if (backend === 'cpu' || (c.options.tol === 0 && c.options.maxNoImprovement === null)) {
      expect(model.nSteps, `${name}: nSteps`).toBe(e.nSteps);
      if (e.nIter !== undefined) expect(model.nIter, `${name}: nIter`).toBe(e.nIter);
    }
    if (e.reconstructionErr !== undefined) expect(Math.abs(model.reconstructionErr! - e.reconstructionErr) / e.reconstructionErr).toBeLessThan(tolerance);
    // inverse_transform is W·components_: checked against scikit-learn's transform and components
    const back = await model.inverseTransform(transformW);
    expect(relativeError(back, matmul(dense(e.transformW), dense(e.H))), `${name}: inverseTransform`).toBeLessThan(tolerance);
    expect(model.nComponentsOut).toBe(e.H.rows);
    expect(model.nFeaturesIn).toBe(e.H.cols);
    expect(JSON.stringify(c), `${name}: inputs unchanged`).toBe(inputs);
  });
});
