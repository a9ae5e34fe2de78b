// The WebGPU FitPlan: the steps of backend.ts as command buffers over resources built once.
// A step writes its few scalars (l1, l2, γ, the component order) with queue.writeBuffer into buffers
// that already exist, encodes prepared launches and submits; it never creates a GPU object.
// Reads (the two scalars, and W and H at the end) go through MAP_READ staging buffers, one at a time,
// and reject with a clear Error when the device is lost or the plan destroyed, instead of hanging.

import type { CheckScalar, FitPlan, FitProblem, HalsStep, MuStep } from '../backend.js';
import type { DenseMatrix } from '../../matrix/matrix.js';
import { isCsr } from '../../matrix/matrix.js';
import { MAP_READ_MODE } from './buffers.js';
import { encodePass, whenLost, type Launch } from './dispatch.js';
import type { KernelContext } from './programs/context.js';
import { buildPlanResources, type PlanResources } from './plan-resources.js';
import { FLOAT64_EPS } from '../../numerics.js';
import { clipsAfterMu, divergenceFromEntrySum, errorFromDivergence } from '../../loss.js';
import { PlanState } from '../plan-state.js';
import { WebGPUMiniBatchSteps } from './minibatch-steps.js';
import { WebGPUPgSteps } from './pg-steps.js';

/** Where each check scalar lands in the plan's `scalars` buffer (and its kept copy in `kept`). */
const SLOT: Record<CheckScalar, number> = { lastViolation: 0, reconstructionError: 1 };

export async function createWebGPUFitPlan(ctx: KernelContext, problem: FitProblem, maxXBindingBytes: number, lost: Promise<Error>, ratioScratchBytes?: number): Promise<FitPlan> {
  try {
    const plan = new WebGPUFitPlan(ctx, problem, await buildPlanResources(ctx, problem, maxXBindingBytes, ratioScratchBytes), lost);
    if (problem.minibatch) await plan.prepareMiniBatch(problem);
    return plan;
  } catch (e) {
    // A fit that could not be planned leaves nothing behind.
    ctx.buffers.destroyAll();
    throw e;
  }
}

class WebGPUFitPlan implements FitPlan {
  private readonly m: number;
  private readonly n: number;
  private readonly k: number;
  private readonly nnz: number | null;
  private readonly beta: number;
  private destroyed = false;
  private lostError: Error | null = null;
  /** which H products hold for the current H, the KL sums' quirk (muApply's sumShift), the violation's parts */
  private readonly state: PlanState;
  private reads: Promise<unknown> = Promise.resolve();
  /** snapshot() values still on the device, delivered by the next read of their scalar */
  private readonly snapshots = new Map<CheckScalar, (value: number) => void>();
  /** the HALS order last uploaded to orderW / orderH */
  private readonly lastOrder = new Map<GPUBuffer, Int32Array>();
  /** solver 'pg'; its buffers and pipelines are made by pg.prepare(), only for fits that run it */
  readonly pg: WebGPUPgSteps;
  /** MiniBatchNMF's steps, for plans made with `minibatch` */
  minibatch?: WebGPUMiniBatchSteps;
  /** weighted NMF: the products are sparse over the observed entries, the loss is summed whole */
  private readonly weighted: boolean;

  constructor(private readonly ctx: KernelContext, p: FitProblem, private readonly r: PlanResources, private readonly lost: Promise<Error>) {
    this.m = p.X.rows;
    this.n = p.X.cols;
    this.k = p.W.cols;
    this.beta = p.beta;
    this.state = new PlanState(p.beta, !p.updateH, !!p.weighted);
    this.nnz = isCsr(p.X) ? p.X.indptr[p.X.rows] : null;
    whenLost(lost, this, WebGPUFitPlan.markLost);
    this.pg = new WebGPUPgSteps(ctx, p, r, {
      assertUsable: () => this.assertUsable(),
      readFloats: (label, launches, source, offset, count, staging) => this.readFloats(label, launches, source, offset, count, staging),
    });
    this.weighted = !!p.weighted;
  }

  private static markLost(plan: WebGPUFitPlan, error: Error): void {
    plan.lostError = error;
  }

  async prepareMiniBatch(p: FitProblem): Promise<void> {
    const steps = new WebGPUMiniBatchSteps(this.ctx, p, this.r, {
      submit: (label, launches) => {
        this.assertUsable();
        this.submit(label, launches);
      },
      readFloats: (label, launches, source, offset, count, staging) => this.readFloats(label, launches, source, offset, count, staging),
      hProducts: () => this.r.launches.muH,
      hChanged: () => this.hChanged(),
    });
    await steps.prepare(p);
    this.minibatch = steps;
  }

