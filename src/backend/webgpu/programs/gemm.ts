// Launchers for gemm.wgsl: C = op(A)·op(B) (+ C), and KL's X ⊘ (WH). One invocation per 8 × 8, 8 × 4,
// 4 × 8 or 4 × 4 block of C, so the skinny products of NMF (k × n, m × k, sums) waste few rows or columns.
// The products with X, for k ≤ 32 and rows of X in vec4s, go through skinnyLaunch (generated/skinny.wgsl): X read once each.

import { linearGrid, once, reread, type Access, type Launch } from '../dispatch.js';
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
  return size >= 8 ? 8 : 4;
}

/** Workgroups for a C of M × N: one invocation per RM × CW block, gemm.wgsl's WG per workgroup. */
function gemmGrid(ctx: KernelContext, M: number, N: number, label: string): [number, number] {
  return linearGrid(Math.ceil((Math.ceil(M / blockSide(M)) * Math.ceil(N / blockSide(N))) / WG), ctx.maxPerDim, label);
}

function gemmConstants(s: GemmSpec) {
  return { TRANS_A: !!s.transA, TRANS_B: !!s.transB, M: s.M, N: s.N, K: s.K, LDA: s.lda, LDB: s.ldb, LDC: s.ldc, WG, RM: blockSide(s.M), CW: blockSide(s.N) };
}

/** One invocation per block of C, its K loop 4 deep, straight from storage: A's rows read once per column block, B's columns once per row block. */
function gemmCost(s: GemmSpec, extra: Access[] = []) {
  const traffic = [reread(4 * s.M * s.K, Math.ceil(s.N / blockSide(s.N))), reread(4 * s.K * s.N, Math.ceil(s.M / blockSide(s.M))), once(4 * s.M * s.N * (s.accumulate ? 2 : 1)), ...extra];
  return { invocations: WG, trips: Math.ceil(s.K / 4), flops: 2 * s.M * s.N * s.K, traffic };
}

export async function gemmLaunch(ctx: KernelContext, s: GemmSpec): Promise<Launch> {
  const values = { aOffset: s.aOffset ?? 0, bOffset: s.bOffset ?? 0, cOffset: s.cOffset ?? 0, accumulate: !!s.accumulate };
  return makeLaunch(ctx, 'gemm', 'main', gemmConstants(s), s.label, values, { a: s.a, b: s.b, c: s.c }, gemmGrid(ctx, s.M, s.N, s.label), gemmCost(s));
}

/** C = X ⊘ (op(A)·op(B)) for a block of rows of X (row stride ldc, from xOffset), WH == 0 → EPSILON. */
export async function divideXLaunch(ctx: KernelContext, s: GemmSpec & { x: GPUBuffer; xOffset: number }): Promise<Launch> {
  const values = { aOffset: s.aOffset ?? 0, bOffset: s.bOffset ?? 0, cOffset: s.cOffset ?? 0, xOffset: s.xOffset };
  return makeLaunch(ctx, 'gemm', 'divideX', gemmConstants(s), s.label, values, { a: s.a, b: s.b, c: s.c, x: s.x }, gemmGrid(ctx, s.M, s.N, s.label), gemmCost(s, [once(4 * s.M * s.N)]));
}

/** skinny.wgsl's skinnyNT / skinnyTN unroll at most this many components (K_MAX in scripts/gen-skinny.mjs). */
export const SKINNY_MAX_K = 32;

/** skinnyNT's rows per invocation: 8 (each vec4 of H loaded serves 8 rows); 4 when it also forms X ⊘ WH (registers) */
const NT_ROWS = 8, NT_ROWS_DIVIDE = 4;
/** skinnyTN's columns per invocation: 8 (each row of W loaded serves two vec4s of X) */
const TN_COLS = 8;

/** The skinny kernels cover k ≤ SKINNY_MAX_K and read X in vec4s along its rows (n a multiple of 4). */
export function skinnyFits(k: number, n: number): boolean {
  return k <= SKINNY_MAX_K && n % 4 === 0;
}

export interface SkinnySpec {
  label: string;
  /** 'NT': C (rows × k) = X·Hᵀ;  'TN': C (k × n) = Wᵀ·X, over this block's rows of W */
  kind: 'NT' | 'TN';
  rows: number;
  n: number;
  k: number;
  /** this block of rows of X (its own buffer, from its start) */
  x: GPUBuffer;
  w: GPUBuffer;
  h: GPUBuffer;
  c: GPUBuffer;
  /** first row of this block in W (and, for NT, in C) */
  rowStart: number;
  /** TN: add to C (later row blocks) */
  accumulate: boolean;
  /** Kullback-Leibler: the X operand is X ⊘ (WH), WH formed in the kernel */
  divide: boolean;
}

/** Invocations per workgroup: at least 8 workgroups when there is enough work (SwiftShader runs a workgroup on one thread). */
function skinnyWorkgroup(invocations: number): number {
  for (const wg of [64, 32, 16, 8]) if (invocations / wg >= 8) return wg;
  return 4;
}

/** X·Hᵀ or Wᵀ·X (or KL's (X ⊘ WH)·Hᵀ, Wᵀ·(X ⊘ WH)) for k ≤ SKINNY_MAX_K: one pass over this block of X. */
export function skinnyLaunch(ctx: KernelContext, s: SkinnySpec): Promise<Launch> {
  const { n, k, rows } = s;
  const nt = s.kind === 'NT';
  const ntRows = s.divide ? NT_ROWS_DIVIDE : NT_ROWS;
  const invocations = nt ? Math.ceil(rows / ntRows) : Math.ceil(n / TN_COLS);
  const SWG = skinnyWorkgroup(invocations);
  const common = { KC: k, DIVIDE: s.divide, SWG, TN_COLS, NT_ROWS: ntRows };
  const constants = nt ? { ...common, M: rows, N: k, K: n, LDA: n, LDB: n, LDC: k } : { ...common, M: k, N: n, K: rows, LDA: k, LDB: n, LDC: n };
  const values = nt
    ? { aOffset: 0, bOffset: 0, cOffset: s.rowStart * k, xOffset: s.rowStart * k, accumulate: false }
    : { aOffset: s.rowStart * k, bOffset: 0, cOffset: 0, xOffset: 0, accumulate: s.accumulate };
  // wv, W read in vec4s, only where TN loads W's rows (NT reads W only to form WH, entry by entry)
  const bindings = { c: s.c, xv: s.x, hv: s.h, w: s.w, ...(nt ? {} : { wv: s.w }) };
  // NT: an invocation walks a row block's n columns in vec4s; TN: its columns' rows, one at a time
  // X read once; the skinny factor by every invocation (NT: all of H; TN: all rows of W)
  const traffic = [
    once(4 * rows * n),
    nt ? reread(4 * k * n, invocations) : reread(4 * rows * k, invocations),
    ...(s.divide ? [nt ? once(4 * rows * k) : once(4 * k * n)] : []),
    once(4 * (nt ? rows * k : k * n * (s.accumulate ? 2 : 1))),
  ];
  const cost = { invocations: SWG, trips: nt ? Math.ceil(n / 4) : rows, flops: 2 * rows * n * k * (s.divide ? 2 : 1), traffic };
  return makeLaunch(ctx, 'skinny', nt ? 'skinnyNT' : 'skinnyTN', constants, s.label, values, bindings, linearGrid(Math.ceil(invocations / SWG), ctx.maxPerDim, s.label), cost);
}
