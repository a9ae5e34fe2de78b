// The 'hardware' plan's kernel families against float64 references of their formulas (the headers of
// tiled.wgsl, xproducts.wgsl and sparse.wgsl): odd sizes, every capacity class of k, vec4 and scalar
// loads of X, split-K partials and passes (forced at small sizes through maxChunk / maxSplits), row
// blocks (a W offset) and accumulation. Each case runs inside a validation scope and frees its buffers.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { F32_KERNEL_TOL, kernelContext, randomArray, readFloats, relativeError, testDevice, withValidation } from './setup.js';
import { encodePass, type Launch } from '../../src/backend/webgpu/dispatch.js';
import type { KernelContext } from '../../src/backend/webgpu/programs/context.js';
import { planTiled, tiledLaunches, tiledPartialFloats } from '../../src/backend/webgpu/programs/tiled.js';
import { planXProduct, xproductLaunches, xproductPartialFloats } from '../../src/backend/webgpu/programs/xproducts.js';
import { cscColsWLaunch, csrRowsHtLaunch, sampleWHtLaunch, transposeHLaunch } from '../../src/backend/webgpu/programs/sparse.js';
import { uploadX } from '../../src/backend/webgpu/x-upload.js';
import { liveBufferCount } from '../../src/backend/webgpu/buffers.js';
import { toCsr } from './fit-helpers.js';

const EPS = 1.1920928955078125e-7;
let device: GPUDevice;
beforeAll(async () => {
  device = await testDevice();
});
afterAll(() => device?.destroy());

/** A hardware-plan context; `split` forces short splits (and few per pass) so small sizes split and pass. */
function context(split?: { maxChunk: number; maxSplits: number }): KernelContext {
  return { ...kernelContext(device), plan: 'hardware', ...split };
}

async function run(launches: Launch[]): Promise<void> {
  const enc = device.createCommandEncoder();
  encodePass(enc, 'test', launches);
  device.queue.submit([enc.finish()]);
  await device.queue.onSubmittedWorkDone();
}

async function gpuCase(ctx: KernelContext, body: (ctx: KernelContext) => Promise<void>): Promise<void> {
  await withValidation(device, async () => {
    try {
      await body(ctx);
    } finally {
      ctx.buffers.destroyAll();
    }
    expect(liveBufferCount(device)).toBe(0);
  });
}

const SPLIT = { maxChunk: 32, maxSplits: 2 };

describe('tiled.wgsl: C (+)= op(A)·op(B)', () => {
  const shapes: [number, number, number][] = [[37, 5, 53], [5, 61, 29], [33, 41, 17], [1, 1, 1], [70, 3, 2], [3, 3, 100], [130, 70, 120]];
  for (const [M, N, K] of shapes) {
    for (const split of [undefined, SPLIT]) {
      it(`${M}×${N}×${K}, every transpose${split ? ', in splits and passes' : ''}`, async () => {
        const ctx = context(split);
        await gpuCase(ctx, async () => {
          for (const transA of [false, true]) {
            for (const transB of [false, true]) {
              const a = randomArray(M * K, 1), b = randomArray(K * N, 2), c0 = randomArray(M * N, 3);
              const accumulate = transA !== transB;
              const plan = planTiled(ctx, M, N, K);
              if (split && K > 64) expect(plan.passes, 'forced passes').toBeGreaterThan(1);
              const bufs = ctx.buffers;
              const C = bufs.upload('C', c0, 'f32');
              await run(await tiledLaunches(ctx, {
                label: 'test', M, N, K, a: bufs.upload('A', a, 'f32'), b: bufs.upload('B', b, 'f32'), c: C, transA, transB,
                lda: transA ? M : K, ldb: transB ? K : N, ldc: N, accumulate, partials: bufs.storage('partials', Math.max(4, tiledPartialFloats(plan, M, N))),
              }));
              const want = new Float64Array(M * N);
              for (let i = 0; i < M; i++) {
                for (let j = 0; j < N; j++) {
                  let s = accumulate ? c0[i * N + j] : 0;
                  for (let q = 0; q < K; q++) s += (transA ? a[q * M + i] : a[i * K + q]) * (transB ? b[j * K + q] : b[q * N + j]);
                  want[i * N + j] = s;
                }
              }
              expect(relativeError(await readFloats(device, bufs, C, M * N), want), `transA=${transA} transB=${transB}`).toBeLessThan(F32_KERNEL_TOL);
            }
          }
        });
      });
    }
  }
});

