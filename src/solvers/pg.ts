// scikit-learn 0.18's _fit_projected_gradient (Lin 2007, "Projected gradient methods for non-negative
// matrix factorization"): alternate non-negative least squares subproblems for W and H, each solved
// by projected gradient with Armijo's rule (σ = 0.01, step factor 0.1, at most 20 trials), until
// ‖P[∇W]‖² + ‖P[∇H]‖² < tol² × the initial ‖∇W‖² + ‖∇H‖². Hoyer's sparseness constraints enter as
// 0.18 stacked them, as changes of the subproblems' Gram matrices.

import type { FitPlan, PgSteps, PgSubproblem } from '../backend/backend.js';
import type { NMFWarning } from '../errors.js';
import type { Sparseness } from '../params.js';
import { IterationClock, type SolverOptions } from './loop.js';

export interface PgSettings {
  nlsMaxIter: number;
  sparseness: Sparseness | null;
  beta: number;
  eta: number;
  warn: (w: NMFWarning) => void;
}

/** Armijo's sufficient-decrease constant and the step factor (0.18's sigma and beta of _nls_subproblem). */
const SIGMA = 0.01;
const STEP_FACTOR = 0.1;
const LINE_SEARCH_TRIALS = 20;

export const NLS_LIMIT_WARNING = 'Iteration limit reached in nls subproblem.';

/**
 * The sparseness stacking as Gram changes. 0.18 appended to the subproblem's constant matrix either
 * √β·1ᵀ (one row: G gains √β·√β everywhere) or √η·I (k rows: G gains √η·√η on the diagonal), and
 * zero rows to its data, which leave the cross product unchanged. 'data' puts the row on W's
 * subproblem and √η·I on H's; 'components' the other way round.
 */
function subproblem(factor: 'W' | 'H', l1: number, l2: number, s: PgSettings): PgSubproblem {
  const sb = Math.sqrt(s.beta), se = Math.sqrt(s.eta);
  const rowOnThisFactor = (s.sparseness === 'data' && factor === 'W') || (s.sparseness === 'components' && factor === 'H');
  const identityOnThisFactor = (s.sparseness === 'data' && factor === 'H') || (s.sparseness === 'components' && factor === 'W');
  return { factor, l1, l2, gramAll: rowOnThisFactor ? sb * sb : 0, gramDiag: identityOnThisFactor ? se * se : 0 };
}

/**
 * 0.18's _nls_subproblem on the plan's steps; returns its iteration count. `report` hears each
 * iteration of a subproblem solved on its own (the final W solve can take as long as the fit).
 */
async function solveSubproblem(steps: PgSteps, sub: PgSubproblem, tol: number, maxIter: number, clock: IterationClock, report?: (nIter: number) => void): Promise<number> {
  steps.begin(sub);
  let gamma = 1;
  let nIter: number;
  for (nIter = 1; nIter <= maxIter; nIter++) {
    await clock.tick();
    report?.(nIter);
    steps.gradient();
    // The first trial rides along with the gradient's norm: one readback answers both questions.
    let trial = await clock.read(steps.trial(gamma, 'current'));
    clock.checkFinite(`projected gradient norm of the ${sub.factor} subproblem`, trial.projGradNormSq, nIter);
    if (Math.sqrt(trial.projGradNormSq) < tol) break;
    let previousIsCurrent = true; // 0.18's Hp = H
    let decreaseGamma = false;
    for (let inner = 0; inner < LINE_SEARCH_TRIALS; inner++) {
      if (inner > 0) trial = await clock.read(steps.trial(gamma, previousIsCurrent ? 'current' : 'previous'));
      const sufficientDecrease = (1 - SIGMA) * trial.gradd + 0.5 * trial.dQd < 0;
      if (inner === 0) decreaseGamma = !sufficientDecrease;
      if (decreaseGamma) {
        if (sufficientDecrease) {
          steps.accept('trial');
          break;
        }
        gamma *= STEP_FACTOR;
      } else if (!sufficientDecrease || trial.unchanged) {
        if (!previousIsCurrent) steps.accept('previous');
        break;
      } else {
        gamma /= STEP_FACTOR;
        steps.keepTrial();
        previousIsCurrent = false;
      }
    }
  }
  return Math.min(nIter, maxIter);
}

export async function fitProjectedGradient(plan: FitPlan, o: SolverOptions, s: PgSettings): Promise<number> {
  const steps = plan.pg;
  // fitFactors refused a backend whose `supports.pg` is false before the plan was made
  if (!steps) throw new Error("webnmf internal: a plan of a backend that supports 'pg' has no 'pg' steps");
  const clock = new IterationClock(o, plan);
  await clock.read(steps.prepare());
  const subW = subproblem('W', o.reg.l1W, o.reg.l2W, s);
  const subH = subproblem('H', o.reg.l1H, o.reg.l2H, s);
  let warned = false;
  const solve = async (sub: PgSubproblem, tol: number, report?: (nIter: number) => void): Promise<number> => {
    const n = await solveSubproblem(steps, sub, tol, s.nlsMaxIter, clock, report);
    if (n === s.nlsMaxIter && !warned) {
      // Python shows a warning once per place it is raised: one per fit here.
      warned = true;
      s.warn({ category: 'UserWarning', message: NLS_LIMIT_WARNING });
    }
    return n;
  };

  if (!o.updateH) {
    // 0.18's transform: one W subproblem from W = 0 to the absolute tolerance tol; its iterations are nIter.
    const nIter = await solve(subW, o.tol, (i) => clock.progress({ iteration: i, nlsIteration: i }));
    clock.progress({ iteration: nIter });
    if (o.verbose) o.log(`nls subproblem for W: ${nIter} iterations`);
    return nIter;
  }

  const initGrad = await clock.read(steps.initialGradients());
  clock.checkFinite('initial gradient norm', initGrad, 0);
  // max(0.001, tol) forces alternation between W and H (0.18's comment)
  let tolW = Math.max(0.001, o.tol) * Math.sqrt(initGrad);
  let tolH = tolW;
  let nIter: number;
  for (nIter = 1; nIter <= o.maxIter; nIter++) {
    await clock.tick();
    const projGrad = await clock.read(steps.projectedGradientNormSq());
    clock.checkFinite('projected gradient norm', projGrad, nIter);
    const ratio = projGrad / initGrad;
    clock.progress({ iteration: nIter, violation: Math.sqrt(ratio) });
    if (o.verbose) o.log(`iteration ${nIter}: projected gradient norm / initial = ${Math.sqrt(ratio)}`);
    if (ratio < o.tol * o.tol) break;

    const iterW = await solve(subW, tolW);
    if (iterW === 1) tolW = 0.1 * tolW;
    const iterH = await solve(subH, tolH);
    if (iterH === 1) tolH = 0.1 * tolH;
  }
  nIter = Math.min(nIter, o.maxIter);
  // At the iteration limit 0.18 solves W once more, to the absolute tolerance tol.
  if (nIter === o.maxIter) await solve(subW, o.tol, (i) => clock.progress({ iteration: nIter, nlsIteration: i }));
  return nIter;
}
