// Dense products for the CPU backend: WebAssembly SIMD kernels (gemm.wat) on arrays that live in a
// Workspace's memory (workspace.ts), with plain-JS loops of the same math for everything else (a
// host without WASM SIMD, or arrays from elsewhere). Row-major throughout:
//
//   abt    C[m×k]  = A[m×n] · B[k×n]ᵀ    (X·Hᵀ)
//   ab     C[m×n]  = A[m×k] · B[k×n]     (a block of rows of W·H)
//   atbAdd C[k×n] += A[m×k]ᵀ · B[m×n]    (Wᵀ·X, summed over row blocks)
//
// and the KL / Itakura-Saito elementwise terms (ratio, ratioSq, reciprocal).
//
// Any argument may be a subarray view (e.g. a block of rows); WASM receives its byteOffset. C must
// not overlap A or B.
//
// Threads: where SharedArrayBuffer and workers exist, a workspace's memory is shared, and a call
// big enough to pay for the handover (MIN_SHARE_WORK per thread) is cut into chunks, disjoint
// parts of its output that the threads claim one at a time (threads.ts): abt and ab by rows,
// atbAdd by columns of C (so no two threads accumulate into one element), the elementwise kernels
// by elements. Each element is computed by the same instructions however the call is cut, so
// results do not depend on the number of threads.

import { EPSILON } from '../../numerics.js';
import { checkShapes, runSplit, typed, wasmFor, type FloatArray, type Kernels } from './workspace.js';

export {
  allocateArrays, createWorkspace, forceJsKernels, heldMemory, releaseIdleMemory, setMinShareWork, workerChunks,
  workspaceLength, workspaceLengthOf, type Workspace, type WorkspaceOptions,
} from './workspace.js';

/** One elementwise term (a division) costs about this many multiply-adds (ratio of 16k elements: 10 µs; abt of 320k multiply-adds: 32 µs). */
const ELEMENT_WORK = 6;
/**
 * Chunks start on multiples of these: abt's and ab's 4-row tiles; 64 columns of atbAdd (a C of
 * 20 columns, Wᵀ·W, is not split: its rows share cache lines, so two threads ran it slower than one);
 * cache lines (64 bytes: 8 doubles, 16 floats) of elements.
 */
const ROW_GRAIN = 4;
const COLUMN_GRAIN = 64;
const LINE_BYTES = 64;

/** gemm.wat's kernels, when every array is a view of one workspace, all of one float type. */
function denseWasm(...arrays: FloatArray[]): Kernels | null {
  return arrays.every((a) => a.constructor === arrays[0].constructor) ? wasmFor(...arrays) : null;
}

/** Elements from the last cache line boundary to the start of `a`: runSplit's phase for chunks on whole lines. */
const linePhase = (a: FloatArray): number => (a.byteOffset % LINE_BYTES) / a.BYTES_PER_ELEMENT;
/** Elements per cache line. */
const lineGrain = (a: FloatArray): number => LINE_BYTES / a.BYTES_PER_ELEMENT;

/** C[m×k] = A[m×n] · B[k×n]ᵀ. */
export function abt(A: FloatArray, B: FloatArray, C: FloatArray, m: number, n: number, k: number): void {
  checkShapes('abt', { m, n, k }, [['A', A, m * n], ['B', B, k * n], ['C', C, m * k]]);
  const wasm = denseWasm(A, B, C);
  if (wasm === null) abtJs(A, B, C, m, n, k);
  else {
    const S = C.BYTES_PER_ELEMENT;
    runSplit(wasm, typed('abt', C), m * n * k, m, ROW_GRAIN, (i0, i1) =>
      [A.byteOffset + i0 * n * S, B.byteOffset, C.byteOffset + i0 * k * S, i1 - i0, n, k]);
  }
}

/** C[m×n] = A[m×k] · B[k×n]. */
export function ab(A: FloatArray, B: FloatArray, C: FloatArray, m: number, k: number, n: number): void {
  checkShapes('ab', { m, k, n }, [['A', A, m * k], ['B', B, k * n], ['C', C, m * n]]);
  const wasm = denseWasm(A, B, C);
  if (wasm === null) abJs(A, B, C, m, k, n);
  else {
    const S = C.BYTES_PER_ELEMENT;
    // X = 0, ratio = 0: the plain product (mu.wat asks ab for X / (A·B))
    runSplit(wasm, typed('ab', C), m * k * n, m, ROW_GRAIN, (i0, i1) =>
      [A.byteOffset + i0 * k * S, B.byteOffset, C.byteOffset + i0 * n * S, i1 - i0, k, n, 0, 0]);
  }
}

/** C[k×n] += A[m×k]ᵀ · B[m×n]. */
export function atbAdd(A: FloatArray, B: FloatArray, C: FloatArray, m: number, k: number, n: number): void {
  checkShapes('atbAdd', { m, k, n }, [['A', A, m * k], ['B', B, m * n], ['C', C, k * n]]);
  const wasm = denseWasm(A, B, C);
  if (wasm === null) atbAddJs(A, B, C, m, k, n);
  else {
    // Chunks start on cache lines of C's first row (of every row when n is a multiple of 8), so
    // two threads accumulating into neighbouring columns rarely write one line.
    const S = C.BYTES_PER_ELEMENT;
    runSplit(wasm, typed('atbAdd', C), m * k * n, n, COLUMN_GRAIN, (j0, j1) =>
      [A.byteOffset, B.byteOffset + j0 * S, C.byteOffset + j0 * S, m, k, j1 - j0, n], linePhase(C));
  }
}

// The elementwise terms of the KL and Itakura-Saito updates; WH == 0 becomes EPSILON before dividing.

