// Launcher for reduce.wgsl: out[outIndex] = Σ a·b over `count` entries, one workgroup.

import { once, type Launch } from '../dispatch.js';
import { makeLaunch, type KernelContext } from './context.js';

export function reduceLaunch(ctx: KernelContext, label: string, count: number, a: GPUBuffer, b: GPUBuffer, out: GPUBuffer, outIndex: number): Promise<Launch> {
  const cost = { invocations: 256, trips: Math.ceil(count / 256), flops: 2 * count, traffic: [once(8 * count)] };
  return makeLaunch(ctx, 'reduce', 'main', {}, label, { count, outIndex }, { a, b, out }, [1, 1], cost);
}
