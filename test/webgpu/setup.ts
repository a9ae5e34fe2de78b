// Shared set-up for the WebGPU tests: real Dawn + SwiftShader in Node, never a mock. Without an
// adapter these tests FAIL (loudly), they do not skip: a silently skipped GPU suite proves nothing.

import { expect } from 'vitest';
import { acquireDevice } from '../../src/backend/webgpu/device.js';
import { BufferSet, MAP_READ_MODE, Usage } from '../../src/backend/webgpu/buffers.js';
import type { KernelContext } from '../../src/backend/webgpu/programs/context.js';

// VK_ICD_FILENAMES (SwiftShader when there is no GPU) is set by test/setup-env.ts before any test file.

/** float32 results against float64 references: relative to the largest magnitude of the reference. */
export const F32_KERNEL_TOL = 1e-5;
/** W, H after a few dozen solver steps, GPU (float32) vs CPU backend (float64). */
export const F32_FIT_TOL = 1e-4;

export async function testDevice(): Promise<GPUDevice> {
  try {
    return (await acquireDevice()).device;
  } catch (e) {
    throw new Error(`The WebGPU tests need an adapter (Dawn + SwiftShader: install libvulkan1 and chromium). ${(e as Error).message}`);
  }
}

export function kernelContext(device: GPUDevice): KernelContext {
  return { device, buffers: new BufferSet(device), maxPerDim: device.limits.maxComputeWorkgroupsPerDimension, debug: false };
}

/** Run `fn` inside validation and out-of-memory error scopes; fail on any error they caught. */
export async function withValidation<T>(device: GPUDevice, fn: () => Promise<T>): Promise<T> {
  device.pushErrorScope('validation');
  device.pushErrorScope('out-of-memory');
  let result: T;
  try {
    result = await fn();
  } finally {
    const oom = await device.popErrorScope();
    const validation = await device.popErrorScope();
    expect(validation?.message ?? null).toBeNull();
    expect(oom?.message ?? null).toBeNull();
  }
  return result;
}

/** Read a storage buffer back as float32 (tests only). */
export async function readFloats(device: GPUDevice, buffers: BufferSet, src: GPUBuffer, count: number): Promise<Float32Array> {
  const staging = buffers.create('test:staging', count * 4, Usage.MAP_READ | Usage.COPY_DST);
  const enc = device.createCommandEncoder({ label: 'test:read' });
  enc.copyBufferToBuffer(src, 0, staging, 0, Math.ceil((count * 4) / 16) * 16);
  device.queue.submit([enc.finish()]);
  await staging.mapAsync(MAP_READ_MODE);
  const out = new Float32Array(staging.getMappedRange().slice(0, count * 4));
  staging.unmap();
  return out;
}

export { randomArray } from '../support/problems.js';

/** max |a − b| / max |b| (norm-wise relative error; 0 when both are 0). */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let num = 0, den = 0;
  for (let i = 0; i < b.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return den === 0 ? num : num / den;
}
