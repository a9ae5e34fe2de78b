// The gpujs backend: scikit-learn's NMF steps as gpu.js kernels (float32), for browsers without
// WebGPU. gpu.js runs them as GLSL on WebGL2 (fragment shaders over float textures, intermediates
// kept in textures: pipeline mode) or, where no WebGL2 context exists (Node, workers without
// OffscreenCanvas WebGL2), as WebAssembly with f32x4 SIMD (its `webasm` backend), on gpu.js's worker
// pool where threads exist (see GpujsBackendOptions.threads). gpu.js is loaded only when this backend
// is asked for (load.ts).

import type { Backend, FitPlan, FitProblem } from '../backend.js';
import { requireCapability, type BackendSupports } from '../capabilities.js';
import { GpujsFitPlan, type GPULike, type Kernel, type KernelSource } from './fit-plan.js';
import { defaultThreads, threadsSupported } from '../cpu/threads.js';
import { loadGpujs } from './load.js';

export type GpujsMode = 'webgl2' | 'webasm';

/** Shapes (m, n, k) whose compiled kernels are kept between fits. */
const KEEP_SHAPES = 3;

/**
 * A kernel keeps its last output texture while it is cached, so kernels of X's size (m × n) hold GPU
 * memory between fits: shapes above this many entries are not kept (their fits are long enough that
 * compiling again costs little).
 */
export const CACHE_MAX_ENTRIES = 1 << 20;

export interface GpujsBackendOptions {
  /** default: 'webgl2' where a WebGL2 context with float render targets exists, else 'webasm' */
  mode?: GpujsMode;
  /**
   * webasm only: run the heavy kernels on gpu.js's worker pool (its async contract: a kernel's output
   * of 4096 cells or more is split across the workers, with the same values whatever the split), the
   * plan's steps queued on a promise chain. true: one worker per core (at most 8), a number: that
   * many; false: every kernel synchronously on the calling thread. Where threads cannot run (no
   * SharedArrayBuffer: a browser page without cross-origin isolation; one core) the kernels run
   * synchronously whatever this says; `description` tells which ran. Default: false. Measured on 2
   * cores (README): the same time at 400×300 k = 10, 1.3–1.6× faster at 1000×800 k = 20 while the
   * second core is free, up to 15% slower when other work holds it.
   */
  threads?: boolean | number;
}

interface GPUStatic {
  new (settings: { mode: string }): GPULike;
  readonly isWebAssemblySupported: boolean;
}

/** gpu.js's WebAssembly kernel class: whether wasm threads (shared memory) work here */
interface WebAssemblyKernelStatic {
  readonly isThreadsSupported: boolean;
}

/** What a fresh WebGL2 context of this page says about itself (null: none can be made here). */
export interface WebGL2Probe {
  renderer: string;
  maxTextureSize: number;
  floatTargets: boolean;
}

/** Make a WebGL2 context (canvas in a page, OffscreenCanvas in a worker), read its limits, release it. */
export function probeWebGL2(): WebGL2Probe | null {
  let canvas: HTMLCanvasElement | OffscreenCanvas | null = null;
  try {
    if (typeof document !== 'undefined' && typeof document.createElement === 'function') canvas = document.createElement('canvas');
    else if (typeof OffscreenCanvas !== 'undefined') canvas = new OffscreenCanvas(1, 1);
  } catch {
    return null;
  }
  if (!canvas) return null;
  const gl = canvas.getContext('webgl2') as WebGL2RenderingContext | null;
  if (!gl) return null;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  const probe = { renderer, maxTextureSize: Number(gl.getParameter(gl.MAX_TEXTURE_SIZE)), floatTargets: !!gl.getExtension('EXT_color_buffer_float') };
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return probe;
}

/** gpu.js keeps the WebGL2 context of its first kernel (none on webasm) */
function webglContextOf(gpu: GPULike | null): WebGL2RenderingContext | null {
  return ((gpu as { context?: WebGL2RenderingContext | null } | null)?.context ?? null);
}

function contextLost(gpu: GPULike | null): boolean {
  const gl = webglContextOf(gpu);
  return gl !== null && typeof gl.isContextLost === 'function' && gl.isContextLost();
}

interface GpuModule {
  GPU?: GPUStatic;
  WebAssemblyKernel?: WebAssemblyKernelStatic;
}

