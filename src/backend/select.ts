// Which backend runs a fit: 'cpu', 'webgpu', or 'auto' (WebGPU when an adapter exists, else the CPU).

import type { Backend } from './backend.js';
import { CpuBackend } from './cpu/cpu-backend.js';

const cpu = new CpuBackend();

export async function acquireBackend(name: 'auto' | 'webgpu' | 'cpu', _device: unknown): Promise<Backend> {
  if (name === 'cpu' || name === 'auto') return cpu;
  throw new Error("backend 'webgpu' is not wired yet");
}
