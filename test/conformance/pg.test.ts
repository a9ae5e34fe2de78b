// Solver 'pg' (scikit-learn 0.18's projected gradient) on every target that supports it: the cases of
// test/fixtures/pg.json (gen_pg.py: a NumPy port of 0.18's solver, checked there against NNLS optima
// and the algorithm's descent and stopping properties) through the public API, and the plan's pg steps
// against the float64 CPU plan's.
//
// Tolerance in float32. pg's decisions (Armijo's test, the subproblem and outer stopping rules, the
// "candidate unchanged" test) are comparisons of sums that float32 rounding could in principle flip,
// sending the line search down another branch. On these cases it does not: W and H agree with the
// float64 reference to ~1e-6 and nIter is exact (SwiftShader, 2026-11). A float32 target must give W
// and H within its scikit-learn tolerance, the final objective within 1e-4 relative, and nIter within
// max(1, 10%), so a device whose rounding flips a late, inconsequential branch still passes while a
// wrong kernel (any error in G, ∇, the trial or the reductions moves W, H by far more than 1e-3) fails.
// On an emulated GPU each readback costs milliseconds (SwiftShader: ~10 ms, and pg reads once per
// line-search trial): a target runs EMULATED_CASES there, the cases with the fewest subproblem
// iterations, which still cover what the fixtures cover (checked below).

import { describe, expect, it } from 'vitest';
import type { FitPlan, PgSubproblem } from '../../src/backend/backend.js';
import { CpuBackend } from '../../src/backend/cpu/cpu-backend.js';
import { NLS_WARNING, byName, pgCases, relativeError, runPgCase, type DenseFixture, type MatrixFixture, type PgCase } from '../support/cases.js';
import { makeProblem } from '../support/problems.js';
import { openTargets, scalarGap, stepError, type Target } from '../support/targets.js';

const targets = await openTargets();

const EMULATED_CASES = [
  'pg-data-dense', 'pg-components-csr', 'pg-l1-dense', 'pg-mixed-components-dense',
  'pg-nls-limit-dense', 'pg-tol0-nls-limit-csr', 'pg-fixed-h-dense', 'pg-fixed-h-data-csr',
].map((name) => byName(pgCases, name));

/** 0.18's objective with the sparseness stacking's terms (gen_pg.py's `objective`). */
function objective(c: PgCase, W: { data: ArrayLike<number> }, H: { data: ArrayLike<number> }): number {
  const X = toDense(c.X);
  const m = X.rows, n = X.cols, k = c.H0.rows;
  const { alpha, l1_ratio: r, sparseness, beta, eta } = c.sk018 as { alpha: number; l1_ratio: number; sparseness: string | null; beta: number; eta: number };
  let f = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let wh = 0;
      for (let t = 0; t < k; t++) wh += W.data[i * k + t] * H.data[t * n + j];
      f += 0.5 * (X.data[i * n + j] - wh) ** 2;
    }
  }
  const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);
  const sq = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v * v, 0);
  f += alpha * r * (sum(W.data) + sum(H.data)) + 0.5 * alpha * (1 - r) * (sq(W.data) + sq(H.data));
  const rowSumsW = Array.from({ length: m }, (_, i) => sum(Array.from(W.data).slice(i * k, (i + 1) * k)));
  const colSumsH = Array.from({ length: n }, (_, j) => { let s = 0; for (let t = 0; t < k; t++) s += H.data[t * n + j]; return s; });
  if (sparseness === 'data') f += 0.5 * beta * sq(rowSumsW) + 0.5 * eta * sq(H.data);
  if (sparseness === 'components') f += 0.5 * eta * sq(W.data) + 0.5 * beta * sq(colSumsH);
  return f;
}

function toDense(X: MatrixFixture): DenseFixture {
  if (!('indptr' in X)) return X;
  const data = new Array<number>(X.rows * X.cols).fill(0);
  for (let i = 0; i < X.rows; i++) for (let p = X.indptr[i]; p < X.indptr[i + 1]; p++) data[i * X.cols + X.indices[p]] = X.data[p];
  return { rows: X.rows, cols: X.cols, data };
}

it('the fixtures have cases for every feature they promise', () => {
  const o = pgCases.map((c) => c.options);
  expect(o.some((x) => x.sparseness === 'data') && o.some((x) => x.sparseness === 'components')).toBe(true);
  expect(pgCases.some((c) => 'indptr' in c.X) && pgCases.some((c) => !('indptr' in c.X))).toBe(true);
  expect(o.some((x) => x.updateH === false)).toBe(true);
  expect(pgCases.some((c) => c.expected.nlsLimitHits > 0)).toBe(true);
  expect(pgCases.some((c) => c.expected.nIter < (c.options.maxIter ?? 200) && c.options.updateH !== false)).toBe(true);
  expect(o.some((x) => x.l1Ratio === 1) && o.some((x) => x.l1Ratio === 0 && (x.alphaW ?? 0) > 0)).toBe(true);
});

