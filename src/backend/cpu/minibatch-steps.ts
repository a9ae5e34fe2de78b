// MiniBatchNMF's extra steps on the CPU (scikit-learn's _minibatch_step, _solve_W,
// _minibatch_convergence): the online H update with its running averages, W's clipping, and the
// convergence measures. W and H are the plan's own arrays, updated in place.

import type { FitProblem, HAverages, MiniBatchSteps, MuStep } from '../backend.js';
import { dense } from '../../matrix/matrix.js';
import { FLOAT64_EPS } from '../../numerics.js';
import { applyAveragedUpdate, relativeChange, sum, zeroBelow } from './mu-terms.js';
import type { FloatArray } from './workspace.js';

/** What the steps need of the plan. */
export interface MiniBatchPlanParts {
  k: number;
  n: number;
  W: FloatArray;
  H: FloatArray;
  /** H's numerator and (unregularized) denominator for the current W, H, into num and den (k×n) */
  hTerms(): { num: FloatArray; den: FloatArray };
  /** H's clipping after a MU step, and H's products stale */
  afterHUpdate(step: MuStep): void;
}

export class CpuMiniBatchSteps implements MiniBatchSteps {
  /** scikit-learn's running numerator A and denominator B of H (null: a plan made without them) */
  private readonly averages: { A: Float64Array; B: Float64Array } | null;
  /** W at the last wChange (or the start), H at the start */
  private readonly wPrevious: Float64Array;
  private readonly hStart: Float64Array;

  constructor(private readonly plan: MiniBatchPlanParts, p: FitProblem) {
    this.averages = p.averages ? { A: Float64Array.from(p.averages.A.data), B: Float64Array.from(p.averages.B.data) } : null;
    this.wPrevious = Float64Array.from(p.W.data);
    this.hStart = Float64Array.from(p.H.data);
  }

  muUpdateHAveraged(step: MuStep, rho: number): void {
    if (!this.averages) throw new Error('muUpdateHAveraged needs a plan made with averages');
    const { num, den } = this.plan.hTerms();
    applyAveragedUpdate(this.plan.H, num, den, this.averages.A, this.averages.B, rho, step);
    this.plan.afterHUpdate(step);
  }

  clipW(): void {
    zeroBelow(this.plan.W, FLOAT64_EPS);
  }

  async wChange(): Promise<number> {
    const change = relativeChange(this.plan.W, this.wPrevious);
    this.wPrevious.set(this.plan.W);
    return change;
  }

  async hChange(): Promise<number> {
    return relativeChange(this.plan.H, this.hStart);
  }

  async factorSums(): Promise<{ sumW: number; sumW2: number; sumH: number; sumH2: number }> {
    const { W, H } = this.plan;
    return { sumW: sum(W, 1), sumW2: sum(W, 2), sumH: sum(H, 1), sumH2: sum(H, 2) };
  }

  async readAverages(): Promise<HAverages> {
    if (!this.averages) throw new Error('readAverages needs a plan made with averages');
    const { k, n } = this.plan;
    return { A: dense(k, n, this.averages.A.slice()), B: dense(k, n, this.averages.B.slice()) };
  }
}
