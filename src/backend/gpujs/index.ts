// The gpujs backend: scikit-learn's NMF steps as gpu.js kernels (float32), for browsers without
// WebGPU. gpu.js runs them as GLSL on WebGL2 (fragment shaders over float textures, intermediates
// kept in textures: pipeline mode) or, where no WebGL2 context exists (Node, workers without
// OffscreenCanvas WebGL2), as WebAssembly with f32x4 SIMD (its `webasm` backend). gpu.js is loaded
// only when this backend is asked for.

import type { Backend, FitPlan, FitProblem } from '../backend.js';
import { GpujsFitPlan } from './fit-plan.js';

export type GpujsMode = 'webgl2' | 'webasm';

export interface GpujsBackendOptions {
  /** default: 'webgl2' where a WebGL2 context with float render targets exists, else 'webasm' */
  mode?: GpujsMode;
}

interface GPUStatic {
  new (settings: { mode: string }): ConstructorParameters<typeof GpujsFitPlan>[0];
  readonly isWebAssemblySupported: boolean;
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

async function loadGPU(): Promise<GPUStatic> {
  const mod = (await import('gpu.js')) as unknown as { GPU?: GPUStatic; default?: { GPU?: GPUStatic } };
  const GPU = mod.GPU ?? mod.default?.GPU;
  if (!GPU) throw new Error('webnmf: the gpu.js package did not export GPU.');
  return GPU;
}

export async function createGpujsBackend(options: GpujsBackendOptions = {}): Promise<GpujsBackend> {
  const GPU = await loadGPU();
  const webgl2 = probeWebGL2();
  const usable = webgl2 !== null && webgl2.floatTargets;
  const mode = options.mode ?? (usable ? 'webgl2' : 'webasm');
  if (mode === 'webgl2' && !usable) {
    throw new Error(
      webgl2 ? `WebGL2 here (${webgl2.renderer}) cannot render to float32 textures (no EXT_color_buffer_float).` : 'no WebGL2 context can be created here (gpu.js on WebGL2 needs a browser).',
    );
  }
  if (mode === 'webasm' && !GPU.isWebAssemblySupported) throw new Error('WebAssembly (with SIMD) is not available here.');
  return new GpujsBackend(GPU, mode, mode === 'webgl2' ? webgl2 : null);
}

export class GpujsBackend implements Backend {
  readonly name = 'gpujs';
  readonly description: string;
  /** WebGL2: each read is a GPU round trip, so 10 as on WebGPU; webasm: reads are free, scikit-learn's 1 */
  readonly defaultCheckEvery: number;
  private plans = 0;
  private disposed = false;

  constructor(
    private readonly GPU: GPUStatic,
    readonly mode: GpujsMode,
    readonly webgl2: WebGL2Probe | null,
  ) {
    this.description = mode === 'webgl2' ? `gpujs (webgl2: ${webgl2?.renderer ?? 'unknown renderer'})` : 'gpujs (webasm)';
    this.defaultCheckEvery = mode === 'webgl2' ? 10 : 1;
  }

  /** Fit plans made and not yet destroyed (0 once every fit has ended). */
  livePlans(): number {
    return this.plans;
  }

  async createFit(problem: FitProblem): Promise<FitPlan> {
    if (this.disposed) throw new Error('webnmf: this gpujs backend was disposed.');
    const { X, W, H } = problem;
    if (X.rows !== W.rows || X.cols !== H.cols || W.cols !== H.rows) throw new Error('webnmf internal: X, W and H shapes do not match.');
    if ((problem as { weighted?: unknown }).weighted) throw new Error("webnmf: weighted NMF is not available on the gpujs backend; use backend 'cpu' or 'webgpu'.");
    if (this.webgl2) {
      const side = Math.max(X.rows, X.cols, W.cols + 1);
      if (side > this.webgl2.maxTextureSize) {
        throw new Error(
          `webnmf: X is ${X.rows} × ${X.cols}; the gpujs backend on WebGL2 keeps it in one texture, at most ${this.webgl2.maxTextureSize} per side here. Use backend 'webgpu' or 'cpu'.`,
        );
      }
    }
    const gpu = new this.GPU({ mode: this.mode });
    this.plans++;
    try {
      return new GpujsFitPlan(gpu, this.mode, problem, () => this.plans--);
    } catch (e) {
      this.plans--;
      void gpu.destroy().catch(() => {});
      throw e;
    }
  }

  dispose(): void {
    this.disposed = true;
  }
}
