// MiniBatchNMF's steps on WebGPU. A plan is made per batch (its rows of X uploaded once); the running
// averages A, B, the W of the last change test and the starting H live on the GPU beside W and H, and
// each scalar the solver decides on (a relative change, the factor sums) is one small readback.
// Buffers and dispatches are made by prepare(), only for plans that run MiniBatchNMF; the plan's
// destroy() frees them with the rest.

import type { FitProblem, HAverages, MiniBatchSteps, MuStep } from '../backend.js';
import type { DenseMatrix } from '../../matrix/matrix.js';
import type { Launch } from './dispatch.js';
import type { KernelContext } from './programs/context.js';
import { averagedApplyLaunch, clipBelowLaunch, normsLaunches, normsWorkgroups } from './programs/online.js';
import type { PlanResources } from './plan-resources.js';

/** What the steps need from their plan: submitting launches and reading floats back, serialized with its other reads. */
export interface PlanAccess {
  submit(label: string, launches: Launch[]): void;
  /** Run `launches`, then copy `count` floats of `source` from `offset` back to the host. */
  readFloats(label: string, launches: Launch[], source: GPUBuffer, offset: number, count: number, staging: GPUBuffer): Promise<Float32Array>;
  /** The launches of an H step before its update: Wᵀ·X-type products, the denominator or W's column sums */
  hProducts(): Launch[];
  /** H changed: products of H computed earlier are stale */
  hChanged(): void;
}

interface Prepared {
  /** A, then B (k × n each) */
  AB: GPUBuffer;
  out: GPUBuffer;
  /** big enough for A and B and for every scalar group */
  staging: GPUBuffer;
  averaged: Launch | null;
  wChange: Launch[];
  hChange: Launch[];
  sums: Launch[];
  clipW: Launch;
}

export class WebGPUMiniBatchSteps implements MiniBatchSteps {
  private readonly m: number;
  private readonly n: number;
  private readonly k: number;
  private prepared: Prepared | null = null;

  constructor(private readonly ctx: KernelContext, p: FitProblem, private readonly r: PlanResources, private readonly plan: PlanAccess) {
    this.m = p.X.rows;
    this.n = p.X.cols;
    this.k = p.W.cols;
  }

  /** Buffers and dispatches; `p` is the plan's problem (its starting W, H and averages go up here). */
  async prepare(p: FitProblem): Promise<void> {
    const { m, n, k, ctx } = this;
    const set = ctx.buffers, b = this.r.buffers;
    const wPrevious = set.upload('mb:Wprev', p.W.data, 'f32');
    const hStart = set.upload('mb:H0', p.H.data, 'f32');
    let AB: GPUBuffer;
    if (p.averages) {
      const both = new Float32Array(2 * k * n);
      both.set(p.averages.A.data);
      both.set(p.averages.B.data, k * n);
      AB = set.upload('mb:AB', both, 'f32');
    } else AB = set.storage('mb:AB', 4);
    const partials = set.storage('mb:partials', 3 * normsWorkgroups(Math.max(m, n) * k));
    // out: [0..2] W change, [3..5] H change, [6..8] W sums, [9..11] H sums
    const out = set.storage('mb:out', 12);
    const [averaged, wChange, hChange, sumsW, sumsH, clipW] = await Promise.all([
      p.averages ? averagedApplyLaunch(ctx, { beta: p.beta, k, n, h: b.H, num: b.WtX, den: b.denH, sums: b.Wsum, ab: AB }) : null,
      normsLaunches(ctx, 'W change', m * k, b.W, wPrevious, true, partials, out, 0),
      normsLaunches(ctx, 'H change', k * n, b.H, hStart, false, partials, out, 3),
      normsLaunches(ctx, 'W sums', m * k, b.W, wPrevious, false, partials, out, 6),
      normsLaunches(ctx, 'H sums', k * n, b.H, hStart, false, partials, out, 9),
      clipBelowLaunch(ctx, 'clip W', m * k, b.W),
    ]);
    const staging = set.staging('mb:staging', Math.max(12, 2 * k * n) * 4);
    this.prepared = { AB, out, staging, averaged, wChange, hChange, sums: [...sumsW, ...sumsH], clipW };
  }

  private ready(): Prepared {
    if (!this.prepared) throw new Error('webnmf internal: MiniBatchNMF steps used before prepare()');
    return this.prepared;
  }

  muUpdateHAveraged(step: MuStep, rho: number): void {
    const P = this.ready();
    if (!P.averaged) throw new Error('webnmf internal: muUpdateHAveraged needs a plan made with averages');
    P.averaged.params.set({ l1: step.l1, l2: step.l2, gamma: step.gamma, rho }).write(this.ctx.device.queue);
    this.plan.submit('muUpdateHAveraged', [...this.plan.hProducts(), P.averaged]);
    this.plan.hChanged();
  }

  clipW(): void {
    this.plan.submit('clipW', [this.ready().clipW]);
  }

  async wChange(): Promise<number> {
    const P = this.ready();
    const [diff, norm] = await this.plan.readFloats('wChange', P.wChange, P.out, 0, 2, P.staging);
    return Math.sqrt(diff) / Math.sqrt(norm);
  }

  async hChange(): Promise<number> {
    const P = this.ready();
    const [diff, norm] = await this.plan.readFloats('hChange', P.hChange, P.out, 3, 2, P.staging);
    return Math.sqrt(diff) / Math.sqrt(norm);
  }

  async factorSums() {
    const P = this.ready();
    const v = await this.plan.readFloats('factorSums', P.sums, P.out, 6, 6, P.staging);
    return { sumW2: v[1], sumW: v[2], sumH2: v[4], sumH: v[5] };
  }

  async readAverages(): Promise<HAverages> {
    const P = this.ready();
    const count = this.k * this.n;
    const AB = await this.plan.readFloats('read A, B', [], P.AB, 0, 2 * count, P.staging);
    const matrix = (data: Float32Array): DenseMatrix => ({ rows: this.k, cols: this.n, data });
    return { A: matrix(AB.subarray(0, count)), B: matrix(AB.subarray(count)) };
  }
}
