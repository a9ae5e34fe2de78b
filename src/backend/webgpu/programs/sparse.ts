// Launchers for sparse.wgsl: WH sampled at the stored entries, and CSR / CSC products whose X entries
// may be replaced by the multiplicative-update numerator terms.

import { gathered, linearGrid, once, reread, type Launch } from '../dispatch.js';
import type { GpuCsr } from '../x-upload.js';
import { makeLaunch, type KernelContext } from './context.js';
import { shaderConstant } from '../shader-constants.js';

const WORKGROUP = shaderConstant('sparse', 'WG');

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

/** The uniforms of a launch over one row block of X; `accumulate`: a k × n output adds to what earlier blocks left. */
function values(X: GpuCsr, d: Dims) {
  return { m: X.rows, n: d.n, k: d.k, nnz: X.nnz, beta: d.beta, rowStart: X.rowStart, accumulate: X.rowStart > 0 };
}

export function sampleWHLaunch(ctx: KernelContext, label: string, X: GpuCsr, d: Dims, w: GPUBuffer, h: GPUBuffer): Promise<Launch> {
  const grid = linearGrid(Math.ceil(X.nnz / WORKGROUP), ctx.maxPerDim, label);
  // a lane per entry: its row of W (k contiguous floats) and its column of H (k-strided: gathered)
  const cost = { invocations: WORKGROUP, trips: d.k, flops: 2 * X.nnz * d.k, traffic: [once(12 * X.nnz), { footprint: 4 * X.rows * d.k, moved: 4 * d.k * X.nnz }, gathered(4 * d.k * d.n, d.k * X.nnz)] };
  return makeLaunch(ctx, 'sparse', 'sampleWH', {}, label, values(X, d), { rowIdx: X.rowIdx, colIdx: X.indices, w, h, whOut: X.wh }, grid, cost);
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
  const grid = linearGrid(Math.ceil((X.rows * d.k) / WORKGROUP), ctx.maxPerDim, label);
  const weighted = weighting(X, wt);
  // an invocation per (row, component), lanes along the components: each entry's H[r, col] read n apart (gathered)
  const cost = { invocations: WORKGROUP, trips: Math.ceil(X.nnz / Math.max(1, X.rows)), flops: 2 * X.nnz * d.k, traffic: [once(12 * X.nnz), gathered(4 * d.k * d.n, d.k * X.nnz), once(4 * X.rows * d.k)] };
  return makeLaunch(ctx, 'sparse', 'csrTimesHt', { VALUE: numeratorValue(numeratorOf), ...weighted.constants }, label, values(X, d),
    { indptr: X.indptr, colIdx: X.indices, data: X.data, whIn: X.wh, h, out, weights: weighted.buffer }, grid, cost);
}

/** out (k×n) = Wᵀ·V, through the CSC copy of X. */
export function cscWtTimesLaunch(ctx: KernelContext, label: string, X: GpuCsr, d: Dims, numeratorOf: number | null, w: GPUBuffer, out: GPUBuffer, wt?: Weighting): Promise<Launch> {
  const grid = linearGrid(Math.ceil((d.k * d.n) / WORKGROUP), ctx.maxPerDim, label);
  const weighted = weighting(X, wt);
  // an invocation per (component, column), lanes along the columns: every component re-reads the column's
  // entries, and W[row, r] and WH at the CSR position are gathered
  const cost = {
    invocations: WORKGROUP, trips: Math.ceil(X.nnz / Math.max(1, d.n)), flops: 2 * X.nnz * d.k,
    traffic: [{ footprint: 12 * X.nnz, moved: 12 * X.nnz * d.k }, gathered(4 * X.nnz, d.k * X.nnz), gathered(4 * X.rows * d.k, d.k * X.nnz), once(4 * d.k * d.n * (X.rowStart > 0 ? 2 : 1))],
  };
  return makeLaunch(ctx, 'sparse', 'cscWtTimes', { VALUE: numeratorValue(numeratorOf), ...weighted.constants }, label, values(X, d),
    { cscPtr: X.cscPtr, cscRow: X.cscRow, cscData: X.cscData, cscPerm: X.cscPerm, whIn: X.wh, w, out, weights: weighted.buffer }, grid, cost);
}

// ── the 'hardware' plan: Hᵀ kept beside H, lanes over the components ─────────────────────────────

/** csrRowsHt / cscColsW: lanes per row (column), one component each, and the components per lane. */
export function sparseTeam(k: number): { TEAM: number; SLOTS: number } {
  const TEAM = Math.min(64, Math.max(1, 2 ** Math.ceil(Math.log2(Math.max(1, k)))));
  return { TEAM, SLOTS: Math.ceil(k / TEAM) };
}

/** The hardware plan's sparse kernels hold at most 4 components per lane: k ≤ 256. */
export const SPARSE_TEAM_MAX_K = 256;

/** transposeH's tile of H: T_ROWS rows × T_COLS columns per workgroup */
const T_ROWS = shaderConstant('sparse', 'T_ROWS'), T_COLS = shaderConstant('sparse', 'T_COLS');

