// The WebAssembly memory a CPU fit's arrays live in, the kernels on it, and how a kernel call is cut
// among threads. The kernels (every .wat part, one module: scripts/build-wasm.mjs) take byte offsets
// into the memory; gemm.ts, sparse.ts and hals.ts call them on arrays allocated here, and fall back to
// plain-JS loops of the same math for arrays from elsewhere or a host without WASM SIMD.
//
// Memory is reused, then released: a workspace takes an idle memory of the same thread count when
// one exists (growing it if it is too small) and gives it back on destroy(); a memory idle for
// IDLE_RELEASE_MS is dropped, its worker threads terminated (threads.ts starts fresh ones in their
// place that hold no memory, kept a while for the next fit), so the garbage collector frees it. Fits
// back to back (the nndsvd start then the fit, a benchmark's rounds, MiniBatchNMF's steps) reuse one
// memory and one set of warm workers; fits further apart get a new memory but find their threads
// started; a process that stops fitting holds no WebAssembly memory a moment later. Concurrent fits
// each hold their own.

import { GEMM_WASM_BASE64, GEMM_WASM_SHARED_BASE64 } from './gemm-wasm.js';
import { createTeam, defaultThreads, MAX_CHUNKS, MAX_THREADS, threadsSupported, type Team } from './threads.js';

export { endSpareWorkers, SPARE_WORKER_MS, workerChunks, workerThreads } from './threads.js';

export type FloatArray = Float64Array | Float32Array;
export type KernelArray = FloatArray | Int32Array;

/** One block of WASM memory holding the arrays of a fit (views stay valid until destroy()). */
export interface Workspace {
  /** A 16-byte aligned, zero-filled view of `length` doubles; throws once the workspace is full. */
  alloc(length: number): Float64Array;
  /** The same for float32 values. */
  allocFloat32(length: number): Float32Array;
  /** The same for int32 values (CSR indices). */
  allocInt32(length: number): Int32Array;
  /** True when arrays from this workspace run the WASM SIMD kernels. */
  readonly simd: boolean;
  /** Threads the kernels may run on, the calling thread included (1: no worker threads). */
  readonly threads: number;
  /**
   * Starts the worker threads (otherwise started by the first call big enough to split) and
   * resolves once every one holds the memory; until then calls run on the threads that do.
   */
  ready(): Promise<void>;
  /**
   * Gives the memory back for the next workspace (released once unused for IDLE_RELEASE_MS). Views
   * from this workspace must not be used afterwards: another fit may own those bytes. Safe to call twice.
   */
  destroy(): void;
}

export interface WorkspaceOptions {
  /** Threads for the kernels, the calling thread included. Default: the number of cores, at most 8. */
  threads?: number;
}

/** The kernels on one memory: its instance's exports, and the worker threads that also run them. */
export interface Kernels {
  readonly exports: Record<string, (...args: number[]) => number | void>;
  readonly team: Team | null;
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
}

/** A memory the pool hands out: its kernels, and whether a workspace holds it now. */
interface PooledMemory extends Kernels {
  readonly threads: number;
  busy: boolean;
  idleSince: number;
}

/** Allocations start on 16-byte boundaries so v128 accesses are aligned. */
const ALIGN_BYTES = 16;
/** Bytes past the last array a vector load may touch (its other lanes are discarded). */
const READ_SLACK = 16;
const WASM_PAGE_BYTES = 65536;
/** wasm32 addresses 4 GiB at most; a larger workspace falls back to a plain buffer and JS loops. */
const MAX_WASM_PAGES = 65536;
/** An idle memory is dropped (and its workers terminated, spare ones started in their place) after this long. */
export const IDLE_RELEASE_MS = 2000;

const roundUp = (bytes: number): number => Math.ceil(bytes / ALIGN_BYTES) * ALIGN_BYTES;

/** Doubles to pass to createWorkspace for float64 arrays of these lengths (includes alignment padding). */
export const workspaceLength = (lengths: number[]): number =>
  lengths.reduce((total, length) => total + roundUp(length * 8) / 8, 0);

/** Doubles to pass to createWorkspace for arrays of these kinds and lengths. */
export const workspaceLengthOf = (arrays: readonly (readonly [ArrayKind, number])[]): number =>
  arrays.reduce((total, [kind, length]) => total + roundUp(length * BYTES[kind]) / 8, 0);

