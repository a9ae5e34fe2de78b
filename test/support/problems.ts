// FitPlan-level problems and step scripts: the same steps run on a target's plan and on the float64
// CPU plan, and the results are compared (test/conformance/fit-plan.test.ts, and the WebGPU suites
// that split X or count buffers).

import type { FitPlan, FitProblem } from '../../src/backend/backend.js';
import type { CsrMatrix, DenseMatrix } from '../../src/matrix/matrix.js';
import { muGamma } from '../../src/loss.js';

/** Deterministic uniform [lo, hi) values (mulberry32), so failures reproduce. */
export function randomArray(count: number, seed: number, lo = 0, hi = 1): Float64Array {
  let s = seed >>> 0;
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = lo + (hi - lo) * (((t ^ (t >>> 14)) >>> 0) / 4294967296);
  }
  return out;
}

export interface ProblemSpec {
  m: number;
  n: number;
  k: number;
  beta: number;
  sparse?: boolean;
  updateH?: boolean;
  seed?: number;
}

export function makeProblem(s: ProblemSpec): FitProblem {
  const seed = s.seed ?? 7;
  const { m, n, k } = s;
  // X ≈ a rank-k product plus noise, so the updates move but do not blow up.
  const W0 = randomArray(m * k, seed, 0.1, 1), H0 = randomArray(k * n, seed + 1, 0.1, 1);
  const noise = randomArray(m * n, seed + 2, 0.5, 1.5);
  const keep = randomArray(m * n, seed + 3);
  const x = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let v = 0;
      for (let r = 0; r < k; r++) v += W0[i * k + r] * H0[r * n + j];
      x[i * n + j] = s.sparse && keep[i * n + j] < 0.6 ? 0 : v * noise[i * n + j];
    }
  }
  const X = s.sparse ? toCsr(m, n, x) : { rows: m, cols: n, data: x };
  const W: DenseMatrix<Float64Array> = { rows: m, cols: k, data: randomArray(m * k, seed + 4, 0.05, 1) };
  const H: DenseMatrix<Float64Array> = { rows: k, cols: n, data: randomArray(k * n, seed + 5, 0.05, 1) };
  return { X, W, H, beta: s.beta, updateH: s.updateH ?? true };
}

export function toCsr(m: number, n: number, x: Float64Array): CsrMatrix {
  const indptr = new Int32Array(m + 1), indices: number[] = [], data: number[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      if (x[i * n + j] !== 0) {
        indices.push(j);
        data.push(x[i * n + j]);
      }
    }
    indptr[i + 1] = indices.length;
  }
  return { rows: m, cols: n, indptr, indices: Int32Array.from(indices), data: Float64Array.from(data) };
}

export interface Reg {
  l1W: number;
  l2W: number;
  l1H: number;
  l2H: number;
}
export const NO_REG: Reg = { l1W: 0, l2W: 0, l1H: 0, l2H: 0 };

export function runMu(plan: FitPlan, beta: number, steps: number, reg: Reg, updateH = true): void {
  const gamma = muGamma(beta);
  for (let s = 0; s < steps; s++) {
    plan.muUpdateW({ l1: reg.l1W, l2: reg.l2W, gamma });
    if (updateH) plan.muUpdateH({ l1: reg.l1H, l2: reg.l2H, gamma });
  }
}

/** HALS sweeps; with `shuffle`, a fixed sequence of component permutations (the same on every plan). */
export async function runHals(plan: FitPlan, k: number, steps: number, reg: Reg, shuffle: boolean, updateH = true): Promise<number[]> {
  const violations: number[] = [];
  for (let s = 0; s < steps; s++) {
    plan.halsSweepW({ l1: reg.l1W, l2: reg.l2W, order: permutation(k, shuffle ? 2 * s : -1) });
    if (updateH) plan.halsSweepH({ l1: reg.l1H, l2: reg.l2H, order: permutation(k, shuffle ? 2 * s + 1 : -1) });
    if (s % 5 === 0) violations.push(await plan.lastViolation());
  }
  return violations;
}

function permutation(k: number, seed: number): Int32Array {
  const order = Int32Array.from({ length: k }, (_, t) => t);
  if (seed < 0) return order;
  const r = randomArray(k, 1000 + seed);
  return order.sort((a, b) => r[a] - r[b]);
}
