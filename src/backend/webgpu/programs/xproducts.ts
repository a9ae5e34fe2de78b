// Launchers for xproducts.wgsl, the 'hardware' plan's products with dense X: X·Hᵀ and Wᵀ·X, and the
// multiplicative updates' numerators and denominators with X ⊘ WH (or X·WH^(β−2), WH^(β−1)) formed in
// the kernel. Work is split along the reduction so that every dispatch over X launches workgroups in
// proportion to X's size, each with a bounded loop; the splits are summed by tiled.wgsl's sumSplits.

import { linearGrid, once, reread, type Access, type Launch } from '../dispatch.js';
import { makeLaunch, workgroupLimits, type KernelContext } from './context.js';
import { BetaClass, betaClass } from '../../../loss.js';
import { MAX_SPLITS, sumSplitsLaunch } from './tiled.js';

/** xproducts.wgsl holds all k components of its outputs in a workgroup: up to this many. */
export const XPRODUCTS_MAX_K = 128;
/** Wᵀ·X: rows of X per split. Fixed, so a dispatch's workgroups grow with m and each loop stays short. */
const WTX_CHUNK = 512;
/**
 * X·Hᵀ: columns of X per split: a quarter of n (4 splits, so m / 32 rows of tiles give ≥ 256
 * workgroups from m = 2048), at least 256 columns (smaller X: no split) and at most 2048.
 */
const XHT_SPLITS = 4, XHT_MIN_CHUNK = 256, XHT_MAX_CHUNK = 2048;
/** Wᵀ·X: column tiles aim at this many across n, so that n = 1024 with 4 splits gives 256 workgroups. */
const WTX_COLUMN_TILES = 64;

export interface XProductShape {
  kind: 'xht' | 'wtx';
  rows: number;
  n: number;
  k: number;
}

export interface XProductPlan {
  KC: number;
  TM: number;
  RM: number;
  TK: number;
  threads: number;
  tiles: number;
  chunk: number;
  splits: number;
  passes: number;
}

const roundUp = (x: number, to: number) => Math.ceil(x / to) * to;
const pow2AtLeast = (x: number) => 2 ** Math.ceil(Math.log2(Math.max(1, x)));

/** Whether xproducts.wgsl serves this k. */
export function xproductsFit(k: number): boolean {
  return k <= XPRODUCTS_MAX_K;
}

/** Tile, capacity for k and split of one product, from the shape and the device's workgroup limits. */
export function planXProduct(ctx: KernelContext, s: XProductShape): XProductPlan {
  const lim = workgroupLimits(ctx);
  const KC = Math.max(4, pow2AtLeast(s.k));
  const KV = KC / 4;
  let TM: number;
  if (s.kind === 'xht') TM = KC <= 16 ? 64 : 32;
  else {
    TM = [64, 32, 16].find((t) => Math.ceil(s.n / t) >= WTX_COLUMN_TILES) ?? 16;
    TM = Math.max(TM, 64 / KV); // ≥ 64 invocations with one column per invocation
  }
  // the step: 32 (16 for k > 32), no longer than the reduction needs (a tiny X then allocates, and zeroes,
  // small tiles: workgroup memory is zero-initialized at every workgroup's start)
  let TK = Math.min(KC <= 32 ? 32 : 16, Math.max(8, pow2AtLeast(s.kind === 'xht' ? s.n : s.rows)));
  const storage = (tm: number, tk: number) => 4 * (tm * KC + tk * KC + 3 * tk * (tm + 1));
  const threads = (tm: number) => (tm / Math.min(4, Math.max(1, (tm * KV) / 64))) * KV;
  while (storage(TM, TK) > lim.storage && TK > 8) TK /= 2;
  while ((storage(TM, TK) > lim.storage || threads(TM) > lim.invocations) && TM > 8) TM /= 2;
  if (storage(TM, TK) > lim.storage || threads(TM) > lim.invocations) {
    throw new Error(`webnmf: k = ${s.k} needs more workgroup memory or invocations than this device allows for the hardware plan; use gpuProfile: 'software'.`);
  }
  const RM = Math.min(4, Math.max(1, (TM * KV) / 64));
  const reduction = s.kind === 'xht' ? s.n : s.rows;
  const tiles = Math.ceil((s.kind === 'xht' ? s.rows : s.n) / TM);
  let chunk = s.kind === 'xht' ? Math.min(XHT_MAX_CHUNK, Math.max(XHT_MIN_CHUNK, roundUp(Math.ceil(s.n / XHT_SPLITS), TK))) : WTX_CHUNK;
  chunk = roundUp(Math.min(chunk, ctx.maxChunk ?? Infinity), TK);
  if (reduction <= chunk) chunk = roundUp(Math.max(reduction, 1), TK);
  const splits = Math.min(ctx.maxSplits ?? MAX_SPLITS, Math.max(1, Math.ceil(reduction / chunk)));
  return { KC, TM, RM, TK, threads: (TM / RM) * KV, tiles, chunk, splits, passes: Math.max(1, Math.ceil(reduction / (splits * chunk))) };
}

