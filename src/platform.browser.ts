// The browser side of platform.ts (see there), swapped in by the browser build: only web APIs.

export function gpuEntry(): Promise<GPU> {
  if (typeof navigator !== 'undefined' && navigator.gpu) return Promise.resolve(navigator.gpu);
  return Promise.reject(new Error('this browser offers no navigator.gpu (WebGPU needs a browser that ships it, on a secure origin: https or localhost)'));
}

export const NO_ADAPTER_HINT = 'the browser offers no WebGPU adapter: no GPU, a GPU it blocks, or WebGPU turned off';

/** A browser hides the hardware; 'auto' asks navigator.gpu and reads the adapter it gets. */
export function hardwareGpuPossible(): boolean {
  return true;
}

/** A browser bundle cannot look gpu.js up at run time: the page imports it and hands it over. */
export function importGpujs(): Promise<unknown> {
  return Promise.reject(
    new Error("gpu.js was not given: install it (npm install gpu.js) and hand it over once, before the fit (import * as gpujs from 'gpu.js'; useGpujs(gpujs))."),
  );
}
