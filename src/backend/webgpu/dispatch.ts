// A Launch is one dispatch prepared at createFit (pipeline, bind group, grid); steps only encode them.
// Grids respect maxComputeWorkgroupsPerDimension: 1-D kernels fold their workgroups into x·y (the
// shaders rebuild the linear index from num_workgroups); tiled kernels get a clear error instead.

import type { UniformBlock } from './uniforms.js';

export interface Launch {
  readonly label: string;
  /** the launch's own uniforms; steps rewrite the scalar fields (l1, l2, γ) before encoding */
  readonly params: UniformBlock;
  readonly pipeline: GPUComputePipeline;
  readonly bindGroup: GPUBindGroup;
  readonly grid: readonly [number, number];
  /** what the dispatch costs, for the plan printer's roofline (bench:webgpu --plan) */
  readonly cost?: LaunchCost;
}

/** The work of one dispatch, as its launcher computes it from the shapes (a model, not a measurement). */
export interface LaunchCost {
  /** invocations per workgroup */
  readonly invocations: number;
  /** trips of the longest loop one invocation runs (the serial depth of the dispatch) */
  readonly trips: number;
  /** floating-point operations (a multiply-add is 2) */
  readonly flops: number;
  /** global-memory traffic, operand by operand */
  readonly traffic: readonly Access[];
}

/**
 * One operand's global-memory traffic: its distinct bytes, and the bytes the dispatch's loads or stores
 * move for it (more where workgroups re-read it, or where lanes gather 4-byte values from scattered
 * addresses: a 32-byte sector each). Whether the re-reads hit a cache is the reader's model's business.
 */
export interface Access {
  readonly footprint: number;
  readonly moved: number;
}

/** Read or written once, by neighbouring lanes at neighbouring addresses. */
export const once = (bytes: number): Access => ({ footprint: bytes, moved: bytes });
/** Read `times` over (each workgroup that needs it loads it). */
export const reread = (bytes: number, times: number): Access => ({ footprint: bytes, moved: bytes * Math.max(1, times) });
/** `values` 4-byte loads from scattered addresses of an operand of `footprint` bytes: a 32-byte sector each. */
export const gathered = (footprint: number, values: number): Access => ({ footprint, moved: 32 * values });

export function bytesMoved(cost: LaunchCost): number {
  return cost.traffic.reduce((s, a) => s + a.moved, 0);
}

/** The launch a bind group belongs to (introspection for the plan printer and tests). */
const launchByGroup = new WeakMap<GPUBindGroup, Launch>();

export function launchOf(group: GPUBindGroup): Launch | undefined {
  return launchByGroup.get(group);
}

export function registerLaunch(launch: Launch): Launch {
  launchByGroup.set(launch.bindGroup, launch);
  return launch;
}

/**
 * Call mark(target, error) when the device is lost, without keeping target alive: the lost promise
 * outlives every plan. (A module-level function, so the handler's closure holds the WeakRef alone;
 * a closure made in the plan's constructor would share a context holding `this`.)
 */
export function whenLost<T extends object>(lost: Promise<Error>, target: T, mark: (target: T, error: Error) => void): void {
  const ref = new WeakRef(target);
  void lost.then((error) => {
    const t = ref.deref();
    if (t) mark(t, error);
  });
}

/** Grid for `count` workgroups of a 1-D kernel, folded into two dimensions when it must be. */
export function linearGrid(count: number, maxPerDim: number, what: string): [number, number] {
  const n = Math.max(1, count);
  const x = Math.min(n, maxPerDim);
  const y = Math.ceil(n / x);
  if (y > maxPerDim) throw new Error(`webnmf: ${what} needs ${n} workgroups, more than this device's ${maxPerDim}² limit.`);
  return [x, y];
}

/** Grid for a 2-D tiled kernel; throws a clear Error when a dimension exceeds the device limit. */
export function tileGrid(x: number, y: number, maxPerDim: number, what: string): [number, number] {
  if (x > maxPerDim || y > maxPerDim) {
    throw new Error(`webnmf: ${what} needs a ${x}×${y} workgroup grid; this device allows ${maxPerDim} per dimension.`);
  }
  return [Math.max(1, x), Math.max(1, y)];
}

/** A binding: a whole buffer, or its first `size` bytes (a dispatch that reads a slice binds that slice). */
export type Binding = GPUBuffer | { buffer: GPUBuffer; size: number };

export function bindGroup(device: GPUDevice, label: string, pipeline: GPUComputePipeline, buffers: ReadonlyMap<number, Binding>): GPUBindGroup {
  return device.createBindGroup({
    label,
    layout: pipeline.getBindGroupLayout(0),
    entries: [...buffers].map(([binding, b]) => ({
      binding,
      resource: 'size' in b && 'buffer' in b ? { buffer: b.buffer, size: Math.min(b.buffer.size, Math.max(16, Math.ceil(b.size / 16) * 16)) } : { buffer: b as GPUBuffer },
    })),
  });
}

/** Encode launches into one compute pass (dispatches in a pass see each other's writes, in order). */
export function encodePass(encoder: GPUCommandEncoder, label: string, launches: readonly Launch[]): void {
  if (launches.length === 0) return;
  const pass = encoder.beginComputePass({ label });
  for (const l of launches) {
    pass.setPipeline(l.pipeline);
    pass.setBindGroup(0, l.bindGroup);
    pass.dispatchWorkgroups(l.grid[0], l.grid[1]);
  }
  pass.end();
}
