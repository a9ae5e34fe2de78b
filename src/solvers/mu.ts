// scikit-learn's _fit_multiplicative_update: alternate W and H multiplicative updates (Lee & Seung;
// Févotte & Idier's MM exponent γ for β outside [1, 2]); every 10 iterations compare the error with
// the previous check's, relative to the error at the start.

import type { FitPlan } from '../backend/backend.js';
import { muGamma } from '../loss.js';
import { IterationClock, type SolverOptions } from './loop.js';

/** scikit-learn tests convergence every 10 iterations; a larger checkEvery rounds up to a multiple of 10. */
const MU_CHECK_INTERVAL = 10;

export async function fitMultiplicativeUpdate(plan: FitPlan, beta: number, o: SolverOptions): Promise<number> {
  const gamma = muGamma(beta);
  const interval = MU_CHECK_INTERVAL * Math.ceil(o.checkEvery / MU_CHECK_INTERVAL);
  const clock = new IterationClock(o, plan, interval);
  // Without a tolerance the error is never compared: skip computing it (a full pass over X on a GPU).
  // The error at the start arrives with the first check's.
  let initialError = o.tol !== 0 ? plan.snapshot('reconstructionError') : null;
  let errorAtInit = 0;
  let previousError = 0;
  let nIter = 0;
  for (nIter = 1; nIter <= o.maxIter; nIter++) {
    await clock.tick();
    plan.muUpdateW({ l1: o.reg.l1W, l2: o.reg.l2W, gamma });
    if (o.updateH) plan.muUpdateH({ l1: o.reg.l1H, l2: o.reg.l2H, gamma });

    if (nIter % interval !== 0) continue;
    if (o.tol === 0) {
      // scikit-learn computes no error without a tolerance; the report waits for the device to run the iteration
      clock.progressWhenRun({ iteration: nIter });
    } else {
      const error = await clock.read(plan.reconstructionError());
      if (initialError) {
        previousError = errorAtInit = await clock.read(initialError);
        initialError = null;
        clock.checkFinite('initial error', errorAtInit, 0);
      }
      clock.checkFinite('reconstruction error', error, nIter);
      clock.progress({ iteration: nIter, loss: error });
      if (o.verbose) o.log(`Epoch ${String(nIter).padStart(2, '0')} reached after ${(clock.elapsedMs() / 1000).toFixed(3)} seconds, error: ${error.toFixed(6)}`);
      if ((previousError - error) / errorAtInit < o.tol) break;
      previousError = error;
    }
  }
  nIter = Math.min(nIter, o.maxIter);
  await clock.settled(); // the reports still waiting for the device (the fit reads W and H next anyway)
  if (o.verbose && (o.tol === 0 || nIter % interval !== 0)) {
    o.log(`Epoch ${String(nIter).padStart(2, '0')} reached after ${(clock.elapsedMs() / 1000).toFixed(3)} seconds.`);
  }
  return nIter;
}
