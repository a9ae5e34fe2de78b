// scikit-learn's _fit_coordinate_descent: Fast HALS (Cichocki & Phan 2009). Each iteration sweeps
// every coordinate of W, then of H, in component order (or a fresh permutation per sweep with
// shuffle); it stops when the projected-gradient violation falls below tol × the first iteration's.

import type { FitPlan } from '../backend/backend.js';
import { checkRandomState } from '../random/random-state.js';
import { IterationClock, type SolverOptions } from './loop.js';

export async function fitCoordinateDescent(plan: FitPlan, nComponents: number, o: SolverOptions): Promise<number> {
  const clock = new IterationClock(o, plan);
  const rng = o.shuffle ? checkRandomState(o.randomState) : null;
  const inOrder = Int32Array.from({ length: nComponents }, (_, t) => t);
  const order = () => (rng ? rng.permutation(nComponents) : inOrder);
  // The first iteration's violation (scikit-learn's reference) arrives with the first check's.
  let firstViolation: Promise<number> | null = null;
  let violationInit = 0;
  let nIter = 0;
  for (nIter = 1; nIter <= o.maxIter; nIter++) {
    await clock.tick();
    plan.halsSweepW({ l1: o.reg.l1W, l2: o.reg.l2W, order: order() });
    if (o.updateH) plan.halsSweepH({ l1: o.reg.l1H, l2: o.reg.l2H, order: order() });

    if (nIter === 1) firstViolation = plan.snapshot('lastViolation');
    if (nIter % o.checkEvery !== 0) continue;
    const violation = await clock.read(plan.lastViolation());
    if (firstViolation) {
      violationInit = await clock.read(firstViolation);
      firstViolation = null;
      clock.checkFinite('violation', violationInit, 1);
      if (o.verbose && nIter !== 1 && violationInit !== 0) o.log('violation: 1'); // iteration 1's line, printed at this first check
    }
    clock.checkFinite('violation', violation, nIter);
    if (violationInit === 0) break;
    clock.progress({ iteration: nIter, violation: violation / violationInit });
    if (o.verbose) o.log(`violation: ${violation / violationInit}`);
    if (violation / violationInit <= o.tol) {
      if (o.verbose) o.log(`Converged at iteration ${nIter + 1}`);
      break;
    }
  }
  return Math.min(nIter, o.maxIter);
}
