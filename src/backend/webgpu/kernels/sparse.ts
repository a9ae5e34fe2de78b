// Launchers for sparse.wgsl: WH sampled at the stored entries, and CSR / CSC products whose X entries
// may be replaced by the multiplicative-update numerator terms.

import { linearGrid, type Launch } from '../dispatch.js';
import type { GpuCsr } from '../x-upload.js';
import { makeLaunch, type KernelContext } from './context.js';

const WORKGROUP = 64;

/** sparse.wgsl's VALUE override: what multiplies H (or W) for each stored entry. */
export function numeratorValue(beta: number | null): 0 | 1 | 2 | 3 {
  if (beta === null) return 0; // plain X
  return beta === 1 ? 1 : beta === 0 ? 2 : 3;
}

interface Dims {
  m: number;
  n: number;
  k: number;
  beta: number;
}

function values(X: GpuCsr, d: Dims) {
  return { m: d.m, n: d.n, k: d.k, nnz: X.nnz, beta: d.beta };
}

export function sampleWHLaunch(ctx: KernelContext, label: string, X: GpuCsr, d: Dims, w: GPUBuffer, h: GPUBuffer): Promise<Launch> {
  const grid = linearGrid(Math.ceil(X.nnz / WORKGROUP), ctx.maxPerDim, label);
  return makeLaunch(ctx, 'sparse', 'sampleWH', {}, label, values(X, d), { 1: X.rowIdx, 2: X.indices, 3: w, 4: h, 5: X.wh }, grid);
}

/** Weighted NMF: each entry's value times its weight, and the denominator's term instead of the numerator's. */
export interface Weighting {
  weights: GPUBuffer;
  denominator: boolean;
}

function weighting(X: GpuCsr, wt: Weighting | undefined): { constants: Record<string, boolean>; buffer: GPUBuffer } {
  return { constants: wt ? { WEIGHTED: true, DEN: wt.denominator } : {}, buffer: wt?.weights ?? X.data };
}

/** out (m×k) = V·Hᵀ with V = X, or the β numerator terms at X's entries (`numeratorOf` = β). */
export function csrTimesHtLaunch(ctx: KernelContext, label: string, X: GpuCsr, d: Dims, numeratorOf: number | null, h: GPUBuffer, out: GPUBuffer, wt?: Weighting): Promise<Launch> {
  const grid = linearGrid(Math.ceil((d.m * d.k) / WORKGROUP), ctx.maxPerDim, label);
  const weighted = weighting(X, wt);
  return makeLaunch(ctx, 'sparse', 'csrTimesHt', { VALUE: numeratorValue(numeratorOf), ...weighted.constants }, label, values(X, d),
    { 6: X.indptr, 2: X.indices, 7: X.data, 8: X.wh, 4: h, 9: out, 14: weighted.buffer }, grid);
}

/** out (k×n) = Wᵀ·V, through the CSC copy of X. */
export function cscWtTimesLaunch(ctx: KernelContext, label: string, X: GpuCsr, d: Dims, numeratorOf: number | null, w: GPUBuffer, out: GPUBuffer, wt?: Weighting): Promise<Launch> {
  const grid = linearGrid(Math.ceil((d.k * d.n) / WORKGROUP), ctx.maxPerDim, label);
  const weighted = weighting(X, wt);
  return makeLaunch(ctx, 'sparse', 'cscWtTimes', { VALUE: numeratorValue(numeratorOf), ...weighted.constants }, label, values(X, d),
    { 10: X.cscPtr, 11: X.cscRow, 12: X.cscData, 13: X.cscPerm, 8: X.wh, 3: w, 9: out, 14: weighted.buffer }, grid);
}
