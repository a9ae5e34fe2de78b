// Everything one fit holds on the GPU, created once at createFit: X, W, H, every temporary, and
// every dispatch the steps will encode (pipelines from the device cache, bind groups built here).

import type { FitProblem } from '../backend.js';
import type { Launch } from './dispatch.js';
import { type KernelContext } from './kernels/context.js';
import { denseDivergenceLaunch, denseDivergenceWorkgroups, sparseDivergenceLaunch, sparseDivergenceWorkgroups } from './kernels/divergence.js';
import { divideXLaunch, gemmLaunch, skinnyFits, skinnyLaunch } from './kernels/gemm.js';
import { halsLaunch, halsWorkgroups } from './kernels/hals.js';
import { muApplyLaunch, muProductsLaunch } from './kernels/mu.js';
import { reduceLaunch } from './kernels/reduce.js';
import { cscWtTimesLaunch, csrTimesHtLaunch, sampleWHLaunch } from './kernels/sparse.js';
import { observedCsr, weightedLaunches } from './weighted.js';
import { rowsPerBlock, uploadX, type GpuX } from './x-upload.js';

/**
 * Kullback-Leibler on dense X, where the skinny kernels do not fit (k > 32 or n not a multiple of 4),
 * materializes X ⊘ WH for a chunk of rows at a time in a scratch of at most this many bytes (never all
 * of m × n): then both products are plain GEMMs, 4–5× faster on SwiftShader than mu.wgsl's fused
 * products. (The skinny kernels form X ⊘ WH in registers and need no scratch.)
 */
const RATIO_SCRATCH_BYTES = 16 << 20;

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
  /** copies of scalars' slots kept for a later read (FitPlan.keep) */
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

