// Problems for the gpujs FitPlan-level tests: the same steps run on the gpujs plan (float32) and on
// the CPU backend's plan (float64, the reference), and the results are compared.

import type { FitProblem } from '../../src/backend/backend.js';
import type { CsrMatrix, DenseMatrix } from '../../src/matrix/matrix.js';

/** Deterministic uniform numbers in [lo, hi) (a small LCG: tests need repeatability, not quality). */
export function randomArray(count: number, seed: number, lo = 0, hi = 1): Float64Array {
  let s = (seed * 2654435761 + 1) >>> 0;
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = lo + ((s >>> 8) / 2 ** 24) * (hi - lo);
  }
  return out;
}

/** ‖a − b‖_F / ‖b‖_F */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0, r = 0;
  for (let i = 0; i < b.length; i++) {
    d += (a[i] - b[i]) ** 2;
    r += b[i] ** 2;
  }
  return Math.sqrt(d / r);
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

/** X ≈ a rank-k product times noise (with ~60% zeros when sparse, as CSR), and a random start. */
export function makeProblem(s: ProblemSpec): FitProblem {
  const seed = s.seed ?? 7;
  const { m, n, k } = s;
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

/** γ of the MU step for β (scikit-learn's _gamma) */
export function gammaOf(beta: number): number {
  return beta < 1 ? 1 / (2 - beta) : beta > 2 ? 1 / (beta - 1) : 1;
}
