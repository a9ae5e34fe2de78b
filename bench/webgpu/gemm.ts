// GEMM throughput at N³ on the shared device: webnmf's gemm.wgsl called directly through a
// KernelContext (as test/webgpu/gemm.test.ts does), jax-js np.matmul and TF.js tf.matMul. Every
// result is checked against a float64 product.
// Rounds interleave the candidates and each keeps its fastest run: the machine is shared, and
// interference only ever adds time.

import { BufferSet } from '../../src/backend/webgpu/buffers.js';
import type { KernelContext } from '../../src/backend/webgpu/programs/context.js';
import { gemmLaunch } from '../../src/backend/webgpu/programs/gemm.js';
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
    // webnmf gemm.wgsl.
    const A = set.upload('bench:A', a, 'f32'), B = set.upload('bench:B', b, 'f32'), C = set.storage('bench:C', N * N);
    const launch = await gemmLaunch(ctx, { label: 'gemm', M: N, N, K: N, a: A, b: B, c: C, lda: N, ldb: N, ldc: N });
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
      onDevice('webnmf gemm.wgsl (src/backend/webgpu/programs/gemm.ts)', launch),
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
