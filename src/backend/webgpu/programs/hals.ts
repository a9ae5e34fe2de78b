// Launcher for hals.wgsl: one sweep of W (rows of W) or of H (columns of H), all rows in parallel.

import { linearGrid, once, reread, type Launch } from '../dispatch.js';
import { makeLaunch, workgroupLimits, type KernelContext } from './context.js';
import { shaderConstant } from '../shader-constants.js';

export const HALS_WORKGROUP = shaderConstant('hals', 'WG');

export interface HalsSpec {
  label: string;
  side: 'W' | 'H';
  m: number;
  n: number;
  k: number;
  /** the factor swept in place: W (m×k) or H (k×n) */
  f: GPUBuffer;
  /** X·Hᵀ (m×k) for W, Wᵀ·X (k×n) for H */
  g: GPUBuffer;
  /** H·Hᵀ for W, Wᵀ·W for H (k×k) */
  gram: GPUBuffer;
  order: GPUBuffer;
  partials: GPUBuffer;
  partialBase: number;
}

/** Workgroups (= violation partials) a sweep of this side writes, on the context's plan. */
export function halsWorkgroups(ctx: KernelContext, side: 'W' | 'H', m: number, n: number, k: number): number {
  const rows = side === 'W' ? m : n;
  const perWorkgroup = ctx.plan === 'hardware' ? HALS_WORKGROUP / halsTeam(ctx, rows, k).team : HALS_WORKGROUP;
  return Math.ceil(rows / perWorkgroup);
}

/**
 * sweepTeam's lanes per row: enough that the sweep launches 256 workgroups (a GPU of 64 SMs, 4
 * each) when there are rows for it, at most 16 and no more than k's power of two; more where the
 * team's rows (64 / team of them, k ≤ KCAP floats each) would not fit the workgroup memory.
 */
export function halsTeam(ctx: KernelContext, rows: number, k: number): { team: number; KCAP: number } {
  const KCAP = Math.max(4, 2 ** Math.ceil(Math.log2(Math.max(1, k))));
  const most = Math.min(16, KCAP);
  let team = 1;
  while (team < most && Math.ceil((rows * team) / HALS_WORKGROUP) < 256) team *= 2;
  while (team < HALS_WORKGROUP && 4 * ((HALS_WORKGROUP / team) * (KCAP + 1) + HALS_WORKGROUP) > workgroupLimits(ctx).storage) team *= 2;
  return { team, KCAP };
}

/** One sweep on the 'hardware' plan (hals.wgsl's sweepTeam): teams of lanes per row, rows staged in shared memory. */
export function halsTeamLaunch(ctx: KernelContext, s: HalsSpec): Promise<Launch> {
  const rows = s.side === 'W' ? s.m : s.n;
  const { team, KCAP } = halsTeam(ctx, rows, s.k);
  const strides = s.side === 'W'
    ? { rows: s.m, fRowStride: s.k, fCompStride: 1, gRowStride: s.k, gCompStride: 1 }
    : { rows: s.n, fRowStride: 1, fCompStride: s.n, gRowStride: 1, gCompStride: s.n };
  const values = { ...strides, k: s.k, partialBase: s.partialBase, l1: 0, l2: 0 };
  const workgroups = Math.ceil(rows / (HALS_WORKGROUP / team));
  const cost = {
    invocations: HALS_WORKGROUP, trips: s.k * (Math.ceil(s.k / team) + Math.log2(team) + 1), flops: 2 * rows * s.k * (s.k + 2),
    traffic: [once(8 * rows * s.k), once(4 * rows * s.k), reread(4 * s.k * s.k, workgroups)],
  };
  return makeLaunch(ctx, 'hals', 'sweepTeam', { TEAM: team, KCAP }, s.label, values, { f: s.f, g: s.g, m: s.gram, order: s.order, partials: s.partials },
    linearGrid(workgroups, ctx.maxPerDim, s.label), cost);
}

export function halsLaunch(ctx: KernelContext, s: HalsSpec): Promise<Launch> {
  // W: coordinate (i, t) is W[i·k + t]. H: "rows" are features, coordinate (j, t) is H[t·n + j].
  const strides = s.side === 'W'
    ? { rows: s.m, fRowStride: s.k, fCompStride: 1, gRowStride: s.k, gCompStride: 1 }
    : { rows: s.n, fRowStride: 1, fCompStride: s.n, gRowStride: 1, gCompStride: s.n };
  const values = { ...strides, k: s.k, partialBase: s.partialBase, l1: 0, l2: 0 };
  const rows = s.side === 'W' ? s.m : s.n;
  const grid = linearGrid(Math.ceil(rows / HALS_WORKGROUP), ctx.maxPerDim, s.label);
  const cost = {
    invocations: HALS_WORKGROUP, trips: s.k * s.k, flops: 2 * rows * s.k * (s.k + 2),
    traffic: [once(8 * rows * s.k), once(4 * rows * s.k), reread(4 * s.k * s.k, Math.ceil(rows / HALS_WORKGROUP))],
  };
  return makeLaunch(ctx, 'hals', 'main', {}, s.label, values, { f: s.f, g: s.g, m: s.gram, order: s.order, partials: s.partials }, grid, cost);
}