const numTerm = (x: number, wh: number, beta: number) => x * Math.pow(beta < 2 && wh === 0 ? EPS : wh, beta - 2);
const denTerm = (wh: number, beta: number) => Math.pow(beta < 1 && wh === 0 ? EPS : wh, beta - 1);

describe('xproducts.wgsl: X·Hᵀ and Wᵀ·X, and the MU terms formed from WH', () => {
  // every β-class at one k; k across the other capacity classes (4, 8, 64, 128) with X itself and KL;
  // n a multiple of 4 (vec4 loads of X) and not. (Each class and β-class is a pipeline to compile:
  // SwiftShader takes seconds per pipeline, so not every combination.)
  const cases: [number, number, number, (number | null)[]][] = [
    [20, 70, 36, [null, 1, 0, 0.5, 3]], [3, 41, 44, [null, 1]], [7, 45, 37, [null, 1]], [40, 45, 50, [null, 1, 0.5]], [100, 33, 40, [null, 1]],
  ];
  for (const [k, rows, n, betas] of cases) {
    for (const split of [undefined, SPLIT]) {
      it(`k=${k}, ${rows}×${n}${split ? ', in splits and passes' : ''}`, async () => {
        const ctx = context(split);
        await gpuCase(ctx, async () => {
          const rowStart = 5; // a row block starting past W's first rows
          const m = rowStart + rows;
          const W = randomArray(m * k, 11, 0, 1), H = randomArray(k * n, 12, 0, 1), X = randomArray(rows * n, 13, 0, 2);
          W.fill(0, (rowStart + 2) * k, (rowStart + 3) * k); // WH == 0 on a row: the EPSILON guards
          for (let q = 0; q < X.length; q += 7) X[q] = 0;
          const WH = new Float64Array(rows * n);
          for (let i = 0; i < rows; i++) for (let j = 0; j < n; j++) for (let r = 0; r < k; r++) WH[i * n + j] += W[(rowStart + i) * k + r] * H[r * n + j];
          const b = ctx.buffers;
          const [w, h, x, dummy] = [b.upload('W', W, 'f32'), b.upload('H', H, 'f32'), b.upload('X', X, 'f32'), b.storage('dummy', 4)];
          for (const beta of betas) {
            for (const kind of ['xht', 'wtx'] as const) {
              const withDen = beta !== null && beta !== 1;
              // xht writes this block's rows of an m × k output, wtx all of k × n
              const outputs = kind === 'xht' ? m * k : k * n;
              const c0 = randomArray(outputs, 14, 0, 1);
              const [c, den] = [b.upload('C', c0, 'f32'), withDen ? b.upload('den', c0, 'f32') : null];
              const accumulate = kind === 'wtx' && beta === null;
              const shape = { kind, rows, n, k };
              const plan = planXProduct(ctx, shape);
              if (split) expect(plan.splits * plan.passes, 'forced splits').toBeGreaterThan(1);
              const partials = b.storage('partials', Math.max(4, xproductPartialFloats(plan, shape, withDen)));
              await run(await xproductLaunches(ctx, { ...shape, label: 't', beta, x, dummy, rowStart, w, h, c, den, accumulate, partials }));
              const wantN = new Float64Array(outputs), wantD = new Float64Array(outputs);
              for (let i = 0; i < rows; i++) {
                for (let j = 0; j < n; j++) {
                  const v = beta === null ? X[i * n + j] : numTerm(X[i * n + j], WH[i * n + j], beta);
                  const dv = withDen ? denTerm(WH[i * n + j], beta) : 0;
                  for (let r = 0; r < k; r++) {
                    const q = kind === 'xht' ? (rowStart + i) * k + r : r * n + j;
                    const other = kind === 'xht' ? H[r * n + j] : W[(rowStart + i) * k + r];
                    wantN[q] += v * other;
                    wantD[q] += dv * other;
                  }
                }
              }
              if (accumulate) for (let q = 0; q < outputs; q++) wantN[q] += c0[q];
              // rows of the output outside the block keep what they held
              if (kind === 'xht') for (let q = 0; q < rowStart * k; q++) [wantN[q], wantD[q]] = [c0[q], c0[q]];
              const what = `${kind}, β=${beta}`;
              expect(relativeError(await readFloats(device, b, c, outputs), wantN), `${what}: numerator`).toBeLessThan(F32_KERNEL_TOL);
              if (den) expect(relativeError(await readFloats(device, b, den, outputs), wantD), `${what}: denominator`).toBeLessThan(F32_KERNEL_TOL);
              if (withDen && kind === 'xht') {
                // the denominator alone over every entry of WH (CSR X): HAS_X false
                const onlyDen = b.upload('onlyDen', c0, 'f32');
                await run(await xproductLaunches(ctx, { ...shape, label: 'den', beta: beta!, x: null, dummy, rowStart, w, h, c: null, den: onlyDen, accumulate: false, partials }));
                expect(relativeError(await readFloats(device, b, onlyDen, outputs), wantD), `${what}: denominator alone`).toBeLessThan(F32_KERNEL_TOL);
              }
            }
          }
        });
      });
    }
  }
});

