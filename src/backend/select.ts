// Which backend runs a fit: 'cpu'; 'webgpu' (fails at once, clearly, without an adapter); 'gpujs'
// (gpu.js: WebGL2 in a browser, else its WebAssembly backend); or 'auto': WebGPU on a hardware
// adapter, else gpu.js on a hardware WebGL2 context (browsers without WebGPU), else the CPU. A
// software adapter or renderer (SwiftShader, lavapipe, llvmpipe) emulates a GPU on the CPU more slowly
// than the CPU backend computes, so 'auto' passes it over; ask for it by name ('webgpu', 'gpujs').
// 'auto' also passes over a backend that lacks what the fit needs (its `supports`, capabilities.ts).

import { NMFError } from '../errors.js';
import type { GpuProfile } from '../params.js';
import { hardwareGpuPossible } from '../platform.js';
import { isSoftwareAdapter } from './adapter.js';
import type { Backend } from './backend.js';
import { supportsAll, type Need } from './capabilities.js';
import { CpuBackend } from './cpu/cpu-backend.js';

const cpu = new CpuBackend();

/** The process-wide WebGPU backend on a device of our own, created on first use. */
let ownBackend: Promise<Backend> | null = null;
/** Backends around callers' devices (never destroyed by us). */
const byDevice = new WeakMap<object, Promise<Backend>>();

export { SOFTWARE_ADAPTER, isSoftwareAdapter } from './adapter.js';

function webgpu(device: unknown): Promise<Backend> {
  const make = async (): Promise<Backend> => {
    const { createWebGPUBackend } = await import('./webgpu/index.js');
    const backend = await createWebGPUBackend({ device: (device ?? undefined) as GPUDevice | undefined });
    // A lost device cannot be used again: forget it, so the next fit asks for a new one.
    void backend.device.lost.then(() => {
      if (device) byDevice.delete(device);
      else if (ownBackend === pending) ownBackend = null;
    });
    return backend;
  };
  let pending: Promise<Backend>;
  if (device) {
    pending = byDevice.get(device) ?? make();
    byDevice.set(device, pending);
  } else {
    pending = ownBackend ??= make();
  }
  pending.catch(() => {
    if (device) byDevice.delete(device);
    else if (ownBackend === pending) ownBackend = null;
  });
  return pending;
}

/**
 * Resolves once every step submitted to our own WebGPU device has run (at once when there is none).
 * Dawn aborts the whole process when a worker_threads Worker ends with one of its queue promises
 * pending, so webnmf/worker's worker drains the queue before it ends.
 */
export async function drainOwnDevice(): Promise<void> {
  const backend = (await ownBackend?.catch(() => null)) as { device?: GPUDevice } | null | undefined;
  await backend?.device?.queue.onSubmittedWorkDone().catch(() => {});
}

/** The process-wide gpujs backend (WebGL2 where a context exists, else webasm), created on first use. */
let gpujsBackend: Promise<Backend> | null = null;

function gpujs(): Promise<Backend> {
  const pending = (gpujsBackend ??= import('./gpujs/index.js').then((m) => m.createGpujsBackend()));
  pending.catch(() => {
    if (gpujsBackend === pending) gpujsBackend = null;
  });
  return pending;
}

/** Whether this page has a hardware WebGL2 context with float targets (probed once). */
let hardwareWebGL2: Promise<boolean> | null = null;

/** gpu.js on WebGL2, for 'auto': only where a hardware WebGL2 context exists (never in Node). */
async function gpujsOnHardwareWebGL2(): Promise<Backend | null> {
  hardwareWebGL2 ??= import('./gpujs/index.js').then(({ probeWebGL2 }) => {
    const probe = probeWebGL2();
    return probe !== null && probe.floatTargets && !isSoftwareAdapter({ description: probe.renderer });
  });
  if (!(await hardwareWebGL2)) return null;
  const backend = await gpujs();
  return backend.description.startsWith('gpujs (webgl2') ? backend : null;
}

/**
 * The backend a fit runs on; on WebGPU, with the kernel plan `gpuProfile` picks (its description names
 * the plan, for backendUsed and the CLI's first line). 'auto' picks one that supports all of `needs`
 * (the CPU supports everything); a backend named is returned as it is, for the caller's
 * requireCapabilities to refuse with the option's name.
 */
export async function acquireBackend(name: 'auto' | 'webgpu' | 'gpujs' | 'cpu', device: unknown, gpuProfile: GpuProfile = 'auto', needs: readonly Need[] = []): Promise<Backend> {
  const backend = await findBackend(name, device, needs);
  return backend.withGpuProfile?.(gpuProfile) ?? backend;
}

async function findBackend(name: 'auto' | 'webgpu' | 'gpujs' | 'cpu', device: unknown, needs: readonly Need[]): Promise<Backend> {
  if (name === 'cpu') return cpu;
  if (name === 'gpujs') {
    try {
      return await gpujs();
    } catch (e) {
      throw new NMFError(`backend: 'gpujs' was asked for, but ${(e as Error).message} Use backend: 'auto' or 'cpu'.`);
    }
  }
  if (name === 'webgpu') {
    try {
      return await webgpu(device);
    } catch (e) {
      throw new NMFError(`backend: 'webgpu' was asked for, but ${(e as Error).message} Use backend: 'auto' or 'cpu' to run without a GPU.`);
    }
  }
  // without a caller's device, 'auto' loads Dawn only where a hardware adapter may exist (platform.ts)
  if (device || hardwareGpuPossible()) {
    try {
      const backend = await webgpu(device);
      if ((device || !backend.software) && supportsAll(backend, needs)) return backend;
    } catch {
      // no WebGPU here: gpu.js on WebGL2, or the CPU
    }
  }
  try {
    const backend = await gpujsOnHardwareWebGL2();
    if (backend && supportsAll(backend, needs)) return backend;
  } catch {
    // no usable WebGL2: the CPU it is
  }
  return cpu;
}