export type ArrayKind = 'f64' | 'f32' | 'i32';
const BYTES: Record<ArrayKind, number> = { f64: 8, f32: 4, i32: 4 };
type ArrayOf<K extends ArrayKind> = K extends 'i32' ? Int32Array : K extends 'f32' ? Float32Array : Float64Array;

/** Allocates every named array in one workspace: `allocateArrays({ X: ['f64', m * n], … })`. */
export function allocateArrays<S extends Record<string, readonly [ArrayKind, number]>>(
  specs: S, options: WorkspaceOptions = {},
): { ws: Workspace; arrays: { [P in keyof S]: ArrayOf<S[P][0]> } } {
  const ws = createWorkspace(workspaceLengthOf(Object.values(specs)), options);
  const alloc = { f64: ws.alloc, f32: ws.allocFloat32, i32: ws.allocInt32 };
  const arrays = Object.fromEntries(Object.entries(specs).map(([name, [kind, length]]) => [name, alloc[kind](length)]));
  return { ws, arrays: arrays as { [P in keyof S]: ArrayOf<S[P][0]> } };
}

// undefined: not tried yet; null: this host cannot run the module (no WebAssembly, no SIMD, or for
// the shared variant no WASM threads).
const modules: { plain?: WebAssembly.Module | null; shared?: WebAssembly.Module | null } = {};

/** The compiled kernels, once per process. Validating the module itself is the feature test. */
function compiledKernels(variant: 'plain' | 'shared'): WebAssembly.Module | null {
  if (modules[variant] === undefined) {
    modules[variant] = null;
    if (typeof WebAssembly === 'object' && typeof atob === 'function') {
      const base64 = variant === 'plain' ? GEMM_WASM_BASE64 : GEMM_WASM_SHARED_BASE64;
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      if (WebAssembly.validate(bytes)) modules[variant] = new WebAssembly.Module(bytes);
    }
  }
  return modules[variant];
}

/** Kernels by the memory buffer they run on (re-registered when a memory grows and gets a new buffer). */
const kernelsByBuffer = new WeakMap<ArrayBufferLike, Kernels>();
/** Memories idle in the pool, most recently released last. */
let idle: PooledMemory[] = [];
let releaseTimer: ReturnType<typeof setTimeout> | undefined;

/** A new memory of `pages` (shared, with its team, when threads > 1 can run), or null without WASM SIMD. */
function newMemory(pages: number, threads: number): PooledMemory | null {
  const plain = compiledKernels('plain');
  if (plain === null) return null;
  let memory: WebAssembly.Memory | null = null;
  let module = plain;
  const sharedModule = threads > 1 && threadsSupported() ? compiledKernels('shared') : null;
  if (sharedModule !== null) {
    // A shared memory cannot move, so its maximum is reserved up front (address space only); where
    // the whole 4 GiB cannot be, one exactly this size still serves (it just cannot grow later).
    for (const maximum of [MAX_WASM_PAGES, pages]) {
      try {
        memory = new WebAssembly.Memory({ initial: pages, maximum, shared: true });
        module = sharedModule;
        break;
      } catch {
        // e.g. a browser that is not cross-origin isolated after all
      }
    }
  }
  memory ??= new WebAssembly.Memory({ initial: pages, maximum: MAX_WASM_PAGES });
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const team = module === plain ? null : createTeam(memory, threads);
  return { exports: instance.exports as Kernels['exports'], team, module, memory, threads: team?.threads ?? 1, busy: true, idleSince: 0 };
}

/** An idle memory of this thread count, grown to `pages`, or a new one. */
function acquireMemory(pages: number, requested: number): PooledMemory | null {
  const threads = requested > 1 && threadsSupported() && compiledKernels('shared') !== null ? Math.min(requested, MAX_THREADS) : 1;
  for (let i = idle.length - 1; i >= 0; i--) {
    const pooled = idle[i];
    if (pooled.threads !== threads) continue;
    const have = pooled.memory.buffer.byteLength / WASM_PAGE_BYTES;
    if (have < pages) {
      try {
        pooled.memory.grow(pages - have);
      } catch {
        continue; // at its maximum: leave it to the release timer
      }
    }
    idle.splice(i, 1);
    pooled.busy = true;
    return pooled;
  }
  return newMemory(pages, threads);
}

function releaseMemory(pooled: PooledMemory): void {
  if (!pooled.busy) return;
  pooled.busy = false;
  pooled.idleSince = Date.now();
  idle.push(pooled);
  scheduleRelease();
}

