// GEMM throughput at N³ on the shared device: webnmf's gemm.wgsl called directly through a
// KernelContext (as test/webgpu/gemm.test.ts does), jax-js np.matmul, TF.js tf.matMul, and the two
// investigation rewrites of gemm-variants.ts. Every result is checked against a float64 product.
// Rounds interleave the candidates and each keeps its fastest run: the machine is shared, and
// interference only ever adds time.

import { BufferSet } from '../../src/backend/webgpu/buffers.js';
import type { KernelContext } from '../../src/backend/webgpu/kernels/context.js';
import { gemmLaunch } from '../../src/backend/webgpu/kernels/gemm.js';
import { GEMM_VEC4_DIRECT, GEMM_VEC4_TILED, variantLaunch } from './gemm-variants.js';
import { relativeDiff } from './problem.js';
import { submitLatency, timeDispatch, type Dispatch } from './profile.js';
import type { SharedGpu } from './env.js';

export interface GemmFigure {
  name: string;
  ms: number;
  gflops: number;
  /** max |C − C_ref| / max |C_ref| against float64 */
  error: number;
  reps: number;
}

function operands(N: number): { a: Float32Array; b: Float32Array; ref: Float64Array } {
  let s = 12345;
  const next = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
  const a = new Float32Array(N * N).map(next), b = new Float32Array(N * N).map(next);
  const ref = new Float64Array(N * N);
  for (let i = 0; i < N; i++) {
    for (let q = 0; q < N; q++) {
      const av = a[i * N + q];
      for (let j = 0; j < N; j++) ref[i * N + j] += av * b[q * N + j];
    }
  }
  return { a, b, ref };
}

async function readBack(device: GPUDevice, set: BufferSet, src: GPUBuffer, count: number): Promise<Float32Array> {
  const staging = set.staging('bench:gemm staging', count * 4);
  const enc = device.createCommandEncoder();
  enc.copyBufferToBuffer(src, 0, staging, 0, count * 4);
  device.queue.submit([enc.finish()]);
  await staging.mapAsync(0x0001);
  const out = new Float32Array(staging.getMappedRange().slice(0));
  staging.unmap();
  return out;
}

/** One way to compute C = A·B on the device: run once (resolves when done, returns ms), read C. */
interface GemmCandidate {
  name: string;
  once(): Promise<number>;
  result(): Promise<Float32Array>;
  dispose(): void;
}

export async function gemmFigures(gpu: SharedGpu, N: number, rounds: number): Promise<GemmFigure[]> {
  const { device, jax, tf } = gpu;
  const { a, b, ref } = operands(N);
  const flops = 2 * N ** 3;
  const set = new BufferSet(device);
  const ctx: KernelContext = { device, buffers: set, maxPerDim: device.limits.maxComputeWorkgroupsPerDimension, debug: false };
  const candidates: GemmCandidate[] = [];
  try {
    // webnmf gemm.wgsl, and the investigation variants on the same buffers.
    const A = set.upload('bench:A', a, 'f32'), B = set.upload('bench:B', b, 'f32'), C = set.storage('bench:C', N * N);
    const launch = await gemmLaunch(ctx, { label: 'gemm', M: N, N, K: N, a: A, b: B, c: C, lda: N, ldb: N, ldc: N });
    const params = launch.params.buffer;
    const latency = await submitLatency(device);
    const onDevice = (name: string, d: Dispatch): GemmCandidate => ({
      name,
      once: () => timeDispatch(device, d, 1, latency),
      result: async () => {
        device.queue.submit([(() => { const e = device.createCommandEncoder(); e.clearBuffer(C); return e.finish(); })()]);
        await timeDispatch(device, d, 1, latency);
        return readBack(device, set, C, N * N);
      },
      dispose: () => undefined,
    });
    candidates.push(
      onDevice('webnmf gemm.wgsl (src/backend/webgpu/kernels/gemm.ts)', launch),
      onDevice('investigation: gemm.wgsl tiling, vec4 register block', variantLaunch(device, GEMM_VEC4_TILED, 'vec4 tiled', { params, a: A, b: B, c: C }, N, N)),
      onDevice('investigation: vec4 register block, no workgroup memory', variantLaunch(device, GEMM_VEC4_DIRECT, 'vec4 direct', { params, a: A, b: B, c: C }, N, N)),
    );

    // jax-js: eager np.matmul, waited for with blockUntilReady.
    const np = jax.numpy;
    const jA = np.array(a).reshape([N, N]), jB = np.array(b).reshape([N, N]);
    candidates.push({
      name: 'jax-js np.matmul',
      once: async () => {
        const t0 = performance.now();
        const jC = np.matmul(jA.ref, jB.ref);
        await jC.blockUntilReady();
        const ms = performance.now() - t0;
        jC.dispose();
        return ms;
      },
      result: async () => (await np.matmul(jA.ref, jB.ref).data()) as Float32Array,
      dispose: () => (jA.dispose(), jB.dispose()),
    });

    // TF.js: tf.matMul, waited for by reading one entry (TF.js has no wait without a read).
    const tA = tf.tensor2d(a, [N, N]), tB = tf.tensor2d(b, [N, N]);
    candidates.push({
      name: 'TF.js tf.matMul',
      once: async () => {
        const t0 = performance.now();
        const tC = tf.matMul(tA, tB);
        const one = tf.slice(tC, [0, 0], [1, 1]);
        await one.data();
        const ms = performance.now() - t0;
        one.dispose();
        tC.dispose();
        return ms;
      },
      result: async () => {
        const tC = tf.matMul(tA, tB);
        const out = (await tC.data()) as Float32Array;
        tC.dispose();
        return out;
      },
      dispose: () => (tA.dispose(), tB.dispose()),
    });

    // Interleaved rounds, the fastest of each kept: interference from other work only adds time.
    for (const c of candidates) await c.once(); // compiles
    const best = candidates.map(() => Infinity);
    for (let r = 0; r < rounds; r++) {
      for (const [i, c] of candidates.entries()) best[i] = Math.min(best[i], await c.once());
    }
    const out: GemmFigure[] = [];
    for (const [i, c] of candidates.entries()) {
      out.push({ name: c.name, ms: best[i], gflops: flops / best[i] / 1e6, error: relativeDiff(await c.result(), ref), reps: rounds });
    }
    return out;
  } finally {
    for (const c of candidates) c.dispose();
    set.destroyAll();
  }
}

