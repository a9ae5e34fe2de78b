// The one rule for "is this a software adapter" (a GPU emulated on the CPU: SwiftShader, lavapipe,
// llvmpipe, WARP). Backend 'auto' passes such adapters over (the CPU backend computes faster than they
// emulate), and WebGPU's gpuProfile 'auto' runs the kernel plan shaped for them ('software').
// WebGPU says so itself (`isFallbackAdapter`); older implementations and WebGL2 renderers say it only
// in their names, hence the vendor test.

/** Names of software rasterizers and emulated GPUs, as adapters and WebGL2 renderers spell them. */
export const SOFTWARE_ADAPTER = /swiftshader|llvmpipe|lavapipe|software|microsoft basic render/i;

/** What an adapter tells about itself (GPUAdapterInfo's fields; a WebGL2 renderer fills description). */
export interface AdapterIdentity {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

export function isSoftwareAdapter(info: AdapterIdentity | null | undefined): boolean {
  if (!info) return false;
  if (info.isFallbackAdapter) return true;
  return SOFTWARE_ADAPTER.test([info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' '));
}
