// scikit-learn parity through the public API on every target: every function case of
// test/fixtures/parity.json (nonNegativeFactorization) and every estimator case (NMF.fitTransform with
// components, nIter, reconstructionErr, transform on new data and inverseTransform), at the target's
// tolerance (test/support/targets.ts). Fixtures: /usr/bin/python3 test/fixtures/generate.py

import { describe, expect, it } from 'vitest';
import { NMF } from '../../src/index.js';
import { SKLEARN_VERSION, estimatorCases, functionCases, relativeError, runCase } from '../support/cases.js';
import { openTargets, type Target } from '../support/targets.js';

const targets = await openTargets();
const quiet = () => {};

describe.each(targets)(`scikit-learn ${SKLEARN_VERSION} parity on $name`, (t: Target) => {
  const tolerance = t.tolerance.sklearn;
  const arrayType = t.supports.float64 ? Float64Array : Float32Array;

  it('backendUsed names the backend the target asked for', async () => {
    const model = new NMF({ nComponents: 2, init: 'random', randomState: 0, maxIter: 5, tol: 0, ...t.options, onWarning: quiet });
    const W = await model.fitTransform([[1, 2, 3], [4, 5, 6], [7, 8, 9.5]]);
    expect(model.backendUsed).toBe(t.backend.description);
    if (t.name === 'gpujs') expect(model.backendUsed).toMatch(/^gpujs \(webasm(, \d+ threads)?\)$/);
    if (t.options.gpuProfile) expect(model.backendUsed).toMatch(new RegExp(`\\(float32, ${t.options.gpuProfile} plan\\)$`));
    expect(W.data).toBeInstanceOf(arrayType);
    expect(model.components!.data).toBeInstanceOf(arrayType);
  });

  describe('nonNegativeFactorization', () => {
    it.each(functionCases.map((c) => [c.name, c] as const))('%s', async (name, c) => {
      const inputs = JSON.stringify([c.X, c.W0, c.H0]);
      const got = await runCase(c, t.options);
      const { W, H, nIter } = c.expected;
      expect({ rows: got.W.rows, cols: got.W.cols }, `${name}: shape of W`).toEqual({ rows: W.rows, cols: W.cols });
      expect({ rows: got.H.rows, cols: got.H.cols }, `${name}: shape of H`).toEqual({ rows: H.rows, cols: H.cols });
      expect(got.W.data, `${name}: W in the backend's precision`).toBeInstanceOf(arrayType);
      expect(relativeError(got.W, W), `${name}: relative error of W`).toBeLessThan(tolerance);
      expect(relativeError(got.H, H), `${name}: relative error of H`).toBeLessThan(tolerance);
      // The stopping rule is exact in float64; with tol 0 every backend runs maxIter iterations.
      if (t.supports.float64 || c.options.tol === 0) expect(got.nIter, `${name}: nIter`).toBe(nIter);
      expect(JSON.stringify([c.X, c.W0, c.H0]), `${name}: X, W and H given are left unchanged`).toBe(inputs);
    });
  });

  describe('NMF', () => {
    it.each(estimatorCases.map((c) => [c.name, c] as const))('%s', async (name, c) => {
      const inputs = JSON.stringify([c.X, c.X2, c.W0, c.H0]);
      const got = await runCase(c, t.options);
      const e = c.expected;
      expect(got.W.data, `${name}: W in the backend's precision`).toBeInstanceOf(arrayType);
      expect(relativeError(got.W, e.W), `${name}: relative error of W (fitTransform)`).toBeLessThan(tolerance);
      expect(relativeError(got.H, e.H), `${name}: relative error of components`).toBeLessThan(tolerance);
      if (t.supports.float64 || c.options.tol === 0) expect(got.nIter, `${name}: nIter`).toBe(e.nIter);
      expect(got.nComponentsOut, `${name}: nComponentsOut`).toBe(e.H.rows);
      expect(got.nFeaturesIn, `${name}: nFeaturesIn`).toBe(c.X.cols);

      expect(got.reconstructionErr, `${name}: reconstructionErr is a number`).toBeTypeOf('number');
      const errGap = Math.abs(got.reconstructionErr! - e.reconstructionErr!) / e.reconstructionErr!;
      expect(errGap, `${name}: relative error of reconstructionErr`).toBeLessThan(tolerance);

      expect(got.transformW, `${name}: transform(X2) returned a matrix`).toBeDefined();
      expect(relativeError(got.transformW!, e.transformW!), `${name}: relative error of transform(X2)`).toBeLessThan(tolerance);
      expect(relativeError(got.inverseTransform!, e.inverseTransform!), `${name}: relative error of inverseTransform(W)`).toBeLessThan(tolerance);
      expect(JSON.stringify([c.X, c.X2, c.W0, c.H0]), `${name}: inputs are left unchanged`).toBe(inputs);
    });
  });
});
