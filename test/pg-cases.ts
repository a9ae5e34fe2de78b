// The 'pg' cases (test/fixtures/pg.json, written by test/fixtures/gen_pg.py: a NumPy port of
// scikit-learn 0.18's projected-gradient solver) and a runner shared by the CPU and WebGPU suites.

import fixtures from './fixtures/pg.json' with { type: 'json' };
import { nonNegativeFactorization, type FactorizationOptions, type NMFWarning } from '../src/index.js';
import type { DenseFixture, MatrixFixture } from './parity-cases.js';

export interface PgCase {
  name: string;
  X: MatrixFixture;
  /** null for updateH: false (W starts at 0, as 0.18's transform) */
  W0: DenseFixture | null;
  H0: DenseFixture;
  /** 0.18's keyword arguments, for the record */
  sk018: Record<string, unknown>;
  options: FactorizationOptions;
  /** nlsLimitHits: subproblems that used all nlsMaxIter iterations; objective: 0.18's, stacked terms included */
  expected: { W: DenseFixture; H: DenseFixture; nIter: number; nlsLimitHits: number; objective: number };
}

export const pgCases = (fixtures as unknown as { cases: PgCase[] }).cases;

export const NLS_WARNING = 'Iteration limit reached in nls subproblem.';

/** Run one case on `backend` through the public API; returns the result and the warnings raised. */
export async function runPgCase(c: PgCase, backend: 'cpu' | 'webgpu', extra: Partial<FactorizationOptions> = {}) {
  const warnings: NMFWarning[] = [];
  const start = c.W0 ? { W: c.W0, H: c.H0 } : { H: c.H0 };
  const result = await nonNegativeFactorization(c.X, {
    ...c.options, ...start, backend, checkEvery: 1, onWarning: (w) => warnings.push(w), ...extra,
  });
  return { ...result, warnings };
}
