// Weighted NMF on WebGPU: the plan's X is the CSR of the observed entries (values of X there), with
// one weight per entry. Every MU product is a sparse one over those entries (sparse.wgsl, WEIGHTED):
//   num_W = (M ⊙ X ⊙ WH^(β−2))·Hᵀ, den_W = (M ⊙ WH^(β−1))·Hᵀ, and likewise Wᵀ·(…) for H,
// and the loss is Σ M ⊙ d_β(X | WH) there (divergence.wgsl, divergenceWeighted).

import type { FitProblem, WeightedEntries } from '../backend.js';
import type { CsrMatrix } from '../../matrix/matrix.js';
import type { Launch } from './dispatch.js';
import type { KernelContext } from './programs/context.js';
import { sparseDivergenceWorkgroups, weightedDivergenceLaunch } from './programs/divergence.js';
import { muApplyLaunch } from './programs/mu.js';
import { reduceLaunch } from './programs/reduce.js';
import { cscColsWLaunch, cscWtTimesLaunch, csrRowsHtLaunch, csrTimesHtLaunch, sampleWHLaunch, sampleWHtLaunch, SPARSE_TEAM_MAX_K, transposeHLaunch } from './programs/sparse.js';
import type { GpuCsr } from './x-upload.js';

/** The observed entries as the CSR matrix the plan uploads in place of X. */
export function observedCsr(E: WeightedEntries): CsrMatrix {
  return { rows: E.rows, cols: E.cols, indptr: E.indptr, indices: E.indices, data: E.values };
}

export interface WeightedLaunches {
  muW: Launch[];
  applyW: Launch;
  muH: Launch[];
  applyH: Launch;
  loss: Launch[];
}

interface Buffers {
  W: GPUBuffer;
  H: GPUBuffer;
  XHt: GPUBuffer;
  denW: GPUBuffer;
  WtX: GPUBuffer;
  denH: GPUBuffer;
  Hsum: GPUBuffer;
  Wsum: GPUBuffer;
  scalars: GPUBuffer;
}

export async function weightedLaunches(ctx: KernelContext, p: FitProblem, X: GpuCsr[], b: Buffers, partials: GPUBuffer, ones: GPUBuffer): Promise<WeightedLaunches> {
  const E = p.weighted!;
  const m = p.X.rows, n = p.X.cols, k = p.W.cols, beta = p.beta;
  const d = { m, n, k, beta };
  // β = 2's numerator is M ⊙ X itself (VALUE 0); other β take sparse.wgsl's numerator terms
  const numeratorOf = beta === 2 ? null : beta;
  // the 'hardware' plan reads H through Hᵀ (n × k), lanes over the components
  const ht = ctx.plan === 'hardware' && k <= SPARSE_TEAM_MAX_K ? ctx.buffers.storage('Ht(observed)', n * k) : null;
  const sample: Promise<Launch>[] = ht ? [transposeHLaunch(ctx, 'Ht(observed)', d, b.H, ht)] : [];
  const products: Promise<Launch>[][] = [[], [], [], []];
  const loss: Promise<Launch>[] = [];
  let partialBase = 0;
  X.forEach((blk, i) => {
    const sfx = X.length > 1 ? `[${i}]` : '';
    // the weights of this block's entries (the observed entries' CSR order, as X's)
    const weights = ctx.buffers.upload(`X.weights${sfx}`, E.weights.subarray(E.indptr[blk.rowStart], E.indptr[blk.rowStart] + blk.nnz), 'f32');
    const num = { weights, denominator: false }, den = { weights, denominator: true };
    const rows = (label: string, wt: typeof num) => ht
      ? csrRowsHtLaunch(ctx, label, blk, d, wt.denominator ? beta : numeratorOf, ht, wt.denominator ? b.denW : b.XHt, wt)
      : csrTimesHtLaunch(ctx, label, blk, d, wt.denominator ? beta : numeratorOf, b.H, wt.denominator ? b.denW : b.XHt, wt);
    const cols = (label: string, wt: typeof num) => ht
      ? cscColsWLaunch(ctx, label, blk, d, wt.denominator ? beta : numeratorOf, b.W, wt.denominator ? b.denH : b.WtX, wt)
      : cscWtTimesLaunch(ctx, label, blk, d, wt.denominator ? beta : numeratorOf, b.W, wt.denominator ? b.denH : b.WtX, wt);
    sample.push(ht ? sampleWHtLaunch(ctx, `WH@observed${sfx}`, blk, d, b.W, ht) : sampleWHLaunch(ctx, `WH@observed${sfx}`, blk, d, b.W, b.H));
    products[0].push(rows(`weighted numW${sfx}`, num));
    products[1].push(rows(`weighted denW${sfx}`, den));
    products[2].push(cols(`weighted numH${sfx}`, num));
    products[3].push(cols(`weighted denH${sfx}`, den));
    loss.push(weightedDivergenceLaunch(ctx, { label: `weighted loss${sfx}`, beta, nnz: blk.nnz, data: blk.data, wh: blk.wh, partials, partialBase, weights }));
    partialBase += sparseDivergenceWorkgroups(blk.nnz);
  });
  loss.push(reduceLaunch(ctx, 'weighted loss sum', partialBase, partials, ones, b.scalars, 1));
  const apply = (side: 'W' | 'H') =>
    muApplyLaunch(ctx, {
      label: `weighted apply${side}`, side, beta, n, k, count: side === 'W' ? m * k : k * n, f: side === 'W' ? b.W : b.H,
      num: side === 'W' ? b.XHt : b.WtX, den: side === 'W' ? b.denW : b.denH, sums: side === 'W' ? b.Hsum : b.Wsum, denFromBuffer: true,
    });
  const all = (xs: Promise<Launch>[]) => Promise.all(xs);
  const [sampled, numW, denW, numH, denH, applyW, applyH, lossLaunches] = await Promise.all([
    all(sample), all(products[0]), all(products[1]), all(products[2]), all(products[3]), apply('W'), apply('H'), all(loss),
  ]);
  return { muW: [...sampled, ...numW, ...denW], muH: [...sampled, ...numH, ...denH], applyW, applyH, loss: [...sampled, ...lossLaunches] };
}