/** ht (n × k) ← Hᵀ, in T_ROWS × T_COLS tiles through shared memory. */
export function transposeHLaunch(ctx: KernelContext, label: string, d: Dims, h: GPUBuffer, ht: GPUBuffer): Promise<Launch> {
  const workgroups = Math.ceil(d.n / T_COLS) * Math.ceil(d.k / T_ROWS);
  const cost = { invocations: WORKGROUP, trips: (T_ROWS * T_COLS) / WORKGROUP, flops: 0, traffic: [once(8 * d.k * d.n)] };
  return makeLaunch(ctx, 'sparse', 'transposeH', {}, label, { m: d.m, n: d.n, k: d.k, nnz: 0, beta: d.beta, rowStart: 0, accumulate: 0 }, { h, htOut: ht },
    linearGrid(workgroups, ctx.maxPerDim, label), cost);
}

/** WH at the stored entries from W's rows and Hᵀ's rows (each one contiguous read). */
export function sampleWHtLaunch(ctx: KernelContext, label: string, X: GpuCsr, d: Dims, w: GPUBuffer, ht: GPUBuffer): Promise<Launch> {
  // a lane per entry: its row of W (neighbouring lanes share it: entries in row order) and its row of Hᵀ
  const cost = { invocations: WORKGROUP, trips: d.k % 4 === 0 ? d.k / 4 : d.k, flops: 2 * X.nnz * d.k, traffic: [once(12 * X.nnz), reread(4 * X.rows * d.k, 2), { footprint: 4 * d.n * d.k, moved: 4 * d.k * X.nnz }] };
  return makeLaunch(ctx, 'sparse', 'sampleWHt', { VEC4: d.k % 4 === 0 }, label, values(X, d), { rowIdx: X.rowIdx, colIdx: X.indices, w, whOut: X.wh, ht, w4: w, ht4: ht },
    linearGrid(Math.ceil(X.nnz / WORKGROUP), ctx.maxPerDim, label), cost);
}

/**
 * A row (column) kernel's work, lanes along the components: each entry's index, value and WH read once
 * (broadcast to its team; for columns WH at the CSR position, gathered), its k-vector of Hᵀ (W) one
 * contiguous read; columns write k × n components n apart. Trips: the mean entries per row (column).
 */
function teamCost(X: GpuCsr, d: Dims, side: 'rows' | 'columns') {
  const lines = side === 'rows' ? X.rows : d.n;
  const operand = side === 'rows' ? 4 * d.n * d.k : 4 * X.rows * d.k;
  const traffic = side === 'rows'
    ? [once(12 * X.nnz), { footprint: operand, moved: 4 * d.k * X.nnz }, once(4 * X.rows * d.k)]
    : [once(12 * X.nnz), gathered(4 * X.nnz, X.nnz), { footprint: operand, moved: 4 * d.k * X.nnz }, gathered(4 * d.k * d.n, d.k * d.n * (X.rowStart > 0 ? 2 : 1))];
  return { invocations: WORKGROUP, trips: Math.ceil(X.nnz / Math.max(1, lines)), flops: 2 * X.nnz * d.k, traffic };
}

/** out (m × k) = V·Hᵀ through Hᵀ: TEAM lanes per row of X, each a component. */
export function csrRowsHtLaunch(ctx: KernelContext, label: string, X: GpuCsr, d: Dims, numeratorOf: number | null, ht: GPUBuffer, out: GPUBuffer, wt?: Weighting): Promise<Launch> {
  const team = sparseTeam(d.k);
  const weighted = weighting(X, wt);
  const workgroups = Math.ceil(X.rows / (WORKGROUP / team.TEAM));
  return makeLaunch(ctx, 'sparse', 'csrRowsHt', { VALUE: numeratorValue(numeratorOf), ...team, ...weighted.constants }, label, values(X, d),
    { indptr: X.indptr, colIdx: X.indices, data: X.data, whIn: X.wh, ht, out, weights: weighted.buffer }, linearGrid(workgroups, ctx.maxPerDim, label), teamCost(X, d, 'rows'));
}

/** out (k × n) = Wᵀ·V through the CSC copy: TEAM lanes per column of X, each a component. */
export function cscColsWLaunch(ctx: KernelContext, label: string, X: GpuCsr, d: Dims, numeratorOf: number | null, w: GPUBuffer, out: GPUBuffer, wt?: Weighting): Promise<Launch> {
  const team = sparseTeam(d.k);
  const weighted = weighting(X, wt);
  const workgroups = Math.ceil(d.n / (WORKGROUP / team.TEAM));
  return makeLaunch(ctx, 'sparse', 'cscColsW', { VALUE: numeratorValue(numeratorOf), ...team, ...weighted.constants }, label, values(X, d),
    { cscPtr: X.cscPtr, cscRow: X.cscRow, cscData: X.cscData, cscPerm: X.cscPerm, whIn: X.wh, w, out, weights: weighted.buffer }, linearGrid(workgroups, ctx.maxPerDim, label), teamCost(X, d, 'columns'));
}
