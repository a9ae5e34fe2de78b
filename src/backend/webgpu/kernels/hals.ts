// Launcher for hals.wgsl: one sweep of W (rows of W) or of H (columns of H), all rows in parallel.

import { linearGrid, type Launch } from '../dispatch.js';
import { makeLaunch, type KernelContext } from './context.js';

export const HALS_WORKGROUP = 64;

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

/** Workgroups (= violation partials) a sweep of this side writes. */
export function halsWorkgroups(side: 'W' | 'H', m: number, n: number): number {
  return Math.ceil((side === 'W' ? m : n) / HALS_WORKGROUP);
}

export function halsLaunch(ctx: KernelContext, s: HalsSpec): Promise<Launch> {
  // W: coordinate (i, t) is W[i·k + t]. H: "rows" are features, coordinate (j, t) is H[t·n + j].
  const strides = s.side === 'W'
    ? { rows: s.m, fRowStride: s.k, fCompStride: 1, gRowStride: s.k, gCompStride: 1 }
    : { rows: s.n, fRowStride: 1, fCompStride: s.n, gRowStride: 1, gCompStride: s.n };
  const values = { ...strides, k: s.k, partialBase: s.partialBase, l1: 0, l2: 0 };
  const grid = linearGrid(halsWorkgroups(s.side, s.m, s.n), ctx.maxPerDim, s.label);
  return makeLaunch(ctx, 'hals', 'main', {}, s.label, values, { 1: s.f, 2: s.g, 3: s.gram, 4: s.order, 5: s.partials }, grid);
}
