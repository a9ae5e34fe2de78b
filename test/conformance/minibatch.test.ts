// MiniBatchNMF on every target that supports it: scikit-learn parity (fit_transform, partial_fit,
// transform; test/fixtures/minibatch.json, written by test/fixtures/gen_minibatch.py, also run by
// generate.py) through the public API, and its plan steps (_solve_W's MU of W, clipW, the averaged H
// step, the changes, the cost's sums, the averages) against the float64 CPU plan's.

import { describe, expect, it } from 'vitest';
import type { FitPlan, FitProblem, HAverages } from '../../src/backend/backend.js';
import { CpuBackend } from '../../src/backend/cpu/cpu-backend.js';
import { matmul } from '../../src/matrix/matrix.js';
import { muGamma } from '../../src/loss.js';
import { minibatchCases, relativeError, runMiniBatchCase, type DenseFixture } from '../support/cases.js';
import { makeProblem, randomArray } from '../support/problems.js';
import { openTargets, scalarGap, stepError, type Target } from '../support/targets.js';

const targets = await openTargets();
const reference = new CpuBackend();
const dense = (f: DenseFixture) => ({ rows: f.rows, cols: f.cols, data: Float64Array.from(f.data) });

describe.each(targets)('MiniBatchNMF matches scikit-learn on $name', (t: Target) => {
  const tolerance = t.tolerance.sklearn;
  it.skipIf(!t.supports.minibatch).each(minibatchCases.map((c) => [c.name, c] as const))('%s', async (name, c) => {
    const inputs = JSON.stringify(c);
    const { model, W, transformW } = await runMiniBatchCase(c, t.options);
    const e = c.expected;
    expect(model.backendUsed).toBe(t.backend.description);
    expect(relativeError(model.components!, e.H), `${name}: H`).toBeLessThan(tolerance);
    expect(relativeError(transformW, e.transformW), `${name}: transform`).toBeLessThan(tolerance);
    if (e.W) expect(relativeError(W!, e.W), `${name}: W`).toBeLessThan(tolerance);
    // every step's stopping test is exact in float64; in float32 a tol or EWA decision may move
    if (t.supports.float64 || (c.options.tol === 0 && c.options.maxNoImprovement === null)) {
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

function withAverages(p: FitProblem, seed: number): FitProblem {
  const { rows, cols } = p.H;
  const averages: HAverages = {
    A: { rows, cols, data: randomArray(rows * cols, seed, 0.1, 1) },
    B: { rows, cols, data: randomArray(rows * cols, seed + 1, 0.5, 2) },
  };
  return { ...p, averages, minibatch: true };
}

/** A batch's steps: W steps with their changes, clipW, the cost's sums, two averaged H steps. */
async function script(plan: FitPlan, beta: number) {
  const mb = plan.minibatch!;
  const gamma = muGamma(beta);
  const scalars: number[] = [];
  for (let s = 0; s < 4; s++) {
    plan.muUpdateW({ l1: 0.01, l2: 0.02, gamma, clip: false });
    scalars.push(await mb.wChange());
  }
  mb.clipW();
  const sums = await mb.factorSums();
  scalars.push(sums.sumW, sums.sumW2, sums.sumH, sums.sumH2);
  mb.muUpdateHAveraged({ l1: 0.03, l2: 0.01, gamma }, 0.7);
  mb.muUpdateHAveraged({ l1: 0.03, l2: 0.01, gamma }, 0.7);
  scalars.push(await mb.hChange(), await plan.reconstructionError());
  const { W, H } = await plan.read();
  const { A, B } = await mb.readAverages();
  return { scalars, W: W.data, H: H.data, A: A.data, B: B.data };
}

describe.each(targets)("MiniBatchNMF's plan steps on $name against the float64 CPU plan", (t: Target) => {
  const tol = t.tolerance.steps;
  it.skipIf(!tol || !t.supports.minibatch).each([2, 1, 0.5, 1.5, 3])('β = %s: W steps, clipW, averaged H steps, changes, sums, averages', async (beta) => {
    const problem = withAverages(makeProblem({ m: 11, n: 9, k: 3, beta, seed: 4 }), 40);
    const plan = await reference.createFit(problem);
    const want = await script(plan, beta).finally(() => plan.destroy());
    const got = await t.checked(async () => {
      const p = await t.backend.createFit(problem);
      return script(p, beta).finally(() => p.destroy());
    });
    for (const key of ['W', 'H', 'A', 'B'] as const) expect(stepError(got[key], want[key]), key).toBeLessThan(tol!.factors);
    got.scalars.forEach((s, i) => expect(scalarGap(s, want.scalars[i]), `scalar ${i}: ${s} vs ${want.scalars[i]}`).toBeLessThan(tol!.loss));
  });
});
