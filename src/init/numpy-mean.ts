// X.mean() with numpy's and scipy's rounding, so that 'random' and 'nndsvda' starts (which scale by
// the mean) match scikit-learn to the last bit rather than to 1e-16.

import { isCsr, type DataMatrix } from '../matrix/matrix.js';

/** numpy's ufunc buffer size: a full reduction runs its inner loop on chunks of this many items. */
const NUMPY_BUFSIZE = 8192;
/** numpy's pairwise summation switches to an 8-way unrolled loop below this many items. */
const PW_BLOCKSIZE = 128;

/** numpy's pairwise_sum (loops_utils.h) over a[lo, lo + n). */
function pairwiseSum(a: ArrayLike<number>, lo: number, n: number): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[lo + i];
    return res;
  }
  if (n <= PW_BLOCKSIZE) {
    const r = [a[lo], a[lo + 1], a[lo + 2], a[lo + 3], a[lo + 4], a[lo + 5], a[lo + 6], a[lo + 7]];
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] += a[lo + i + j];
    let res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; i++) res += a[lo + i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, lo, n2) + pairwiseSum(a, lo + n2, n - n2);
}

/** np.add.reduce over a contiguous 1-D array: pairwise within each buffer-sized chunk, chunks in sequence. */
export function numpySum(a: ArrayLike<number>): number {
  let total = 0;
  for (let lo = 0; lo < a.length; lo += NUMPY_BUFSIZE) total += pairwiseSum(a, lo, Math.min(NUMPY_BUFSIZE, a.length - lo));
  return total;
}

/**
 * X.mean() as scikit-learn sees it. Dense: numpy's sum / size. CSR: scipy scales the data by
 * 1/size first, sums each row in order (X @ ones), then numpy-sums the row sums.
 */
export function numpyMean(X: DataMatrix): number {
  const size = X.rows * X.cols;
  if (!isCsr(X)) return numpySum(X.data) / size;
  const scale = 1 / size;
  const rowSums = new Float64Array(X.rows);
  for (let i = 0; i < X.rows; i++) {
    let s = 0;
    for (let p = X.indptr[i]; p < X.indptr[i + 1]; p++) s += X.data[p] * scale;
    rowSums[i] = s;
  }
  return numpySum(rowSums);
}
