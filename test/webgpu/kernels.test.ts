// Each kernel family against a plain float64 JS computation of its formula (the header of its .wgsl).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { F32_KERNEL_TOL, kernelContext, randomArray, readFloats, relativeError, testDevice, withValidation } from './setup.js';
import { encodePass, type Launch } from '../../src/backend/webgpu/dispatch.js';
import type { KernelContext } from '../../src/backend/webgpu/programs/context.js';
import { muApplyLaunch, muProductsLaunch } from '../../src/backend/webgpu/programs/mu.js';
import { halsLaunch, halsTeamLaunch, halsWorkgroups } from '../../src/backend/webgpu/programs/hals.js';
import { denseDivergenceLaunch, denseDivergenceWorkgroups, sparseDivergenceLaunch, sparseDivergenceWorkgroups } from '../../src/backend/webgpu/programs/divergence.js';
import { reduceLaunch } from '../../src/backend/webgpu/programs/reduce.js';
import { cscWtTimesLaunch, csrTimesHtLaunch, sampleWHLaunch } from '../../src/backend/webgpu/programs/sparse.js';
import { uploadX } from '../../src/backend/webgpu/x-upload.js';
import { liveBufferCount } from '../../src/backend/webgpu/buffers.js';
import { toCsr } from './fit-helpers.js';

const EPS = 1.1920928955078125e-7;
const m = 13, n = 11, k = 3;
let device: GPUDevice;
beforeAll(async () => {
  device = await testDevice();
});
afterAll(() => device?.destroy());

/** W with an all-zero row and H with an all-zero column, so WH has exact zeros (the EPSILON guards). */
function factors(seed: number) {
  const W = randomArray(m * k, seed, 0, 1), H = randomArray(k * n, seed + 1, 0, 1);
  W.fill(0, 2 * k, 3 * k);
  for (let r = 0; r < k; r++) H[r * n + 4] = 0;
  const X = randomArray(m * n, seed + 2, 0, 2);
  for (let q = 0; q < m * n; q += 5) X[q] = 0;
  const WH = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) for (let r = 0; r < k; r++) WH[i * n + j] += W[i * k + r] * H[r * n + j];
  return { W, H, X, WH };
}

async function run(launches: Launch[]): Promise<void> {
  const enc = device.createCommandEncoder();
  encodePass(enc, 'test', launches);
  device.queue.submit([enc.finish()]);
  await device.queue.onSubmittedWorkDone();
}

/** Run `body` with a fresh context inside a validation scope, and check it freed everything. */
async function gpuCase(body: (ctx: KernelContext) => Promise<void>): Promise<void> {
  await withValidation(device, async () => {
    const ctx = kernelContext(device);
    try {
      await body(ctx);
    } finally {
      ctx.buffers.destroyAll();
    }
    expect(liveBufferCount(device)).toBe(0);
  });
}

const numTerm = (x: number, wh: number, beta: number) => x * Math.pow(beta < 2 && wh === 0 ? EPS : wh, beta - 2);
const denTerm = (wh: number, beta: number) => Math.pow(beta < 1 && wh === 0 ? EPS : wh, beta - 1);

