// Where the GPUDevice comes from: navigator.gpu in browsers and Workers; in Node Dawn (the `webgpu`
// package). platform.ts says which, so that browser bundles never see Dawn.

import { NO_ADAPTER_HINT, gpuEntry } from '../../platform.js';
import { isSoftwareAdapter } from '../adapter.js';

export interface AcquiredDevice {
  device: GPUDevice;
  /** true when we created the device, so dispose() may destroy it; a caller's device is never destroyed */
  owned: boolean;
  description: string;
  /** the adapter emulates a GPU on the CPU (fallback adapter, or SwiftShader-like by name) */
  software: boolean;
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
  let gpu: GPU;
  try {
    gpu = await gpuEntry();
  } catch (e) {
    throw new Error(`WebGPU is not available: ${(e as Error).message}.`);
  }
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error(`WebGPU is not available: requestAdapter() returned null (${NO_ADAPTER_HINT}).`);
  const requiredLimits: Record<string, number> = {};
  for (const name of WANTED_LIMITS) requiredLimits[name] = adapter.limits[name];
  const device = await adapter.requestDevice({ label: 'webnmf', requiredLimits });
  return { device, owned: true, description: describe(adapter.info), software: isSoftwareAdapter(adapter.info) };
}

function describe(info: GPUAdapterInfo | undefined): string {
  const parts = [info?.vendor, info?.architecture, info?.description].filter((s) => s && s.length > 0);
  return `webgpu: ${parts.length > 0 ? parts.join(' ') : 'unknown adapter'}`;
}
