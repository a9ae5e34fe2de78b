// FitPlan-level problems shared by the WebGPU and gpujs suites: the same steps run on a GPU plan and
// on the float64 CPU plan, and the results are compared.

import type { FitProblem } from '../../src/backend/backend.js';
import type { CsrMatrix, DenseMatrix } from '../../src/matrix/matrix.js';

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
