// What every kernel launcher needs: the device, the fit's buffer set, the grid limit, debug output.

import { resolveBindings } from '../bindings.js';
import type { BufferSet } from '../buffers.js';
import { bindGroup, registerLaunch, type Binding, type Launch, type LaunchCost } from '../dispatch.js';
import { getPipeline, type Constants } from '../pipelines.js';
import type { ShaderName } from '../shader-sources.js';
import { uniformLayout, UniformBlock } from '../uniforms.js';
import { SHADERS } from '../shader-sources.js';

export interface KernelContext {
  readonly device: GPUDevice;
  readonly buffers: BufferSet;
  readonly maxPerDim: number;
  readonly debug: boolean;
  /** the kernel plan the launches belong to (absent: 'software') */
  readonly plan?: 'hardware' | 'software';
  /** tests: fewer splits per pass and shorter splits than the hardware plan's own, to exercise its splits and passes on small X */
  readonly maxSplits?: number;
  readonly maxChunk?: number;
}

export function pipeline(ctx: KernelContext, shader: ShaderName, entry: string, constants: Constants): Promise<GPUComputePipeline> {
  return getPipeline(ctx.device, shader, entry, constants, ctx.debug);
}

/** A uniform buffer laid out from the shader's `struct Params`, filled with `values` now. */
export function params(ctx: KernelContext, shader: ShaderName, label: string, values: Record<string, number | boolean>): UniformBlock {
  const layout = uniformLayout(SHADERS[shader]);
  const block = new UniformBlock(layout, ctx.buffers.uniform(`uniform:${label}`, layout.bytes));
  block.set(values).write(ctx.device.queue);
  return block;
}

/** One prepared dispatch: pipeline from the cache, its own uniforms, a bind group built once from `bindings` by WGSL name. */
export async function makeLaunch(
  ctx: KernelContext,
  shader: ShaderName,
  entry: string,
  constants: Constants,
  label: string,
  values: Record<string, number | boolean>,
  bindings: Readonly<Record<string, Binding>>,
  grid: [number, number],
  cost?: LaunchCost,
): Promise<Launch> {
  const pipe = await pipeline(ctx, shader, entry, constants);
  const u = params(ctx, shader, label, values);
  const entries = resolveBindings(SHADERS[shader], shader, entry, bindings, u.buffer);
  return registerLaunch({ label, params: u, pipeline: pipe, bindGroup: bindGroup(ctx.device, label, pipe, entries), grid, cost });
}

/** The device limits the hardware plan sizes its tiles from. */
export function workgroupLimits(ctx: KernelContext): { invocations: number; storage: number } {
  const l = ctx.device.limits;
  return { invocations: l.maxComputeInvocationsPerWorkgroup, storage: l.maxComputeWorkgroupStorageSize };
}