  /** Run `launches`, then read `count` floats of `source` from `offset` through `staging`. */
  private readFloats(label: string, launches: Launch[], source: GPUBuffer, offset: number, count: number, staging: GPUBuffer): Promise<Float32Array> {
    return this.serialized(async () => {
      const enc = this.ctx.device.createCommandEncoder({ label });
      encodePass(enc, label, launches);
      enc.copyBufferToBuffer(source, offset * 4, staging, 0, count * 4);
      this.ctx.device.queue.submit([enc.finish()]);
      return this.mapped(staging, (range) => new Float32Array(range.slice(0, count * 4)));
    });
  }

  /** The H products a W step needs, skipped when H has not changed since they were computed. */
  private hProducts(out: Launch[], need: { xht?: boolean; hht?: boolean; hsum?: boolean }): void {
    const L = this.r.launches;
    if (need.xht && this.state.stale('XHt')) out.push(...L.xht);
    if (need.hht && this.state.stale('HHt')) out.push(...L.hht);
    if (need.hsum && this.state.stale('Hsum')) out.push(...L.hsum);
  }

  private hChanged(): void {
    this.state.hChanged();
  }

  muUpdateW(step: MuStep): void {
    this.assertUsable();
    const L = this.r.launches, out: Launch[] = [];
    if (!this.weighted) this.hProducts(out, { xht: this.beta === 2, hht: this.beta === 2, hsum: this.beta === 1 });
    out.push(...L.muW);
    if (this.beta !== 2) this.state.overwritten('XHt'); // XHt's buffer now holds the numerator
    // MiniBatchNMF's _solve_W does not clip (step.clip false); scikit-learn's fit loops do, for β < 1
    const clip = clipsAfterMu('W', this.beta) && step.clip !== false ? FLOAT64_EPS : 0;
    L.applyW.params.set({ l1: step.l1, l2: step.l2, gamma: step.gamma, sumShift: this.state.hSumShift, clip }).write(this.ctx.device.queue);
    this.submit('muUpdateW', [...out, L.applyW]);
    this.state.afterMuW(step);
  }

  muUpdateH(step: MuStep): void {
    this.assertUsable();
    const L = this.r.launches;
    L.applyH.params.set({ l1: step.l1, l2: step.l2, gamma: step.gamma }).write(this.ctx.device.queue);
    this.submit('muUpdateH', [...L.muH, L.applyH]);
    this.hChanged();
  }

  halsSweepW(step: HalsStep): void {
    this.assertUsable();
    const L = this.r.launches, out: Launch[] = [];
    this.hProducts(out, { xht: true, hht: true });
    this.writeOrder(this.r.buffers.orderW, step.order);
    L.halsW.params.set({ l1: step.l1, l2: step.l2 }).write(this.ctx.device.queue);
    this.submit('halsSweepW', [...out, L.halsW]);
    this.state.halsSwept('W');
  }

  halsSweepH(step: HalsStep): void {
    this.assertUsable();
    const L = this.r.launches;
    this.writeOrder(this.r.buffers.orderH, step.order);
    L.halsH.params.set({ l1: step.l1, l2: step.l2 }).write(this.ctx.device.queue);
    this.submit('halsSweepH', [...L.wtxWtw, L.halsH]);
    this.state.halsSwept('H');
    this.hChanged();
  }

  async lastViolation(): Promise<number> {
    return this.readScalar('lastViolation');
  }

  async reconstructionError(): Promise<number> {
    return this.errorFromSum(await this.readScalar('reconstructionError'));
  }

  /** Computes `what` now into a copy on the device; the next read of `what` brings it back beside its own value. */
  snapshot(what: CheckScalar): Promise<number> {
    this.assertUsable();
    const b = this.r.buffers, slot = SLOT[what] * 4;
    const enc = this.ctx.device.createCommandEncoder({ label: `snapshot ${what}` });
    encodePass(enc, what, this.scalarLaunches(what));
    enc.copyBufferToBuffer(b.scalars, slot, b.kept, slot, 4);
    this.ctx.device.queue.submit([enc.finish()]);
    // resolved by that read, never rejected: a failed read rejects the solver's own await instead
    return new Promise((resolve) => this.snapshots.set(what, resolve));
  }

  /** The launches that leave `what` in its slot of scalars. */
  private scalarLaunches(what: CheckScalar): Launch[] {
    const L = this.r.launches;
    if (what === 'reconstructionError') return L.loss;
    return [this.state.violationParts.H ? L.violationWH : L.violationW];
  }