function scheduleRelease(): void {
  if (releaseTimer !== undefined || idle.length === 0) return;
  const due = Math.max(0, idle[0].idleSince + IDLE_RELEASE_MS - Date.now());
  releaseTimer = setTimeout(() => {
    releaseTimer = undefined;
    releaseIdleMemory(IDLE_RELEASE_MS);
    scheduleRelease();
  }, due);
  // An idle pool never keeps a Node process alive.
  (releaseTimer as { unref?: () => void }).unref?.();
}

/**
 * Drops the memories idle for at least `olderThanMs` (default: all of them) and terminates their
 * worker threads (spares that hold no memory take their place). Called by the idle timer; tests
 * call it to release at once.
 */
export function releaseIdleMemory(olderThanMs = 0): void {
  const now = Date.now();
  const keep: PooledMemory[] = [];
  for (const pooled of idle) {
    if (now - pooled.idleSince >= olderThanMs) pooled.team?.destroy();
    else keep.push(pooled);
  }
  idle = keep;
}

/** Bytes of the memories workspaces hold now. */
let busyBytes = 0;

/** Bytes of WebAssembly memory the CPU backend holds now: in use by workspaces, and idle in the pool. */
export function heldMemory(): { busy: number; idle: number } {
  return { busy: busyBytes, idle: idle.reduce((sum, p) => sum + p.memory.buffer.byteLength, 0) };
}

/** A workspace dropped without destroy() lets go of its memory when collected. */
const forgotten = new FinalizationRegistry<() => void>((release) => release());

export function createWorkspace(totalLength: number, options: WorkspaceOptions = {}): Workspace {
  if (!Number.isSafeInteger(totalLength) || totalLength < 0) {
    throw new RangeError(`createWorkspace: totalLength must be a non-negative integer. Got ${totalLength} instead.`);
  }
  const requested = options.threads ?? defaultThreads();
  if (!Number.isSafeInteger(requested) || requested < 1) {
    throw new RangeError(`createWorkspace: threads must be a positive integer. Got ${requested} instead.`);
  }
  const totalBytes = totalLength * 8;
  // READ_SLACK: a kernel's partial last vector may read (and discard) a few bytes past an array
  const pages = Math.max(1, Math.ceil((totalBytes + READ_SLACK) / WASM_PAGE_BYTES));
  const pooled = pages <= MAX_WASM_PAGES ? acquireMemory(pages, requested) : null;
  const buffer = pooled?.memory.buffer ?? new ArrayBuffer(totalBytes);
  if (pooled !== null) {
    kernelsByBuffer.set(buffer, pooled);
    busyBytes += buffer.byteLength;
  }
  let used = 0; // bytes handed out, including padding
  let released = false;
  // destroy() pools the memory for reuse; a workspace collected without it drops the memory (its
  // views may outlive it, so it is never handed to another workspace).
  const release = (reuse: boolean) => {
    if (released || pooled === null) return;
    released = true;
    busyBytes -= buffer.byteLength;
    if (reuse) releaseMemory(pooled);
    else pooled.team?.destroy();
  };
  const take = (length: number, bytesPer: number): number => {
    if (!Number.isSafeInteger(length) || length < 0) {
      throw new RangeError(`Workspace.alloc: length must be a non-negative integer. Got ${length} instead.`);
    }
    if (used + length * bytesPer > totalBytes) {
      throw new RangeError(
        `Workspace.alloc: ${length * bytesPer} bytes requested, ${totalBytes - used} left of ${totalBytes}; ` +
          'size the workspace with workspaceLength().',
      );
    }
    const offset = used;
    used = Math.min(totalBytes, used + roundUp(length * bytesPer));
    new Uint8Array(buffer, offset, length * bytesPer).fill(0); // a reused memory holds the last fit's values
    return offset;
  };
  const ws: Workspace = {
    simd: pooled !== null,
    threads: pooled?.team?.threads ?? 1,
    ready: async () => {
      if (pooled !== null && !released) await pooled.team?.ready(pooled.module, pooled.memory);
    },
    destroy: () => {
      forgotten.unregister(ws);
      release(true);
    },
    alloc: (length) => new Float64Array(buffer, take(length, 8), length),
    allocFloat32: (length) => new Float32Array(buffer, take(length, 4), length),
    allocInt32: (length) => new Int32Array(buffer, take(length, 4), length),
  };
  forgotten.register(ws, () => release(false), ws);
  return ws;
}