export async function buildPlanResources(ctx: KernelContext, p: FitProblem, maxXBindingBytes: number, ratioScratchBytes = RATIO_SCRATCH_BYTES): Promise<PlanResources> {
  const set = ctx.buffers;
  const m = p.X.rows, n = p.X.cols, k = p.W.cols, beta = p.beta;
  // weighted NMF: the observed entries of X, as CSR, stand in for X
  const X = uploadX(set, p.weighted ? observedCsr(p.weighted) : p.X, maxXBindingBytes);
  const nViolation = halsWorkgroups('W', m, n) + halsWorkgroups('H', m, n);
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
  const ones = set.upload('ones', new Float32Array(Math.max(m, n, k * k, nViolation, lossPlan.total, 1)).fill(1), 'f32');
  const violations = f32('violationPartials', nViolation);
  const lossPartials = f32('lossPartials', lossPlan.total);
  const dummy = f32('unusedX', 4);
  const d = { m, n, k, beta };

  // k ≤ 32 and rows of X in vec4s: the skinny kernels, which read X once per product (and form X ⊘ WH on the fly for KL)
  const skinny = X.kind === 'dense' && skinnyFits(k, n);
  // X·Hᵀ (m×k) and Wᵀ·X (k×n): row blocks write their own rows of XHt and add into WtX.
  const xht: Promise<Launch>[] = [], wtx: Promise<Launch>[] = [];
  if (X.kind === 'csr') {
    xht.push(csrTimesHtLaunch(ctx, 'XHt', X.csr, d, null, b.H, b.XHt));
    wtx.push(cscWtTimesLaunch(ctx, 'WtX', X.csr, d, null, b.W, b.WtX));
  } else if (skinny) {
    X.blocks.forEach((blk, i) => {
      const blockSpec = { rows: blk.rows, n, k, x: blk.buffer, w: b.W, h: b.H, rowStart: blk.rowStart, divide: false };
      const sfx = X.blocks.length > 1 ? `[${i}]` : '';
      xht.push(skinnyLaunch(ctx, { ...blockSpec, label: `XHt${sfx}`, kind: 'NT', c: b.XHt, accumulate: false }));
      wtx.push(skinnyLaunch(ctx, { ...blockSpec, label: `WtX${sfx}`, kind: 'TN', c: b.WtX, accumulate: i > 0 }));
    });
  } else {
    X.blocks.forEach((blk, i) => {
      const sfx = X.blocks.length > 1 ? `[${i}]` : '';
      xht.push(gemmLaunch(ctx, { label: `XHt${sfx}`, M: blk.rows, N: k, K: n, a: blk.buffer, b: b.H, c: b.XHt, lda: n, ldb: n, ldc: k, transB: true, cOffset: blk.rowStart * k }));
      wtx.push(gemmLaunch(ctx, { label: `WtX${sfx}`, M: k, N: n, K: blk.rows, a: b.W, b: blk.buffer, c: b.WtX, lda: k, ldb: n, ldc: n, transA: true, aOffset: blk.rowStart * k, accumulate: i > 0 }));
    });
  }
  const hht = gemmLaunch(ctx, { label: 'HHt', M: k, N: k, K: n, a: b.H, b: b.H, c: b.HHt, lda: n, ldb: n, ldc: k, transB: true });
  const wtw = gemmLaunch(ctx, { label: 'WtW', M: k, N: k, K: m, a: b.W, b: b.W, c: b.WtW, lda: k, ldb: k, ldc: k, transA: true });
  const hsum = gemmLaunch(ctx, { label: 'Hsum', M: k, N: 1, K: n, a: b.H, b: ones, c: b.Hsum, lda: n, ldb: 1, ldc: 1 });
  const wsum = gemmLaunch(ctx, { label: 'Wsum', M: k, N: 1, K: m, a: b.W, b: ones, c: b.Wsum, lda: k, ldb: 1, ldc: 1, transA: true });

  const muW: Promise<Launch>[] = [], muH: Promise<Launch>[] = [];
  if (beta === 2) {
    muW.push(gemmLaunch(ctx, { label: 'W·HHt', M: m, N: k, K: k, a: b.W, b: b.HHt, c: b.denW, lda: k, ldb: k, ldc: k }));
    muH.push(...wtx, wtw, gemmLaunch(ctx, { label: 'WtW·H', M: k, N: n, K: k, a: b.WtW, b: b.H, c: b.denH, lda: k, ldb: n, ldc: n }));
  } else {
    const common = { beta, n, k, dummy, w: b.W, h: b.H };
    if (X.kind === 'csr') {
      const sample = sampleWHLaunch(ctx, 'WH@X', X.csr, d, b.W, b.H);
      muW.push(sample, csrTimesHtLaunch(ctx, 'numW', X.csr, d, beta, b.H, b.XHt));
      muH.push(sample, cscWtTimesLaunch(ctx, 'numH', X.csr, d, beta, b.W, b.WtX));
      if (beta !== 1) {
        // scikit-learn computes these denominators over every entry of WH, zeros of X included.
        muW.push(muProductsLaunch(ctx, { ...common, label: 'denW', side: 'W', rows: m, rowStart: 0, x: null, num: b.XHt, den: b.denW, accumulate: false }));
        muH.push(muProductsLaunch(ctx, { ...common, label: 'denH', side: 'H', rows: m, rowStart: 0, x: null, num: b.WtX, den: b.denH, accumulate: false }));
      }
    } else if (beta === 1 && skinny) {
      X.blocks.forEach((blk, i) => {
        const blockSpec = { rows: blk.rows, n, k, x: blk.buffer, w: b.W, h: b.H, rowStart: blk.rowStart, divide: true };
        const sfx = X.blocks.length > 1 ? `[${i}]` : '';
        muW.push(skinnyLaunch(ctx, { ...blockSpec, label: `(X/WH)·Ht${sfx}`, kind: 'NT', c: b.XHt, accumulate: false }));
        muH.push(skinnyLaunch(ctx, { ...blockSpec, label: `Wt·(X/WH)${sfx}`, kind: 'TN', c: b.WtX, accumulate: i > 0 }));
      });
    } else if (beta === 1) {
      // num_W = (X ⊘ WH)·Hᵀ and num_H = Wᵀ·(X ⊘ WH), chunk by chunk of rows through the scratch.
      const chunkRows = Math.min(m, rowsPerBlock(n, Math.min(ratioScratchBytes, maxXBindingBytes)));
      const ratio = f32('X/WH', chunkRows * n);
      let first = true;
      for (const blk of X.blocks) {
        for (let c0 = 0; c0 < blk.rows; c0 += chunkRows) {
          const rows = Math.min(chunkRows, blk.rows - c0), row = blk.rowStart + c0;
          const q = divideXLaunch(ctx, { label: `X/WH@${row}`, M: rows, N: n, K: k, a: b.W, b: b.H, c: ratio, lda: k, ldb: n, ldc: n, aOffset: row * k, x: blk.buffer, xOffset: c0 * n });
          muW.push(q, gemmLaunch(ctx, { label: `numW@${row}`, M: rows, N: k, K: n, a: ratio, b: b.H, c: b.XHt, lda: n, ldb: n, ldc: k, transB: true, cOffset: row * k }));
          muH.push(q, gemmLaunch(ctx, { label: `numH@${row}`, M: k, N: n, K: rows, a: b.W, b: ratio, c: b.WtX, lda: k, ldb: n, ldc: n, transA: true, aOffset: row * k, accumulate: !first }));
          first = false;
        }
      }
    } else {
      X.blocks.forEach((blk, i) => {
        const blockSpec = { ...common, rows: blk.rows, rowStart: blk.rowStart, x: blk.buffer };
        const sfx = X.blocks.length > 1 ? `[${i}]` : '';
        muW.push(muProductsLaunch(ctx, { ...blockSpec, label: `muW${sfx}`, side: 'W', num: b.XHt, den: b.denW, accumulate: false }));
        muH.push(muProductsLaunch(ctx, { ...blockSpec, label: `muH${sfx}`, side: 'H', num: b.WtX, den: b.denH, accumulate: i > 0 }));
      });
    }
    if (beta === 1) muH.unshift(wsum);
  }
  const applyW = muApplyLaunch(ctx, { label: 'applyW', side: 'W', beta, n, k, count: m * k, f: b.W, num: b.XHt, den: b.denW, sums: b.Hsum });
  const applyH = muApplyLaunch(ctx, { label: 'applyH', side: 'H', beta, n, k, count: k * n, f: b.H, num: b.WtX, den: b.denH, sums: b.Wsum });

  const nW = halsWorkgroups('W', m, n);
  const halsW = halsLaunch(ctx, { label: 'halsW', side: 'W', m, n, k, f: b.W, g: b.XHt, gram: b.HHt, order: b.orderW, partials: violations, partialBase: 0 });
  const halsH = halsLaunch(ctx, { label: 'halsH', side: 'H', m, n, k, f: b.H, g: b.WtX, gram: b.WtW, order: b.orderH, partials: violations, partialBase: nW });
  const violationW = reduceLaunch(ctx, 'violation(W)', nW, violations, ones, b.scalars, 0);
  const violationWH = reduceLaunch(ctx, 'violation(W+H)', nViolation, violations, ones, b.scalars, 0);

  const loss = lossLaunches(ctx, X, d, b, { ones, lossPartials, dummy, wtw, hht, hsum, wsum }, lossPlan);
  // Weighted NMF replaces the MU steps and the loss (the unweighted ones above still serve nothing but
  // are cheap to prepare: their pipelines are cached, they allocate no buffer).
  const weighted = p.weighted && X.kind === 'csr' ? await weightedLaunches(ctx, p, X.csr, b, lossPartials, ones) : null;

  const all = <T>(xs: Promise<T>[]) => Promise.all(xs);
  return {
    X,
    buffers: b,
    launches: {
      xht: await all(xht), hht: [await hht], hsum: [await hsum],
      muW: weighted?.muW ?? (await all(muW)), applyW: weighted?.applyW ?? (await applyW),
      muH: weighted?.muH ?? (await all(muH)), applyH: weighted?.applyH ?? (await applyH),
      halsW: await halsW, halsH: await halsH, wtxWtw: await all([...wtx, wtw]),
      violationW: await violationW, violationWH: await violationWH, loss: weighted?.loss ?? (await all(loss)),
    },
  };
}