/** Floats of split partials the product needs (0 without a split). */
export function xproductPartialFloats(plan: XProductPlan, s: XProductShape, den: boolean): number {
  if (plan.splits === 1) return 0;
  const outputs = s.kind === 'xht' ? s.rows * s.k : s.k * s.n;
  return plan.splits * outputs * (den ? 2 : 1);
}

export interface XProductSpec extends XProductShape {
  label: string;
  /** null: V = X; else the β of the multiplicative update whose numerator (and with den, denominator) V is */
  beta: number | null;
  /** this block of X (its own buffer, rows from 0), or null: the denominator alone, for CSR X */
  x: GPUBuffer | null;
  /** first row of this block in W (and, for xht, in C) */
  rowStart: number;
  w: GPUBuffer;
  h: GPUBuffer;
  /** a small buffer of the plan's, bound in place of the output not computed */
  dummy: GPUBuffer;
  /** the product (the numerator), or null with x null */
  c: GPUBuffer | null;
  /** the denominator, when one is wanted */
  den: GPUBuffer | null;
  /** wtx: add to C (later row blocks) */
  accumulate: boolean;
  partials: GPUBuffer;
}

export async function xproductLaunches(ctx: KernelContext, s: XProductSpec): Promise<Launch[]> {
  const plan = planXProduct(ctx, s);
  const { KC, TM, RM, TK, tiles, chunk, splits } = plan;
  const xht = s.kind === 'xht';
  const wantDen = s.den !== null;
  const hasX = s.x !== null;
  const cls = s.beta === null ? BetaClass.frobenius : betaClass(s.beta);
  const constants = { KC, TM, RM, TK, BETA_CLASS: cls, HAS_X: hasX, WANT_DEN: wantDen, VEC4: hasX && s.n % 4 === 0 };
  const reduction = xht ? s.n : s.rows;
  const outputs = xht ? s.rows * s.k : s.k * s.n;
  const cOffset = xht ? s.rowStart * s.k : 0;
  const ldc = xht ? s.k : s.n;
  const [M, N] = xht ? [s.rows, s.k] : [s.k, s.n];
  const needWH = cls !== 2 || !hasX;
  const products = (hasX ? 1 : 0) + (wantDen ? 1 : 0);
  const out: Promise<Launch>[] = [];
  for (let pass = 0; pass < plan.passes; pass++) {
    const kBase = pass * splits * chunk;
    const kLimit = Math.min(reduction, kBase + splits * chunk);
    const passSplits = Math.ceil((kLimit - kBase) / chunk);
    const accumulate = (s.accumulate && !xht) || pass > 0;
    const sfx = plan.passes > 1 ? `@${kBase}` : '';
    const values = {
      rows: s.rows, n: s.n, k: s.k, rowStart: s.rowStart, xOffset: 0, cOffset, chunk, splits: passSplits, kBase, kLimit, tiles,
      accumulate: passSplits === 1 && accumulate, beta: s.beta ?? 2,
    };
    const span = kLimit - kBase;
    // X read once; the step operand (H's columns for xht, W's rows for wtx) by every tile; the fixed one
    // (W's rows for xht, H's columns for wtx), which WH needs, by every split
    const traffic: Access[] = [
      ...(hasX ? [once(4 * (xht ? s.rows * span : span * s.n))] : []),
      xht ? reread(4 * s.k * span, tiles) : reread(4 * span * s.k, tiles),
      ...(needWH ? [xht ? reread(4 * s.rows * s.k, passSplits) : reread(4 * s.k * s.n, passSplits)] : []),
      once(4 * outputs * products * (passSplits > 1 ? passSplits : accumulate ? 2 : 1)),
    ];
    const cost = { invocations: plan.threads, trips: Math.ceil(chunk / TK), flops: 2 * (xht ? s.rows * span : span * s.n) * s.k * (products + (needWH ? 1 : 0)), traffic };
    // unused bindings: X's get H (read-only here too), the unused output the dummy (never both outputs)
    const partials = { buffer: s.partials, size: 4 * (passSplits > 1 ? passSplits * outputs * products : 1) };
    const bindings = { x: s.x ?? s.h, x4: s.x ?? s.h, w: s.w, h: s.h, c: s.c ?? s.dummy, den: s.den ?? s.dummy, partials };
    out.push(makeLaunch(ctx, 'xproducts', s.kind, constants, `${s.label}${sfx}`, values, bindings, linearGrid(tiles * passSplits, ctx.maxPerDim, s.label), cost));
    if (passSplits > 1) {
      if (hasX) out.push(sumSplitsLaunch(ctx, `${s.label}${sfx} Σsplits`, M, N, passSplits, 0, s.partials, s.c!, cOffset, ldc, accumulate));
      if (wantDen) out.push(sumSplitsLaunch(ctx, `${s.label}${sfx} den Σsplits`, M, N, passSplits, hasX ? passSplits * outputs : 0, s.partials, s.den!, cOffset, ldc, accumulate));
    }
  }
  return Promise.all(out);
}
