// The WebGPU backend: scikit-learn's NMF steps as WebGPU compute shaders (float32).
// createWebGPUBackend() finds a device (navigator.gpu, or Dawn through the `webgpu` package in Node),
// or uses the caller's; each createFit() uploads X, W, H once and returns a plan of prepared dispatches.

import type { Backend, FitPlan, FitProblem } from '../backend.js';
import type { BackendSupports } from '../capabilities.js';
import { NMFError } from '../../errors.js';
import type { GpuProfile } from '../../params.js';
import { BufferSet, liveBufferCount } from './buffers.js';
import { acquireDevice } from './device.js';
import { createWebGPUFitPlan } from './fit-plan.js';

export { bufferBytes, liveBufferCount, resetPeakBufferBytes } from './buffers.js';

export interface WebGPUBackendOptions {
  /** a GPUDevice of the caller's: used as is, never destroyed */
  device?: GPUDevice;
  /** bytes: force a smaller storage binding limit for X (tests use it to exercise the row-block split) */
  maxBindingSize?: number;
  /** bytes: force a smaller scratch for Kullback-Leibler's X ⊘ WH (tests use it to exercise the row chunks) */
  ratioScratchBytes?: number;
  /** print each shader and pipeline key as it is compiled */
  debug?: boolean;
  /** which kernel plan fits run ('auto': 'software' on a software adapter, else 'hardware') */
  gpuProfile?: GpuProfile;
  /** force fewer split-K splits per pass, and shorter splits, on the hardware plan (tests use them to exercise splits and passes) */
  maxSplits?: number;
  maxChunk?: number;
}

/** The kernel plans: 'hardware' fills a real GPU, 'software' suits CPU-emulated adapters (SwiftShader). */
export type KernelPlan = 'hardware' | 'software';

/** gpuProfile → plan: 'auto' follows the adapter (the one software-adapter rule, ../adapter.ts). */
export function kernelPlanFor(profile: GpuProfile, softwareAdapter: boolean): KernelPlan {
  if (profile === 'auto') return softwareAdapter ? 'software' : 'hardware';
  return profile;
}

export async function createWebGPUBackend(options: WebGPUBackendOptions = {}): Promise<WebGPUBackend> {
  const { device, owned, description, software } = await acquireDevice(options.device);
  return new WebGPUBackend(device, owned, description, software, options);
}

export class WebGPUBackend implements Backend {
  readonly name = 'webgpu';
  /** convergence readback every 10 iterations: each read is a GPU round trip */
  readonly defaultCheckEvery = 10;
  /** both kernel plans run every solver, MiniBatchNMF and weighted NMF, in float32 */
  readonly supports: BackendSupports = { pg: true, minibatch: true, weighted: true, float64: false };
  private disposed = false;
  /** resolves with the Error every later read rejects with, once the device is lost or destroyed */
  private readonly lost: Promise<Error>;

  /** the kernel plan this backend's fits run */
  readonly plan: KernelPlan;
  /** where it runs and which plan: "webgpu: <adapter> (float32, hardware plan)" */
  readonly description: string;

  constructor(
    readonly device: GPUDevice,
    private readonly owned: boolean,
    /** the adapter's own words ("webgpu: google swiftshader …") */
    readonly adapterDescription: string,
    /** the adapter emulates a GPU on the CPU */
    readonly software: boolean,
    private readonly options: WebGPUBackendOptions,
    lost?: Promise<Error>,
  ) {
    this.plan = kernelPlanFor(options.gpuProfile ?? 'auto', software);
    this.description = `${adapterDescription} (float32, ${this.plan} plan)`;
    this.lost = lost ?? device.lost.then((info) => new NMFError(`The WebGPU device was lost (${info.reason}): ${info.message || 'no message'}. This fit's results are gone; fit again (webnmf then asks for a new device, unless the device was yours: pass a new one).`));
  }

  /** The same device with fits running the plan `profile` picks; disposing it never destroys the device. */
  withGpuProfile(profile: GpuProfile): WebGPUBackend {
    if (kernelPlanFor(profile, this.software) === this.plan) return this;
    return new WebGPUBackend(this.device, false, this.adapterDescription, this.software, { ...this.options, gpuProfile: profile }, this.lost);
  }

  /** Buffers webnmf holds on this device right now (0 once every plan is destroyed). */
  liveBuffers(): number {
    return liveBufferCount(this.device);
  }

  async createFit(problem: FitProblem): Promise<FitPlan> {
    if (this.disposed) throw new Error('webnmf: this WebGPU backend was disposed.');
    const limits = this.device.limits;
    const deviceBinding = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
    const { X, W, H } = problem;
    const largest = Math.max(W.data.length, H.data.length) * 4;
    if (largest > deviceBinding) throw new NMFError(`W or H (${largest} bytes in float32) exceeds this WebGPU device's storage binding limit of ${deviceBinding} bytes: use fewer components, or backend 'cpu'.`);
    if (X.rows !== W.rows || X.cols !== H.cols || W.cols !== H.rows) throw new Error('webnmf internal: X, W and H shapes do not match.');
    const ctx = { device: this.device, buffers: new BufferSet(this.device), maxPerDim: limits.maxComputeWorkgroupsPerDimension, debug: !!this.options.debug, plan: this.plan, maxSplits: this.options.maxSplits, maxChunk: this.options.maxChunk };
    return createWebGPUFitPlan(ctx, problem, Math.min(deviceBinding, this.options.maxBindingSize ?? Infinity), this.lost, this.options.ratioScratchBytes);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.owned) this.device.destroy();
  }
}
