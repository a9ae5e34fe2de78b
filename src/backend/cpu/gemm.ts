// Float64 dense products for the CPU backend: WebAssembly SIMD kernels (gemm.wat) on arrays that
// live in a Workspace's memory, with plain-JS loops of the same math for everything else (a host
// without WASM SIMD, or arrays from elsewhere). Row-major throughout:
//
//   abt    C[m×k]  = A[m×n] · B[k×n]ᵀ    (X·Hᵀ)
//   ab     C[m×n]  = A[m×k] · B[k×n]     (a block of rows of W·H)
//   atbAdd C[k×n] += A[m×k]ᵀ · B[m×n]    (Wᵀ·X, summed over row blocks)
//
// and the KL / Itakura-Saito elementwise terms (ratio, ratioSq, reciprocal).
//
// Any argument may be a subarray view (e.g. a block of rows); WASM receives its byteOffset. C must
// not overlap A or B.

import { EPSILON } from '../../numerics.js';
import { GEMM_WASM_BASE64 } from './gemm-wasm.js';

/** One block of WASM memory holding every float64 array a fit uses (views stay valid: the memory never grows after creation). */
export interface Workspace {
  /** A 16-byte aligned, zero-filled view of `length` doubles; throws once the workspace is full. */
  alloc(length: number): Float64Array;
  /** True when arrays from this workspace run the WASM SIMD kernels. */
  readonly simd: boolean;
}

interface GemmExports {
  abt(A: number, B: number, C: number, m: number, n: number, k: number): void;
  ab(A: number, B: number, C: number, m: number, k: number, n: number): void;
  atbAdd(A: number, B: number, C: number, m: number, k: number, n: number): void;
  ratio(X: number, WH: number, V: number, len: number): void;
  ratioSq(X: number, WH: number, V: number, len: number): void;
  reciprocal(WH: number, D: number, len: number): void;
}

/** Allocations start on 16-byte boundaries (2 doubles) so v128 accesses are aligned. */
const ALIGN_DOUBLES = 2;
const WASM_PAGE_BYTES = 65536;
/** wasm32 addresses 4 GiB at most; a larger workspace falls back to a plain buffer and JS loops. */
const MAX_WASM_PAGES = 65536;

const roundUp = (length: number): number => Math.ceil(length / ALIGN_DOUBLES) * ALIGN_DOUBLES;

/** Doubles to pass to createWorkspace for arrays of these lengths (includes alignment padding). */
export const workspaceLength = (lengths: number[]): number =>
  lengths.reduce((total, length) => total + roundUp(length), 0);

// undefined: not tried yet; null: this host cannot run the module (no WebAssembly, or no SIMD).
let gemmModule: WebAssembly.Module | null | undefined;

/** The compiled kernels, once per process. Validating the module itself is the SIMD feature test. */
function compiledGemm(): WebAssembly.Module | null {
  if (gemmModule === undefined) {
    gemmModule = null;
    if (typeof WebAssembly === 'object' && typeof atob === 'function') {
      const bytes = Uint8Array.from(atob(GEMM_WASM_BASE64), (c) => c.charCodeAt(0));
      if (WebAssembly.validate(bytes)) gemmModule = new WebAssembly.Module(bytes);
    }
  }
  return gemmModule;
}

/** Kernels by the memory buffer they run on (a memory that never grows keeps its buffer). */
const kernelsByBuffer = new WeakMap<ArrayBufferLike, GemmExports>();

export function createWorkspace(totalLength: number): Workspace {
  if (!Number.isSafeInteger(totalLength) || totalLength < 0) {
    throw new RangeError(`createWorkspace: totalLength must be a non-negative integer. Got ${totalLength} instead.`);
  }
  const bytes = totalLength * Float64Array.BYTES_PER_ELEMENT;
  const pages = Math.max(1, Math.ceil(bytes / WASM_PAGE_BYTES));
  const module = compiledGemm();
  let buffer: ArrayBufferLike;
  let simd = false;
  if (module !== null && pages <= MAX_WASM_PAGES) {
    // initial = maximum: the memory cannot grow, so views into it are never detached.
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    const instance = new WebAssembly.Instance(module, { env: { memory } });
    buffer = memory.buffer;
    kernelsByBuffer.set(buffer, instance.exports as unknown as GemmExports);
    simd = true;
  } else {
    buffer = new ArrayBuffer(bytes);
  }
  let used = 0; // doubles handed out, including padding
  return {
    simd,
    alloc(length: number): Float64Array {
      if (!Number.isSafeInteger(length) || length < 0) {
        throw new RangeError(`Workspace.alloc: length must be a non-negative integer. Got ${length} instead.`);
      }
      if (used + length > totalLength) {
        throw new RangeError(
          `Workspace.alloc: ${length} doubles requested, ${totalLength - used} left of ${totalLength}; ` +
            'size the workspace with workspaceLength().',
        );
      }
      const view = new Float64Array(buffer, used * Float64Array.BYTES_PER_ELEMENT, length);
      used = Math.min(totalLength, used + roundUp(length));
      return view;
    },
  };
}

let jsKernelsForced = false;

