// The problem every backend and scikit-learn solve: X (m × n) = A·B + noise, A (m × k) and B (k × n)
// uniform on [0, 1) from a fixed seed, so X is non-negative, rank k plus noise, and the same in every
// run, backend and process. The page makes it for the fits; the runner makes it again to hand the
// very same numbers to scikit-learn (sklearn.ts).

/** Relative amplitude of the uniform noise added to the rank-k product, so no fit reaches zero loss. */
const NOISE = 0.1;
/** Entries of X at or below float32 eps are left out of the KL log term, as scikit-learn does. */
const EPSILON = 1.1920929e-7;

export interface DenseX {
  rows: number;
  cols: number;
  data: Float64Array;
}

/** mulberry32: a small seeded generator; X only needs to be the same in every run and backend. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function makeX(m: number, n: number, k: number): DenseX {
  const next = rng(m * 7919 + n * 104729 + k);
  const A = Float64Array.from({ length: m * k }, next);
  const B = Float64Array.from({ length: k * n }, next);
  const data = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let t = 0; t < k; t++) {
      const a = A[i * k + t];
      for (let j = 0; j < n; j++) data[i * n + j] += a * B[t * n + j];
    }
    for (let j = 0; j < n; j++) data[i * n + j] += NOISE * k * 0.25 * next();
  }
  return { rows: m, cols: n, data };
}

/** sqrt(2·β-divergence(X, WH)) in float64, β = 2 or 1: the loss 'mu' reports, computed for every solver. */
export function finalLoss(X: DenseX, W: ArrayLike<number>, H: ArrayLike<number>, k: number, loss: 'frobenius' | 'kullback-leibler'): number {
  const { rows: m, cols: n, data: x } = X;
  const wh = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < m; i++) {
    wh.fill(0);
    for (let t = 0; t < k; t++) {
      const w = W[i * k + t];
      if (w !== 0) for (let j = 0; j < n; j++) wh[j] += w * H[t * n + j];
    }
    for (let j = 0; j < n; j++) {
      const xv = x[i * n + j];
      if (loss === 'frobenius') sum += 0.5 * (xv - wh[j]) ** 2;
      else sum += (xv > EPSILON ? xv * Math.log(xv / wh[j]) : 0) - xv + wh[j];
    }
  }
  return Math.sqrt(2 * Math.max(sum, 0));
}
