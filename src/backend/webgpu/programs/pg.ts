// Launchers for pg.wgsl: the projected-gradient subproblem steps of solver 'pg', for one factor.

import { linearGrid, type Launch } from '../dispatch.js';
import { makeLaunch, type KernelContext } from './context.js';
import { shaderConstant } from '../shader-constants.js';

export const PG_WORKGROUP = shaderConstant('pg', 'WG');
/** Partial slots: 0 ‖P[∇]‖², 1 ⟨∇, d⟩, 2 dᵀGd, 3 entries that differ, 4/5 ‖∇W‖²/‖∇H‖², 6/7 ‖P[∇W]‖²/‖P[∇H]‖² */
export const PG_SLOTS = 8;
export const PG_SLOT = { projected: 0, gradd: 1, dQd: 2, differ: 3, full: { W: 4, H: 5 }, outer: { W: 6, H: 7 } } as const;

/**
 * Lanes per vector: 1 on the 'software' plan; on the 'hardware' plan enough that a dispatch over
 * `count` vectors launches 256 workgroups when there are vectors for it (at most 16, and k's power of two).
 */
export function pgTeam(ctx: KernelContext, count: number, k: number): number {
  if (ctx.plan !== 'hardware') return 1;
  const most = Math.min(16, 2 ** Math.ceil(Math.log2(Math.max(1, k))));
  let team = 1;
  while (team < most && Math.ceil((count * team) / PG_WORKGROUP) < 256) team *= 2;
  return team;
}

function vectorWorkgroups(ctx: KernelContext, count: number, k: number): number {
  return Math.max(1, Math.ceil((count * pgTeam(ctx, count, k)) / PG_WORKGROUP));
}

/** Partials per slot: the workgroups of a per-vector dispatch over the factor that launches more. */
export function pgPartialStride(ctx: KernelContext, m: number, n: number, k: number): number {
  return Math.max(vectorWorkgroups(ctx, m, k), vectorWorkgroups(ctx, n, k));
}

export interface PgFactorSpec {
  factor: 'W' | 'H';
  m: number;
  n: number;
  k: number;
  /** the factor (W m×k or H k×n), its cross product (XHt or WtX), its gradient, the plain Gram (HHt or WtW) */
  f: GPUBuffer;
  c: GPUBuffer;
  grad: GPUBuffer;
  gram0: GPUBuffer;
  /** shared: G, the trial and previous copies of F, partials */
  g: GPUBuffer;
  trial: GPUBuffer;
  previous: GPUBuffer;
  partials: GPUBuffer;
}

export interface PgFactorLaunches {
  gram: Launch;
  gradient: Launch;
  trial: Launch;
  projnorm: Launch;
}

export async function pgFactorLaunches(ctx: KernelContext, s: PgFactorSpec): Promise<PgFactorLaunches> {
  const { m, n, k } = s;
  const layout = s.factor === 'W' ? { count: m, vStride: k, rStride: 1 } : { count: n, vStride: 1, rStride: n };
  const partialStride = pgPartialStride(ctx, m, n, k);
  const base = { ...layout, k, partialStride, compare: 0, gramDiag: 0, gramAll: 0, l1: 0, l2: 0, gamma: 1 };
  // a factor's vectors may need fewer workgroups than the stride: the rest write zeros to their partials
  const perVector = linearGrid(partialStride, ctx.maxPerDim, `pg ${s.factor}`);
  const team = { TEAM: pgTeam(ctx, layout.count, k) };
  const label = (what: string) => `pg:${what}${s.factor}`;
  const [gram, gradient, trial, projnorm] = await Promise.all([
    makeLaunch(ctx, 'pg', 'gram', {}, label('gram'), { ...base, fullSlot: 0 }, { g: s.g, gram0: s.gram0 },
      linearGrid(Math.ceil((k * k) / PG_WORKGROUP), ctx.maxPerDim, label('gram'))),
    makeLaunch(ctx, 'pg', 'gradient', team, label('gradient'), { ...base, fullSlot: PG_SLOT.full[s.factor] },
      { f: s.f, c: s.c, g: s.g, grad: s.grad, partials: s.partials }, perVector),
    makeLaunch(ctx, 'pg', 'trial', team, label('trial'), { ...base, fullSlot: 0 },
      { f: s.f, g: s.g, grad: s.grad, ft: s.trial, fp: s.previous, partials: s.partials }, perVector),
    makeLaunch(ctx, 'pg', 'projnorm', team, label('projnorm'), { ...base, fullSlot: PG_SLOT.outer[s.factor] },
      { f: s.f, grad: s.grad, partials: s.partials }, perVector),
  ]);
  return { gram, gradient, trial, projnorm };
}

/** out[s] = Σ of slot s's partials, for every slot. */
export function pgSumsLaunch(ctx: KernelContext, m: number, n: number, k: number, partials: GPUBuffer, out: GPUBuffer): Promise<Launch> {
  return makeLaunch(ctx, 'pg', 'sums', {}, 'pg:sums', { partialStride: pgPartialStride(ctx, m, n, k) }, { partials, out }, [PG_SLOTS, 1]);
}
