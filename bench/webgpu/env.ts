// One WebGPU adapter and device for the whole run, shared by webnmf, jax-js and TF.js.
// Node has no navigator.gpu: Dawn (the `webgpu` package) provides it. With no GPU, Dawn runs on
// Chromium's SwiftShader Vulkan driver; a real GPU is detected (in a child process, before this
// process loads Dawn) and then used as is. jax-js creates its device itself from navigator.gpu, so
// the adapter we picked is what navigator.gpu hands it, and its device is the one the others get.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

import { isSoftwareAdapter } from '../../src/backend/adapter.js';

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

export interface AdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
}

export interface SharedGpu {
  adapter: AdapterSummary;
  /** why this adapter: detected hardware, or SwiftShader because there is none */
  choice: string;
  device: GPUDevice;
  jax: typeof import('@jax-js/jax');
  tf: typeof import('@tensorflow/tfjs-core');
}

function summarize(info: GPUAdapterInfo | undefined): AdapterSummary {
  return {
    vendor: info?.vendor ?? '',
    architecture: info?.architecture ?? '',
    device: info?.device ?? '',
    description: info?.description ?? '',
    isFallbackAdapter: !!(info as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter,
  };
}

/** The adapter Dawn finds without VK_ICD_FILENAMES, asked in a child process (null: none). */
function probeDefaultAdapter(): AdapterSummary | null {
  let dawnUrl: string;
  try {
    dawnUrl = import.meta.resolve('webgpu'); // also from the bundle of bench/webgpu/pack-gpu-run.sh
  } catch {
    return null;
  }
  const code = `import(${JSON.stringify(dawnUrl)}).then(async ({ create }) => {
    const a = await create([]).requestAdapter({ powerPreference: 'high-performance' });
    const i = a?.info;
    console.log(JSON.stringify(i ? { vendor: i.vendor, architecture: i.architecture, device: i.device, description: i.description, isFallbackAdapter: !!i.isFallbackAdapter } : null));
    process.exit(0);
  }).catch(() => { console.log('null'); process.exit(0); });`;
  const env = { ...process.env };
  delete env.VK_ICD_FILENAMES;
  try {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 60_000 });
    return JSON.parse(out.trim().split('\n').pop() ?? 'null');
  } catch {
    return null;
  }
}


/** Choose the driver before Dawn loads: a hardware adapter if there is one, else SwiftShader. */
function chooseDriver(): string {
  if (process.env.VK_ICD_FILENAMES) return `VK_ICD_FILENAMES given (${process.env.VK_ICD_FILENAMES})`;
  const found = probeDefaultAdapter();
  if (found && !isSoftwareAdapter(found)) return 'hardware adapter detected';
  if (existsSync(SWIFTSHADER_ICD)) {
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
    return `no hardware adapter: SwiftShader (${SWIFTSHADER_ICD})`;
  }
  return found ? 'software adapter only' : 'no adapter found by the probe';
}

let dawn: GPU | null = null;

/** A device alone (no jax-js, no TF.js), with the adapter's largest limits, on the driver chooseDriver picks. */
export async function setupDevice(): Promise<{ device: GPUDevice; adapter: AdapterSummary; choice: string }> {
  const choice = chooseDriver();
  const { create } = await import('webgpu');
  // held for the process: Dawn aborts when its instance is collected while a device of it runs
  dawn = create([]);
  const adapter = await dawn.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error(`bench:webgpu: no WebGPU adapter (${choice}).`);
  const names = ['maxStorageBufferBindingSize', 'maxBufferSize', 'maxComputeWorkgroupsPerDimension', 'maxStorageBuffersPerShaderStage', 'maxComputeWorkgroupStorageSize', 'maxComputeInvocationsPerWorkgroup', 'maxComputeWorkgroupSizeX', 'maxComputeWorkgroupSizeY'] as const;
  const device = await adapter.requestDevice({ label: 'bench', requiredLimits: Object.fromEntries(names.map((l) => [l, adapter.limits[l]])) });
  return { device, adapter: summarize(adapter.info), choice };
}

export async function setupSharedGpu(): Promise<SharedGpu> {
  const choice = chooseDriver();
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  const gpu = create([]);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error(`bench:webgpu: no WebGPU adapter (${choice}).`);
  const summary = summarize(adapter.info);

  // navigator.gpu hands every caller this one adapter; jax-js makes the device from it.
  let handedOut = false;
  const sharedGpu = {
    wgslLanguageFeatures: gpu.wgslLanguageFeatures,
    getPreferredCanvasFormat: () => gpu.getPreferredCanvasFormat(),
    requestAdapter: async () => {
      if (handedOut) throw new Error('bench:webgpu: the adapter is already in use; share its device instead.');
      handedOut = true;
      return adapter;
    },
  };
  const userAgent = (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent ?? `Node.js/${process.version}`;
  Object.defineProperty(globalThis, 'navigator', { value: { gpu: sharedGpu, userAgent }, configurable: true, writable: true });

  const jax = await import('@jax-js/jax');
  const ready = await jax.init('webgpu');
  if (!ready.includes('webgpu')) throw new Error('bench:webgpu: jax-js could not start its WebGPU backend.');
  jax.defaultDevice('webgpu');
  const device = jax.getWebGPUDevice();

  // TF.js: the same device, through the backend class its own factory would build.
  const tf = await import('@tensorflow/tfjs-core');
  const { WebGPUBackend } = await import('@tensorflow/tfjs-backend-webgpu');
  tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', () => new WebGPUBackend(device, adapter.info), 3);
  if (!(await tf.setBackend('webgpu'))) throw new Error('bench:webgpu: TF.js could not start its WebGPU backend.');
  await tf.ready();

  return { adapter: summary, choice, device, jax, tf };
}
