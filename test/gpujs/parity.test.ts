// scikit-learn parity on backend 'gpujs' in Node, where gpu.js has no WebGL2 context and runs its
// kernels as WebAssembly (f32x4 SIMD, float32): every case of test/fixtures/parity.json through the
// public API, at the float32 tolerance the WebGPU backend is held to. The WebGL2 path is tested in
// headless Chromium (test/browser/gpujs.test.ts).

import { describe, expect, it } from 'vitest';
import { NMF } from '../../src/index.js';
import { SKLEARN_VERSION, TOLERANCE, estimatorCases, functionCases, relativeError, runCase } from '../parity-cases.js';

/** parity-cases.ts runs any backend name through the public API; it types only the ones its suites loop over */
const GPUJS = 'gpujs' as const;
const tolerance = TOLERANCE.webgpu;

describe(`nonNegativeFactorization matches scikit-learn ${SKLEARN_VERSION} (gpujs, webasm)`, () => {
  it('runs on gpu.js webasm in Node, float32', async () => {
    const model = new NMF({ nComponents: 2, init: 'random', randomState: 0, backend: 'gpujs', maxIter: 5, tol: 0, onWarning: () => {} });
    const W = await model.fitTransform([[1, 2, 3], [4, 5, 6], [7, 8, 9.5]]);
    expect(model.backendUsed).toMatch(/^gpujs \(webasm(, \d+ threads)?\)$/);
    expect(W.data).toBeInstanceOf(Float32Array);
    expect(model.components!.data).toBeInstanceOf(Float32Array);
  });

  it.each(functionCases.map((c) => [c.name, c] as const))('%s', async (name, c) => {
    const inputs = JSON.stringify([c.X, c.W0, c.H0]);
    const got = await runCase(c, GPUJS);
    const { W, H, nIter } = c.expected;
    expect({ rows: got.W.rows, cols: got.W.cols }, `${name}: shape of W`).toEqual({ rows: W.rows, cols: W.cols });
    expect({ rows: got.H.rows, cols: got.H.cols }, `${name}: shape of H`).toEqual({ rows: H.rows, cols: H.cols });
    expect(got.W.data, `${name}: W is float32`).toBeInstanceOf(Float32Array);
    expect(relativeError(got.W, W), `${name}: relative error of W`).toBeLessThan(tolerance);
    expect(relativeError(got.H, H), `${name}: relative error of H`).toBeLessThan(tolerance);
    if (c.options.tol === 0) expect(got.nIter, `${name}: nIter`).toBe(nIter);
    expect(JSON.stringify([c.X, c.W0, c.H0]), `${name}: X, W and H given are left unchanged`).toBe(inputs);
  });
});

describe(`NMF matches scikit-learn ${SKLEARN_VERSION} (gpujs, webasm)`, () => {
  it.each(estimatorCases.map((c) => [c.name, c] as const))('%s', async (name, c) => {
    const got = await runCase(c, GPUJS);
    const e = c.expected;
    expect(relativeError(got.W, e.W), `${name}: relative error of W (fitTransform)`).toBeLessThan(tolerance);
    expect(relativeError(got.H, e.H), `${name}: relative error of components`).toBeLessThan(tolerance);
    if (c.options.tol === 0) expect(got.nIter, `${name}: nIter`).toBe(e.nIter);
    expect(got.nComponentsOut, `${name}: nComponentsOut`).toBe(e.H.rows);
    expect(got.nFeaturesIn, `${name}: nFeaturesIn`).toBe(c.X.cols);
    const errGap = Math.abs(got.reconstructionErr! - e.reconstructionErr!) / e.reconstructionErr!;
    expect(errGap, `${name}: relative error of reconstructionErr`).toBeLessThan(tolerance);
    expect(relativeError(got.transformW!, e.transformW!), `${name}: relative error of transform(X2)`).toBeLessThan(tolerance);
    expect(relativeError(got.inverseTransform!, e.inverseTransform!), `${name}: relative error of inverseTransform(W)`).toBeLessThan(tolerance);
  });
});
