// scikit-learn 1.2.1's _initialize_nmf (sklearn/decomposition/_nmf.py): the starting W and H.
//
//   'random'   |N(0,1)|·sqrt(mean(X)/k), H drawn before W
//   'nndsvd'   Boutsidis & Gallopoulos (2008): each singular triplet's dominant sign part
//   'nndsvda'  nndsvd with its zeros set to mean(X)
//   'nndsvdar' nndsvd with its zeros set to |mean(X)·N(0,1)/100|
//
// Every random draw comes from a fresh checkRandomState(randomState), as scikit-learn passes the
// int seed (not a shared generator) to each consumer, so the same seed reproduces its numbers.

import { InvalidParameterError } from '../errors.js';
import { dense, min, type DataMatrix, type DenseMatrix } from '../matrix/matrix.js';
import type { Init } from '../params.js';
import { checkRandomState } from '../random/random-state.js';
import { numpyMean } from './numpy-mean.js';
import { randomizedSvd } from './randomized-svd.js';

export type InitMethod = 'random' | 'nndsvd' | 'nndsvda' | 'nndsvdar';

export interface InitialFactors {
  W: DenseMatrix<Float64Array>;
  H: DenseMatrix<Float64Array>;
  /** the method used, after the default rule */
  init: InitMethod;
}

/** Starting W (nSamples × nComponents) and H (nComponents × nFeatures) for X ≈ W·H. */
export function initializeNmf(
  X: DataMatrix,
  nComponents: number,
  init: Init | null,
  randomState: number | null,
  eps = 1e-6,
): InitialFactors {
  // check_non_negative(X, "NMF initialization")
  if (min(X) < 0) throw new InvalidParameterError('X', 'Negative values in data passed to NMF initialization');
  const nSamples = X.rows, nFeatures = X.cols;
  const fits = nComponents <= Math.min(nSamples, nFeatures);
  if (init !== null && init !== 'random' && !fits) {
    throw new InvalidParameterError('init', `init = '${init}' can only be used when nComponents <= min(nSamples, nFeatures)`);
  }
  if (init === 'custom') {
    throw new InvalidParameterError(
      'init',
      "Invalid init parameter: got 'custom' instead of one of (null, 'random', 'nndsvd', 'nndsvda', 'nndsvdar'); a custom start is given as W and H",
    );
  }
  const method: InitMethod = init ?? (fits ? 'nndsvda' : 'random');
  if (method === 'random') return { ...randomInit(X, nComponents, randomState), init: method };

  const { W, H } = nndsvd(X, nComponents, randomState, eps);
  if (method === 'nndsvda') {
    const avg = numpyMean(X);
    fillZeros(W, () => avg);
    fillZeros(H, () => avg);
  } else if (method === 'nndsvdar') {
    const rng = checkRandomState(randomState);
    const avg = numpyMean(X);
    // W's zeros, then H's, each in C order: one draw per zero
    const draw = (n: number) => Array.from(rng.standardNormal(n), (g) => Math.abs((avg * g) / 100));
    fillZeros(W, draw);
    fillZeros(H, draw);
  }
  return { W, H, init: method };
}

function randomInit(X: DataMatrix, k: number, randomState: number | null) {
  return randomStart(X.rows, X.cols, numpyMean(X), k, randomState);
}

/** The 'random' start from X's shape and mean alone (so a streamed X need not be held). */
export function randomStart(rows: number, cols: number, meanX: number, k: number, randomState: number | null) {
  const avg = Math.sqrt(meanX / k);
  const rng = checkRandomState(randomState);
  // H first, then W, as scikit-learn draws them
  const H = dense(k, cols, rng.standardNormal(k * cols));
  const W = dense(rows, k, rng.standardNormal(rows * k));
  for (const A of [H, W]) for (let i = 0; i < A.data.length; i++) A.data[i] = Math.abs(avg * A.data[i]);
  return { W, H };
}

/** NNDSVD proper: W, H from the leading singular triplets, entries below eps set to zero. */
function nndsvd(X: DataMatrix, k: number, randomState: number | null, eps: number) {
  const { U, S, Vt } = randomizedSvd(X, k, checkRandomState(randomState));
  const m = X.rows, n = X.cols;
  const W = dense(m, k);
  const H = dense(k, n);
  // Column j of U (stride k) and row j of Vt (stride 1), as plain loops: this runs on 10⁴-long vectors.
  const u = (j: number) => strided(U.data, j, k, m);
  const v = (j: number) => Vt.data.subarray(j * n, (j + 1) * n);

  // The leading singular triplet is non-negative, so it is used as is.
  const s0 = Math.sqrt(S[0]);
  for (let i = 0; i < m; i++) W.data[i * k] = s0 * Math.abs(U.data[i * k]);
  for (let f = 0; f < n; f++) H.data[f] = s0 * Math.abs(Vt.data[f]);

  for (let j = 1; j < k; j++) {
    const x = u(j), y = v(j);
    const xpNrm = signNorm(x, 1), ypNrm = signNorm(y, 1), xnNrm = signNorm(x, -1), ynNrm = signNorm(y, -1);
    const mp = xpNrm * ypNrm, mn = xnNrm * ynNrm;
    // keep whichever sign part carries more of the triplet
    const [sign, xNrm, yNrm, sigma] = mp > mn ? [1, xpNrm, ypNrm, mp] : [-1, xnNrm, ynNrm, mn];
    // Neither sign part has weight only when X has rank < j+1 and the SVD paired u, v with opposite
    // signs; scikit-learn's LAPACK pairs them alike and gets an all-zero component: so do we.
    if (sigma === 0) continue;
    const lbd = Math.sqrt(S[j] * sigma);
    // the sign part of t: max(t, 0) or |min(t, 0)|, divided by its norm, times lbd
    const part = (t: number, nrm: number) => lbd * ((sign === 1 ? Math.max(t, 0) : Math.abs(Math.min(t, 0))) / nrm);
    for (let i = 0; i < m; i++) W.data[i * k + j] = part(x[i], xNrm);
    for (let f = 0; f < n; f++) H.data[j * n + f] = part(y[f], yNrm);
  }

  for (const A of [W, H]) for (let i = 0; i < A.data.length; i++) if (A.data[i] < eps) A.data[i] = 0;
  return { W, H };
}

/** a[offset + i·stride] for i < count, as a new array. */
function strided(a: Float64Array, offset: number, stride: number, count: number): Float64Array {
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = a[offset + i * stride];
  return out;
}

/** Euclidean norm of x's positive part (sign 1: max(x, 0)) or negative part (−1: |min(x, 0)|), as scikit-learn's sqrt(squared_norm(·)). */
function signNorm(x: Float64Array, sign: 1 | -1): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const t = sign === 1 ? Math.max(x[i], 0) : Math.abs(Math.min(x[i], 0));
    s += t * t;
  }
  return Math.sqrt(s);
}

/** Replace the exact zeros of A, in C order, with values(count)[i] (a function so draws happen only when needed). */
function fillZeros(A: DenseMatrix<Float64Array>, values: ((n: number) => ArrayLike<number>) | (() => number)): void {
  let zeros = 0;
  for (let i = 0; i < A.data.length; i++) if (A.data[i] === 0) zeros++;
  const fill = values(zeros);
  for (let i = 0, z = 0; i < A.data.length; i++) {
    if (A.data[i] === 0) A.data[i] = typeof fill === 'number' ? fill : fill[z++];
  }
}
