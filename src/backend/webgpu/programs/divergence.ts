// Launchers for divergence.wgsl: per-workgroup partials of the β-divergence, dense or at CSR entries.

import { linearGrid, once, reread, tileGrid, type Launch } from '../dispatch.js';
import { makeLaunch, type KernelContext } from './context.js';
import { betaClass } from '../../../loss.js';
import { shaderConstant } from '../shader-constants.js';

/** divergence.wgsl's WG × WG invocations, each an R × R block of WH (divergenceDense); one per entry otherwise */
const WG = shaderConstant('divergence', 'WG'), R = shaderConstant('divergence', 'R');
const TILE = WG * R;
/** divergenceDense's step along k (its TILE_K override) */
const TILE_K = 8;
const THREADS = WG * WG;

export interface DenseDivergenceSpec {
  label: string;
  beta: number;
  rows: number;
  rowStart: number;
  n: number;
  k: number;
  /** this row block of X; null: only the (β−1)·WH^β term, over every entry (CSR X, other β) */
  x: GPUBuffer | null;
  dummy: GPUBuffer;
  w: GPUBuffer;
  h: GPUBuffer;
  partials: GPUBuffer;
  partialBase: number;
}

export function denseDivergenceWorkgroups(rows: number, n: number): number {
  return Math.ceil(rows / TILE) * Math.ceil(n / TILE);
}

export function denseDivergenceLaunch(ctx: KernelContext, s: DenseDivergenceSpec): Promise<Launch> {
  const constants = { BETA_CLASS: betaClass(s.beta), HAS_X: s.x !== null, TILE_K };
  const values = { rows: s.rows, n: s.n, k: s.k, rowStart: s.rowStart, count: 0, partialBase: s.partialBase, beta: s.beta };
  const grid = tileGrid(Math.ceil(s.n / TILE), Math.ceil(s.rows / TILE), ctx.maxPerDim, s.label);
  const cost = {
    invocations: THREADS, trips: Math.ceil(s.k / TILE_K), flops: s.rows * s.n * (2 * s.k + 6),
    traffic: [...(s.x ? [once(4 * s.rows * s.n)] : []), reread(4 * s.rows * s.k, grid[0]), reread(4 * s.k * s.n, grid[1])],
  };
  return makeLaunch(ctx, 'divergence', 'divergenceDense', constants, s.label, values,
    { x: s.x ?? s.dummy, w: s.w, h: s.h, partials: s.partials }, grid, cost);
}

export function sparseDivergenceWorkgroups(nnz: number): number {
  return Math.max(1, Math.ceil(nnz / THREADS));
}

export interface SparseDivergenceSpec {
  label: string;
  beta: number;
  nnz: number;
  data: GPUBuffer;
  wh: GPUBuffer;
  partials: GPUBuffer;
  partialBase: number;
}

export function sparseDivergenceLaunch(ctx: KernelContext, s: SparseDivergenceSpec): Promise<Launch> {
  const values = { rows: 0, n: 0, k: 0, rowStart: 0, count: s.nnz, partialBase: s.partialBase, beta: s.beta };
  const grid = linearGrid(sparseDivergenceWorkgroups(s.nnz), ctx.maxPerDim, s.label);
  const cost = { invocations: THREADS, trips: 1, flops: 6 * s.nnz, traffic: [once(8 * s.nnz)] };
  return makeLaunch(ctx, 'divergence', 'divergenceSparse', { BETA_CLASS: betaClass(s.beta) }, s.label, values,
    { x: s.data, partials: s.partials, wh: s.wh }, grid, cost);
}

/** Weighted NMF: Σ weights·d_β(X | WH) over the observed entries (the stored entries of the plan's CSR X). */
export function weightedDivergenceLaunch(ctx: KernelContext, s: SparseDivergenceSpec & { weights: GPUBuffer }): Promise<Launch> {
  const values = { rows: 0, n: 0, k: 0, rowStart: 0, count: s.nnz, partialBase: s.partialBase, beta: s.beta };
  const grid = linearGrid(sparseDivergenceWorkgroups(s.nnz), ctx.maxPerDim, s.label);
  return makeLaunch(ctx, 'divergence', 'divergenceWeighted', { BETA_CLASS: betaClass(s.beta), HAS_X: true }, s.label, values,
    { x: s.data, partials: s.partials, wh: s.wh, weights: s.weights }, grid);
}
