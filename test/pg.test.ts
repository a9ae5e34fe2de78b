// Solver 'pg' (scikit-learn 0.18's projected gradient): its options' rules and the fit's plumbing
// (progress, abort, the estimator's fit and transform) on the CPU. Its parity with test/fixtures/pg.json
// on every target is test/conformance/pg.test.ts.

import { describe, expect, it } from 'vitest';
import { InvalidParameterError, NMF, NMFError, nonNegativeFactorization, type FactorizationOptions } from '../src/index.js';
import { pgCases, relativeError, runPgCase } from './support/cases.js';

const CPU = { backend: 'cpu' } as const;

describe("solver 'pg': options", () => {
  const X = [[1, 2, 0.5], [3, 4, 1], [0.2, 1, 2]];
  const run = (options: Record<string, unknown>) =>
    nonNegativeFactorization(X, { nComponents: 2, init: 'random', randomState: 0, backend: 'cpu', solver: 'pg', ...options } as FactorizationOptions);

  it.each([
    ['nlsMaxIter', 0, /^The 'nlsMaxIter' parameter of nonNegativeFactorization must be an int in the range \[1, inf\)\. Got 0 instead\.$/],
    ['nlsMaxIter', 2.5, /must be an int in the range \[1, inf\)\. Got 2\.5 instead/],
    ['sparseness', 'rows', /^The 'sparseness' parameter of nonNegativeFactorization must be a str among \{'data', 'components'\} or null\. Got 'rows' instead\.$/],
    ['beta', -1, /^The 'beta' parameter of nonNegativeFactorization must be a float in the range \[0, inf\)\. Got -1 instead\.$/],
    ['beta', NaN, /'beta' parameter .* must be a float in the range \[0, inf\)\. Got NaN instead/],
    ['eta', -0.5, /^The 'eta' parameter of nonNegativeFactorization must be a float in the range \[0, inf\)\. Got -0\.5 instead\.$/],
    ['eta', '0.1', /'eta' parameter .* Got '0\.1' instead/],
  ])('%s = %s is refused', async (name, value, message) => {
    const err = await run({ [name]: value }).catch((e) => e);
    expect(err).toBeInstanceOf(InvalidParameterError);
    expect(err.parameter).toBe(name);
    expect(err.message).toMatch(message);
  });

  it('a fit whose gradient overflows rejects with NMFError, not a silent NaN', async () => {
    const fit = nonNegativeFactorization([[1e200, 1], [1, 1e200]], { solver: 'pg', nComponents: 2, init: 'random', randomState: 0, backend: 'cpu', onWarning: () => {} });
    await expect(fit).rejects.toThrow(NMFError);
    await expect(fit).rejects.toThrow(/gradient norm became (Infinity|NaN)/);
  });

  it('pg handles the Frobenius loss only, as 0.18', async () => {
    const err = await run({ betaLoss: 'kullback-leibler' }).catch((e) => e);
    expect(err).toBeInstanceOf(InvalidParameterError);
    expect(err.parameter).toBe('betaLoss');
    expect(err.message).toMatch(/solver 'pg' does not handle betaLoss = 'kullback-leibler'; only 'mu' handles losses other than 'frobenius'/);
  });

  it('sparseness is refused with another solver', async () => {
    for (const solver of ['cd', 'mu']) {
      const err = await run({ solver, sparseness: 'data' }).catch((e) => e);
      expect(err).toBeInstanceOf(InvalidParameterError);
      expect(err.parameter).toBe('sparseness');
      expect(err.message).toMatch(new RegExp(`used only by solver 'pg'.*with solver '${solver}'`));
    }
  });

  it('the defaults are 0.18\'s: nlsMaxIter 2000, sparseness null, beta 1, eta 0.1', async () => {
    const c = pgCases.find((x) => x.name === 'pg-data-dense')!;
    const base = await runPgCase(c, CPU);
    const explicit = await runPgCase(c, CPU, { nlsMaxIter: 2000, beta: 1, eta: 0.1 });
    expect(Array.from(explicit.W.data)).toEqual(Array.from(base.W.data));
    // beta and eta change the result only through sparseness
    const plain = pgCases.find((x) => x.name === 'pg-none-dense')!;
    const a = await runPgCase(plain, CPU);
    const b = await runPgCase(plain, CPU, { beta: 5, eta: 3, sparseness: null });
    expect(Array.from(b.H.data)).toEqual(Array.from(a.H.data));
    const sparse = await runPgCase(plain, CPU, { sparseness: 'components', beta: 5 });
    expect(relativeError(sparse.H, a.H)).toBeGreaterThan(1e-3);
  });

  it('reports progress (the projected-gradient ratio), stops on abort, and the estimator runs pg', async () => {
    const c = pgCases.find((x) => x.name === 'pg-none-dense')!;
    const seen: { iteration: number; violation?: number }[] = [];
    await runPgCase(c, CPU, { onProgress: (p) => seen.push(p) });
    expect(seen.length).toBe(c.expected.nIter);
    expect(seen[0].violation).toBe(1);
    expect(seen[seen.length - 1].violation!).toBeLessThan(c.options.tol!);

    const controller = new AbortController();
    const aborted = runPgCase(c, CPU, { onProgress: (p) => p.iteration === 3 && controller.abort(new Error('stop here')), signal: controller.signal });
    await expect(aborted).rejects.toThrow('stop here');

    const model = new NMF({ nComponents: 3, solver: 'pg', init: 'custom', tol: c.options.tol, backend: 'cpu', onWarning: () => {} });
    const W = await model.fitTransform(c.X, { W: c.W0!, H: c.H0 });
    expect(relativeError(W, c.expected.W)).toBeLessThan(1e-6);
    expect(model.nIter).toBe(c.expected.nIter);
    // transform: one W subproblem from zeros against the learned H, as 0.18's transform
    const W2 = await model.transform(c.X);
    const direct = await nonNegativeFactorization(c.X, { nComponents: 3, solver: 'pg', updateH: false, H: model.components!, tol: c.options.tol, backend: 'cpu', onWarning: () => {} });
    expect(Array.from(W2.data)).toEqual(Array.from(direct.W.data));
  });
});
