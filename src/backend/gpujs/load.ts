// Where gpu.js comes from. It is an optional peer dependency: Node imports the installed package
// when backend 'gpujs' is first asked for; a browser bundle cannot (a bundler must see the import, and
// would fail where gpu.js is not installed), so the page imports gpu.js and hands it to useGpujs.

import { InvalidParameterError } from '../../errors.js';
import { importGpujs } from '../../platform.js';

/** gpu.js's module as an import gives it: `import * as gpujs from 'gpu.js'` (or its CommonJS default). */
export type GpujsModule = { GPU: unknown } | { default: { GPU: unknown } };

let given: GpujsModule | null = null;

/**
 * Hands webnmf the gpu.js module, for backend 'gpujs' (and 'auto' on hardware WebGL2) in a browser:
 * `import * as gpujs from 'gpu.js'; useGpujs(gpujs);` once, before the first fit. Node needs no call.
 */
export function useGpujs(module: GpujsModule): void {
  const gpu = (module as { GPU?: unknown })?.GPU ?? (module as { default?: { GPU?: unknown } })?.default?.GPU;
  if (typeof gpu !== 'function') {
    throw new InvalidParameterError('module', "useGpujs: expected gpu.js's module, with its GPU class (import * as gpujs from 'gpu.js'; useGpujs(gpujs)).");
  }
  given = module;
}

/** The module handed to useGpujs, else the installed package (Node only). */
export function loadGpujs(): Promise<unknown> {
  return given ? Promise.resolve(given) : importGpujs();
}
