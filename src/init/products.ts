// X·Q and Xᵀ·Q for a dense or CSR X and a thin dense Q (the randomized SVD's products), as
// scikit-learn's safe_sparse_dot computes them, on the CPU backend's WebAssembly kernels and threads:
// X is copied once into a workspace (CSR X with its CSC copy, so Xᵀ·Q also runs by rows); CSR X is
// never densified. Each output element is summed in scipy's order (CSR: X's entries in turn).

import { ab, atbAdd } from '../backend/cpu/gemm.js';
import { fillSparse, sparseSpecs, spmm } from '../backend/cpu/sparse.js';
import { allocateArrays } from '../backend/cpu/workspace.js';
import { dense, isCsr, type DataMatrix, type DenseMatrix } from '../matrix/matrix.js';

type Dense = DenseMatrix<Float64Array>;

export interface XProducts {
  /** X·Q: (rows × cols)·(cols × c) → rows × c */
  times(Q: Dense): Dense;
  /** Xᵀ·Q: (cols × rows)·(rows × c) → cols × c */
  transposeTimes(Q: Dense): Dense;
  /** Gives the workspace back. */
  destroy(): void;
}

/** X in a workspace, for products with matrices of at most `maxCols` columns. */
export function xProducts(X: DataMatrix, maxCols: number): XProducts {
  const m = X.rows, n = X.cols;
  const csr = isCsr(X) ? X : null;
  const scratch = Math.max(m, n) * maxCols;
  const { ws, arrays: a } = allocateArrays({ dense: ['f64', csr ? 0 : m * n], Q: ['f64', scratch], out: ['f64', scratch], ...sparseSpecs(csr, 'f64') });
  const sx = csr ? fillSparse(csr, a) : null;
  if (!csr) a.dense.set(X.data);
  const product = (Q: Dense, transposed: boolean): Dense => {
    const rowsIn = transposed ? m : n, rowsOut = transposed ? n : m, c = Q.cols;
    if (Q.rows !== rowsIn || c > maxCols) throw new Error(`xProducts: X is ${m}×${n}, Q is ${Q.rows}×${c}`);
    const q = a.Q.subarray(0, rowsIn * c), out = a.out.subarray(0, rowsOut * c);
    q.set(Q.data);
    if (sx) spmm(transposed ? sx.csc : sx.csr, transposed ? sx.csc.data : sx.csr.data, q, out, c);
    else if (transposed) {
      out.fill(0);
      atbAdd(a.dense, q, out, m, n, c);
    } else ab(a.dense, q, out, m, n, c);
    return dense(rowsOut, c, out.slice());
  };
  return { times: (Q) => product(Q, false), transposeTimes: (Q) => product(Q, true), destroy: () => ws.destroy() };
}

/** A·B for a tall A and a small B (gemm.ts's ab on a one-thread workspace). */
export function dotDense(A: Dense, B: Dense): Dense {
  const m = A.rows, k = A.cols, n = B.cols;
  const { ws, arrays } = allocateArrays({ A: ['f64', m * k], B: ['f64', k * n], C: ['f64', m * n] }, { threads: 1 });
  try {
    arrays.A.set(A.data);
    arrays.B.set(B.data);
    ab(arrays.A, arrays.B, arrays.C, m, k, n);
    return dense(m, n, arrays.C.slice());
  } finally {
    ws.destroy();
  }
}
