// scikit-learn 1.2.1's randomized_svd (sklearn/utils/extmath.py), with the defaults _initialize_nmf
// uses: n_oversamples=10, n_iter='auto', power_iteration_normalizer='auto' (LU), transpose='auto',
// flip_sign=True. Halko et al. (2009), Algorithm 4.3 with LU-normalized power iterations.
//
// Given the same seed, the random projection is drawn exactly as numpy draws it, so the subspace
// found — and hence U, S, Vt — match scikit-learn up to floating-point rounding.

import { dense, type DataMatrix, type DenseMatrix } from '../matrix/matrix.js';
import type { RandomState } from '../random/random-state.js';
import { qrQ, svdTall } from './dense-la.js';
import { dotDense, xProducts, type XProducts } from './products.js';

type Dense = DenseMatrix<Float64Array>;

const N_OVERSAMPLES = 10;

export interface TruncatedSvd {
  /** nSamples × nComponents */
  U: Dense;
  /** the nComponents largest singular values, descending */
  S: Float64Array;
  /** nComponents × nFeatures */
  Vt: Dense;
}

/**
 * randomized_range_finder: an orthonormal Q whose range approximates the range of M (X, or Xᵀ when
 * `transposed`). The power iterations run in the products' workspace (luStep), M never copied.
 */
function rangeFinder(products: XProducts, transposed: boolean, mCols: number, size: number, nIter: number, rng: RandomState): Dense {
  // random_state.normal(size=(M.shape[1], size)), C order
  let Q: Dense | null = dense(mCols, size, rng.standardNormal(mCols * size));
  // power_iteration_normalizer='auto' is 'LU' when n_iter > 2, which 'auto' n_iter (4 or 7) always is
  for (let i = 0; i < nIter; i++) {
    products.luStep(Q, transposed);
    products.luStep(null, !transposed);
    Q = null;
  }
  const last = Q ?? products.current();
  return qrQ(transposed ? products.transposeTimes(last) : products.times(last));
}

/** Truncated randomized SVD of X with nComponents triplets, signs fixed by svd_flip as scikit-learn does. */
export function randomizedSvd(X: DataMatrix, nComponents: number, rng: RandomState): TruncatedSvd {
  const nSamples = X.rows, nFeatures = X.cols;
  if (!Number.isInteger(nComponents) || nComponents < 1 || nComponents > Math.min(nSamples, nFeatures)) {
    throw new RangeError(`randomizedSvd: nComponents must be an integer in [1, ${Math.min(nSamples, nFeatures)}], got ${nComponents}`);
  }
  const nRandom = nComponents + N_OVERSAMPLES;
  // "7 was found a good compromise for PCA" (scikit-learn #5299)
  const nIter = nComponents < 0.1 * Math.min(nSamples, nFeatures) ? 7 : 4;
  // transpose='auto': work on M = Xᵀ when X is wide, so M is never wider than tall
  const transpose = nSamples < nFeatures;
  const products = xProducts(X, nRandom);
  let V: Dense, UM: Dense, s: Float64Array;
  try {
    const mulMt = transpose ? products.times : products.transposeTimes;
    const Q = rangeFinder(products, transpose, transpose ? nSamples : nFeatures, nRandom, nIter, rng);
    // B = Qᵀ·M is K × M.cols with K ≤ M.cols; factor its (tall) transpose Bᵀ = Mᵀ·Q = V·S·Uhatᵀ.
    const svd = svdTall(mulMt(Q));
    s = svd.s;
    V = svd.U; // M.cols × K: Vtᵀ of M
    UM = dotDense(Q, svd.V); // M.rows × K: U of M
  } finally {
    products.destroy();
  }

  // In X's frame: U holds X's left vectors (nSamples × K), V its right ones (nFeatures × K).
  const [U, VX] = transpose ? [V, UM] : [UM, V];
  // svd_flip: scikit-learn decides on U's columns when not transposed, and on the rows of Vt when
  // transposed (u_based_decision=False) — which are the same vectors once seen in X's frame.
  svdFlip(U, VX);

  const k = nComponents;
  const Uk = dense(nSamples, k);
  for (let i = 0; i < nSamples; i++) for (let j = 0; j < k; j++) Uk.data[i * k + j] = U.data[i * U.cols + j];
  const Vtk = dense(k, nFeatures);
  for (let j = 0; j < k; j++) for (let f = 0; f < nFeatures; f++) Vtk.data[j * nFeatures + f] = VX.data[f * VX.cols + j];
  return { U: Uk, S: s.slice(0, k), Vt: Vtk };
}

/** Make the largest-magnitude entry of each column of U positive, flipping V's column along (np.sign: 0 stays 0). */
function svdFlip(U: Dense, V: Dense): void {
  const K = U.cols;
  for (let j = 0; j < K; j++) {
    let best = 0;
    for (let i = 1; i < U.rows; i++) if (Math.abs(U.data[i * K + j]) > Math.abs(U.data[best * K + j])) best = i;
    const sign = Math.sign(U.data[best * K + j]);
    if (sign === 1) continue;
    for (let i = 0; i < U.rows; i++) U.data[i * K + j] *= sign;
    for (let f = 0; f < V.rows; f++) V.data[f * V.cols + j] *= sign;
  }
}