async function loadGPU(): Promise<{ GPU: GPUStatic; wasmThreads: boolean }> {
  const mod = (await loadGpujs()) as GpuModule & { default?: GpuModule };
  const GPU = mod.GPU ?? mod.default?.GPU;
  if (!GPU) throw new Error('webnmf: the gpu.js package did not export GPU.');
  const wasm = mod.WebAssemblyKernel ?? mod.default?.WebAssemblyKernel;
  return { GPU, wasmThreads: wasm?.isThreadsSupported === true };
}

/** Workers for the webasm kernels: 0 where they run synchronously (asked to, or no threads here). */
function webasmThreads(asked: boolean | number | undefined, wasmThreads: boolean): number {
  if (asked === false) return 0; // the default (undefined) is one worker per core
  if (!wasmThreads || !threadsSupported()) return 0;
  const count = asked === undefined || asked === true ? defaultThreads() : Math.floor(asked);
  return count >= 2 ? count : 0;
}

export async function createGpujsBackend(options: GpujsBackendOptions = {}): Promise<GpujsBackend> {
  const { GPU, wasmThreads } = await loadGPU();
  const webgl2 = probeWebGL2();
  const usable = webgl2 !== null && webgl2.floatTargets;
  const mode = options.mode ?? (usable ? 'webgl2' : 'webasm');
  if (mode === 'webgl2' && !usable) {
    throw new Error(
      webgl2 ? `WebGL2 here (${webgl2.renderer}) cannot render to float32 textures (no EXT_color_buffer_float).` : 'no WebGL2 context can be created here (gpu.js on WebGL2 needs a browser).',
    );
  }
  if (mode === 'webasm' && !GPU.isWebAssemblySupported) throw new Error('WebAssembly (with SIMD) is not available here.');
  const threads = mode === 'webasm' ? webasmThreads(options.threads, wasmThreads) : 0;
  return new GpujsBackend(GPU, mode, mode === 'webgl2' ? webgl2 : null, threads);
}

/**
 * Kernels compiled for one shape (m, n, k) are kept for the next fits of that shape (MiniBatchNMF's
 * batches, repeated fits, transform): compiling a kernel (GLSL, or WebAssembly) costs far more than
 * an iteration on small problems. The groups of the `keep` most recently used shapes stay (if m·n is
 * at most CACHE_MAX_ENTRIES); older or larger groups no live plan uses are destroyed.
 */
class KernelCache {
  private readonly groups = new Map<string, { kernels: Map<string, Kernel>; users: number; entries: number }>();

  constructor(
    private readonly gpu: GPULike,
    private readonly keep: number,
    /** webasm workers per threaded kernel (0: every kernel synchronous) */
    private readonly threads: number,
  ) {}

  acquire(m: number, n: number, k: number): KernelSource {
    const key = `${m}x${n}x${k}`;
    const group = this.groups.get(key) ?? { kernels: new Map<string, Kernel>(), users: 0, entries: m * n };
    this.groups.delete(key);
    this.groups.set(key, group); // most recently used last
    group.users++;
    let released = false;
    const threads = this.threads;
    return {
      threaded: threads > 0,
      kernel: (name, source, output, pipeline = true, async = false) => {
        const id = `${name}\n${async ? 'async' : 'sync'}\n${source}`;
        let kernel = group.kernels.get(id);
        if (!kernel) {
          kernel = this.gpu.createKernel(source, {
            output,
            constants: { m, n, k },
            pipeline,
            // every call returns a value of its own, freed by the plan (texture.delete()) when done
            immutable: true,
            precision: 'single',
            tactic: 'precision',
            // webasm: each async kernel owns a pool of this many workers, spawned on its first
            // threaded call, ended by kernel.destroy() (eviction, or the backend's dispose())
            ...(async && threads > 0 ? { asyncMode: true, poolSize: threads } : {}),
          });
          group.kernels.set(id, kernel);
        }
        return kernel;
      },
      lost: () => contextLost(this.gpu),
      release: () => {
        if (released) return;
        released = true;
        group.users--;
        this.evict();
      },
    };
  }

  private evict(): void {
    let keep = this.keep;
    // most recently used first
    for (const [key, group] of [...this.groups].reverse()) {
      if (group.users > 0) continue;
      if (keep > 0 && group.entries <= CACHE_MAX_ENTRIES) {
        keep--;
        continue;
      }
      for (const kernel of group.kernels.values()) kernel.destroy();
      this.groups.delete(key);
    }
  }

  /** kernels compiled and kept */
  size(): number {
    let count = 0;
    for (const group of this.groups.values()) count += group.kernels.size;
    return count;
  }

