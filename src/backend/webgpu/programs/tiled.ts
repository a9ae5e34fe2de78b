// Launchers for tiled.wgsl, the 'hardware' plan's GEMM: C = op(A)·op(B) from shared-memory tiles,
// split along K when the output has too few tiles to fill a GPU, the splits summed by sumSplits.
// Shapes travel as uniforms: the pipelines are keyed by tile shape and transposes only.

import { linearGrid, once, reread, type Launch } from '../dispatch.js';
import { makeLaunch, workgroupLimits, type KernelContext } from './context.js';
import type { GemmSpec } from './gemm.js';
import { shaderConstant } from '../shader-constants.js';

/**
 * Workgroups a product over W or H should launch at least: 64 keeps every SM of a 46–84 SM GPU busy
 * with one workgroup (these products are small; the ones over X aim higher, see xproducts.ts).
 */
export const FACTOR_WORKGROUPS = 64;
/** Splits of one pass, and the most K one split covers: the partials stay ≤ 64 outputs' worth, a workgroup's loop bounded. */
export const MAX_SPLITS = 64;
const MAX_CHUNK = 4096;
/** sumSplits' invocations per workgroup */
const SUM_WG = shaderConstant('tiled', 'SUM_WG');

export interface TileShape {
  wgX: number;
  wgY: number;
  /** register block: rb × rb entries of C per invocation */
  rb: 2 | 4;
  tk: number;
}

/** Largest first: 64 × 64 tiles of 256 invocations, 32 × 32 and 16 × 16 tiles of 64. */
const TILES: TileShape[] = [
  { wgX: 16, wgY: 16, rb: 4, tk: 16 },
  { wgX: 8, wgY: 8, rb: 4, tk: 16 },
  { wgX: 8, wgY: 8, rb: 2, tk: 16 },
];

export interface TiledPlan {
  tile: TileShape;
  tilesM: number;
  tilesN: number;
  splits: number;
  /** K per split, a multiple of tk */
  chunk: number;
  /** dispatches along K, each of `splits` splits (K beyond MAX_SPLITS·MAX_CHUNK) */
  passes: number;
}

const roundUp = (x: number, to: number) => Math.ceil(x / to) * to;

/**
 * The tile and split of an M × N × K product: the largest tile that fills FACTOR_WORKGROUPS without a
 * split (a tile at least twice the output in a dimension wastes it, and is passed over), else the
 * largest useful tile split along K until it does; K per split at most MAX_CHUNK.
 */
export function planTiled(ctx: KernelContext, M: number, N: number, K: number): TiledPlan {
  const lim = workgroupLimits(ctx);
  const fits = TILES.filter((t) => t.wgX * t.wgY <= lim.invocations && t.tk * (t.wgX + t.wgY) * 16 <= lim.storage);
  if (fits.length === 0) throw new Error('webnmf: this device allows too few invocations or too little workgroup memory for the hardware plan; use gpuProfile: \'software\'.');
  const tiles = (t: TileShape) => [Math.ceil(M / (t.wgY * t.rb)), Math.ceil(N / (t.wgX * t.rb))] as const;
  const useful = fits.filter((t, i) => i === fits.length - 1 || (t.wgY * t.rb < 2 * M && t.wgX * t.rb < 2 * N));
  const whole = useful.find((t) => tiles(t)[0] * tiles(t)[1] >= FACTOR_WORKGROUPS);
  const tile = whole ?? useful[0];
  const [tilesM, tilesN] = tiles(tile);
  const maxSplits = ctx.maxSplits ?? MAX_SPLITS;
  const wanted = whole ? 1 : Math.min(maxSplits, Math.ceil(FACTOR_WORKGROUPS / (tilesM * tilesN)), Math.max(1, Math.floor(K / tile.tk)));
  let chunk = Math.min(ctx.maxChunk ?? MAX_CHUNK, roundUp(Math.ceil(K / wanted), tile.tk));
  if (K <= chunk) chunk = roundUp(Math.max(K, 1), tile.tk);
  const splits = Math.min(maxSplits, Math.max(1, Math.ceil(K / chunk)));
  return { tile, tilesM, tilesN, splits, chunk, passes: Math.max(1, Math.ceil(K / (splits * chunk))) };
}

/** Floats of split-K partials the product needs (0 without a split). */
export function tiledPartialFloats(plan: TiledPlan, M: number, N: number): number {
  return plan.splits > 1 ? plan.splits * M * N : 0;
}

