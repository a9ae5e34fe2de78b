import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { F32_KERNEL_TOL, kernelContext, randomArray, readFloats, relativeError, testDevice, withValidation } from './setup.js';
import { gemmLaunch } from '../../src/backend/webgpu/kernels/gemm.js';
import { encodePass } from '../../src/backend/webgpu/dispatch.js';
import { liveBufferCount } from '../../src/backend/webgpu/buffers.js';

let device: GPUDevice;
beforeAll(async () => {
  device = await testDevice();
});
afterAll(() => device?.destroy());

/** float64 reference of C = op(A)·op(B) (+ C0). */
function reference(M: number, N: number, K: number, a: Float64Array, b: Float64Array, transA: boolean, transB: boolean, c0?: Float64Array): Float64Array {
  const c = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = c0 ? c0[i * N + j] : 0;
      for (let q = 0; q < K; q++) s += (transA ? a[q * M + i] : a[i * K + q]) * (transB ? b[j * K + q] : b[q * N + j]);
      c[i * N + j] = s;
    }
  }
  return c;
}

describe('gemm.wgsl', () => {
  const shapes: [number, number, number][] = [[37, 5, 53], [5, 61, 29], [33, 41, 17], [1, 1, 1], [70, 3, 2], [3, 3, 100]];
  for (const [M, N, K] of shapes) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        it(`${M}×${N}×${K} transA=${transA} transB=${transB}`, async () => {
          await withValidation(device, async () => {
            const ctx = kernelContext(device);
            const a = randomArray(M * K, 1), b = randomArray(K * N, 2), c0 = randomArray(M * N, 3);
            const A = ctx.buffers.upload('A', a, 'f32'), B = ctx.buffers.upload('B', b, 'f32');
            const C = ctx.buffers.upload('C', c0, 'f32');
            const accumulate = transA !== transB;
            const launch = await gemmLaunch(ctx, {
              label: 'test', M, N, K, a: A, b: B, c: C, transA, transB,
              lda: transA ? M : K, ldb: transB ? K : N, ldc: N, accumulate,
            });
            const enc = device.createCommandEncoder();
            encodePass(enc, 'gemm test', [launch]);
            device.queue.submit([enc.finish()]);
            const got = await readFloats(device, ctx.buffers, C, M * N);
            const want = reference(M, N, K, a, b, transA, transB, accumulate ? c0 : undefined);
            expect(relativeError(got, want)).toBeLessThan(F32_KERNEL_TOL);
            ctx.buffers.destroyAll();
            expect(liveBufferCount(device)).toBe(0);
          });
        });
      }
    }
  }
});
