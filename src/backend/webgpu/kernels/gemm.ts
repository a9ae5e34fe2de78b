// Launchers for gemm.wgsl: C = op(A)·op(B) (+ C), and KL's X ⊘ (WH). One invocation per 8 × 8, 8 × 4,
// 4 × 8 or 4 × 4 block of C, so the skinny products of NMF (k × n, m × k, sums) waste few rows or columns.

import { linearGrid, type Launch } from '../dispatch.js';
import { makeLaunch, type KernelContext } from './context.js';

export interface GemmSpec {
  label: string;
  M: number;
  N: number;
  K: number;
  a: GPUBuffer;
  b: GPUBuffer;
  c: GPUBuffer;
  lda: number;
  ldb: number;
  ldc: number;
  transA?: boolean;
  transB?: boolean;
  aOffset?: number;
  bOffset?: number;
  cOffset?: number;
  accumulate?: boolean;
}

const WG = 64;

/** Rows (or columns) of C per invocation: 8 (fewer loads per multiply-add), 4 when that side is too small to fill 8s. */
function blockSide(size: number): 4 | 8 {
  return size >= 32 || size % 8 === 0 ? 8 : 4;
}

/** Workgroups for a C of M × N: one invocation per RM × CW block, gemm.wgsl's WG per workgroup. */
function gemmGrid(ctx: KernelContext, M: number, N: number, label: string): [number, number] {
  return linearGrid(Math.ceil((Math.ceil(M / blockSide(M)) * Math.ceil(N / blockSide(N))) / WG), ctx.maxPerDim, label);
}

function gemmConstants(s: GemmSpec) {
  return { TRANS_A: !!s.transA, TRANS_B: !!s.transB, M: s.M, N: s.N, K: s.K, LDA: s.lda, LDB: s.ldb, LDC: s.ldc, WG, RM: blockSide(s.M), CW: blockSide(s.N) };
}

export async function gemmLaunch(ctx: KernelContext, s: GemmSpec): Promise<Launch> {
  const values = { aOffset: s.aOffset ?? 0, bOffset: s.bOffset ?? 0, cOffset: s.cOffset ?? 0, accumulate: !!s.accumulate };
  return makeLaunch(ctx, 'gemm', 'main', gemmConstants(s), s.label, values, { 1: s.a, 2: s.b, 3: s.c }, gemmGrid(ctx, s.M, s.N, s.label));
}

/** C = X ⊘ (op(A)·op(B)) for a block of rows of X (row stride ldc, from xOffset), WH == 0 → EPSILON. */
export async function divideXLaunch(ctx: KernelContext, s: GemmSpec & { x: GPUBuffer; xOffset: number }): Promise<Launch> {
  const values = { aOffset: s.aOffset ?? 0, bOffset: s.bOffset ?? 0, cOffset: s.cOffset ?? 0, xOffset: s.xOffset };
  return makeLaunch(ctx, 'gemm', 'divideX', gemmConstants(s), s.label, values, { 1: s.a, 2: s.b, 3: s.c, 4: s.x }, gemmGrid(ctx, s.M, s.N, s.label));
}
