// Launcher for reduce.wgsl: out[outIndex] = Σ a·b over `count` entries, one workgroup.

import { once, type Launch } from '../dispatch.js';
import { shaderConstant } from '../shader-constants.js';
import { makeLaunch, type KernelContext } from './context.js';

const WG = shaderConstant('reduce', 'WG');

export function reduceLaunch(ctx: KernelContext, label: string, count: number, a: GPUBuffer, b: GPUBuffer, out: GPUBuffer, outIndex: number): Promise<Launch> {
  const cost = { invocations: WG, trips: Math.ceil(count / WG), flops: 2 * count, traffic: [once(8 * count)] };
  return makeLaunch(ctx, 'reduce', 'main', {}, label, { count, outIndex }, { a, b, out }, [1, 1], cost);
}
