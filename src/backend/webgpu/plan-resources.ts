// Everything one fit holds on the GPU, created once at createFit: X, W, H, every temporary, and
// every dispatch the steps will encode (pipelines from the device cache, bind groups built here).
// The dispatches come from one of two kernel plans behind the same PlanLaunches: plan-software.ts
// (shaped for CPU-emulated adapters such as SwiftShader) or plan-hardware.ts (shaped for real GPUs).

import type { FitProblem } from '../backend.js';
import type { Launch } from './dispatch.js';
import { type KernelContext } from './programs/context.js';
import { denseDivergenceLaunch, denseDivergenceWorkgroups, sparseDivergenceLaunch, sparseDivergenceWorkgroups } from './programs/divergence.js';
import { halsWorkgroups } from './programs/hals.js';
import { reduceLaunch } from './programs/reduce.js';
import { hardwareLaunches } from './plan-hardware.js';
import { softwareLaunches } from './plan-software.js';
import { observedCsr } from './weighted.js';
import { uploadX, type GpuX } from './x-upload.js';

export interface PlanBuffers {
  W: GPUBuffer;
  H: GPUBuffer;
  /** X·Hᵀ; also the W numerator of the β ≠ 2 updates */
  XHt: GPUBuffer;
  denW: GPUBuffer;
  HHt: GPUBuffer;
  /** Wᵀ·X; also the H numerator of the β ≠ 2 updates */
  WtX: GPUBuffer;
  denH: GPUBuffer;
  WtW: GPUBuffer;
  Hsum: GPUBuffer;
  Wsum: GPUBuffer;
  orderW: GPUBuffer;
  orderH: GPUBuffer;
  /** [0] HALS violation, [1] β-divergence sum */
  scalars: GPUBuffer;
  /** copies of scalars' slots kept for a later read (FitPlan.snapshot) */
  kept: GPUBuffer;
  scalarStaging: GPUBuffer;
  readStaging: GPUBuffer;
}

export interface PlanLaunches {
  xht: Launch[];
  hht: Launch[];
  hsum: Launch[];
  /** W step after the H products: W·HHᵀ (β = 2) or the fused products */
  muW: Launch[];
  applyW: Launch;
  /** H step: Wᵀ·X, WᵀW, (WᵀW)·H (β = 2) or the fused products / column sums */
  muH: Launch[];
  applyH: Launch;
  halsW: Launch;
  halsH: Launch;
  /** Wᵀ·X and Wᵀ·W for the H sweep */
  wtxWtw: Launch[];
  /** violation of a W sweep alone, and of W + H sweeps, into scalars[0] */
  violationW: Launch;
  violationWH: Launch;
  /** β-divergence partials, summed into scalars[1] */
  loss: Launch[];
}

export interface PlanResources {
  X: GpuX;
  buffers: PlanBuffers;
  launches: PlanLaunches;
}

/** What a plan's launch builder gets: the problem, X on the GPU, the buffers, and the shared scratch. */
export interface LaunchInputs {
  ctx: KernelContext;
  p: FitProblem;
  X: GpuX;
  b: PlanBuffers;
  m: number;
  n: number;
  k: number;
  beta: number;
  /** ones, at least max(m, n, k², partials) of them */
  ones: GPUBuffer;
  violations: GPUBuffer;
  /** partials of the W sweep's violation (the H sweep's follow), and of both */
  violationsW: number;
  violationsTotal: number;
  lossPartials: GPUBuffer;
  lossPlan: LossPlan;
  /** bound where a kernel's binding is unused */
  dummy: GPUBuffer;
  maxXBindingBytes: number;
  ratioScratchBytes: number;
}

/**
 * Kullback-Leibler on dense X, where neither the skinny kernels (software plan) nor xproducts.wgsl
 * (hardware plan) fit, materializes X ⊘ WH for a chunk of rows at a time in a scratch of at most this
 * many bytes (never all of m × n): then both products are plain GEMMs.
 */
const RATIO_SCRATCH_BYTES = 16 << 20;

/**
 * The 'hardware' plan cuts CSR X into row blocks whose rows of W take at most this many bytes: Wᵀ·X
 * gathers a row of W for every stored entry (by column), and a block's rows then stay in a GPU's L2
 * (4 MiB: a fraction of an RTX 4070's 36 MB, half an Apple M2's 8 MB system cache) for the whole pass.
 */
const CSR_BLOCK_W_BYTES = 4 << 20;

export function hardwareCsrBlockRows(k: number): number {
  return Math.max(1024, Math.floor(CSR_BLOCK_W_BYTES / (4 * k)));
}

