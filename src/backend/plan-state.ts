// What a FitPlan must remember between steps, the same on every backend: which products of H still
// hold for the current H, scikit-learn's cached-H-sum quirk, and which HALS sweeps make up the last
// iteration's violation. Each plan keeps the arrays or buffers; this keeps the rules.

import { cachedHSumGrowth } from '../loss.js';
import type { CheckScalar, FitPlan, MuStep } from './backend.js';

/** Products of H alone a W step reads: X·Hᵀ, H·Hᵀ, H's row sums (KL), Hᵀ (sparse products). */
export type HProduct = 'XHt' | 'HHt' | 'Hsum' | 'Ht';

export class PlanState {
  private readonly valid = new Set<HProduct>();
  private hSumGrowth = 0;
  private sweptW = false;
  private sweptH = false;

  constructor(
    private readonly beta: number,
    /** H is never updated (non_negative_factorization with update_H=False): H's products are made once */
    private readonly hFixed: boolean,
    private readonly weighted: boolean,
  ) {}

  /**
   * Whether any of `products` must be computed for the current H; they count as computed from then on,
   * until H changes. Computing Hsum anew also restarts the quirk's growth.
   */
  stale(...products: HProduct[]): boolean {
    let stale = false;
    for (const product of products) {
      if (this.valid.has(product)) continue;
      this.valid.add(product);
      if (product === 'Hsum') this.hSumGrowth = 0;
      stale = true;
    }
    return stale;
  }

  /** `product`'s storage was reused for something else: compute it again next time. */
  overwritten(product: HProduct): void {
    this.valid.delete(product);
  }

  /** H changed (an H step, or 'pg' moving it in place): every product of H is stale. */
  hChanged(): void {
    this.valid.clear();
  }

  /**
   * After a MU step of W: the L1 scikit-learn adds to its cached H row sums this step (the quirk,
   * loss.ts), 0 where it does not apply. A plan adds it to its sums in place, or reads hSumShift.
   */
  afterMuW(step: MuStep): number {
    this.sweptW = this.sweptH = false; // no HALS violation stands after a MU step
    const grow = cachedHSumGrowth(this.beta, this.hFixed, this.weighted, step.l1);
    this.hSumGrowth += grow;
    return grow;
  }

  /** What the quirk has added to H's row sums since they were computed, for a kernel that adds it. */
  get hSumShift(): number {
    return this.hSumGrowth;
  }

  /** A HALS sweep ran: W's starts an iteration, H's joins it. */
  halsSwept(factor: 'W' | 'H'): void {
    if (factor === 'W') {
      this.sweptW = true;
      this.sweptH = false;
    } else {
      if (!this.sweptW) throw new Error('webnmf internal: halsSweepH without halsSweepW');
      this.sweptH = true;
    }
  }

  /** Which sweeps' Σ|projected gradient| make up lastViolation(): none before the first sweep. */
  get violationParts(): { W: boolean; H: boolean } {
    return { W: this.sweptW, H: this.sweptH };
  }
}

/** FitPlan.snapshot for plans whose reads cost no readback of their own (CPU, gpu.js): `what` now. */
export function readNow(plan: Pick<FitPlan, 'lastViolation' | 'reconstructionError'>, what: CheckScalar): Promise<number> {
  return what === 'reconstructionError' ? plan.reconstructionError() : plan.lastViolation();
}
