// Launchers for online.wgsl: MiniBatchNMF's averaged H step, relative changes and sums, clipping.

import { linearGrid, type Launch } from '../dispatch.js';
import { makeLaunch, type KernelContext } from './context.js';
import { FLOAT64_EPS } from '../../../numerics.js';
import { betaClass, clipsAfterMu } from '../../../loss.js';
import { shaderConstant } from '../shader-constants.js';

const WG = shaderConstant('online', 'WG');

export interface AveragedApplySpec {
  beta: number;
  k: number;
  n: number;
  h: GPUBuffer;
  num: GPUBuffer;
  den: GPUBuffer;
  /** β = 1: column sums of W */
  sums: GPUBuffer;
  /** A (k × n), then B */
  ab: GPUBuffer;
}

/** The online H step; l1, l2, γ, ρ are written per step through the launch's params. */
export function averagedApplyLaunch(ctx: KernelContext, s: AveragedApplySpec): Promise<Launch> {
  const count = s.k * s.n;
  const values = { count, n: s.n, l1: 0, l2: 0, gamma: 1, rho: 1, clip: clipsAfterMu('H', s.beta) ? FLOAT64_EPS : 0 };
  const grid = linearGrid(Math.ceil(count / WG), ctx.maxPerDim, 'averagedApply');
  return makeLaunch(ctx, 'online', 'averagedApply', { BETA_CLASS: betaClass(s.beta) }, 'H averaged', values, { f: s.h, numIn: s.num, denIn: s.den, sums: s.sums, ab: s.ab }, grid);
}

export function normsWorkgroups(count: number): number {
  return Math.ceil(count / WG);
}

/**
 * Σ(F − P)², ΣF², ΣF into out[outOffset … +2], through `partials` (3 × normsWorkgroups(count));
 * with copy, P ← F on the way.
 */
export async function normsLaunches(ctx: KernelContext, label: string, count: number, f: GPUBuffer, prev: GPUBuffer, copy: boolean, partials: GPUBuffer, out: GPUBuffer, outOffset: number): Promise<Launch[]> {
  const nwg = normsWorkgroups(count);
  const grid = linearGrid(nwg, ctx.maxPerDim, label);
  return Promise.all([
    makeLaunch(ctx, 'online', 'norms', { COPY: copy }, `${label} partials`, { count, partials: nwg }, { f, prev, partials }, grid),
    makeLaunch(ctx, 'online', 'finish', {}, `${label} finish`, { partials: nwg, outOffset }, { partials, out }, [1, 1]),
  ]);
}

export function clipBelowLaunch(ctx: KernelContext, label: string, count: number, f: GPUBuffer): Promise<Launch> {
  return makeLaunch(ctx, 'online', 'clipBelow', {}, label, { count, clip: FLOAT64_EPS }, { f }, linearGrid(Math.ceil(count / WG), ctx.maxPerDim, label));
}