describe('mu.wgsl', () => {
  for (const beta of [1, 0, 0.5, 1.5, 3]) {
    it(`muProductsW / muProductsH, β=${beta}`, () => gpuCase(async (ctx) => {
      const { W, H, X, WH } = factors(11);
      const b = ctx.buffers;
      const [x, w, h] = [b.upload('X', X, 'f32'), b.upload('W', W, 'f32'), b.upload('H', H, 'f32')];
      const [numW, denW, numH, denH, dummy] = [b.storage('numW', m * k), b.storage('denW', m * k), b.storage('numH', k * n), b.storage('denH', k * n), b.storage('dummy', 4)];
      const common = { beta, rows: m, rowStart: 0, n, k, x, dummy, w, h, accumulate: false };
      await run([
        await muProductsLaunch(ctx, { ...common, label: 'W', side: 'W', num: numW, den: denW }),
        await muProductsLaunch(ctx, { ...common, label: 'H', side: 'H', num: numH, den: denH }),
      ]);
      const refNumW = new Float64Array(m * k), refDenW = new Float64Array(m * k), refNumH = new Float64Array(k * n), refDenH = new Float64Array(k * n);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          const e = numTerm(X[i * n + j], WH[i * n + j], beta), d = denTerm(WH[i * n + j], beta);
          for (let r = 0; r < k; r++) {
            refNumW[i * k + r] += e * H[r * n + j];
            refDenW[i * k + r] += d * H[r * n + j];
            refNumH[r * n + j] += W[i * k + r] * e;
            refDenH[r * n + j] += W[i * k + r] * d;
          }
        }
      }
      expect(relativeError(await readFloats(device, b, numW, m * k), refNumW)).toBeLessThan(F32_KERNEL_TOL);
      expect(relativeError(await readFloats(device, b, numH, k * n), refNumH)).toBeLessThan(F32_KERNEL_TOL);
      if (beta !== 1) {
        expect(relativeError(await readFloats(device, b, denW, m * k), refDenW)).toBeLessThan(F32_KERNEL_TOL);
        expect(relativeError(await readFloats(device, b, denH, k * n), refDenH)).toBeLessThan(F32_KERNEL_TOL);
      }
    }));
  }

  for (const [beta, side] of [[2, 'W'], [1, 'H'], [0.5, 'W'], [1, 'W']] as const) {
    it(`muApply, β=${beta}, ${side}`, () => gpuCase(async (ctx) => {
      const count = side === 'W' ? m * k : k * n;
      const F = randomArray(count, 3, 0, 1), num = randomArray(count, 4, 0, 2), den = randomArray(count, 5, 0, 2);
      const sums = Float64Array.of(0.7, 0, 1.3);
      F[1] = 1e-17; // below float64 eps after the update: clipped when β < 1 on W
      num[2] = 0;
      den[3] = 0;
      const b = ctx.buffers;
      const f = b.upload('F', F, 'f32');
      const launch = await muApplyLaunch(ctx, { label: 'apply', side, beta, n, k, count, f, num: b.upload('num', num, 'f32'), den: b.upload('den', den, 'f32'), sums: b.upload('sums', sums, 'f32') });
      const step = { l1: beta === 1 ? 0 : 0.1, l2: 0.2, gamma: beta < 1 ? 1 / (2 - beta) : 1 };
      launch.params.set(step).write(device.queue);
      await run([launch]);
      const ref = F.map((fq, q) => {
        let d = beta === 1 ? sums[side === 'W' ? q % k : Math.floor(q / n) % k] : den[q];
        if (beta === 1 && side === 'H' && d === 0) d = 1;
        if (step.l1 > 0) d += step.l1;
        if (step.l2 > 0) d += step.l2 * fq;
        if (d === 0) d = EPS;
        const v = fq * Math.pow(num[q] / d, step.gamma);
        return (side === 'W' ? beta < 1 : beta <= 1) && v < 2.220446049250313e-16 ? 0 : v;
      });
      const got = await readFloats(device, b, f, count);
      expect(relativeError(got, ref)).toBeLessThan(F32_KERNEL_TOL);
      if (beta < 1) expect(got[1]).toBe(0);
    }));
  }
});

