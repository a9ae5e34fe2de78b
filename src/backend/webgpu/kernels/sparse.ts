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

// ── the 'hardware' plan: Hᵀ kept beside H, lanes over the components ─────────────────────────────

/** csrRowsHt / cscColsW: lanes per row (column), one component each, and the components per lane. */
export function sparseTeam(k: number): { TEAM: number; SLOTS: number } {
  const TEAM = Math.min(64, Math.max(1, 2 ** Math.ceil(Math.log2(Math.max(1, k)))));
  return { TEAM, SLOTS: Math.ceil(k / TEAM) };
}

/** The hardware plan's sparse kernels hold at most 4 components per lane: k ≤ 256. */
export const SPARSE_TEAM_MAX_K = 256;

/** ht (n × k) ← Hᵀ, in 32 × 16 tiles through shared memory. */
export function transposeHLaunch(ctx: KernelContext, label: string, d: Dims, h: GPUBuffer, ht: GPUBuffer): Promise<Launch> {
  const workgroups = Math.ceil(d.n / 32) * Math.ceil(d.k / 16);
  const cost = { invocations: 64, trips: 8, bytes: 8 * d.k * d.n, flops: 0 };
  return makeLaunch(ctx, 'sparse', 'transposeH', {}, label, { m: d.m, n: d.n, k: d.k, nnz: 0, beta: d.beta }, { 4: h, 16: ht },
    linearGrid(workgroups, ctx.maxPerDim, label), cost);
}

/** WH at the stored entries from W's rows and Hᵀ's rows (each one contiguous read). */
export function sampleWHtLaunch(ctx: KernelContext, label: string, X: GpuCsr, d: Dims, w: GPUBuffer, ht: GPUBuffer): Promise<Launch> {
  const cost = { invocations: WORKGROUP, trips: d.k % 4 === 0 ? d.k / 4 : d.k, bytes: 4 * (4 * X.nnz + 2 * X.nnz * d.k), flops: 2 * X.nnz * d.k };
  return makeLaunch(ctx, 'sparse', 'sampleWHt', { VEC4: d.k % 4 === 0 }, label, values(X, d), { 1: X.rowIdx, 2: X.indices, 3: w, 5: X.wh, 15: ht, 17: w, 18: ht },
    linearGrid(Math.ceil(X.nnz / WORKGROUP), ctx.maxPerDim, label), cost);
}

/** A row (column) kernel's work: trips are the mean entries per row (column), the longest runs longer. */
function teamCost(X: GpuCsr, d: Dims, lines: number, outputs: number) {
  return { invocations: 64, trips: Math.ceil(X.nnz / Math.max(1, lines)), bytes: 4 * (4 * X.nnz + X.nnz * d.k + outputs), flops: 2 * X.nnz * d.k };
}

/** out (m × k) = V·Hᵀ through Hᵀ: TEAM lanes per row of X, each a component. */
export function csrRowsHtLaunch(ctx: KernelContext, label: string, X: GpuCsr, d: Dims, numeratorOf: number | null, ht: GPUBuffer, out: GPUBuffer, wt?: Weighting): Promise<Launch> {
  const team = sparseTeam(d.k);
  const weighted = weighting(X, wt);
  const workgroups = Math.ceil(d.m / (64 / team.TEAM));
  return makeLaunch(ctx, 'sparse', 'csrRowsHt', { VALUE: numeratorValue(numeratorOf), ...team, ...weighted.constants }, label, values(X, d),
    { 6: X.indptr, 2: X.indices, 7: X.data, 8: X.wh, 15: ht, 9: out, 14: weighted.buffer }, linearGrid(workgroups, ctx.maxPerDim, label), teamCost(X, d, d.m, d.m * d.k));
}

/** out (k × n) = Wᵀ·V through the CSC copy: TEAM lanes per column of X, each a component. */
export function cscColsWLaunch(ctx: KernelContext, label: string, X: GpuCsr, d: Dims, numeratorOf: number | null, w: GPUBuffer, out: GPUBuffer, wt?: Weighting): Promise<Launch> {
  const team = sparseTeam(d.k);
  const weighted = weighting(X, wt);
  const workgroups = Math.ceil(d.n / (64 / team.TEAM));
  return makeLaunch(ctx, 'sparse', 'cscColsW', { VALUE: numeratorValue(numeratorOf), ...team, ...weighted.constants }, label, values(X, d),
    { 10: X.cscPtr, 11: X.cscRow, 12: X.cscData, 13: X.cscPerm, 8: X.wh, 3: w, 9: out, 14: weighted.buffer }, linearGrid(workgroups, ctx.maxPerDim, label), teamCost(X, d, d.n, d.k * d.n));
}
