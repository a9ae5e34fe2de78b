// Compute pipelines, cached per (shader, entry point, override constants) in a WeakMap on the device,
// so every fit on a device shares them and losing the device frees them. The cache holds at most
// MAX_CACHED_PIPELINES, dropping the least recently used: the 'hardware' plan keys pipelines by tile
// shapes only (its shapes are uniforms), but the 'software' plan bakes sizes into its GEMMs (constant
// strides and trip counts, for SwiftShader), so fits of ever new shapes would grow it without bound. A dropped pipeline lives on in the plans that hold it.

import { SHADERS, type ShaderName } from './shader-sources.js';

export type Constants = Record<string, number | boolean>;

interface DeviceCache {
  modules: Map<ShaderName, GPUShaderModule>;
  pipelines: Map<string, Promise<GPUComputePipeline>>;
}
const caches = new WeakMap<GPUDevice, DeviceCache>();

/** Pipelines kept per device: every pipeline of a handful of plans (one uses 10–40). */
export const MAX_CACHED_PIPELINES = 96;

/** Pipelines the device's cache holds now, and their keys (tests). */
export function cachedPipelineCount(device: GPUDevice): number {
  return caches.get(device)?.pipelines.size ?? 0;
}

export function cachedPipelineKeys(device: GPUDevice): string[] {
  return [...(caches.get(device)?.pipelines.keys() ?? [])];
}

export function pipelineKey(shader: ShaderName, entry: string, constants: Constants): string {
  const sorted = Object.keys(constants).sort().map((k) => `${k}=${Number(constants[k])}`);
  return `${shader}.${entry}(${sorted.join(',')})`;
}

export function getPipeline(device: GPUDevice, shader: ShaderName, entry: string, constants: Constants, debug = false): Promise<GPUComputePipeline> {
  let cache = caches.get(device);
  if (!cache) caches.set(device, (cache = { modules: new Map(), pipelines: new Map() }));
  const key = pipelineKey(shader, entry, constants);
  let pipeline = cache.pipelines.get(key);
  if (pipeline) {
    // most recently used last: Map keeps insertion order
    cache.pipelines.delete(key);
    cache.pipelines.set(key, pipeline);
    return pipeline;
  }
  let module = cache.modules.get(shader);
  if (!module) {
    module = device.createShaderModule({ label: `${shader}.wgsl`, code: SHADERS[shader] });
    cache.modules.set(shader, module);
    if (debug) console.debug(`[webnmf] compiling ${shader}.wgsl\n${SHADERS[shader]}`);
  }
  if (debug) console.debug(`[webnmf] pipeline ${key}`);
  const numeric: Record<string, number> = {};
  for (const k in constants) numeric[k] = Number(constants[k]);
  // Synchronous creation inside an error scope rather than createComputePipelineAsync: Dawn for Node
  // resolves the async variant only on its event poll (test runs took twice as long); the scope
  // still turns a compile error into a clear rejection, and pipelines are few and cached.
  device.pushErrorScope('validation');
  const created = device.createComputePipeline({
    label: key,
    layout: 'auto',
    compute: { module, entryPoint: entry, constants: numeric },
  });
  pipeline = device.popErrorScope().then((error) => {
    if (error) throw new Error(`webnmf: could not build pipeline ${key}: ${error.message}`);
    return created;
  });
  // A failed compile must not poison the cache for later fits.
  const made = pipeline;
  made.catch(() => {
    if (cache.pipelines.get(key) === made) cache.pipelines.delete(key);
  });
  cache.pipelines.set(key, made);
  for (const oldest of cache.pipelines.keys()) {
    if (cache.pipelines.size <= MAX_CACHED_PIPELINES) break;
    cache.pipelines.delete(oldest);
  }
  return made;
}