export async function buildPlanResources(ctx: KernelContext, p: FitProblem, maxXBindingBytes: number, ratioScratchBytes = RATIO_SCRATCH_BYTES): Promise<PlanResources> {
  const set = ctx.buffers;
  const m = p.X.rows, n = p.X.cols, k = p.W.cols, beta = p.beta;
  // weighted NMF: the observed entries of X, as CSR, stand in for X
  const X = uploadX(set, p.weighted ? observedCsr(p.weighted) : p.X, maxXBindingBytes, ctx.plan === 'hardware' ? hardwareCsrBlockRows(k) : Infinity);
  const violationsW = halsWorkgroups(ctx, 'W', m, n, k);
  const nViolation = violationsW + halsWorkgroups(ctx, 'H', m, n, k);
  const lossPlan = lossPartialCount(X, m, n, beta);
  const f32 = (label: string, count: number) => set.storage(label, count);
  const b: PlanBuffers = {
    W: set.upload('W', p.W.data, 'f32'),
    H: set.upload('H', p.H.data, 'f32'),
    XHt: f32('XHt', m * k),
    denW: f32('denW', m * k),
    HHt: f32('HHt', k * k),
    WtX: f32('WtX', k * n),
    denH: f32('denH', k * n),
    WtW: f32('WtW', k * k),
    Hsum: f32('Hsum', k),
    Wsum: f32('Wsum', k),
    orderW: f32('orderW', k),
    orderH: f32('orderH', k),
    scalars: f32('scalars', 2),
    kept: f32('kept', 2),
    scalarStaging: set.staging('scalarStaging', 16),
    readStaging: set.staging('readStaging', (m * k + k * n) * 4),
  };
  const inputs: LaunchInputs = {
    ctx, p, X, b, m, n, k, beta,
    ones: set.upload('ones', new Float32Array(Math.max(m, n, k * k, nViolation, lossPlan.total, 1)).fill(1), 'f32'),
    violations: f32('violationPartials', nViolation),
    violationsW,
    violationsTotal: nViolation,
    lossPartials: f32('lossPartials', lossPlan.total),
    lossPlan,
    dummy: f32('unusedX', 4),
    maxXBindingBytes,
    ratioScratchBytes,
  };
  const launches = ctx.plan === 'hardware' ? await hardwareLaunches(inputs) : await softwareLaunches(inputs);
  return { X, buffers: b, launches };
}

export interface LossPlan {
  /** partials written by the main divergence kernels */
  main: number;
  /** slots after them: ⟨WᵀW, HHᵀ⟩ or ⟨colsums W, rowsums H⟩ (1), or the Σ WH^β pass over every entry */
  extra: number;
  total: number;
}

function lossPartialCount(X: GpuX, m: number, n: number, beta: number): LossPlan {
  if (X.kind === 'dense') {
    const main = X.blocks.reduce((s, blk) => s + denseDivergenceWorkgroups(blk.rows, n), 0);
    return { main, extra: 0, total: main };
  }
  const main = X.blocks.reduce((sum, blk) => sum + sparseDivergenceWorkgroups(blk.nnz), 0);
  const extra = beta === 2 || beta === 1 ? 1 : beta === 0 ? 0 : denseDivergenceWorkgroups(m, n);
  return { main, extra, total: main + extra };
}

/** The products the loss of CSR X takes from its plan: WH at the entries (every block), Grams and sums of W and H. */
export interface LossProducts {
  sample: Promise<Launch[]>;
  wtw: Promise<Launch[]>;
  hht: Promise<Launch[]>;
  hsum: Promise<Launch[]>;
  wsum: Promise<Launch[]>;
}

/** β-divergence partials into lossPartials, summed into scalars[1] (divergence.wgsl, reduce.wgsl: both plans). */
export async function lossLaunches(inp: LaunchInputs, products: LossProducts): Promise<Launch[]> {
  const { ctx, X, b, m, n, k, beta, lossPartials, lossPlan: plan } = inp;
  const out: Promise<Launch[]>[] = [];
  const one = (l: Promise<Launch>) => l.then((x) => [x]);
  const dense = { beta, n, k, dummy: inp.dummy, w: b.W, h: b.H, partials: lossPartials };
  if (X.kind === 'dense') {
    let base = 0;
    X.blocks.forEach((blk, i) => {
      out.push(one(denseDivergenceLaunch(ctx, { ...dense, label: X.blocks.length > 1 ? `loss[${i}]` : 'loss', rows: blk.rows, rowStart: blk.rowStart, x: blk.buffer, partialBase: base })));
      base += denseDivergenceWorkgroups(blk.rows, n);
    });
  } else {
    out.push(products.sample);
    let base = 0;
    X.blocks.forEach((blk, i) => {
      out.push(one(sparseDivergenceLaunch(ctx, { label: X.blocks.length > 1 ? `loss[${i}]` : 'loss', beta, nnz: blk.nnz, data: blk.data, wh: blk.wh, partials: lossPartials, partialBase: base })));
      base += sparseDivergenceWorkgroups(blk.nnz);
    });
    if (beta === 2) out.push(products.wtw, products.hht, one(reduceLaunch(ctx, '‖WH‖²', k * k, b.WtW, b.HHt, lossPartials, plan.main)));
    else if (beta === 1) out.push(products.wsum, products.hsum, one(reduceLaunch(ctx, 'ΣWH', k, b.Wsum, b.Hsum, lossPartials, plan.main)));
    else if (beta !== 0) out.push(one(denseDivergenceLaunch(ctx, { ...dense, label: 'ΣWH^β', rows: m, rowStart: 0, x: null, partialBase: plan.main })));
  }
  out.push(one(reduceLaunch(ctx, 'loss sum', plan.total, lossPartials, inp.ones, b.scalars, 1)));
  return (await Promise.all(out)).flat();
}