let jsKernelsForced = false;

/** For tests and benchmarks only: `true` routes every kernel to the plain-JS loops. */
export function forceJsKernels(on: boolean): void {
  jsKernelsForced = on;
}

/** The WASM kernels if every array lives in the same workspace memory, else null. */
export function wasmFor(...arrays: KernelArray[]): Kernels | null {
  if (jsKernelsForced) return null;
  const buffer = arrays[0].buffer;
  const kernels = kernelsByBuffer.get(buffer);
  return kernels !== undefined && arrays.every((a) => a.buffer === buffer) ? kernels : null;
}

/** The export of a kernel family for an array's float type: `abt_f64`, `spmm_f32`, … */
export const typed = (family: string, a: FloatArray): string => `${family}_${a instanceof Float32Array ? 'f32' : 'f64'}`;

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
export const CHUNKS_PER_THREAD = 2;

let minShareWork = MIN_SHARE_WORK;

/** For tests and benchmarks only: split calls with at least `work` multiply-adds per thread (no argument: the default). */
export function setMinShareWork(work: number = MIN_SHARE_WORK): void {
  minShareWork = work;
}

/** Chunks a call of this work over `units` (cut at multiples of `grain`) is split into: 1 when it runs on one thread. */
export function chunkCount(wasm: Kernels, work: number, units: number, grain: number): number {
  const most = minShareWork > 0 ? Math.floor(work / minShareWork) : Infinity; // threads the work pays for
  const team = wasm.team;
  const threads = team === null || most < 2 || units <= grain ? 1 : Math.min(team.available(wasm.module, wasm.memory), most);
  return threads <= 1 ? 1 : Math.min(Math.ceil(units / grain), threads * CHUNKS_PER_THREAD, MAX_CHUNKS);
}

/**
 * The most chunks a call can be cut into on a workspace made with these options (per-chunk scratch
 * is sized by it; at least that of the workspace createWorkspace will make).
 */
export function plannedChunks(options: WorkspaceOptions = {}): number {
  const threads = Math.min(options.threads ?? defaultThreads(), MAX_THREADS);
  return threads <= 1 ? 1 : Math.min(threads * CHUNKS_PER_THREAD, MAX_CHUNKS);
}

/**
 * Boundaries u₀ = 0 < u₁ < … = units of `chunks` near-equal parts, each starting where `phase` + u
 * is a multiple of `grain` (empty parts dropped).
 */
export function evenCuts(units: number, chunks: number, grain: number, phase = 0): number[] {
  const cuts = [0];
  for (let c = 1; c < chunks; c++) {
    const u = Math.min(units, Math.round((c * units) / chunks / grain + phase / grain) * grain - phase);
    if (u > cuts[cuts.length - 1]) cuts.push(u);
  }
  if (units > cuts[cuts.length - 1] || units === 0) cuts.push(units);
  return cuts;
}

/**
 * Runs export `kernel` once per argument list: on the calling thread when there is one, else on the
 * workspace's threads (each list a disjoint part of the output).
 */
export function runParts(wasm: Kernels, kernel: string, parts: number[][]): void {
  if (parts.length === 1 || wasm.team === null || wasm.team.available(wasm.module, wasm.memory) < 2) {
    for (const args of parts) wasm.exports[kernel](...args);
    return;
  }
  wasm.team.run(wasm.exports, kernel, parts, Math.min(parts.length, wasm.team.threads));
}

/**
 * Runs export `kernel` over `units` (rows, columns or elements) of output: on the calling thread
 * alone, or split into chunks that start where `phase` + unit is a multiple of `grain`.
 * `args(u0, u1, chunk)` are the export's arguments for units [u0, u1), the chunk's index last.
 */
export function runSplit(
  wasm: Kernels, kernel: string, work: number, units: number, grain: number,
  args: (u0: number, u1: number, chunk: number) => number[], phase = 0,
): void {
  const cuts = evenCuts(units, chunkCount(wasm, work, units, grain), grain, phase);
  runParts(wasm, kernel, cuts.slice(1).map((u1, c) => args(cuts[c], u1, c)));
}

/** Guards the WASM memory: a short view would let a kernel overwrite a neighbouring array. */
export function checkShapes(kernel: string, dims: Record<string, number>, arrays: [string, KernelArray, number][]): void {
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
