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
  const u = (j: number) => Float64Array.from({ length: m }, (_, i) => U.data[i * k + j]);
  const v = (j: number) => Vt.data.slice(j * n, (j + 1) * n);
  const setW = (j: number, scale: number, x: Float64Array) => { for (let i = 0; i < m; i++) W.data[i * k + j] = scale * x[i]; };
  const setH = (j: number, scale: number, y: Float64Array) => { for (let f = 0; f < n; f++) H.data[j * n + f] = scale * y[f]; };

  // The leading singular triplet is non-negative, so it is used as is.
  const s0 = Math.sqrt(S[0]);
  setW(0, s0, u(0).map(Math.abs));
  setH(0, s0, v(0).map(Math.abs));

  for (let j = 1; j < k; j++) {
    const x = u(j), y = v(j);
    const xp = x.map((t) => Math.max(t, 0)), yp = y.map((t) => Math.max(t, 0));
    const xn = x.map((t) => Math.abs(Math.min(t, 0))), yn = y.map((t) => Math.abs(Math.min(t, 0)));
    const xpNrm = norm(xp), ypNrm = norm(yp), xnNrm = norm(xn), ynNrm = norm(yn);
    const mp = xpNrm * ypNrm, mn = xnNrm * ynNrm;
    // keep whichever sign part carries more of the triplet
    const [uj, vj, sigma] = mp > mn
      ? [xp.map((t) => t / xpNrm), yp.map((t) => t / ypNrm), mp]
      : [xn.map((t) => t / xnNrm), yn.map((t) => t / ynNrm), mn];
    // Neither sign part has weight only when X has rank < j+1 and the SVD paired u, v with opposite
    // signs; scikit-learn's LAPACK pairs them alike and gets an all-zero component: so do we.
    if (sigma === 0) continue;
    const lbd = Math.sqrt(S[j] * sigma);
    setW(j, lbd, uj);
    setH(j, lbd, vj);
  }

  for (const A of [W, H]) for (let i = 0; i < A.data.length; i++) if (A.data[i] < eps) A.data[i] = 0;
  return { W, H };
}

/** Euclidean norm, as scikit-learn's sqrt(squared_norm(x)). */
function norm(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}

/** Replace the exact zeros of A, in C order, with values(count)[i] (a function so draws happen only when needed). */
function fillZeros(A: DenseMatrix<Float64Array>, values: ((n: number) => ArrayLike<number>) | (() => number)): void {
  const zeros: number[] = [];
  for (let i = 0; i < A.data.length; i++) if (A.data[i] === 0) zeros.push(i);
  const fill = values(zeros.length);
  for (let z = 0; z < zeros.length; z++) A.data[zeros[z]] = typeof fill === 'number' ? fill : fill[z];
}