  /** `what` computed now, and the copy a pending snapshot(what) left, through one mapping of the staging buffer. */
  private readScalar(what: CheckScalar): Promise<number> {
    const launches = this.scalarLaunches(what);
    const snapshot = this.snapshots.get(what);
    this.snapshots.delete(what);
    const withKept = snapshot !== undefined;
    return this.serialized(async () => {
      const b = this.r.buffers, slot = SLOT[what] * 4;
      const enc = this.ctx.device.createCommandEncoder({ label: what });
      encodePass(enc, what, launches);
      enc.copyBufferToBuffer(b.scalars, slot, b.scalarStaging, 0, 4);
      if (withKept) enc.copyBufferToBuffer(b.kept, slot, b.scalarStaging, 4, 4);
      this.ctx.device.queue.submit([enc.finish()]);
      const [value, kept] = await this.mapped(b.scalarStaging, (range) => Array.from(new Float32Array(range, 0, 2)));
      snapshot?.(what === 'reconstructionError' ? this.errorFromSum(kept) : kept);
      return value;
    });
  }

  /** sqrt(2·D_β) from the divergence entries the loss launches summed (loss.ts's divergenceEntry). */
  private errorFromSum(sum: number): number {
    // a CSR X's entries not stored were not summed (weighted NMF sums the observed entries only)
    const implicitZeros = this.nnz === null || this.weighted ? 0 : this.m * this.n - this.nnz;
    return errorFromDivergence(divergenceFromEntrySum(this.beta, sum, implicitZeros));
  }

  read(): Promise<{ W: DenseMatrix; H: DenseMatrix }> {
    return this.serialized(async () => {
      const { m, n, k } = this;
      const b = this.r.buffers;
      const enc = this.ctx.device.createCommandEncoder({ label: 'read W, H' });
      enc.copyBufferToBuffer(b.W, 0, b.readStaging, 0, m * k * 4);
      enc.copyBufferToBuffer(b.H, 0, b.readStaging, m * k * 4, k * n * 4);
      this.ctx.device.queue.submit([enc.finish()]);
      const all = await this.mapped(b.readStaging, (range) => new Float32Array(range.slice(0, (m * k + k * n) * 4)));
      return { W: { rows: m, cols: k, data: all.subarray(0, m * k) }, H: { rows: k, cols: n, data: all.slice(m * k) } };
    });
  }

  /** Every submitted step has run (the solver loop paces itself on this); rejects if the device is lost. */
  async settle(): Promise<void> {
    this.assertUsable();
    await Promise.race([this.ctx.device.queue.onSubmittedWorkDone(), this.lost.then((e) => Promise.reject(e))]);
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.ctx.buffers.destroyAll();
  }

  private writeOrder(buffer: GPUBuffer, order: Int32Array): void {
    if (order.length !== this.k) throw new Error(`webnmf: a HALS order must list ${this.k} components, got ${order.length}.`);
    // Without shuffle the order never changes: upload it only when it does.
    let last = this.lastOrder.get(buffer);
    if (last) {
      let same = true;
      for (let i = 0; i < order.length && same; i++) same = last[i] === order[i];
      if (same) return;
    } else {
      this.lastOrder.set(buffer, (last = new Int32Array(this.k)));
    }
    last.set(order);
    this.ctx.device.queue.writeBuffer(buffer, 0, order.buffer, order.byteOffset, order.byteLength);
  }

  private submit(label: string, launches: Launch[]): void {
    const enc = this.ctx.device.createCommandEncoder({ label });
    encodePass(enc, label, launches);
    this.ctx.device.queue.submit([enc.finish()]);
  }

  /** Run reads one after another: a staging buffer can only be mapped once at a time. */
  private serialized<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.reads.catch(() => undefined).then(() => {
      this.assertUsable();
      return fn();
    });
    this.reads = run;
    return run;
  }

  /** Map a staging buffer and copy out of it; rejects (never hangs) if the device is lost meanwhile. */
  private async mapped<T>(buffer: GPUBuffer, take: (range: ArrayBuffer) => T): Promise<T> {
    try {
      await Promise.race([buffer.mapAsync(MAP_READ_MODE), this.lost.then((e) => Promise.reject(e))]);
    } catch (e) {
      this.assertUsable();
      throw new Error(`webnmf: reading back from the GPU failed: ${(e as Error).message}`);
    }
    try {
      return take(buffer.getMappedRange());
    } finally {
      buffer.unmap();
    }
  }

  private assertUsable(): void {
    if (this.lostError) throw this.lostError;
    if (this.destroyed) throw new Error('webnmf: this WebGPU FitPlan was destroyed.');
  }
}
