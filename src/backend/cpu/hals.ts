// One Fast-HALS sweep (scikit-learn's _update_cdnmf_fast) and transposes for the CPU backend:
// WebAssembly SIMD (hals.wat) on arrays in a workspace, plain JS of the same arithmetic otherwise.
// Rows of the factor are independent, so a sweep is cut among threads by blocks of 64 rows; each
// block's violation lands in its own slot and the slots are added in order, so threads give the
// bits of one.

import { checkShapes, runSplit, typed, wasmFor, type FloatArray } from './workspace.js';

/** Rows per block: the unit of packing, of a violation slot, and of a thread's share. */
const BLOCK = 64;

/** Where the sweep keeps its per-block violations and each chunk's packed block (allocate with halsScratchSpecs). */
export interface HalsScratch {
  /** one slot per block of 64 rows */
  viol: Float64Array;
  /** per chunk: a block of F and one of G, component-major (2·64·k values) */
  packed: FloatArray;
  /** the L1 penalty of the sweep (the kernel reads it from memory) */
  l1: FloatArray;
}

/** The scratch arrays for sweeps of up to `rows` rows of k components, cut into at most `chunks` parts. */
export function halsScratchSpecs(rows: number, k: number, kind: 'f64' | 'f32', chunks: number) {
  return { viol: ['f64', Math.ceil(rows / BLOCK)], packed: [kind, chunks * 2 * BLOCK * k], l1: [kind, 1] } as const;
}

/**
 * A factor's layout: element (i, t) (row i, component t) at i·k + t when `ld` is 0 (row-major, as W
 * and Hᵀ), else at t·ld + i (component-major, as H with ld = n).
 */
export interface Layout {
  ld: number;
}

/**
 * Sweeps the k components of `rows` rows of F in `order`; G is the cross product (l1 is subtracted
 * from it on the fly, as scikit-learn subtracts it beforehand), M the k×k Gram matrix (L2 on its
 * diagonal). Returns Σ|projected gradient|.
 */
export function halsSweep(
  F: FloatArray, Fl: Layout, G: FloatArray, Gl: Layout, M: FloatArray, order: Int32Array, rows: number, k: number, l1: number, scratch: HalsScratch,
): number {
  checkShapes('halsSweep', { rows, k }, [['F', F, rows * k], ['G', G, rows * k], ['M', M, k * k], ['order', order, k], ['viol', scratch.viol, Math.ceil(rows / BLOCK)]]);
  const blocks = Math.ceil(rows / BLOCK);
  const same = [G, M, scratch.packed, scratch.l1].every((a) => a.constructor === F.constructor);
  const wasm = same ? wasmFor(F, G, M, order, scratch.viol, scratch.packed, scratch.l1) : null;
  if (wasm === null) halsJs(F, Fl, G, Gl, M, order, rows, k, l1, scratch.viol);
  else {
    const S = F.BYTES_PER_ELEMENT;
    const packedBytes = 2 * BLOCK * k * S;
    const capacity = scratch.packed.length / (2 * BLOCK * k);
    scratch.l1[0] = l1;
    const at = (A: FloatArray, l: Layout, i: number) => A.byteOffset + (l.ld === 0 ? i * k : i) * S;
    runSplit(wasm, typed('hals', F), rows * k * k, rows, BLOCK, (i0, i1, chunk) => {
      if (chunk >= capacity) throw new RangeError(`halsSweep: scratch for ${capacity} chunks, chunk ${chunk} asked`);
      return [at(F, Fl, i0), at(G, Gl, i0), M.byteOffset, order.byteOffset, scratch.viol.byteOffset + (i0 / BLOCK) * 8,
        scratch.packed.byteOffset + chunk * packedBytes, i1 - i0, k, Fl.ld, Gl.ld, scratch.l1.byteOffset];
    });
  }
  let violation = 0;
  for (let b = 0; b < blocks; b++) violation += scratch.viol[b];
  return violation;
}

/**
 * halsSweep's arithmetic in JS, block by block as the kernel does it: each grad summed over r in
 * order; |pg| summed per vector lane (row i in lane i mod lanes) over components then rows, the
 * lanes added at the block's end (float32: all in float32).
 */
function halsJs(F: FloatArray, Fl: Layout, G: FloatArray, Gl: Layout, M: FloatArray, order: Int32Array, rows: number, k: number, l1: number, viol: Float64Array): void {
  const f32 = F instanceof Float32Array;
  const round = f32 ? Math.fround : (x: number) => x;
  const lanes = f32 ? 4 : 2;
  const penalty = round(l1);
  const at = (l: Layout, i: number, t: number) => (l.ld === 0 ? i * k + t : t * l.ld + i);
  for (let i0 = 0; i0 < rows; i0 += BLOCK) {
    const i1 = Math.min(rows, i0 + BLOCK);
    const lane = new Array<number>(lanes).fill(0);
    for (let s = 0; s < k; s++) {
      const t = order[s], hess = M[t * k + t];
      for (let i = i0; i < i1; i++) {
        let grad = -round(G[at(Gl, i, t)] - penalty);
        for (let r = 0; r < k; r++) grad = round(grad + round(M[t * k + r] * F[at(Fl, i, r)]));
        const ft = at(Fl, i, t), f = F[ft];
        const pg = f === 0 ? (grad < 0 ? grad : 0) : grad;
        lane[(i - i0) % lanes] = round(lane[(i - i0) % lanes] + Math.abs(pg));
        if (hess !== 0) {
          const x = round(f - round(grad / hess));
          F[ft] = x < 0 ? 0 : x;
        }
      }
    }
    viol[i0 / BLOCK] = f32 ? round(round(lane[0] + lane[1]) + round(lane[2] + lane[3])) : lane[0] + lane[1];
  }
}

/** B[c, r] = A[r, c] for A rows × cols (row-major); B is cols × rows. */
export function transpose(A: FloatArray, B: FloatArray, rows: number, cols: number): void {
  checkShapes('transpose', { rows, cols }, [['A', A, rows * cols], ['B', B, rows * cols]]);
  const wasm = A.constructor === B.constructor ? wasmFor(A, B) : null;
  if (wasm !== null) wasm.exports[typed('transpose', A)](A.byteOffset, B.byteOffset, rows, cols);
  else for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) B[c * rows + r] = A[r * cols + c];
}
