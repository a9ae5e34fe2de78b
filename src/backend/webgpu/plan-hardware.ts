// The 'hardware' kernel plan: dispatches shaped for real GPUs (tens of SMs / cores, each wanting
// thousands of resident invocations, memory served in 32–128-byte transactions to a warp at once).
//   - products with dense X: xproducts.wgsl (X in coalesced vec4 tiles, the skinny factor in shared
//     memory, KL's X ⊘ WH and the other β terms formed in the kernel), split along the reduction so
//     that a dispatch's workgroups grow with X and each workgroup's loop stays bounded;
//   - everything else over W and H (Grams, sums, W·HHᵀ, WᵀW·H, and the products with X where
//     k > XPRODUCTS_MAX_K): tiled.wgsl's shared-memory GEMM, split along K when its output is small;
//   - CSR X: Hᵀ kept beside H, lanes over the components (sparse.wgsl's hardware kernels);
//   - HALS sweeps: teams of lanes per row (hals.wgsl's sweepTeam).
// Split-K partials share one scratch buffer, sized for the largest product of the plan.
// Shapes are uniforms everywhere: pipelines depend on tile shapes, capacities and β-classes only.

import type { Launch } from './dispatch.js';
import { halsTeamLaunch } from './programs/hals.js';
import { muApplyLaunch, muProductsLaunch } from './programs/mu.js';
import { reduceLaunch } from './programs/reduce.js';
import { cscColsWLaunch, cscWtTimesLaunch, csrRowsHtLaunch, csrTimesHtLaunch, sampleWHLaunch, sampleWHtLaunch, SPARSE_TEAM_MAX_K, transposeHLaunch } from './programs/sparse.js';
import { planTiled, tiledLaunches, tiledPartialFloats, type TiledSpec } from './programs/tiled.js';
import { planXProduct, xproductLaunches, xproductPartialFloats, xproductsFit, type XProductSpec } from './programs/xproducts.js';
import { lossLaunches, type LaunchInputs, type PlanLaunches } from './plan-resources.js';
import { ratioChunks } from './plan-software.js';
import { weightedLaunches } from './weighted.js';

/** A product planned now (its split partials known), launched once the shared scratch exists. */
interface Planned {
  partials: number;
  launches: Promise<Launch[]>;
}

