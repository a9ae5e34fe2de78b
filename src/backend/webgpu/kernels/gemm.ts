// Launchers for gemm.wgsl: C = op(A)·op(B) (+ C). The tile shape follows the output's shape, so the
// skinny products of NMF (k × n, m × k, sums) do not leave most of a square tile idle.

import { tileGrid, type Launch } from '../dispatch.js';
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

const RM = 4, RN = 4; // gemm.wgsl's register block

/** Threads per workgroup side: 64 threads, shaped to the output (a row of k components is short). */
export function tileShape(M: number, N: number): { WG_M: number; WG_N: number } {
  if (M <= 8) return { WG_M: 2, WG_N: 32 };
  if (N <= 8) return { WG_M: 32, WG_N: 2 };
  return { WG_M: 8, WG_N: 8 };
}

export async function gemmLaunch(ctx: KernelContext, s: GemmSpec): Promise<Launch> {
  const shape = tileShape(s.M, s.N);
  const constants = { TRANS_A: !!s.transA, TRANS_B: !!s.transB, WG_M: shape.WG_M, WG_N: shape.WG_N, TILE_K: 8 };
  const values = {
    M: s.M, N: s.N, K: s.K, lda: s.lda, ldb: s.ldb, ldc: s.ldc,
    aOffset: s.aOffset ?? 0, bOffset: s.bOffset ?? 0, cOffset: s.cOffset ?? 0, accumulate: !!s.accumulate,
  };
  const grid = tileGrid(Math.ceil(s.N / (shape.WG_N * RN)), Math.ceil(s.M / (shape.WG_M * RM)), ctx.maxPerDim, s.label);
  return makeLaunch(ctx, 'gemm', 'main', constants, s.label, values, { 1: s.a, 2: s.b, 3: s.c }, grid);
}
