// The 'software' kernel plan: dispatches shaped for CPU-emulated adapters (SwiftShader runs a
// workgroup 4 lanes at a time on a few threads, every memory access per lane): few, large invocations,
// no shared memory, the products with X reading it once (skinny.wgsl's kernels), sizes baked in
// as override constants (constant strides and trip counts; bench/webgpu/override-shapes.ts weighs them
// against uniforms). What SwiftShader users get.

import type { Launch } from './dispatch.js';
import { muProductsLaunch, muApplyLaunch } from './programs/mu.js';
import { divideXLaunch, gemmLaunch, skinnyFits, skinnyLaunch, type GemmSpec } from './programs/gemm.js';
import { halsLaunch } from './programs/hals.js';
import { reduceLaunch } from './programs/reduce.js';
import { cscWtTimesLaunch, csrTimesHtLaunch, sampleWHLaunch } from './programs/sparse.js';
import { lossLaunches, type LaunchInputs, type PlanLaunches } from './plan-resources.js';
import { weightedLaunches } from './weighted.js';
import { rowsPerBlock } from './x-upload.js';

export async function softwareLaunches(inp: LaunchInputs): Promise<PlanLaunches> {
  const { ctx, p, X, b, m, n, k, beta, ones, dummy } = inp;
  const d = { m, n, k, beta };

  // k ≤ 32 and rows of X in vec4s: the skinny kernels, which read X once per product (and form X ⊘ WH on the fly for KL)
  const skinny = X.kind === 'dense' && skinnyFits(k, n);
  // X·Hᵀ (m×k) and Wᵀ·X (k×n): row blocks write their own rows of XHt and add into WtX.
  const xht: Promise<Launch>[] = [], wtx: Promise<Launch>[] = [];
  // CSR X in row blocks (past the binding limit): each writes its rows of XHt and adds into WtX
  const csr = X.kind === 'csr' ? X.blocks.map((blk, i, all) => ({ blk, sfx: all.length > 1 ? `[${i}]` : '' })) : [];
  if (X.kind === 'csr') {
    for (const { blk, sfx } of csr) {
      xht.push(csrTimesHtLaunch(ctx, `XHt${sfx}`, blk, d, null, b.H, b.XHt));
      wtx.push(cscWtTimesLaunch(ctx, `WtX${sfx}`, blk, d, null, b.W, b.WtX));
    }
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
      const sample = csr.map(({ blk, sfx }) => sampleWHLaunch(ctx, `WH@X${sfx}`, blk, d, b.W, b.H));
      muW.push(...sample, ...csr.map(({ blk, sfx }) => csrTimesHtLaunch(ctx, `numW${sfx}`, blk, d, beta, b.H, b.XHt)));
      muH.push(...sample, ...csr.map(({ blk, sfx }) => cscWtTimesLaunch(ctx, `numH${sfx}`, blk, d, beta, b.W, b.WtX)));
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
      const one = (spec: GemmSpec) => gemmLaunch(ctx, spec).then((l) => [l]);
      const chunks = ratioChunks(inp, one);
      muW.push(...chunks.muW.map(first));
      muH.push(...chunks.muH.map(first));
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

  const nW = inp.violationsW;
  const halsW = halsLaunch(ctx, { label: 'halsW', side: 'W', m, n, k, f: b.W, g: b.XHt, gram: b.HHt, order: b.orderW, partials: inp.violations, partialBase: 0 });
  const halsH = halsLaunch(ctx, { label: 'halsH', side: 'H', m, n, k, f: b.H, g: b.WtX, gram: b.WtW, order: b.orderH, partials: inp.violations, partialBase: nW });
  const violationW = reduceLaunch(ctx, 'violation(W)', nW, inp.violations, ones, b.scalars, 0);
  const violationWH = reduceLaunch(ctx, 'violation(W+H)', inp.violationsTotal, inp.violations, ones, b.scalars, 0);

  const list = (l: Promise<Launch>) => l.then((x) => [x]);
  const loss = lossLaunches(inp, {
    sample: Promise.all(csr.map(({ blk, sfx }) => sampleWHLaunch(ctx, `WH@X(loss)${sfx}`, blk, d, b.W, b.H))),
    wtw: list(wtw), hht: list(hht), hsum: list(hsum), wsum: list(wsum),
  });
  // Weighted NMF replaces the MU steps and the loss (the unweighted ones above still serve nothing but
  // are cheap to prepare: their pipelines are cached, they allocate no buffer).
  const weighted = p.weighted && X.kind === 'csr' ? await weightedLaunches(ctx, p, X.blocks, b, inp.lossPartials, ones) : null;

  const all = <T>(xs: Promise<T>[]) => Promise.all(xs);
  return {
    xht: await all(xht), hht: [await hht], hsum: [await hsum],
    muW: weighted?.muW ?? (await all(muW)), applyW: weighted?.applyW ?? (await applyW),
    muH: weighted?.muH ?? (await all(muH)), applyH: weighted?.applyH ?? (await applyH),
    halsW: await halsW, halsH: await halsH, wtxWtw: await all([...wtx, wtw]),
    violationW: await violationW, violationWH: await violationWH, loss: weighted?.loss ?? (await loss),
  };
}

const first = (l: Promise<Launch[]>) => l.then((x) => x[0]);

/**
 * Kullback-Leibler's numerators where no fused kernel fits: X ⊘ WH for a chunk of rows at a time into
 * a bounded scratch (gemm.wgsl's divideX), then each numerator as a plain product per chunk (`gemm`:
 * the plan's GEMM). Each chunk's ratio launch serves both lists (each step recomputes it for its W, H).
 */
export function ratioChunks(inp: LaunchInputs, gemm: (spec: GemmSpec) => Promise<Launch[]>): { muW: Promise<Launch[]>[]; muH: Promise<Launch[]>[] } {
  const { ctx, X, b, m, n, k } = inp;
  if (X.kind !== 'dense') throw new Error('webnmf internal: ratio chunks need dense X');
  const chunkRows = Math.min(m, rowsPerBlock(n, Math.min(inp.ratioScratchBytes, inp.maxXBindingBytes)));
  const ratio = ctx.buffers.storage('X/WH', chunkRows * n);
  const muW: Promise<Launch[]>[] = [], muH: Promise<Launch[]>[] = [];
  let first = true;
  for (const blk of X.blocks) {
    for (let c0 = 0; c0 < blk.rows; c0 += chunkRows) {
      const rows = Math.min(chunkRows, blk.rows - c0), row = blk.rowStart + c0;
      const q = divideXLaunch(ctx, { label: `X/WH@${row}`, M: rows, N: n, K: k, a: b.W, b: b.H, c: ratio, lda: k, ldb: n, ldc: n, aOffset: row * k, x: blk.buffer, xOffset: c0 * n }).then((l) => [l]);
      muW.push(q, gemm({ label: `numW@${row}`, M: rows, N: k, K: n, a: ratio, b: b.H, c: b.XHt, lda: n, ldb: n, ldc: k, transB: true, cOffset: row * k }));
      muH.push(q, gemm({ label: `numH@${row}`, M: k, N: n, K: rows, a: b.W, b: ratio, c: b.WtX, lda: k, ldb: n, ldc: n, transA: true, aOffset: row * k, accumulate: !first }));
      first = false;
    }
  }
  return { muW, muH };
}
