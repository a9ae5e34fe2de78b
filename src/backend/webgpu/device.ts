// Where the GPUDevice comes from: navigator.gpu in browsers and Workers; in Node the `webgpu`
// package (Dawn), imported only when navigator.gpu is absent so browser bundles never load it.

import { isSoftwareAdapter } from '../adapter.js';

export interface AcquiredDevice {
  device: GPUDevice;
  /** true when we created the device, so dispose() may destroy it; a caller's device is never destroyed */
  owned: boolean;
  description: string;
  /** the adapter emulates a GPU on the CPU (fallback adapter, or SwiftShader-like by name) */
  software: boolean;
}

/**
 * Dawn's GPU instance in Node, created once per process and held here for good: when it is garbage
 * collected while one of its devices still runs, Dawn aborts the process (futex errors).
 */
let dawnGpu: Promise<GPU> | null = null;

function nodeGpu(): Promise<GPU> {
  dawnGpu ??= import('webgpu').then((dawn) => dawn.create([]));
  dawnGpu.catch(() => (dawnGpu = null));
  return dawnGpu;
}

/** The limits we ask for: the adapter's largest, because X and the sweeps want big bindings and grids. */
const WANTED_LIMITS = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupsPerDimension',
  'maxStorageBuffersPerShaderStage',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
] as const;

export async function acquireDevice(given?: GPUDevice): Promise<AcquiredDevice> {
  if (given) return { device: given, owned: false, description: describe(given.adapterInfo), software: isSoftwareAdapter(given.adapterInfo) };
  let gpu: GPU | null = null;
  let reason = 'navigator.gpu is absent';
  if (typeof navigator !== 'undefined' && navigator.gpu) gpu = navigator.gpu;
  else {
    try {
      gpu = await nodeGpu();
    } catch (e) {
      reason += ` and the 'webgpu' package could not be loaded (${(e as Error).message})`;
    }
  }
  const adapter = gpu ? await gpu.requestAdapter({ powerPreference: 'high-performance' }) : null;
  if (!adapter) {
    if (gpu) reason = 'requestAdapter() returned null (no GPU, or no Vulkan/Metal/D3D12 driver; in Node set VK_ICD_FILENAMES to a SwiftShader ICD)';
    throw new Error(`WebGPU is not available: ${reason}.`);
  }
  const requiredLimits: Record<string, number> = {};
  for (const name of WANTED_LIMITS) requiredLimits[name] = adapter.limits[name];
  const device = await adapter.requestDevice({ label: 'webnmf', requiredLimits });
  return { device, owned: true, description: describe(adapter.info), software: isSoftwareAdapter(adapter.info) };
}

function describe(info: GPUAdapterInfo | undefined): string {
  const parts = [info?.vendor, info?.architecture, info?.description].filter((s) => s && s.length > 0);
  return `webgpu: ${parts.length > 0 ? parts.join(' ') : 'unknown adapter'}`;
}