interface LossPlan {
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
  const main = sparseDivergenceWorkgroups(X.csr.nnz);
  const extra = beta === 2 || beta === 1 ? 1 : beta === 0 ? 0 : denseDivergenceWorkgroups(m, n);
  return { main, extra, total: main + extra };
}

function lossLaunches(
  ctx: KernelContext, X: GpuX, d: { m: number; n: number; k: number; beta: number }, b: PlanBuffers,
  t: { ones: GPUBuffer; lossPartials: GPUBuffer; dummy: GPUBuffer; wtw: Promise<Launch>; hht: Promise<Launch>; hsum: Promise<Launch>; wsum: Promise<Launch> },
  plan: LossPlan,
): Promise<Launch>[] {
  const { m, n, k, beta } = d;
  const out: Promise<Launch>[] = [];
  const dense = { beta, n, k, dummy: t.dummy, w: b.W, h: b.H, partials: t.lossPartials };
  if (X.kind === 'dense') {
    let base = 0;
    X.blocks.forEach((blk, i) => {
      out.push(denseDivergenceLaunch(ctx, { ...dense, label: X.blocks.length > 1 ? `loss[${i}]` : 'loss', rows: blk.rows, rowStart: blk.rowStart, x: blk.buffer, partialBase: base }));
      base += denseDivergenceWorkgroups(blk.rows, n);
    });
  } else {
    out.push(sampleWHLaunch(ctx, 'WH@X(loss)', X.csr, d, b.W, b.H));
    out.push(sparseDivergenceLaunch(ctx, { label: 'loss', beta, nnz: X.csr.nnz, data: X.csr.data, wh: X.csr.wh, partials: t.lossPartials, partialBase: 0 }));
    if (beta === 2) out.push(t.wtw, t.hht, reduceLaunch(ctx, '‖WH‖²', k * k, b.WtW, b.HHt, t.lossPartials, plan.main));
    else if (beta === 1) out.push(t.wsum, t.hsum, reduceLaunch(ctx, 'ΣWH', k, b.Wsum, b.Hsum, t.lossPartials, plan.main));
    else if (beta !== 0) out.push(denseDivergenceLaunch(ctx, { ...dense, label: 'ΣWH^β', rows: m, rowStart: 0, x: null, partialBase: plan.main }));
  }
  out.push(reduceLaunch(ctx, 'loss sum', plan.total, t.lossPartials, t.ones, b.scalars, 1));
  return out;
}
