// What the page runs on, as it really is: the WebGPU adapter (its info, every limit, its features),
// the WebGL2 renderer the gpujs backend gets, cross-origin isolation and the CPU backend's threads.
// One GPUDevice is made here for every WebGPU fit, so pipelines compile once per run.

import { defaultThreads, threadsSupported } from '../../../src/backend/cpu/threads.js';
import { isSoftware } from '../record.js';
import type { AdapterReport, PageEnvironment } from '../page-api.js';

/** the limits webnmf asks for when it makes its own device (src/backend/webgpu/device.ts) */
const REQUESTED_LIMITS = [
  'maxStorageBufferBindingSize', 'maxBufferSize', 'maxComputeWorkgroupsPerDimension', 'maxStorageBuffersPerShaderStage',
  'maxComputeWorkgroupStorageSize', 'maxComputeInvocationsPerWorkgroup', 'maxComputeWorkgroupSizeX', 'maxComputeWorkgroupSizeY',
] as const;

async function probeWebGPU(): Promise<{ adapter: AdapterReport | null; device: GPUDevice | null; reason?: string }> {
  if (!navigator.gpu) return { adapter: null, device: null, reason: `navigator.gpu is absent (isSecureContext: ${isSecureContext})` };
  const a = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!a) return { adapter: null, device: null, reason: 'navigator.gpu.requestAdapter() returned null (no WebGPU adapter: see "Benchmarking your GPU" in bench/browser/README.md)' };
  const requiredLimits: Record<string, number> = {};
  for (const name of REQUESTED_LIMITS) requiredLimits[name] = a.limits[name];
  const device = await a.requestDevice({ label: 'webnmf-bench', requiredLimits });
  device.lost.then((info) => {
    if (info.reason !== 'destroyed') console.error(`GPU device lost: ${info.message}`);
  });
  const limits: Record<string, number> = {};
  // the limits are attributes of GPUSupportedLimits' prototype: for…in walks them
  for (const name in a.limits) {
    const v = (a.limits as unknown as Record<string, unknown>)[name];
    if (typeof v === 'number') limits[name] = v;
  }
  const i = a.info as GPUAdapterInfo & { isFallbackAdapter?: boolean; subgroupMinSize?: number; subgroupMaxSize?: number };
  const info = {
    vendor: i.vendor, architecture: i.architecture, device: i.device, description: i.description,
    isFallbackAdapter: i.isFallbackAdapter, subgroupMinSize: i.subgroupMinSize, subgroupMaxSize: i.subgroupMaxSize,
  };
  return { device, adapter: { info, limits, features: [...a.features].sort(), software: isSoftware(info) } };
}

function probeWebGL2(): PageEnvironment['webgl'] {
  const gl = document.createElement('canvas').getContext('webgl2');
  if (!gl) return null;
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  const vendor = String(gl.getParameter(ext ? ext.UNMASKED_VENDOR_WEBGL : gl.VENDOR));
  const renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return { vendor, renderer, software: isSoftware({ description: renderer }) };
}

export async function probeEnvironment(wantWebGL: boolean): Promise<{ environment: PageEnvironment; device: GPUDevice | null }> {
  const { adapter, device, reason } = await probeWebGPU();
  const environment: PageEnvironment = {
    adapter,
    ...(reason ? { adapterReason: reason } : {}),
    webgl: wantWebGL ? probeWebGL2() : null,
    userAgent: navigator.userAgent,
    hardwareConcurrency: navigator.hardwareConcurrency,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    cpuThreads: threadsSupported() ? defaultThreads() : 1,
  };
  return { environment, device };
}