/** Runs elementwise export `family` on `len` elements of `arrays` (the output last), cut on cache lines of the output. */
function runElements(wasm: Kernels, family: string, arrays: FloatArray[], len: number): void {
  const out = arrays[arrays.length - 1], S = out.BYTES_PER_ELEMENT;
  runSplit(wasm, typed(family, out), len * ELEMENT_WORK, len, lineGrain(out), (q0, q1) =>
    [...arrays.map((a) => a.byteOffset + q0 * S), q1 - q0], linePhase(out));
}

/** V = X / WH over len entries (KL numerator). */
export function ratio(X: FloatArray, WH: FloatArray, V: FloatArray, len: number): void {
  checkShapes('ratio', { len }, [['X', X, len], ['WH', WH, len], ['V', V, len]]);
  const wasm = denseWasm(X, WH, V);
  if (wasm !== null) runElements(wasm, 'ratio', [X, WH, V], len);
  else for (let q = 0; q < len; q++) V[q] = X[q] / (WH[q] === 0 ? EPSILON : WH[q]);
}

/** V = (1/WH)²·X over len entries (IS numerator, in scikit-learn's order of operations). */
export function ratioSq(X: FloatArray, WH: FloatArray, V: FloatArray, len: number): void {
  checkShapes('ratioSq', { len }, [['X', X, len], ['WH', WH, len], ['V', V, len]]);
  const wasm = denseWasm(X, WH, V);
  if (wasm !== null) runElements(wasm, 'ratioSq', [X, WH, V], len);
  else {
    for (let q = 0; q < len; q++) {
      const inv = 1 / (WH[q] === 0 ? EPSILON : WH[q]);
      V[q] = inv * inv * X[q];
    }
  }
}

/** D = 1/WH over len entries (IS denominator). */
export function reciprocal(WH: FloatArray, D: FloatArray, len: number): void {
  checkShapes('reciprocal', { len }, [['WH', WH, len], ['D', D, len]]);
  const wasm = denseWasm(WH, WH, D);
  if (wasm !== null) runElements(wasm, 'reciprocal', [WH, D], len);
  else for (let q = 0; q < len; q++) D[q] = 1 / (WH[q] === 0 ? EPSILON : WH[q]);
}

// Plain-JS fallbacks, blocked like gemm.wat at a smaller scale: abt shares each load among a 4×2
// tile of dot products; ab and atbAdd update a row of C with 4 rows of B per pass.

function abtJs(A: FloatArray, B: FloatArray, C: FloatArray, m: number, n: number, k: number): void {
  // Row tails are clamped to the last row and recomputed (C is assigned, so that is harmless).
  for (let i = 0; i < m; i += 4) {
    const i1 = Math.min(i + 1, m - 1), i2 = Math.min(i + 2, m - 1), i3 = Math.min(i + 3, m - 1);
    const a0 = i * n, a1 = i1 * n, a2 = i2 * n, a3 = i3 * n;
    for (let r = 0; r < k; r += 2) {
      const r1 = Math.min(r + 1, k - 1), b0 = r * n, b1 = r1 * n;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0, s20 = 0, s21 = 0, s30 = 0, s31 = 0;
      for (let j = 0; j < n; j++) {
        const y0 = B[b0 + j], y1 = B[b1 + j], x0 = A[a0 + j], x1 = A[a1 + j], x2 = A[a2 + j], x3 = A[a3 + j];
        s00 += x0 * y0; s01 += x0 * y1; s10 += x1 * y0; s11 += x1 * y1;
        s20 += x2 * y0; s21 += x2 * y1; s30 += x3 * y0; s31 += x3 * y1;
      }
      C[i * k + r] = s00; C[i * k + r1] = s01; C[i1 * k + r] = s10; C[i1 * k + r1] = s11;
      C[i2 * k + r] = s20; C[i2 * k + r1] = s21; C[i3 * k + r] = s30; C[i3 * k + r1] = s31;
    }
  }
}

function abJs(A: FloatArray, B: FloatArray, C: FloatArray, m: number, k: number, n: number): void {
  C.fill(0, 0, m * n);
  for (let i = 0; i < m; i++) {
    const a = i * k, c = i * n;
    let r = 0;
    for (; r + 3 < k; r += 4) {
      const w0 = A[a + r], w1 = A[a + r + 1], w2 = A[a + r + 2], w3 = A[a + r + 3];
      const b0 = r * n, b1 = b0 + n, b2 = b1 + n, b3 = b2 + n;
      for (let j = 0; j < n; j++) C[c + j] += w0 * B[b0 + j] + w1 * B[b1 + j] + w2 * B[b2 + j] + w3 * B[b3 + j];
    }
    for (; r < k; r++) {
      const w = A[a + r], b = r * n;
      for (let j = 0; j < n; j++) C[c + j] += w * B[b + j];
    }
  }
}

function atbAddJs(A: FloatArray, B: FloatArray, C: FloatArray, m: number, k: number, n: number): void {
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const a = i * k, b0 = i * n, b1 = b0 + n, b2 = b1 + n, b3 = b2 + n;
    for (let r = 0; r < k; r++) {
      const w0 = A[a + r], w1 = A[a + k + r], w2 = A[a + 2 * k + r], w3 = A[a + 3 * k + r], c = r * n;
      for (let j = 0; j < n; j++) C[c + j] += w0 * B[b0 + j] + w1 * B[b1 + j] + w2 * B[b2 + j] + w3 * B[b3 + j];
    }
  }
  for (; i < m; i++) {
    const a = i * k, b = i * n;
    for (let r = 0; r < k; r++) {
      const w = A[a + r], c = r * n;
      for (let j = 0; j < n; j++) C[c + j] += w * B[b + j];
    }
  }
}
