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
//
// Threads: where SharedArrayBuffer and workers exist, a workspace's memory is shared, and a call
// big enough to pay for the handover (MIN_SHARE_WORK per thread) is cut into chunks, disjoint
// parts of its output that the threads claim one at a time (threads.ts): abt and ab by rows,
// atbAdd by columns of C (so no two threads accumulate into one element), the elementwise kernels
// by elements. Each element is computed by the same instructions however the call is cut, so
// results do not depend on the number of threads.

import { EPSILON } from '../../numerics.js';
import { GEMM_WASM_BASE64, GEMM_WASM_SHARED_BASE64 } from './gemm-wasm.js';
import { createTeam, defaultThreads, MAX_CHUNKS, MAX_THREADS, threadsSupported, type Team } from './threads.js';

export { workerChunks } from './threads.js';

/** One block of WASM memory holding every float64 array a fit uses (views stay valid: the memory never grows after creation). */
export interface Workspace {
  /** A 16-byte aligned, zero-filled view of `length` doubles; throws once the workspace is full. */
  alloc(length: number): Float64Array;
  /** True when arrays from this workspace run the WASM SIMD kernels. */
  readonly simd: boolean;
  /** Threads the kernels may run on, the calling thread included (1: no worker threads). */
  readonly threads: number;
  /**
   * Starts the worker threads (otherwise started by the first call big enough to split) and
   * resolves once every one holds the memory; until then calls run on the threads that do.
   */
  ready(): Promise<void>;
  /** Releases the worker threads' hold on the memory; later calls run on the calling thread. Safe to call twice. */
  destroy(): void;
}

export interface WorkspaceOptions {
  /** Threads for the kernels, the calling thread included. Default: the number of cores, at most 8. */
  threads?: number;
}

type KernelName = 'abt' | 'ab' | 'atbAdd' | 'ratio' | 'ratioSq' | 'reciprocal';
type GemmExports = Record<KernelName, (...args: number[]) => void>;
// The exports' parameters (byte offsets, then sizes), as gemm.wat declares them:
//   abt(A, B, C, m, n, k)   ab(A, B, C, m, k, n)   atbAdd(A, B, C, m, k, n, ld)
//   ratio(X, WH, V, len)    ratioSq(X, WH, V, len) reciprocal(WH, D, len)

/** The kernels on one memory: its instance, and the worker threads that also run them on it (given the module and memory when they start). */
interface Kernels {
  readonly exports: GemmExports;
  readonly team: Team | null;
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
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

// undefined: not tried yet; null: this host cannot run the module (no WebAssembly, no SIMD, or for
// the shared variant no WASM threads).
const gemmModules: { plain?: WebAssembly.Module | null; shared?: WebAssembly.Module | null } = {};

/** The compiled kernels, once per process. Validating the module itself is the feature test. */
function compiledGemm(variant: 'plain' | 'shared'): WebAssembly.Module | null {
  if (gemmModules[variant] === undefined) {
    gemmModules[variant] = null;
    if (typeof WebAssembly === 'object' && typeof atob === 'function') {
      const base64 = variant === 'plain' ? GEMM_WASM_BASE64 : GEMM_WASM_SHARED_BASE64;
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      if (WebAssembly.validate(bytes)) gemmModules[variant] = new WebAssembly.Module(bytes);
    }
  }
  return gemmModules[variant];
}

/** Kernels by the memory buffer they run on (a memory that never grows keeps its buffer). */
const kernelsByBuffer = new WeakMap<ArrayBufferLike, Kernels>();

/** A shared memory and the module for it, or null where threads are unavailable. */
function sharedMemory(pages: number): { memory: WebAssembly.Memory; module: WebAssembly.Module } | null {
  if (!threadsSupported()) return null;
  const module = compiledGemm('shared');
  if (module === null) return null;
  try {
    return { memory: new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true }), module };
  } catch {
    return null; // e.g. a browser that is not cross-origin isolated after all
  }
}

