// Weighted NMF on WebGPU: the plan's X is the CSR of the observed entries (values of X there), with
// one weight per entry. Every MU product is a sparse one over those entries (sparse.wgsl, WEIGHTED):
//   num_W = (M ⊙ X ⊙ WH^(β−2))·Hᵀ, den_W = (M ⊙ WH^(β−1))·Hᵀ, and likewise Wᵀ·(…) for H,
// and the loss is Σ M ⊙ d_β(X | WH) there (divergence.wgsl, divergenceWeighted).

import type { FitProblem, WeightedEntries } from '../backend.js';
import type { CsrMatrix } from '../../matrix/matrix.js';
import type { Launch } from './dispatch.js';
import type { KernelContext } from './kernels/context.js';
import { sparseDivergenceWorkgroups, weightedDivergenceLaunch } from './kernels/divergence.js';
import { muApplyLaunch } from './kernels/mu.js';
import { reduceLaunch } from './kernels/reduce.js';
import { cscColsWLaunch, cscWtTimesLaunch, csrRowsHtLaunch, csrTimesHtLaunch, sampleWHLaunch, sampleWHtLaunch, SPARSE_TEAM_MAX_K, transposeHLaunch } from './kernels/sparse.js';
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

/** Partials of the weighted loss (the plan sizes its loss buffer with it). */
export function weightedLossPartials(E: WeightedEntries): number {
  return sparseDivergenceWorkgroups(E.weights.length);
}

export async function weightedLaunches(ctx: KernelContext, p: FitProblem, X: GpuCsr, b: Buffers, partials: GPUBuffer, ones: GPUBuffer): Promise<WeightedLaunches> {
  const E = p.weighted!;
  const m = p.X.rows, n = p.X.cols, k = p.W.cols, beta = p.beta;
  const d = { m, n, k, beta };
  const weights = ctx.buffers.upload('X.weights', E.weights, 'f32');
  const num = { weights, denominator: false }, den = { weights, denominator: true };
  // β = 2's numerator is M ⊙ X itself (VALUE 0); other β take sparse.wgsl's numerator terms
  const numeratorOf = beta === 2 ? null : beta;
  // the 'hardware' plan reads H through Hᵀ (n × k), lanes over the components
  const ht = ctx.plan === 'hardware' && k <= SPARSE_TEAM_MAX_K ? ctx.buffers.storage('Ht(observed)', n * k) : null;
  const csrTimes = (label: string, wt: typeof num) => ht ? csrRowsHtLaunch(ctx, label, X, d, wt.denominator ? beta : numeratorOf, ht, wt.denominator ? b.denW : b.XHt, wt) : csrTimesHtLaunch(ctx, label, X, d, wt.denominator ? beta : numeratorOf, b.H, wt.denominator ? b.denW : b.XHt, wt);
  const cscTimes = (label: string, wt: typeof num) => ht ? cscColsWLaunch(ctx, label, X, d, wt.denominator ? beta : numeratorOf, b.W, wt.denominator ? b.denH : b.WtX, wt) : cscWtTimesLaunch(ctx, label, X, d, wt.denominator ? beta : numeratorOf, b.W, wt.denominator ? b.denH : b.WtX, wt);
  const sampled = ht
    ? Promise.all([transposeHLaunch(ctx, 'Ht(observed)', d, b.H, ht), sampleWHtLaunch(ctx, 'WH@observed', X, d, b.W, ht)])
    : Promise.all([sampleWHLaunch(ctx, 'WH@observed', X, d, b.W, b.H)]);
  const apply = (side: 'W' | 'H') =>
    muApplyLaunch(ctx, {
      label: `weighted apply${side}`, side, beta, n, k, count: side === 'W' ? m * k : k * n, f: side === 'W' ? b.W : b.H,
      num: side === 'W' ? b.XHt : b.WtX, den: side === 'W' ? b.denW : b.denH, sums: side === 'W' ? b.Hsum : b.Wsum, denFromBuffer: true,
    });
  const nPartials = weightedLossPartials(E);
  const [sample, products, applyW, applyH, lossSum] = await Promise.all([
    sampled,
    Promise.all([csrTimes('weighted numW', num), csrTimes('weighted denW', den), cscTimes('weighted numH', num), cscTimes('weighted denH', den)]),
    apply('W'),
    apply('H'),
    Promise.all([
      weightedDivergenceLaunch(ctx, { label: 'weighted loss', beta, nnz: X.nnz, data: X.data, wh: X.wh, partials, partialBase: 0, weights }),
      reduceLaunch(ctx, 'weighted loss sum', nPartials, partials, ones, b.scalars, 1),
    ]),
  ]);
  const [numW, denW, numH, denH] = products;
  return { muW: [...sample, numW, denW], muH: [...sample, numH, denH], applyW, applyH, loss: [...sample, ...lossSum] };
}