describe('hals.wgsl', () => {
  // software: main (a row per invocation); hardware: sweepTeam (teams of lanes per row; k = 3 → 4 lanes, k = 20 → 16)
  it.each([['software', 3], ['hardware', 3], ['hardware', 20]] as const)('one sweep of W and of H, with regularization and a permuted order (%s plan, k=%i)', (plan, k) => gpuCase(async (base) => {
    const ctx = { ...base, plan };
    const W = randomArray(m * k, 21, 0, 1), H = randomArray(k * n, 22, 0, 1);
    W[4] = 0;
    const XHt = randomArray(m * k, 23, 0, 3), HHt = randomArray(k * k, 24, 0.5, 1.5), WtX = randomArray(k * n, 25, 0, 3), WtW = randomArray(k * k, 26, 0.5, 1.5);
    const order = Int32Array.from({ length: k }, (_, t) => (t + 2) % k), l1 = 0.1, l2 = 0.3; // k = 3: 2, 0, 1
    const b = ctx.buffers;
    const nW = halsWorkgroups(ctx, 'W', m, n, k), nH = halsWorkgroups(ctx, 'H', m, n, k);
    const [w, h, partials, ones, total] = [b.upload('W', W, 'f32'), b.upload('H', H, 'f32'), b.storage('partials', nW + nH), b.upload('ones', new Float32Array(nW + nH).fill(1), 'f32'), b.storage('total', 1)];
    const orderBuf = b.upload('order', order, 'u32');
    const launch = plan === 'hardware' ? halsTeamLaunch : halsLaunch;
    const lw = await launch(ctx, { label: 'W', side: 'W', m, n, k, f: w, g: b.upload('XHt', XHt, 'f32'), gram: b.upload('HHt', HHt, 'f32'), order: orderBuf, partials, partialBase: 0 });
    const lh = await launch(ctx, { label: 'H', side: 'H', m, n, k, f: h, g: b.upload('WtX', WtX, 'f32'), gram: b.upload('WtW', WtW, 'f32'), order: orderBuf, partials, partialBase: nW });
    for (const l of [lw, lh]) l.params.set({ l1, l2 }).write(device.queue);
    await run([lw, lh, await reduceLaunch(ctx, 'sum', nW + nH, partials, ones, total, 0)]);
    // float64 _update_cdnmf_fast on F(i, t) = F[i·rs + t·cs]
    const sweep = (F: Float64Array, rows: number, rs: number, cs: number, G: Float64Array, M: Float64Array) => {
      let violation = 0;
      for (const t of order) {
        const hess = M[t * k + t] + l2;
        for (let i = 0; i < rows; i++) {
          let grad = -(G[i * rs + t * cs] - l1);
          for (let r = 0; r < k; r++) grad += (M[t * k + r] + (r === t ? l2 : 0)) * F[i * rs + r * cs];
          const ft = i * rs + t * cs;
          violation += Math.abs(F[ft] === 0 ? Math.min(0, grad) : grad);
          if (hess !== 0) F[ft] = Math.max(F[ft] - grad / hess, 0);
        }
      }
      return violation;
    };
    const violation = sweep(W, m, k, 1, XHt, HHt) + sweep(H, n, 1, n, WtX, WtW);
    expect(relativeError(await readFloats(device, b, w, m * k), W)).toBeLessThan(F32_KERNEL_TOL);
    expect(relativeError(await readFloats(device, b, h, k * n), H)).toBeLessThan(F32_KERNEL_TOL);
    expect(Math.abs((await readFloats(device, b, total, 1))[0] - violation) / violation).toBeLessThan(F32_KERNEL_TOL);
  }));
});

/** The per-entry sum the divergence kernels produce (before the host's final scaling). */
function divergenceSum(X: Float64Array, WH: Float64Array, beta: number): number {
  let s = 0;
  for (let q = 0; q < X.length; q++) {
    const x = X[q], wh = WH[q], v = wh === 0 ? EPS : wh;
    if (beta === 2) s += (x - wh) ** 2;
    else if (beta === 1) s += wh + (x > EPS ? x * Math.log(x / v) - x : 0);
    else if (beta === 0) s += x > EPS ? x / v - 1 - Math.log(x / v) : -1;
    else s += (beta - 1) * Math.pow(wh, beta) + (x > EPS ? Math.pow(x, beta) - beta * x * Math.pow(v, beta - 1) : 0);
  }
  return s;
}

