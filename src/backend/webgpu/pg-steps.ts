// The 'pg' steps (scikit-learn 0.18's projected gradient) on WebGPU. W and H stay on the GPU; the
// solver's decisions need only scalars: each line-search trial is one readback of four floats
// (‖P[∇]‖² of the gradient computed just before, ⟨∇, d⟩, dᵀGd, and whether the candidate changed),
// and the outer stopping rule one readback of two. Buffers and dispatches are made once, by
// prepare(), and only for fits that run 'pg'; the plan's destroy() frees them with the rest.

import type { FitProblem, PgSteps, PgSubproblem, PgTrial } from '../backend.js';
import { encodePass, type Launch } from './dispatch.js';
import type { KernelContext } from './programs/context.js';
import { PG_SLOT, PG_SLOTS, pgFactorLaunches, pgPartialStride, pgSumsLaunch, type PgFactorLaunches } from './programs/pg.js';
import type { PlanAccess } from './minibatch-steps.js';
import type { PlanResources } from './plan-resources.js';

interface Prepared {
  W: PgFactorLaunches;
  H: PgFactorLaunches;
  sums: Launch;
  trial: GPUBuffer;
  previous: GPUBuffer;
  out: GPUBuffer;
  staging: GPUBuffer;
}

export class WebGPUPgSteps implements PgSteps {
  private readonly m: number;
  private readonly n: number;
  private readonly k: number;
  private prepared: Prepared | null = null;
  private sub: PgSubproblem | null = null;
  /** dispatches recorded by gradient(), encoded with the next trial's */
  private pending: Launch[] = [];

  /** `plan`: its usability check (destroyed, device lost) and its serialized reads */
  constructor(
    private readonly ctx: KernelContext,
    p: FitProblem,
    private readonly r: PlanResources,
    private readonly plan: Pick<PlanAccess, 'readFloats'> & { assertUsable(): void },
  ) {
    this.m = p.X.rows;
    this.n = p.X.cols;
    this.k = p.W.cols;
  }

  async prepare(): Promise<void> {
    if (this.prepared) return;
    const { m, n, k, ctx } = this;
    const set = ctx.buffers, b = this.r.buffers;
    const stride = pgPartialStride(ctx, m, n, k);
    const shared = {
      m, n, k,
      g: set.storage('pg:G', k * k),
      trial: set.storage('pg:trial', Math.max(m, n) * k),
      previous: set.storage('pg:previous', Math.max(m, n) * k),
      partials: set.storage('pg:partials', PG_SLOTS * stride),
    };
    const out = set.storage('pg:out', PG_SLOTS);
    const [W, H, sums] = await Promise.all([
      pgFactorLaunches(ctx, { ...shared, factor: 'W', f: b.W, c: b.XHt, grad: set.storage('pg:gradW', m * k), gram0: b.HHt }),
      pgFactorLaunches(ctx, { ...shared, factor: 'H', f: b.H, c: b.WtX, grad: set.storage('pg:gradH', k * n), gram0: b.WtW }),
      pgSumsLaunch(ctx, m, n, k, shared.partials, out),
    ]);
    this.prepared = { W, H, sums, trial: shared.trial, previous: shared.previous, out, staging: set.staging('pg:staging', PG_SLOTS * 4) };
  }

  private ready(): Prepared {
    this.plan.assertUsable();
    if (!this.prepared) throw new Error('webnmf internal: pg steps used before prepare()');
    return this.prepared;
  }

  /** The products a subproblem's G and C come from: H's for W, W's for H. */
  private products(factor: 'W' | 'H'): Launch[] {
    const L = this.r.launches;
    return factor === 'W' ? [...L.xht, ...L.hht] : [...L.wtxWtw];
  }

  private setUniforms(launch: Launch, values: Record<string, number>): void {
    launch.params.set(values).write(this.ctx.device.queue);
  }

  private submit(label: string, launches: Launch[], copies?: (enc: GPUCommandEncoder) => void): void {
    const enc = this.ctx.device.createCommandEncoder({ label });
    encodePass(enc, label, [...this.pending, ...launches]);
    this.pending = [];
    copies?.(enc);
    this.ctx.device.queue.submit([enc.finish()]);
  }

  /** Run `launches`, sum the partials, and read `count` slots from `slot` on. */
  private read(label: string, launches: Launch[], slot: number, count: number): Promise<Float32Array> {
    const P = this.ready();
    const all = [...this.pending, ...launches, P.sums];
    this.pending = [];
    return this.plan.readFloats(label, all, P.out, slot, count, P.staging);
  }

  async initialGradients(): Promise<number> {
    const P = this.ready();
    for (const f of ['W', 'H'] as const) {
      this.setUniforms(P[f].gram, { gramDiag: 0, gramAll: 0 });
      this.setUniforms(P[f].gradient, { l1: 0, l2: 0 });
    }
    const launches = [...this.products('W'), ...this.products('H'), P.W.gram, P.W.gradient, P.H.gram, P.H.gradient];
    const [w, h] = await this.read('pg:initialGradients', launches, PG_SLOT.full.W, 2);
    return w + h;
  }

  async projectedGradientNormSq(): Promise<number> {
    const P = this.ready();
    const [w, h] = await this.read('pg:projectedGradient', [P.W.projnorm, P.H.projnorm], PG_SLOT.outer.W, 2);
    return w + h;
  }

  begin(sub: PgSubproblem): void {
    const P = this.ready();
    const L = P[sub.factor];
    this.setUniforms(L.gram, { gramDiag: sub.gramDiag, gramAll: sub.gramAll });
    this.setUniforms(L.gradient, { l1: sub.l1, l2: sub.l2 });
    this.sub = sub;
    this.submit(`pg:begin${sub.factor}`, [...this.products(sub.factor), L.gram]);
  }

  private current(): { P: Prepared; L: PgFactorLaunches; factor: 'W' | 'H' } {
    const P = this.ready();
    if (!this.sub) throw new Error('webnmf internal: pg: begin() must start a subproblem first');
    return { P, L: P[this.sub.factor], factor: this.sub.factor };
  }

  gradient(): void {
    const { L } = this.current();
    this.pending.push(L.gradient);
  }

  async trial(gamma: number, compare: 'current' | 'previous'): Promise<PgTrial> {
    const { L } = this.current();
    this.setUniforms(L.trial, { gamma, compare: compare === 'previous' ? 1 : 0 });
    const [projGradNormSq, gradd, dQd, differ] = await this.read('pg:trial', [L.trial], PG_SLOT.projected, 4);
    return { projGradNormSq, gradd, dQd, unchanged: differ === 0 };
  }

  accept(which: 'trial' | 'previous'): void {
    const { P, factor } = this.current();
    const f = factor === 'W' ? this.r.buffers.W : this.r.buffers.H;
    const src = which === 'trial' ? P.trial : P.previous;
    this.submit('pg:accept', [], (enc) => enc.copyBufferToBuffer(src, 0, f, 0, this.factorBytes(factor)));
  }

  keepTrial(): void {
    const { P, factor } = this.current();
    this.submit('pg:keepTrial', [], (enc) => enc.copyBufferToBuffer(P.trial, 0, P.previous, 0, this.factorBytes(factor)));
  }

  private factorBytes(factor: 'W' | 'H'): number {
    return (factor === 'W' ? this.m : this.n) * this.k * 4;
  }
}