export interface ShapeFigure {
  product: string;
  kernel: string;
  ms: number;
  gflops: number;
}

/**
 * The two products that dominate a frobenius MU iteration, X·Hᵀ (m×k, inner n) and Wᵀ·X (k×n, inner m),
 * with gemm.wgsl as the FitPlan configures it (transposed operand) and untransposed, beside the
 * vec4 variants (untransposed operands of the same sizes: same arithmetic, same tiles).
 */
export async function nmfProductFigures(device: GPUDevice, m: number, n: number, k: number, reps: number): Promise<ShapeFigure[]> {
  const set = new BufferSet(device);
  const ctx: KernelContext = { device, buffers: set, maxPerDim: device.limits.maxComputeWorkgroupsPerDimension, debug: false };
  const rand = (count: number) => new Float32Array(count).map((_, i) => ((i * 2654435761) % 1000) / 1000);
  const out: ShapeFigure[] = [];
  try {
    const X = set.upload('bench:X', rand(m * n), 'f32'), W = set.upload('bench:W', rand(m * k), 'f32'), H = set.upload('bench:H', rand(k * n), 'f32');
    const C1 = set.storage('bench:m×k', m * k), C2 = set.storage('bench:k×n', k * n);
    const latency = await submitLatency(device);
    const products = [
      { product: `X·Hᵀ (${m}×${k}, inner ${n})`, M: m, N: k, K: n, planned: { a: X, b: H, lda: n, ldb: n, transB: true }, plain: { a: X, b: H, lda: n, ldb: k }, c: C1 },
      { product: `Wᵀ·X (${k}×${n}, inner ${m})`, M: k, N: n, K: m, planned: { a: W, b: X, lda: k, ldb: n, transA: true }, plain: { a: W, b: X, lda: m, ldb: n }, c: C2 },
    ];
    for (const s of products) {
      const flops = 2 * s.M * s.N * s.K;
      const planned = await gemmLaunch(ctx, { label: 'planned', M: s.M, N: s.N, K: s.K, c: s.c, ldc: s.N, ...s.planned });
      const plain = await gemmLaunch(ctx, { label: 'plain', M: s.M, N: s.N, K: s.K, c: s.c, ldc: s.N, ...s.plain });
      const bufs = { params: plain.params.buffer, a: s.plain.a, b: s.plain.b, c: s.c };
      const kernels: [string, Dispatch][] = [
        ['gemm.wgsl as the FitPlan runs it', planned],
        ['gemm.wgsl, untransposed operands', plain],
        ['investigation: vec4 register block, tiled', variantLaunch(device, GEMM_VEC4_TILED, 'vec4 tiled', bufs, s.M, s.N)],
        ['investigation: vec4 register block, direct', variantLaunch(device, GEMM_VEC4_DIRECT, 'vec4 direct', bufs, s.M, s.N)],
      ];
      for (const [, d] of kernels) await timeDispatch(device, d, 1, latency); // compiles
      const best = kernels.map(() => Infinity);
      for (let r = 0; r < reps; r++) {
        for (const [i, [, d]] of kernels.entries()) best[i] = Math.min(best[i], await timeDispatch(device, d, 1, latency));
      }
      kernels.forEach(([kernel], i) => out.push({ product: s.product, kernel, ms: best[i], gflops: flops / best[i] / 1e6 }));
    }
  } finally {
    set.destroyAll();
  }
  return out;
}
