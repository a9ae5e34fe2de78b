// X·Q and Xᵀ·Q for a dense or CSR X and a thin dense Q (the randomized SVD's products), as
// scikit-learn's safe_sparse_dot computes them, on the CPU backend's WebAssembly kernels and threads:
// X is copied once into a workspace (CSR X with its CSC copy, so Xᵀ·Q also runs by rows); CSR X is
// never densified. Each output element is summed in scipy's order (CSR: X's entries in turn).

import { ab, atbAdd } from '../backend/cpu/gemm.js';
import { transpose } from '../backend/cpu/hals.js';
import { fillSparse, sparseSpecs, spmm } from '../backend/cpu/sparse.js';
import { allocateArrays, wasmFor } from '../backend/cpu/workspace.js';
import { dense, isCsr, type DataMatrix, type DenseMatrix } from '../matrix/matrix.js';
import { luPermutedL } from './dense-la.js';

type Dense = DenseMatrix<Float64Array>;

export interface XProducts {
  /** X·Q: (rows × cols)·(cols × c) → rows × c */
  times(Q: Dense): Dense;
  /** Xᵀ·Q: (cols × rows)·(rows × c) → cols × c */
  transposeTimes(Q: Dense): Dense;
  /**
   * A power iteration's step kept in the workspace: Q ← PL of scipy.linalg.lu(X·Q, permute_l=True)
   * (of Xᵀ·Q when `transposed`), starting from the Q given (or the last step's when null), so the
   * matrices in between are never copied out.
   */
  luStep(Q: Dense | null, transposed: boolean): void;
  /** The current Q of luStep. */
  current(): Dense;
  /** Gives the workspace back. */
  destroy(): void;
}

/** X in a workspace, for products with matrices of at most `maxCols` columns. */
export function xProducts(X: DataMatrix, maxCols: number): XProducts {
  const m = X.rows, n = X.cols;
  const csr = isCsr(X) ? X : null;
  const scratch = Math.max(m, n) * maxCols;
  const { ws, arrays: a } = allocateArrays({
    dense: ['f64', csr ? 0 : m * n], Q: ['f64', scratch], out: ['f64', scratch], lu: ['f64', scratch], perm: ['i32', Math.max(m, n)],
    ...sparseSpecs(csr, 'f64'),
  });
  const sx = csr ? fillSparse(csr, a) : null;
  if (!csr) a.dense.set(X.data);
  let rows = 0, cols = 0; // the shape of Q in the workspace
  const load = (Q: Dense): void => {
    if (Q.rows * Q.cols > scratch || Q.cols > maxCols) throw new Error(`xProducts: X is ${m}×${n}, Q is ${Q.rows}×${Q.cols}`);
    a.Q.set(Q.data);
    [rows, cols] = [Q.rows, Q.cols];
  };
  /** out ← X·Q or Xᵀ·Q for the Q in the workspace; returns its rows. */
  const multiply = (transposed: boolean): number => {
    const rowsIn = transposed ? m : n, rowsOut = transposed ? n : m, c = cols;
    if (rows !== rowsIn) throw new Error(`xProducts: X is ${m}×${n}, Q is ${rows}×${c}`);
    const q = a.Q.subarray(0, rowsIn * c), out = a.out.subarray(0, rowsOut * c);
    if (sx) spmm(transposed ? sx.csc : sx.csr, transposed ? sx.csc.data : sx.csr.data, q, out, c);
    else if (transposed) {
      out.fill(0);
      atbAdd(a.dense, q, out, m, n, c);
    } else ab(a.dense, q, out, m, n, c);
    return rowsOut;
  };
  const product = (Q: Dense, transposed: boolean): Dense => {
    load(Q);
    const rowsOut = multiply(transposed);
    return dense(rowsOut, cols, a.out.slice(0, rowsOut * cols));
  };
  const luStep = (Q: Dense | null, transposed: boolean): void => {
    if (Q !== null) load(Q);
    const rowsOut = multiply(transposed), K = Math.min(rowsOut, cols);
    const wasm = wasmFor(a.out, a.lu, a.perm, a.Q);
    if (wasm === null) return load(luPermutedL(dense(rowsOut, cols, a.out.slice(0, rowsOut * cols))));
    transpose(a.out.subarray(0, rowsOut * cols), a.lu, rowsOut, cols);
    wasm.exports.luColumns(a.lu.byteOffset, a.perm.byteOffset, rowsOut, cols);
    a.Q.fill(0, 0, rowsOut * K);
    wasm.exports.permutedL(a.lu.byteOffset, a.perm.byteOffset, a.Q.byteOffset, rowsOut, K);
    [rows, cols] = [rowsOut, K];
  };
  return {
    times: (Q) => product(Q, false),
    transposeTimes: (Q) => product(Q, true),
    luStep,
    current: () => dense(rows, cols, a.Q.slice(0, rows * cols)),
    destroy: () => ws.destroy(),
  };
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