/** For tests and benchmarks only: `true` routes every product to the plain-JS loops. */
export function forceJsKernels(on: boolean): void {
  jsKernelsForced = on;
}

/** The WASM kernels if A, B and C all live in the same workspace memory, else null. */
function wasmFor(A: Float64Array, B: Float64Array, C: Float64Array): GemmExports | null {
  if (jsKernelsForced) return null;
  const kernels = kernelsByBuffer.get(C.buffer);
  return kernels !== undefined && A.buffer === C.buffer && B.buffer === C.buffer ? kernels : null;
}

/** Guards the WASM memory: a short view would let a kernel overwrite a neighbouring array. */
function checkShapes(kernel: string, dims: Record<string, number>, arrays: [string, Float64Array, number][]): void {
  for (const [name, value] of Object.entries(dims)) {
    if (!Number.isInteger(value) || value < 0) {
      throw new RangeError(`${kernel}: ${name} must be a non-negative integer. Got ${value} instead.`);
    }
  }
  for (const [name, array, length] of arrays) {
    if (array.length < length) {
      throw new RangeError(`${kernel}: ${name} has ${array.length} elements, needs ${length}.`);
    }
  }
}

/** C[m×k] = A[m×n] · B[k×n]ᵀ. */
export function abt(A: Float64Array, B: Float64Array, C: Float64Array, m: number, n: number, k: number): void {
  checkShapes('abt', { m, n, k }, [['A', A, m * n], ['B', B, k * n], ['C', C, m * k]]);
  const wasm = wasmFor(A, B, C);
  if (wasm !== null) wasm.abt(A.byteOffset, B.byteOffset, C.byteOffset, m, n, k);
  else abtJs(A, B, C, m, n, k);
}

/** C[m×n] = A[m×k] · B[k×n]. */
export function ab(A: Float64Array, B: Float64Array, C: Float64Array, m: number, k: number, n: number): void {
  checkShapes('ab', { m, k, n }, [['A', A, m * k], ['B', B, k * n], ['C', C, m * n]]);
  const wasm = wasmFor(A, B, C);
  if (wasm !== null) wasm.ab(A.byteOffset, B.byteOffset, C.byteOffset, m, k, n);
  else abJs(A, B, C, m, k, n);
}

/** C[k×n] += A[m×k]ᵀ · B[m×n]. */
export function atbAdd(A: Float64Array, B: Float64Array, C: Float64Array, m: number, k: number, n: number): void {
  checkShapes('atbAdd', { m, k, n }, [['A', A, m * k], ['B', B, m * n], ['C', C, k * n]]);
  const wasm = wasmFor(A, B, C);
  if (wasm !== null) wasm.atbAdd(A.byteOffset, B.byteOffset, C.byteOffset, m, k, n);
  else atbAddJs(A, B, C, m, k, n);
}

// The elementwise terms of the KL and Itakura-Saito updates; WH == 0 becomes EPSILON before dividing.

/** V = X / WH over len entries (KL numerator). */
export function ratio(X: Float64Array, WH: Float64Array, V: Float64Array, len: number): void {
  checkShapes('ratio', { len }, [['X', X, len], ['WH', WH, len], ['V', V, len]]);
  const wasm = wasmFor(X, WH, V);
  if (wasm !== null) wasm.ratio(X.byteOffset, WH.byteOffset, V.byteOffset, len);
  else for (let q = 0; q < len; q++) V[q] = X[q] / (WH[q] === 0 ? EPSILON : WH[q]);
}

/** V = (1/WH)²·X over len entries (IS numerator, in scikit-learn's order of operations). */
export function ratioSq(X: Float64Array, WH: Float64Array, V: Float64Array, len: number): void {
  checkShapes('ratioSq', { len }, [['X', X, len], ['WH', WH, len], ['V', V, len]]);
  const wasm = wasmFor(X, WH, V);
  if (wasm !== null) wasm.ratioSq(X.byteOffset, WH.byteOffset, V.byteOffset, len);
  else {
    for (let q = 0; q < len; q++) {
      const inv = 1 / (WH[q] === 0 ? EPSILON : WH[q]);
      V[q] = inv * inv * X[q];
    }
  }
}

/** D = 1/WH over len entries (IS denominator). */
export function reciprocal(WH: Float64Array, D: Float64Array, len: number): void {
  checkShapes('reciprocal', { len }, [['WH', WH, len], ['D', D, len]]);
  const wasm = wasmFor(WH, WH, D);
  if (wasm !== null) wasm.reciprocal(WH.byteOffset, D.byteOffset, len);
  else for (let q = 0; q < len; q++) D[q] = 1 / (WH[q] === 0 ? EPSILON : WH[q]);
}

// Plain-JS fallbacks, blocked like gemm.wat at a smaller scale: abt shares each load among a 4×2
// tile of dot products; ab and atbAdd update a row of C with 4 rows of B per pass.

function abtJs(A: Float64Array, B: Float64Array, C: Float64Array, m: number, n: number, k: number): void {
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

function abJs(A: Float64Array, B: Float64Array, C: Float64Array, m: number, k: number, n: number): void {
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

function atbAddJs(A: Float64Array, B: Float64Array, C: Float64Array, m: number, k: number, n: number): void {
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
