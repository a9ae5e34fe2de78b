// The bench problems: X = RandomState(seed).random_sample((m, n)), and scikit-learn's 'random' init
// W0, H0 = sqrt(mean(X)/k)·|N(0, 1)|. Every value is rounded to float32 once, here, so webnmf (which
// converts float64 to float32) and the float32 libraries start from bit-identical data.

import { RandomState } from '../../src/random/random-state.js';

export interface BenchProblem {
  m: number;
  n: number;
  k: number;
  X: Float64Array;
  W0: Float64Array;
  H0: Float64Array;
}

export function makeProblem(m: number, n: number, k: number, seed = 0): BenchProblem {
  const rng = new RandomState(seed);
  const X = new Float64Array(m * n);
  let sum = 0;
  for (let i = 0; i < X.length; i++) sum += X[i] = Math.fround(rng.randomSample());
  const avg = Math.sqrt(sum / X.length / k);
  const scaled = (v: Float64Array) => v.map((x) => Math.fround(avg * Math.abs(x)));
  const H0 = scaled(rng.standardNormal(k * n));
  const W0 = scaled(rng.standardNormal(m * k));
  return { m, n, k, X, W0, H0 };
}

/** max |a − b| / max |b|: how far two float32 runs of the same iterations drifted apart. */
export function relativeDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0, den = 0;
  for (let i = 0; i < b.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return den === 0 ? num : num / den;
}
