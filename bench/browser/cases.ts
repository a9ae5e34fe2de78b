// The grid of cases a run measures, and the fixed settings of every measurement.

import type { BenchCase, BenchOptions } from './page-api.js';

/** iterations of the shorter timing fit; the longer one runs `iters` more */
export const LO_ITERS = 10;
/** tolerance of the loss-vs-time fit */
export const CURVE_TOL = 1e-4;
/**
 * A timing pair whose difference is under this (a fast CPU case) runs more iterations, so the
 * timer's resolution and the noise stay small beside it.
 */
export const MIN_DIFF_MS = 30;

/** The grid, in run order: size-major, so the small sizes report first. KL exists only for 'mu'. */
export function grid(o: BenchOptions): BenchCase[] {
  const out: BenchCase[] = [];
  for (const [m, n] of o.sizes)
    for (const backend of o.backends)
      for (const solver of o.solvers)
        for (const betaLoss of o.losses) if (solver === 'mu' || betaLoss === 'frobenius') out.push({ m, n, k: o.k, backend, solver, betaLoss });
  return out;
}

type Problem = Pick<BenchCase, 'm' | 'n' | 'k' | 'solver' | 'betaLoss'>;

/** The problem a case solves, whatever the backend: "200×150 k=10 mu frobenius". */
export function problemLabel(c: Problem): string {
  return `${c.m}×${c.n} k=${c.k} ${c.solver} ${c.betaLoss}`;
}

export function caseLabel(c: BenchCase): string {
  return `${problemLabel(c)} ${c.backend}`;
}

export function sameProblem(a: Problem, b: Problem): boolean {
  return a.m === b.m && a.n === b.n && a.k === b.k && a.solver === b.solver && a.betaLoss === b.betaLoss;
}