describe('sparse.wgsl (hardware plan): Hᵀ, WH at the entries, CSR and CSC products with lanes over k', () => {
  for (const k of [3, 20, 100]) {
    it(`k=${k}`, async () => {
      const ctx = context();
      await gpuCase(ctx, async () => {
        const m = 19, n = 37, d = { m, n, k, beta: 2 };
        const W = randomArray(m * k, 21, 0, 1), H = randomArray(k * n, 22, 0, 1), dense = randomArray(m * n, 23, 0, 2);
        for (let q = 0; q < dense.length; q++) if (q % 3 !== 0) dense[q] = 0;
        const b = ctx.buffers;
        const gx = uploadX(b, toCsr(m, n, dense), 1 << 20);
        if (gx.kind !== 'csr') throw new Error('expected CSR');
        const [w, h, ht, outW, outH] = [b.upload('W', W, 'f32'), b.upload('H', H, 'f32'), b.storage('Ht', n * k), b.storage('outW', m * k), b.storage('outH', k * n)];
        await run([await transposeHLaunch(ctx, 'Ht', d, h, ht), await sampleWHtLaunch(ctx, 'sample', gx.blocks[0], d, w, ht)]);
        const htRef = new Float64Array(n * k);
        for (let r = 0; r < k; r++) for (let j = 0; j < n; j++) htRef[j * k + r] = H[r * n + j];
        expect(relativeError(await readFloats(device, b, ht, n * k), htRef), 'Hᵀ').toBeLessThan(F32_KERNEL_TOL);
        const WH = new Float64Array(m * n);
        for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) for (let r = 0; r < k; r++) WH[i * n + j] += W[i * k + r] * H[r * n + j];
        const stored: number[] = [];
        for (let q = 0; q < dense.length; q++) if (dense[q] !== 0) stored.push(WH[q]);
        expect(relativeError(await readFloats(device, b, gx.blocks[0].wh, stored.length), stored), 'WH at the entries').toBeLessThan(F32_KERNEL_TOL);
        for (const beta of [null, 1, 0, 1.5]) {
          await run([
            await csrRowsHtLaunch(ctx, 'rows', gx.blocks[0], { ...d, beta: beta ?? 2 }, beta, ht, outW),
            await cscColsWLaunch(ctx, 'cols', gx.blocks[0], { ...d, beta: beta ?? 2 }, beta, w, outH),
          ]);
          const refW = new Float64Array(m * k), refH = new Float64Array(k * n);
          for (let i = 0; i < m; i++) {
            for (let j = 0; j < n; j++) {
              const x = dense[i * n + j];
              if (x === 0) continue;
              const v = beta === null ? x : numTerm(x, WH[i * n + j], beta);
              for (let r = 0; r < k; r++) {
                refW[i * k + r] += v * H[r * n + j];
                refH[r * n + j] += W[i * k + r] * v;
              }
            }
          }
          expect(relativeError(await readFloats(device, b, outW, m * k), refW), `rows, β=${beta}`).toBeLessThan(F32_KERNEL_TOL);
          expect(relativeError(await readFloats(device, b, outH, k * n), refH), `columns, β=${beta}`).toBeLessThan(F32_KERNEL_TOL);
        }
      });
    });
  }
});