describe('divergence.wgsl and reduce.wgsl', () => {
  for (const beta of [2, 1, 0, 0.5, 3]) {
    it(`dense and sparse partials, β=${beta}`, () => gpuCase(async (ctx) => {
      const { W, H, X, WH } = factors(31);
      const b = ctx.buffers;
      const [w, h, dummy] = [b.upload('W', W, 'f32'), b.upload('H', H, 'f32'), b.storage('dummy', 4)];
      const csr = toCsr(m, n, X);
      const gx = uploadX(b, csr, 1 << 20);
      if (gx.kind !== 'csr') throw new Error('expected CSR');
      const nD = denseDivergenceWorkgroups(m, n), nS = sparseDivergenceWorkgroups(gx.blocks[0].nnz);
      const [pd, ps, ones, out] = [b.storage('pd', nD), b.storage('ps', nS), b.upload('ones', new Float32Array(nD + nS).fill(1), 'f32'), b.storage('out', 2)];
      await run([
        await denseDivergenceLaunch(ctx, { label: 'dense', beta, rows: m, rowStart: 0, n, k, x: b.upload('X', X, 'f32'), dummy, w, h, partials: pd, partialBase: 0 }),
        await sampleWHLaunch(ctx, 'sample', gx.blocks[0], { m, n, k, beta }, w, h),
        await sparseDivergenceLaunch(ctx, { label: 'sparse', beta, nnz: gx.blocks[0].nnz, data: gx.blocks[0].data, wh: gx.blocks[0].wh, partials: ps, partialBase: 0 }),
        await reduceLaunch(ctx, 'sum dense', nD, pd, ones, out, 0),
        await reduceLaunch(ctx, 'sum sparse', nS, ps, ones, out, 1),
      ]);
      const [dense, sparse] = await readFloats(device, b, out, 2);
      const want = divergenceSum(X, WH, beta);
      expect(Math.abs(dense - want) / Math.abs(want)).toBeLessThan(F32_KERNEL_TOL);
      // sparse: the stored entries' terms only (reduce.wgsl and the host add the terms over all of WH)
      let wantSparse = 0;
      for (let q = 0; q < csr.data.length; q++) {
        const x = csr.data[q], wh = WH[rowOf(csr, q) * n + csr.indices[q]];
        const allOfWH = beta === 2 ? wh * wh : beta === 1 ? wh : beta === 0 ? 0 : (beta - 1) * Math.pow(wh, beta);
        wantSparse += divergenceSum(Float64Array.of(x), Float64Array.of(wh), beta) - allOfWH;
      }
      expect(Math.abs(sparse - wantSparse) / Math.abs(wantSparse)).toBeLessThan(F32_KERNEL_TOL);
    }));
  }
});

function rowOf(csr: { indptr: Int32Array }, q: number): number {
  let i = 0;
  while (csr.indptr[i + 1] <= q) i++;
  return i;
}

describe('sparse.wgsl', () => {
  for (const beta of [null, 1, 0, 1.5]) {
    it(`csrTimesHt and cscWtTimes, values ${beta === null ? 'X' : `of β=${beta}`}`, () => gpuCase(async (ctx) => {
      const { W, H, X, WH } = factors(41);
      const b = ctx.buffers;
      const [w, h, outW, outH] = [b.upload('W', W, 'f32'), b.upload('H', H, 'f32'), b.storage('outW', m * k), b.storage('outH', k * n)];
      const gx = uploadX(b, toCsr(m, n, X), 1 << 20);
      if (gx.kind !== 'csr') throw new Error('expected CSR');
      const d = { m, n, k, beta: beta ?? 2 };
      await run([
        await sampleWHLaunch(ctx, 'sample', gx.blocks[0], d, w, h),
        await csrTimesHtLaunch(ctx, 'csr', gx.blocks[0], d, beta, h, outW),
        await cscWtTimesLaunch(ctx, 'csc', gx.blocks[0], d, beta, w, outH),
      ]);
      const refW = new Float64Array(m * k), refH = new Float64Array(k * n);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          const x = X[i * n + j];
          if (x === 0) continue;
          const v = beta === null ? x : numTerm(x, WH[i * n + j], beta);
          for (let r = 0; r < k; r++) {
            refW[i * k + r] += v * H[r * n + j];
            refH[r * n + j] += W[i * k + r] * v;
          }
        }
      }
      expect(relativeError(await readFloats(device, b, outW, m * k), refW)).toBeLessThan(F32_KERNEL_TOL);
      expect(relativeError(await readFloats(device, b, outH, k * n), refH)).toBeLessThan(F32_KERNEL_TOL);
    }));
  }
});
