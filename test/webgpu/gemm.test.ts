import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { F32_KERNEL_TOL, kernelContext, randomArray, readFloats, relativeError, testDevice, withValidation } from './setup.js';
import { gemmLaunch, skinnyLaunch, SKINNY_MAX_K } from '../../src/backend/webgpu/programs/gemm.js';
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

/** float64 reference of the skinny products over rows [r0, r0 + rows) of X (m × n), W (m × k), H (k × n). */
function skinnyReference(kind: 'NT' | 'TN', divide: boolean, r0: number, rows: number, n: number, k: number, x: Float64Array, w: Float64Array, h: Float64Array): Float64Array {
  const out = new Float64Array(kind === 'NT' ? rows * k : k * n);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < n; j++) {
      let v = x[i * n + j];
      if (divide) {
        let wh = 0;
        for (let r = 0; r < k; r++) wh += w[(r0 + i) * k + r] * h[r * n + j];
        v /= wh === 0 ? 1.1920928955078125e-7 : wh;
      }
      for (let r = 0; r < k; r++) {
        if (kind === 'NT') out[i * k + r] += v * h[r * n + j];
        else out[r * n + j] += w[(r0 + i) * k + r] * v;
      }
    }
  }
  return out;
}

describe('skinny.wgsl products (X read once: X·Hᵀ, Wᵀ·X, and with divide X ⊘ WH in place of X)', () => {
  // rows not a multiple of 8; n a multiple of 4 but not always of 8; k below, at and above a multiple of 4, up to the limit
  const shapes: [number, number, number][] = [[13, 12, 3], [37, 20, 4], [9, 8, 13], [70, 36, SKINNY_MAX_K], [5, 4, 1]];
  for (const [rows, n, k] of shapes) {
    for (const kind of ['NT', 'TN'] as const) {
      for (const divide of [false, true]) {
        it(`${kind} rows=${rows} n=${n} k=${k}${divide ? ' divide' : ''}, a block of rows from row 3`, async () => {
          await withValidation(device, async () => {
            const ctx = kernelContext(device);
            const r0 = 3, m = r0 + rows;
            const x = randomArray(rows * n, 1, 0, 1), w = randomArray(m * k, 2, 0.1, 1), h = randomArray(k * n, 3, 0.1, 1);
            if (divide) x[0] = 0; // a zero of X stays a zero term
            const c0 = randomArray(kind === 'NT' ? m * k : k * n, 4);
            const X = ctx.buffers.upload('X', x, 'f32'), W = ctx.buffers.upload('W', w, 'f32'), H = ctx.buffers.upload('H', h, 'f32');
            const C = ctx.buffers.upload('C', c0, 'f32');
            const accumulate = kind === 'TN';
            const launch = await skinnyLaunch(ctx, { label: 'test', kind, rows, n, k, x: X, w: W, h: H, c: C, rowStart: r0, accumulate, divide });
            const enc = device.createCommandEncoder();
            encodePass(enc, 'skinny test', [launch]);
            device.queue.submit([enc.finish()]);
            const got = await readFloats(device, ctx.buffers, C, c0.length);
            const part = skinnyReference(kind, divide, r0, rows, n, k, x, w, h);
            const want = Float64Array.from(c0);
            if (kind === 'NT') want.set(part, r0 * k); // rows r0 … of C; the rows before stay as they were
            else for (let e = 0; e < want.length; e++) want[e] += part[e];
            expect(relativeError(got, want)).toBeLessThan(F32_KERNEL_TOL);
            ctx.buffers.destroyAll();
            expect(liveBufferCount(device)).toBe(0);
          });
        });
      }
    }
  }
});