export async function hardwareLaunches(inp: LaunchInputs): Promise<PlanLaunches> {
  const { ctx, p, X, b, m, n, k, beta, ones, dummy } = inp;
  const d = { m, n, k, beta };
  const planned: Planned[] = [];
  let setScratch!: (buffer: GPUBuffer) => void;
  const scratch = new Promise<GPUBuffer>((resolve) => (setScratch = resolve));
  const plan = (partials: number, make: (scratch: GPUBuffer) => Promise<Launch[]>): Planned => {
    const item = { partials, launches: scratch.then(make) };
    planned.push(item);
    return item;
  };
  const tiled = (s: Omit<TiledSpec, 'partials'>) =>
    plan(tiledPartialFloats(planTiled(ctx, s.M, s.N, s.K), s.M, s.N), (partials) => tiledLaunches(ctx, { ...s, partials }));
  const xproduct = (s: Omit<XProductSpec, 'partials' | 'dummy' | 'w' | 'h' | 'n' | 'k'>) => {
    const spec = { ...s, n, k, w: b.W, h: b.H, dummy };
    return plan(xproductPartialFloats(planXProduct(ctx, spec), spec, s.den !== null), (partials) => xproductLaunches(ctx, { ...spec, partials }));
  };
  const made = (l: Promise<Launch>): Planned => ({ partials: 0, launches: l.then((x) => [x]) });

  const hht = tiled({ label: 'HHt', M: k, N: k, K: n, a: b.H, b: b.H, c: b.HHt, lda: n, ldb: n, ldc: k, transB: true });
  const wtw = tiled({ label: 'WtW', M: k, N: k, K: m, a: b.W, b: b.W, c: b.WtW, lda: k, ldb: k, ldc: k, transA: true });
  const hsum = tiled({ label: 'Hsum', M: k, N: 1, K: n, a: b.H, b: ones, c: b.Hsum, lda: n, ldb: 1, ldc: 1 });
  const wsum = tiled({ label: 'Wsum', M: k, N: 1, K: m, a: b.W, b: ones, c: b.Wsum, lda: k, ldb: 1, ldc: 1, transA: true });

  // X·Hᵀ and Wᵀ·X; the β ≠ 2 products of the MU steps; CSR X: WH at its entries (also for the loss)
  const xht: Planned[] = [], wtx: Planned[] = [], muW: Planned[] = [], muH: Planned[] = [];
  let lossSample: Planned[] = [];
  const fused = xproductsFit(k);
  if (X.kind === 'csr') {
    const teams = k <= SPARSE_TEAM_MAX_K;
    // Hᵀ follows H before every kernel that reads it (a k × n copy: cheap beside the products it serves)
    const ht = teams ? ctx.buffers.storage('Ht', n * k) : null;
    const transpose = () => made(transposeHLaunch(ctx, 'Ht', d, b.H, ht!));
    // per row block of X: XHt's rows written, WtX summed over the blocks
    const blocks = X.blocks.map((blk, i, all) => ({ blk, sfx: all.length > 1 ? `[${i}]` : '' }));
    const sample = (label: string) => [
      ...(teams ? [transpose()] : []),
      ...blocks.map(({ blk, sfx }) => made(teams ? sampleWHtLaunch(ctx, `${label}${sfx}`, blk, d, b.W, ht!) : sampleWHLaunch(ctx, `${label}${sfx}`, blk, d, b.W, b.H))),
    ];
    const rows = (label: string, of: number | null, out: GPUBuffer) => blocks.map(({ blk, sfx }) =>
      made(teams ? csrRowsHtLaunch(ctx, `${label}${sfx}`, blk, d, of, ht!, out) : csrTimesHtLaunch(ctx, `${label}${sfx}`, blk, d, of, b.H, out)));
    const cols = (label: string, of: number | null, out: GPUBuffer) => blocks.map(({ blk, sfx }) =>
      made(teams ? cscColsWLaunch(ctx, `${label}${sfx}`, blk, d, of, b.W, out) : cscWtTimesLaunch(ctx, `${label}${sfx}`, blk, d, of, b.W, out)));
    if (teams) xht.push(transpose());
    xht.push(...rows('XHt', null, b.XHt));
    wtx.push(...cols('WtX', null, b.WtX));
    lossSample = sample('WH@X(loss)');
    if (beta !== 2) {
      muW.push(...sample('WH@X'), ...rows('numW', beta, b.XHt));
      muH.push(...sample('WH@X'), ...cols('numH', beta, b.WtX));
      if (beta !== 1) {
        // scikit-learn computes these denominators over every entry of WH, zeros of X included
        if (fused) {
          muW.push(xproduct({ label: 'denW', kind: 'xht', beta, rows: m, rowStart: 0, x: null, c: null, den: b.denW, accumulate: false }));
          muH.push(xproduct({ label: 'denH', kind: 'wtx', beta, rows: m, rowStart: 0, x: null, c: null, den: b.denH, accumulate: false }));
        } else {
          const common = { beta, n, k, dummy, w: b.W, h: b.H, rows: m, rowStart: 0, x: null, accumulate: false };
          muW.push(made(muProductsLaunch(ctx, { ...common, label: 'denW', side: 'W', num: b.XHt, den: b.denW })));
          muH.push(made(muProductsLaunch(ctx, { ...common, label: 'denH', side: 'H', num: b.WtX, den: b.denH })));
        }
      }
    }
  } else {
    X.blocks.forEach((blk, i) => {
      const sfx = X.blocks.length > 1 ? `[${i}]` : '';
      const block = { rows: blk.rows, rowStart: blk.rowStart, x: blk.buffer };
      if (fused) {
        xht.push(xproduct({ ...block, label: `XHt${sfx}`, kind: 'xht', beta: null, c: b.XHt, den: null, accumulate: false }));
        wtx.push(xproduct({ ...block, label: `WtX${sfx}`, kind: 'wtx', beta: null, c: b.WtX, den: null, accumulate: i > 0 }));
        if (beta !== 2) {
          const den = beta !== 1;
          muW.push(xproduct({ ...block, label: `numW${sfx}`, kind: 'xht', beta, c: b.XHt, den: den ? b.denW : null, accumulate: false }));
          muH.push(xproduct({ ...block, label: `numH${sfx}`, kind: 'wtx', beta, c: b.WtX, den: den ? b.denH : null, accumulate: i > 0 }));
        }
      } else {
        xht.push(tiled({ label: `XHt${sfx}`, M: blk.rows, N: k, K: n, a: blk.buffer, b: b.H, c: b.XHt, lda: n, ldb: n, ldc: k, transB: true, cOffset: blk.rowStart * k }));
        wtx.push(tiled({ label: `WtX${sfx}`, M: k, N: n, K: blk.rows, a: b.W, b: blk.buffer, c: b.WtX, lda: k, ldb: n, ldc: n, transA: true, aOffset: blk.rowStart * k, accumulate: i > 0 }));
        if (beta !== 2 && beta !== 1) {
          // k beyond xproducts.wgsl's capacity: mu.wgsl's fused products (any k)
          const common = { beta, n, k, dummy, w: b.W, h: b.H, ...block };
          muW.push(made(muProductsLaunch(ctx, { ...common, label: `muW${sfx}`, side: 'W', num: b.XHt, den: b.denW, accumulate: false })));
          muH.push(made(muProductsLaunch(ctx, { ...common, label: `muH${sfx}`, side: 'H', num: b.WtX, den: b.denH, accumulate: i > 0 })));
        }
      }
    });
    if (!fused && beta === 1) {
      // k beyond xproducts.wgsl's capacity: X ⊘ WH through a bounded scratch, the numerators tiled
      const chunks = ratioChunks(inp, (s) => tiled(s).launches);
      muW.push(...chunks.muW.map((launches) => ({ partials: 0, launches })));
      muH.push(...chunks.muH.map((launches) => ({ partials: 0, launches })));
    }
  }
  if (beta === 2) {
    muW.push(tiled({ label: 'W·HHt', M: m, N: k, K: k, a: b.W, b: b.HHt, c: b.denW, lda: k, ldb: k, ldc: k }));
    muH.push(...wtx, wtw, tiled({ label: 'WtW·H', M: k, N: n, K: k, a: b.WtW, b: b.H, c: b.denH, lda: k, ldb: n, ldc: n }));
  }
  if (beta === 1) muH.unshift(wsum);

  const hals = (side: 'W' | 'H') => halsTeamLaunch(ctx, {
    label: `hals${side}`, side, m, n, k, f: side === 'W' ? b.W : b.H, g: side === 'W' ? b.XHt : b.WtX, gram: side === 'W' ? b.HHt : b.WtW,
    order: side === 'W' ? b.orderW : b.orderH, partials: inp.violations, partialBase: side === 'W' ? 0 : inp.violationsW,
  });

  // every product is planned: the shared split-K scratch, then the launches
  setScratch(ctx.buffers.storage('splitPartials', Math.max(4, ...planned.map((x) => x.partials))));
  const list = async (xs: Planned[]) => (await Promise.all(xs.map((x) => x.launches))).flat();
  const loss = lossLaunches(inp, { sample: list(lossSample), wtw: list([wtw]), hht: list([hht]), hsum: list([hsum]), wsum: list([wsum]) });
  const weighted = p.weighted && X.kind === 'csr' ? await weightedLaunches(ctx, p, X.blocks, b, inp.lossPartials, ones) : null;
  const applyW = muApplyLaunch(ctx, { label: 'applyW', side: 'W', beta, n, k, count: m * k, f: b.W, num: b.XHt, den: b.denW, sums: b.Hsum });
  const applyH = muApplyLaunch(ctx, { label: 'applyH', side: 'H', beta, n, k, count: k * n, f: b.H, num: b.WtX, den: b.denH, sums: b.Wsum });
  return {
    xht: await list(xht), hht: await list([hht]), hsum: await list([hsum]),
    muW: weighted?.muW ?? (await list(muW)), applyW: weighted?.applyW ?? (await applyW),
    muH: weighted?.muH ?? (await list(muH)), applyH: weighted?.applyH ?? (await applyH),
    halsW: await hals('W'), halsH: await hals('H'), wtxWtw: await list([...wtx, wtw]),
    violationW: await reduceLaunch(ctx, 'violation(W)', inp.violationsW, inp.violations, ones, b.scalars, 0),
    violationWH: await reduceLaunch(ctx, 'violation(W+H)', inp.violationsTotal, inp.violations, ones, b.scalars, 0),
    loss: weighted?.loss ?? (await loss),
  };
}
