// scikit-learn parity of nonNegativeFactorization: every function case of parity.json, on every
// backend in BACKENDS, through the public API. Fixtures: /usr/bin/python3 test/fixtures/generate.py

import { describe, expect, it } from 'vitest';
import { BACKENDS, SKLEARN_VERSION, TOLERANCE, functionCases, relativeError, runCase } from './parity-cases.js';

describe.each(BACKENDS)(`nonNegativeFactorization matches scikit-learn ${SKLEARN_VERSION} (%s)`, (backend) => {
  const tolerance = TOLERANCE[backend];

  it.each(functionCases.map((c) => [c.name, c] as const))('%s', async (name, c) => {
    const inputs = JSON.stringify([c.X, c.W0, c.H0]);
    const got = await runCase(c, backend);
    const { W, H, nIter } = c.expected;

    expect({ rows: got.W.rows, cols: got.W.cols }, `${name}: shape of W`).toEqual({ rows: W.rows, cols: W.cols });
    expect({ rows: got.H.rows, cols: got.H.cols }, `${name}: shape of H`).toEqual({ rows: H.rows, cols: H.cols });
    if (backend === 'cpu') expect(got.W.data, `${name}: W is float64 on the CPU`).toBeInstanceOf(Float64Array);
    expect(relativeError(got.W, W), `${name}: relative error of W`).toBeLessThan(tolerance);
    expect(relativeError(got.H, H), `${name}: relative error of H`).toBeLessThan(tolerance);
    // The stopping rule is exact on the CPU; with tol 0 every backend runs maxIter iterations.
    if (backend === 'cpu' || c.options.tol === 0) expect(got.nIter, `${name}: nIter`).toBe(nIter);
    expect(JSON.stringify([c.X, c.W0, c.H0]), `${name}: X, W and H given are left unchanged`).toBe(inputs);
  });
});