describe.each(targets)("solver 'pg' on $name matches scikit-learn 0.18 (port)", (t: Target) => {
  const cases = t.emulated ? EMULATED_CASES : pgCases;
  const tolerance = t.tolerance.sklearn;

  it.skipIf(!t.supports.pg)(`the cases run here (${cases === pgCases ? 'all' : 'the emulated-GPU subset'}) cover what the fixtures cover`, () => {
    const o = cases.map((c) => c.options);
    expect(o.some((x) => x.sparseness === 'data') && o.some((x) => x.sparseness === 'components')).toBe(true);
    expect(cases.some((c) => 'indptr' in c.X) && cases.some((c) => !('indptr' in c.X))).toBe(true);
    expect(o.some((x) => x.updateH === false) && o.some((x) => (x.alphaW ?? 0) > 0)).toBe(true);
    expect(cases.some((c) => c.expected.nlsLimitHits > 0)).toBe(true);
    expect(cases.some((c) => c.options.updateH !== false && c.expected.nIter < (c.options.maxIter ?? 200))).toBe(true);
    expect(cases.some((c) => c.expected.nIter === c.options.maxIter)).toBe(true);
  });

  it.skipIf(!t.supports.pg).each(cases.map((c) => [c.name, c] as const))('%s', async (name, c) => {
    const got = await runPgCase(c, t.options);
    expect(got.W.data, `${name}: W in the backend's precision`).toBeInstanceOf(t.supports.float64 ? Float64Array : Float32Array);
    expect({ rows: got.W.rows, cols: got.W.cols }).toEqual({ rows: c.expected.W.rows, cols: c.expected.W.cols });
    expect(relativeError(got.W, c.expected.W), `${name}: W`).toBeLessThan(tolerance);
    expect(relativeError(got.H, c.expected.H), `${name}: H`).toBeLessThan(tolerance);
    const nls = got.warnings.filter((w) => w.message === NLS_WARNING);
    // Python shows a warning once per place it is raised: at most once per fit.
    expect(nls.length, `${name}: nls warning`).toBe(c.expected.nlsLimitHits > 0 ? 1 : 0);
    if (nls.length) expect(nls[0].category).toBe('UserWarning');
    if (t.supports.float64) {
      expect(got.nIter, `${name}: nIter`).toBe(c.expected.nIter);
      const maxIter = c.options.maxIter ?? 200;
      const convergence = got.warnings.filter((w) => w.category === 'ConvergenceWarning');
      expect(convergence.length, `${name}: ConvergenceWarning`).toBe(c.expected.nIter === maxIter && (c.options.tol ?? 1e-4) > 0 ? 1 : 0);
    } else {
      const f = objective(c, got.W, got.H);
      expect(Math.abs(f - c.expected.objective) / c.expected.objective, `${name}: objective`).toBeLessThan(1e-4);
      expect(Math.abs(got.nIter - c.expected.nIter), `${name}: nIter ${got.nIter} vs ${c.expected.nIter}`).toBeLessThanOrEqual(Math.max(1, Math.floor(0.1 * c.expected.nIter)));
    }
  });
});

/** Every pg step: gradients, Gram changes, trials from F and from F_previous, accept and keepTrial. */
async function script(plan: FitPlan) {
  const subs: PgSubproblem[] = [
    { factor: 'W', gramDiag: 0, gramAll: 0.25, l1: 0.01, l2: 0.03 },
    { factor: 'H', gramDiag: 0.2, gramAll: 0, l1: 0.02, l2: 0 },
  ];
  const pg = plan.pg!;
  await pg.prepare();
  const out: number[] = [await pg.initialGradients(), await pg.projectedGradientNormSq()];
  for (let round = 0; round < 3; round++) {
    for (const sub of subs) {
      pg.begin(sub);
      for (let it = 0; it < 3; it++) {
        pg.gradient();
        const a = await pg.trial(1, 'current');
        const b = await pg.trial(0.1, 'current');
        pg.keepTrial();
        const c = await pg.trial(0.01, 'previous');
        for (const tr of [a, b, c]) out.push(tr.projGradNormSq, tr.gradd, tr.dQd, tr.unchanged ? 1 : 0);
        pg.accept(it === 1 ? 'previous' : 'trial');
      }
    }
    out.push(await pg.projectedGradientNormSq());
  }
  const { W, H } = await plan.read();
  return { out, W: W.data, H: H.data };
}

describe.each(targets)("solver 'pg': plan steps on $name against the float64 CPU plan", (t: Target) => {
  const tol = t.tolerance.steps;
  it.skipIf(!tol || !t.supports.pg).each([false, true])('gradients, Gram changes, trials, accept and keepTrial (CSR %s)', async (sparse) => {
    const problem = makeProblem({ m: 23, n: 17, k: 4, beta: 2, sparse, seed: 13 });
    const cpuPlan = await new CpuBackend().createFit(problem);
    const want = await script(cpuPlan).finally(() => cpuPlan.destroy());
    const got = await t.checked(async () => {
      const plan = await t.backend.createFit(problem);
      return script(plan).finally(() => plan.destroy());
    });
    expect(stepError(got.W, want.W), 'W').toBeLessThan(tol!.pgFactors);
    expect(stepError(got.H, want.H), 'H').toBeLessThan(tol!.pgFactors);
    got.out.forEach((v, i) => expect(scalarGap(v, want.out[i]), `scalar ${i}: ${v} vs ${want.out[i]}`).toBeLessThan(tol!.pgScalars));
  });
});