export function createWorkspace(totalLength: number, options: WorkspaceOptions = {}): Workspace {
  if (!Number.isSafeInteger(totalLength) || totalLength < 0) {
    throw new RangeError(`createWorkspace: totalLength must be a non-negative integer. Got ${totalLength} instead.`);
  }
  const requested = options.threads ?? defaultThreads();
  if (!Number.isSafeInteger(requested) || requested < 1) {
    throw new RangeError(`createWorkspace: threads must be a positive integer. Got ${requested} instead.`);
  }
  const bytes = totalLength * Float64Array.BYTES_PER_ELEMENT;
  const pages = Math.max(1, Math.ceil(bytes / WASM_PAGE_BYTES));
  const plain = compiledGemm('plain');
  let buffer: ArrayBufferLike;
  let kernels: Kernels | null = null;
  if (plain !== null && pages <= MAX_WASM_PAGES) {
    const threads = Math.min(requested, MAX_THREADS);
    const shared = threads > 1 ? sharedMemory(pages) : null;
    // initial = maximum: the memory cannot grow, so views into it are never detached.
    const memory = shared?.memory ?? new WebAssembly.Memory({ initial: pages, maximum: pages });
    const module = shared?.module ?? plain;
    const instance = new WebAssembly.Instance(module, { env: { memory } });
    buffer = memory.buffer;
    const team = shared !== null ? createTeam(buffer, threads) : null;
    kernels = { exports: instance.exports as unknown as GemmExports, team, module, memory };
    kernelsByBuffer.set(buffer, kernels);
  } else {
    buffer = new ArrayBuffer(bytes);
  }
  const team = kernels?.team ?? null;
  let used = 0; // doubles handed out, including padding
  return {
    simd: kernels !== null,
    threads: team?.threads ?? 1,
    ready: async () => {
      if (kernels !== null) await team?.ready(kernels.module, kernels.memory);
    },
    destroy: () => team?.destroy(),
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

/**
 * Work (multiply-adds) each thread must get for a call to be split: below it the handover costs
 * more than it saves. On 2 cores (bench/gemm.ts, and the β ≠ 2 row-block loop of a 2000×1000,
 * k = 20 fit) 100k beat 200k (16-row blocks: 15 vs 22 ms per iteration) and 50k gained nothing more.
 */
const MIN_SHARE_WORK = 100_000;
/**
 * A split call is cut into this many chunks per thread, so a thread that wakes late or runs on a
 * busy core claims fewer. 2 beat 4 and 8 (atbAdd of 2000×1000: 2.4 vs 3.6 and 2.9 ms).
 */
const CHUNKS_PER_THREAD = 2;
/** One elementwise term (a division) costs about this many multiply-adds (ratio of 16k elements: 10 µs; abt of 320k multiply-adds: 32 µs). */
const ELEMENT_WORK = 6;
/**
 * Chunks start on multiples of these: abt's and ab's 4-row tiles; 64 columns of atbAdd (a C of
 * 20 columns, Wᵀ·W, is not split: its rows share cache lines, so two threads ran it slower than one);
 * cache lines (8 doubles) of elements.
 */
const ROW_GRAIN = 4;
const COLUMN_GRAIN = 64;
const ELEMENT_GRAIN = 8;

let minShareWork = MIN_SHARE_WORK;

/** For tests and benchmarks only: split calls with at least `work` multiply-adds per thread (no argument: the default). */
export function setMinShareWork(work: number = MIN_SHARE_WORK): void {
  minShareWork = work;
}

/** The WASM kernels if A, B and C all live in the same workspace memory, else null. */
function wasmFor(A: Float64Array, B: Float64Array, C: Float64Array): Kernels | null {
  if (jsKernelsForced) return null;
  const kernels = kernelsByBuffer.get(C.buffer);
  return kernels !== undefined && A.buffer === C.buffer && B.buffer === C.buffer ? kernels : null;
}

/**
 * Runs export `kernel` over `units` (rows, columns or elements) of output: on the calling thread
 * alone, or on up to one thread per minShareWork of the call's `work`, cut into chunks that start
 * where `phase` + unit is a multiple of `grain`. `args(u0, u1)` are the export's arguments for units [u0, u1).
 */
function runSplit(
  wasm: Kernels, kernel: KernelName, work: number, units: number, grain: number,
  args: (u0: number, u1: number) => number[], phase = 0,
): void {
  const most = minShareWork > 0 ? Math.floor(work / minShareWork) : Infinity; // threads the work pays for
  const team = wasm.team;
  const threads = team === null || most < 2 || units <= grain ? 1 : Math.min(team.available(wasm.module, wasm.memory), most);
  const chunks = Math.min(Math.ceil(units / grain), threads * CHUNKS_PER_THREAD, MAX_CHUNKS);
  if (team === null || threads <= 1) {
    wasm.exports[kernel](...args(0, units));
    return;
  }
  const parts: number[][] = [];
  for (let c = 0, u0 = 0; c < chunks; c++) {
    const u1 = c === chunks - 1 ? units : Math.min(units, Math.round(((c + 1) * units) / chunks / grain + phase / grain) * grain - phase);
    if (u1 > u0) parts.push(args(u0, u1));
    u0 = Math.max(u0, u1);
  }
  team.run(wasm.exports, kernel, parts, threads);
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

const F64 = Float64Array.BYTES_PER_ELEMENT;
/** Doubles from the last 64-byte cache line boundary to the start of `a`: runSplit's phase for chunks on whole lines. */
const linePhase = (a: Float64Array): number => (a.byteOffset / F64) % 8;

/** C[m×k] = A[m×n] · B[k×n]ᵀ. */
export function abt(A: Float64Array, B: Float64Array, C: Float64Array, m: number, n: number, k: number): void {
  checkShapes('abt', { m, n, k }, [['A', A, m * n], ['B', B, k * n], ['C', C, m * k]]);
  const wasm = wasmFor(A, B, C);
  if (wasm === null) abtJs(A, B, C, m, n, k);
  else {
    runSplit(wasm, 'abt', m * n * k, m, ROW_GRAIN, (i0, i1) =>
      [A.byteOffset + i0 * n * F64, B.byteOffset, C.byteOffset + i0 * k * F64, i1 - i0, n, k]);
  }
}

/** C[m×n] = A[m×k] · B[k×n]. */
export function ab(A: Float64Array, B: Float64Array, C: Float64Array, m: number, k: number, n: number): void {
  checkShapes('ab', { m, k, n }, [['A', A, m * k], ['B', B, k * n], ['C', C, m * n]]);
  const wasm = wasmFor(A, B, C);
  if (wasm === null) abJs(A, B, C, m, k, n);
  else {
    runSplit(wasm, 'ab', m * k * n, m, ROW_GRAIN, (i0, i1) =>
      [A.byteOffset + i0 * k * F64, B.byteOffset, C.byteOffset + i0 * n * F64, i1 - i0, k, n]);
  }
}

/** C[k×n] += A[m×k]ᵀ · B[m×n]. */
export function atbAdd(A: Float64Array, B: Float64Array, C: Float64Array, m: number, k: number, n: number): void {
  checkShapes('atbAdd', { m, k, n }, [['A', A, m * k], ['B', B, m * n], ['C', C, k * n]]);
  const wasm = wasmFor(A, B, C);
  if (wasm === null) atbAddJs(A, B, C, m, k, n);
  else {
    // Chunks start on cache lines of C's first row (of every row when n is a multiple of 8), so
    // two threads accumulating into neighbouring columns rarely write one line.
    runSplit(wasm, 'atbAdd', m * k * n, n, COLUMN_GRAIN, (j0, j1) =>
      [A.byteOffset, B.byteOffset + j0 * F64, C.byteOffset + j0 * F64, m, k, j1 - j0, n], linePhase(C));
  }
}

// The elementwise terms of the KL and Itakura-Saito updates; WH == 0 becomes EPSILON before dividing.

/** Arguments of an elementwise export for elements [q0, q1) of arrays at these byte offsets, then the count. */
const elementArgs = (offsets: number[]) => (q0: number, q1: number): number[] => [...offsets.map((o) => o + q0 * F64), q1 - q0];

/** V = X / WH over len entries (KL numerator). */
export function ratio(X: Float64Array, WH: Float64Array, V: Float64Array, len: number): void {
  checkShapes('ratio', { len }, [['X', X, len], ['WH', WH, len], ['V', V, len]]);
  const wasm = wasmFor(X, WH, V);
  if (wasm !== null) runSplit(wasm, 'ratio', len * ELEMENT_WORK, len, ELEMENT_GRAIN, elementArgs([X.byteOffset, WH.byteOffset, V.byteOffset]), linePhase(V));
  else for (let q = 0; q < len; q++) V[q] = X[q] / (WH[q] === 0 ? EPSILON : WH[q]);
}

/** V = (1/WH)²·X over len entries (IS numerator, in scikit-learn's order of operations). */
export function ratioSq(X: Float64Array, WH: Float64Array, V: Float64Array, len: number): void {
  checkShapes('ratioSq', { len }, [['X', X, len], ['WH', WH, len], ['V', V, len]]);
  const wasm = wasmFor(X, WH, V);
  if (wasm !== null) runSplit(wasm, 'ratioSq', len * ELEMENT_WORK, len, ELEMENT_GRAIN, elementArgs([X.byteOffset, WH.byteOffset, V.byteOffset]), linePhase(V));
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
  if (wasm !== null) runSplit(wasm, 'reciprocal', len * ELEMENT_WORK, len, ELEMENT_GRAIN, elementArgs([WH.byteOffset, D.byteOffset]), linePhase(D));
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
