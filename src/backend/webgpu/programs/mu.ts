// Launchers for mu.wgsl: the fused β ≠ 2 products (WH recomputed tile by tile) and the update.

import { linearGrid, once, tileGrid, type Launch } from '../dispatch.js';
import { FLOAT64_EPS } from '../../../numerics.js';
import { BetaClass, betaClass, clipsAfterMu } from '../../../loss.js';
import { makeLaunch, type KernelContext } from './context.js';
import { shaderConstant } from '../shader-constants.js';

/** mu.wgsl's register block: RM × RN entries per invocation */
const RM = shaderConstant('mu', 'RM'), RN = shaderConstant('mu', 'RN');
/** muApply's invocations per workgroup */
const APPLY_WG = shaderConstant('mu', 'APPLY_WG');
/** the products' step along the reduction (their TILE_K override) */
const TILE_K = 8;

/** Threads per workgroup side: 64 threads, shaped to the output (a row of k components is short). */
function tileShape(M: number, N: number): { WG_M: number; WG_N: number } {
  if (M <= 8) return { WG_M: 2, WG_N: 32 };
  if (N <= 8) return { WG_M: 32, WG_N: 2 };
  return { WG_M: 8, WG_N: 8 };
}

export interface MuProductsSpec {
  label: string;
  /** 'W': num, den are m×k (rows of this block); 'H': k×n, summed over row blocks */
  side: 'W' | 'H';
  beta: number;
  rows: number;
  rowStart: number;
  n: number;
  k: number;
  /** this block of X, or null for CSR X (den only; bind any buffer as `x`) */
  x: GPUBuffer | null;
  dummy: GPUBuffer;
  w: GPUBuffer;
  h: GPUBuffer;
  num: GPUBuffer;
  den: GPUBuffer;
  accumulate: boolean;
}

export function muProductsLaunch(ctx: KernelContext, s: MuProductsSpec): Promise<Launch> {
  const [M, N] = s.side === 'W' ? [s.rows, s.k] : [s.k, s.n];
  const shape = tileShape(M, N);
  const constants = { BETA_CLASS: betaClass(s.beta), HAS_X: s.x !== null, WG_M: shape.WG_M, WG_N: shape.WG_N, TILE_K };
  const values = { rows: s.rows, n: s.n, k: s.k, rowStart: s.rowStart, accumulate: s.accumulate, beta: s.beta };
  const grid = tileGrid(Math.ceil(N / (shape.WG_N * RN)), Math.ceil(M / (shape.WG_M * RM)), ctx.maxPerDim, s.label);
  const bindings = { x: s.x ?? s.dummy, w: s.w, h: s.h, num: s.num, den: s.den };
  // each workgroup walks the whole reduction (n for W, this block's rows for H) TILE_K at a time, WH recomputed per entry
  // WH recomputed per entry of each tile from a row of W and a column of H (2k loads), by every tile across the output
  const products = (s.x ? 1 : 0) + (s.beta !== 1 ? 1 : 0);
  const entries = s.rows * s.n * (s.side === 'W' ? grid[0] : grid[1]); // each tile across k recomputes its entries
  const cost = {
    invocations: shape.WG_M * shape.WG_N, trips: Math.ceil((s.side === 'W' ? s.n : s.rows) / TILE_K), flops: 2 * s.rows * s.n * s.k * (1 + products),
    traffic: [...(s.x ? [once(4 * s.rows * s.n)] : []), { footprint: 4 * s.rows * s.k, moved: 4 * s.k * entries }, { footprint: 4 * s.k * s.n, moved: 4 * s.k * entries }, once(4 * M * N * products)],
  };
  return makeLaunch(ctx, 'mu', s.side === 'W' ? 'muProductsW' : 'muProductsH', constants, s.label, values, bindings, grid, cost);
}

export interface MuApplySpec {
  label: string;
  side: 'W' | 'H';
  beta: number;
  n: number;
  k: number;
  count: number;
  f: GPUBuffer;
  num: GPUBuffer;
  den: GPUBuffer;
  /** β = 1: row sums of H (W side) or column sums of W (H side) */
  sums: GPUBuffer;
  /** take the denominator from `den` whatever β (weighted NMF computes it for β = 1 too) */
  denFromBuffer?: boolean;
}

/** F ← F ⊙ (num / den')^γ; l1, l2, γ are written per step through the launch's params. */
export function muApplyLaunch(ctx: KernelContext, s: MuApplySpec): Promise<Launch> {
  const clip = clipsAfterMu(s.side, s.beta) ? FLOAT64_EPS : 0;
  const values = {
    count: s.count, n: s.n, k: s.k, sumDiv: s.side === 'W' ? 1 : s.n, sumZeroToOne: s.side === 'H',
    clip, l1: 0, l2: 0, gamma: 1, sumShift: 0,
  };
  const grid = linearGrid(Math.ceil(s.count / APPLY_WG), ctx.maxPerDim, s.label);
  const cost = { invocations: APPLY_WG, trips: 1, flops: 6 * s.count, traffic: [once(16 * s.count)] };
  return makeLaunch(ctx, 'mu', 'muApply', { BETA_CLASS: s.denFromBuffer ? BetaClass.general : betaClass(s.beta) }, s.label, values, { f: s.f, numIn: s.num, denIn: s.den, sums: s.sums }, grid, cost);
}