  clear(): void {
    for (const group of this.groups.values()) for (const kernel of group.kernels.values()) kernel.destroy();
    this.groups.clear();
  }
}

export class GpujsBackend implements Backend {
  readonly name = 'gpujs';
  readonly description: string;
  /** WebGL2: each read is a GPU round trip, so 10 as on WebGPU; webasm: reads are free, scikit-learn's 1 */
  readonly defaultCheckEvery: number;
  /** float32 kernels for every solver and MiniBatchNMF; no weighted NMF (its sparse products have no gpu.js kernels) */
  readonly supports: BackendSupports = { pg: true, minibatch: true, weighted: false, float64: false };
  private plans = 0;
  private disposed = false;
  private gpu: GPULike | null = null;
  private cache: KernelCache | null = null;

  constructor(
    private readonly GPU: GPUStatic,
    readonly mode: GpujsMode,
    readonly webgl2: WebGL2Probe | null,
    /** webasm: the worker pool's size per kernel (0: the kernels run synchronously, one thread) */
    readonly threads = 0,
  ) {
    this.description =
      mode === 'webgl2' ? `gpujs (webgl2: ${webgl2?.renderer ?? 'unknown renderer'})` : threads > 0 ? `gpujs (webasm, ${threads} threads)` : 'gpujs (webasm)';
    this.defaultCheckEvery = mode === 'webgl2' ? 10 : 1;
  }

  /** Fit plans made and not yet destroyed (0 once every fit has ended). */
  livePlans(): number {
    return this.plans;
  }

  /** The WebGL2 context the kernels run on (null on webasm, or before the first fit). */
  webglContext(): WebGL2RenderingContext | null {
    return webglContextOf(this.gpu);
  }

  /** gpu.js kernels alive on this backend's instance (compiled per shape, kept for the last few shapes). */
  liveKernels(): number {
    return (this.gpu as { kernels?: unknown[] } | null)?.kernels?.length ?? 0;
  }

  /**
   * webasm: the worker threads gpu.js's kernel pools run now (0 before the first threaded kernel
   * call, after dispose(), and always without threads). Reads gpu.js internals (`kernel._pool`).
   */
  liveWorkers(): number {
    const kernels = (this.gpu as { kernels?: { _pool?: { liveWorkerCount?: number } | null }[] } | null)?.kernels ?? [];
    return kernels.reduce((count, kernel) => count + (kernel._pool?.liveWorkerCount ?? 0), 0);
  }

  async createFit(problem: FitProblem): Promise<FitPlan> {
    if (this.disposed) throw new Error('webnmf: this gpujs backend was disposed.');
    const { X, W, H } = problem;
    if (X.rows !== W.rows || X.cols !== H.cols || W.cols !== H.rows) throw new Error('webnmf internal: X, W and H shapes do not match.');
    // fit.ts refuses a mask first; a direct caller gets the same refusal rather than a mask ignored
    if (problem.weighted) requireCapability(this, { capability: 'weighted', option: 'mask' });
    if (this.webgl2) {
      const side = Math.max(X.rows, X.cols, W.cols + 1);
      if (side > this.webgl2.maxTextureSize) {
        throw new Error(
          `webnmf: X is ${X.rows} × ${X.cols}; the gpujs backend on WebGL2 keeps it in one texture, at most ${this.webgl2.maxTextureSize} per side here. Use backend 'webgpu' or 'cpu'.`,
        );
      }
    }
    // one gpu.js instance (on WebGL2: one context) for every fit; a lost context is replaced by a new one
    if (contextLost(this.gpu)) {
      // its kernels went with the context; plans still holding them refuse every step
      void this.gpu!.destroy().catch(() => {});
      this.cache = null;
      this.gpu = null;
    }
    this.gpu ??= new this.GPU({ mode: this.mode });
    this.cache ??= new KernelCache(this.gpu, KEEP_SHAPES, this.threads);
    const kernels = this.cache.acquire(X.rows, X.cols, W.cols);
    this.plans++;
    try {
      return new GpujsFitPlan(kernels, this.mode, problem, () => this.plans--);
    } catch (e) {
      this.plans--;
      kernels.release();
      throw e;
    }
  }

  /** Release the gpu.js instance (its WebGL2 context); later createFit calls reject. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.cache?.clear();
    this.cache = null;
    void this.gpu?.destroy().catch(() => {});
    this.gpu = null;
  }
}