/** A GEMM as gemm.ts states it, with the plan's split-K scratch. */
export interface TiledSpec extends GemmSpec {
  /** split-K partials (the plan's shared scratch), at least tiledPartialFloats floats */
  partials: GPUBuffer;
}

/** The dispatches of C (+)= op(A)·op(B): per pass along K, the product and (with splits) their sum. */
export async function tiledLaunches(ctx: KernelContext, s: TiledSpec): Promise<Launch[]> {
  const plan = planTiled(ctx, s.M, s.N, s.K);
  const { tile, tilesM, tilesN, splits, chunk } = plan;
  const constants = { TRANS_A: !!s.transA, TRANS_B: !!s.transB, WG_X: tile.wgX, WG_Y: tile.wgY, RB: tile.rb, TK: tile.tk };
  const out: Promise<Launch>[] = [];
  for (let pass = 0; pass < plan.passes; pass++) {
    const k0 = pass * splits * chunk;
    const K = Math.min(s.K - k0, splits * chunk);
    const accumulate = !!s.accumulate || pass > 0;
    const sfx = plan.passes > 1 ? `@${k0}` : '';
    // the pass's slice of K: A's columns (rows when transposed) and B's rows from k0
    const aOffset = (s.aOffset ?? 0) + (s.transA ? k0 * s.lda : k0);
    const bOffset = (s.bOffset ?? 0) + (s.transB ? k0 : k0 * s.ldb);
    const passSplits = Math.ceil(K / chunk);
    const values = {
      M: s.M, N: s.N, K, lda: s.lda, ldb: s.ldb, ldc: s.ldc, aOffset, bOffset, cOffset: s.cOffset ?? 0,
      chunk, splits: passSplits, tilesM, tilesN, accumulate: passSplits === 1 && accumulate, lanes: 1,
    };
    const workgroups = tilesM * tilesN * passSplits;
    // each workgroup loads its rows of A and columns of B over its split: A once per column tile, B once per row tile
    const cost = {
      invocations: tile.wgX * tile.wgY,
      trips: Math.ceil(chunk / tile.tk),
      flops: 2 * s.M * s.N * K,
      traffic: [reread(4 * s.M * K, tilesN), reread(4 * K * s.N, tilesM), once(4 * s.M * s.N * (passSplits > 1 ? passSplits : accumulate ? 2 : 1))],
    };
    const partials = { buffer: s.partials, size: 4 * (passSplits > 1 ? passSplits * s.M * s.N : 1) };
    out.push(makeLaunch(ctx, 'tiled', 'tiledGemm', constants, `${s.label}${sfx}`, values, { a: s.a, b: s.b, c: s.c, partials },
      linearGrid(workgroups, ctx.maxPerDim, s.label), cost));
    if (passSplits > 1) out.push(sumSplitsLaunch(ctx, `${s.label}${sfx} Σsplits`, s.M, s.N, passSplits, 0, s.partials, s.c, s.cOffset ?? 0, s.ldc, accumulate));
  }
  return Promise.all(out);
}

/** c[cOffset + i·ldc + j] (+)= Σ_s partials[base + s·M·N + i·N + j]: lanes per entry so that it fills FACTOR_WORKGROUPS. */
export function sumSplitsLaunch(ctx: KernelContext, label: string, M: number, N: number, splits: number, base: number, partials: GPUBuffer, c: GPUBuffer, cOffset: number, ldc: number, accumulate: boolean): Promise<Launch> {
  const outputs = M * N;
  let lanes = 1;
  while (lanes < 16 && lanes < splits && Math.ceil((outputs * lanes) / SUM_WG) < FACTOR_WORKGROUPS) lanes *= 2;
  const values = { M, N, K: 0, lda: 0, ldb: 0, ldc, aOffset: 0, bOffset: base, cOffset, chunk: 0, splits, tilesM: 0, tilesN: 0, accumulate, lanes };
  const workgroups = Math.ceil((outputs * lanes) / SUM_WG);
  const cost = { invocations: SUM_WG, trips: Math.ceil(splits / lanes), flops: outputs * splits, traffic: [once(4 * outputs * splits), once(4 * outputs * (accumulate ? 2 : 1))] };
  // the slice of the partials it sums: bound alone
  const slice = { buffer: partials, size: 4 * (base + splits * outputs) };
  return makeLaunch(ctx, 'tiled', 'sumSplits', {}, label, values, { c, partials: slice }, linearGrid(workgroups, ctx.maxPerDim, label), cost);
}
