// Matrix types shared by every layer. Dense matrices are row-major; CSR follows scipy's layout.

export type FloatArray = Float64Array | Float32Array;

export interface DenseMatrix<T extends FloatArray = FloatArray> {
  readonly rows: number;
  readonly cols: number;
  readonly data: T;
  /**
   * X only: set when X was given as float32 (its values, held exactly in data, are float32):
   * scikit-learn's dtype rule then computes and returns float32 (see fit.ts).
   */
  readonly keepFloat32?: true;
}

export interface CsrMatrix {
  readonly rows: number;
  readonly cols: number;
  /** rows + 1 offsets into indices/data */
  readonly indptr: Int32Array;
  /** column index of each stored value, sorted within a row */
  readonly indices: Int32Array;
  readonly data: Float64Array;
  /** as DenseMatrix.keepFloat32 */
  readonly keepFloat32?: true;
}

/** What the public API accepts as a matrix. */
export type MatrixInput =
  | number[][]
  | { rows: number; cols: number; data: ArrayLike<number> }
  | {
      rows: number;
      cols: number;
      indptr: ArrayLike<number>;
      indices: ArrayLike<number>;
      data: ArrayLike<number>;
    };

/** X after validation: float64 dense or CSR. */
export type DataMatrix = DenseMatrix<Float64Array> | CsrMatrix;

export function isCsr(m: DataMatrix): m is CsrMatrix {
  return 'indptr' in m;
}

export function dense(rows: number, cols: number, data?: Float64Array): DenseMatrix<Float64Array> {
  return { rows, cols, data: data ?? new Float64Array(rows * cols) };
}

/** Number of stored entries of X (all of them when dense). */
export function storedCount(X: DataMatrix): number {
  return isCsr(X) ? X.indptr[X.rows] : X.rows * X.cols;
}

/** Mean over all rows·cols entries, implicit zeros included (numpy's X.mean()). */
export function mean(X: DataMatrix): number {
  let sum = 0;
  for (let i = 0, n = storedCount(X); i < n; i++) sum += X.data[i];
  return sum / (X.rows * X.cols);
}

/** Smallest entry, implicit zeros included (scipy's X.min()). */
export function min(X: DataMatrix): number {
  let m = Infinity;
  for (let i = 0, n = storedCount(X); i < n; i++) if (X.data[i] < m) m = X.data[i];
  if (isCsr(X) && storedCount(X) < X.rows * X.cols) m = Math.min(m, 0);
  return m;
}

export function max(A: DenseMatrix): number {
  let m = -Infinity;
  for (let i = 0; i < A.data.length; i++) if (A.data[i] > m) m = A.data[i];
  return m;
}

/** Dense copy of X (tests and small helpers only; solvers never densify CSR). */
export function toDense(X: DataMatrix): DenseMatrix<Float64Array> {
  if (!isCsr(X)) return X;
  const out = dense(X.rows, X.cols);
  for (let i = 0; i < X.rows; i++) {
    for (let p = X.indptr[i]; p < X.indptr[i + 1]; p++) out.data[i * X.cols + X.indices[p]] = X.data[p];
  }
  return out;
}

/** Row-major nested array, for printing and for users who want one. */
export function toArray(A: DenseMatrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < A.rows; i++) out.push(Array.from(A.data.subarray(i * A.cols, (i + 1) * A.cols)));
  return out;
}

/** C = A·B for dense A (m×k) and B (k×n), float64. */
export function matmul(A: DenseMatrix, B: DenseMatrix): DenseMatrix<Float64Array> {
  const m = A.rows, k = A.cols, n = B.cols;
  const C = new Float64Array(m * n);
  const a = A.data, b = B.data;
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    for (let r = 0; r < k; r++) {
      const air = a[i * k + r];
      if (air === 0) continue;
      const br = r * n;
      for (let j = 0; j < n; j++) C[ci + j] += air * b[br + j];
    }
  }
  return dense(m, n, C);
}

/** Rows start … end−1 of X (a copy for CSR, a view of the data for dense). */
export function sliceRows(X: DataMatrix, start: number, end: number): DataMatrix {
  if (!isCsr(X)) return dense(end - start, X.cols, X.data.subarray(start * X.cols, end * X.cols));
  const p0 = X.indptr[start], p1 = X.indptr[end];
  const indptr = new Int32Array(end - start + 1);
  for (let i = start; i <= end; i++) indptr[i - start] = X.indptr[i] - p0;
  return { rows: end - start, cols: X.cols, indptr, indices: X.indices.slice(p0, p1), data: X.data.slice(p0, p1) };
}
