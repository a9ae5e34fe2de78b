// scikit-learn parity of the NMF estimator: fitTransform with a custom start, then components,
// nIter, reconstructionErr, transform on new data and inverseTransform, on every backend in BACKENDS.

import { describe, expect, it } from 'vitest';
import { BACKENDS, SKLEARN_VERSION, TOLERANCE, estimatorCases, relativeError, runCase } from './parity-cases.js';

describe.each(BACKENDS)(`NMF matches scikit-learn ${SKLEARN_VERSION} (%s)`, (backend) => {
  const tolerance = TOLERANCE[backend];

  it.each(estimatorCases.map((c) => [c.name, c] as const))('%s', async (name, c) => {
    const inputs = JSON.stringify([c.X, c.X2, c.W0, c.H0]);
    const got = await runCase(c, backend);
    const e = c.expected;

    expect(relativeError(got.W, e.W), `${name}: relative error of W (fitTransform)`).toBeLessThan(tolerance);
    expect(relativeError(got.H, e.H), `${name}: relative error of components`).toBeLessThan(tolerance);
    if (backend === 'cpu' || c.options.tol === 0) expect(got.nIter, `${name}: nIter`).toBe(e.nIter);
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
