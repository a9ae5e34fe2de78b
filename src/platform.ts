// What differs between Node and browsers, in one place. This file is the Node side, and what runs
// from source (tests, tsx); the browser build puts platform.browser.ts in its place (vite.config.ts,
// browserPlatform), so browser bundles never see Dawn, gpu.js's Node entry or a Node built-in.
// Both files export the same names. Node built-ins are reached through process.getBuiltinModule,
// which no bundler follows, so the pages built from source without the swap stay clean too.

/**
 * Dawn's GPU instance in Node, created once per process and held here for good: when it is garbage
 * collected while one of its devices still runs, Dawn aborts the process (futex errors).
 */
let dawnGpu: Promise<GPU> | null = null;

/** The WebGPU entry point: navigator.gpu where there is one, else Dawn (the optional `webgpu` package). */
export function gpuEntry(): Promise<GPU> {
  if (typeof navigator !== 'undefined' && navigator.gpu) return Promise.resolve(navigator.gpu);
  const pending = (dawnGpu ??= import('webgpu').then(
    (dawn) => dawn.create([]),
    (e: Error) => {
      throw new Error(`navigator.gpu is absent and the 'webgpu' package (Dawn, an optional dependency) could not be loaded (${e.message})`);
    },
  ));
  pending.catch(() => {
    if (dawnGpu === pending) dawnGpu = null;
  });
  return pending;
}

/** Why requestAdapter() may return null here, and what to do about it. */
export const NO_ADAPTER_HINT = 'no GPU, or no Vulkan/Metal/D3D12 driver; in Node, VK_ICD_FILENAMES may point at a SwiftShader ICD';

/**
 * Whether this machine may have a hardware GPU, for 'auto' (which takes no software adapter). On
 * Linux every GPU driver exposes a device node (/dev/dri/renderD*: Mesa and nvidia-drm; /dev/nvidia*:
 * NVIDIA's driver; /dev/dxg: WSL2), so without one 'auto' leaves Dawn unloaded: Dawn's Vulkan loader
 * would only find software drivers there, and prints their complaints (XDG_RUNTIME_DIR, missing
 * features) on stderr. Elsewhere (macOS: Metal; Windows: D3D12) Dawn is asked.
 */
export function hardwareGpuPossible(): boolean {
  // (typeof checks: pages built from source without the swap run this file in a browser)
  if (typeof process !== 'object' || process.platform !== 'linux' || typeof process.getBuiltinModule !== 'function') return true;
  const fs = process.getBuiltinModule('node:fs');
  const names = (dir: string) => {
    try {
      return fs.readdirSync(dir);
    } catch {
      return [];
    }
  };
  return names('/dev/dri').some((n) => n.startsWith('renderD')) || names('/dev').some((n) => /^nvidia\d|^dxg$/.test(n));
}

/** gpu.js, when nobody gave it to useGpujs: Node finds the installed package itself. */
export function importGpujs(): Promise<unknown> {
  return import('gpu.js').catch((e: Error) => {
    throw new Error(`the gpu.js package could not be loaded (${e.message}); gpu.js is an optional peer dependency: npm install gpu.js.`);
  });
}
