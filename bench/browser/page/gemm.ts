// The GEMM case: C = A·B with A, B N × N float32, through webnmf's own gemm.wgsl launcher on the
// page's device. Its rate is the reference an NMF iteration's effective GFLOP/s is read against
// (NMF's work is mostly products, so a fit cannot beat a plain product of the same kernels by much).
// `reps` dispatches go in one submit, sized to run ≈ 100 ms, so the submit round trip is small beside
// them; every round's ms per dispatch counts. C is checked against float64 dot products.

import { BufferSet, MAP_READ_MODE } from '../../../src/backend/webgpu/buffers.js';
import { encodePass } from '../../../src/backend/webgpu/dispatch.js';
import { gemmLaunch } from '../../../src/backend/webgpu/programs/gemm.js';
import type { KernelContext } from '../../../src/backend/webgpu/programs/context.js';
import { spread } from '../stats.js';
import type { GemmResult } from '../page-api.js';

const ROUND_MS = 100;
const MAX_REPS = 64;
/** entries of C checked against float64 */
const CHECKED = 256;

function operand(count: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: count }, () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
}

export async function gemmCase(device: GPUDevice, N: number, rounds: number): Promise<GemmResult> {
  const set = new BufferSet(device);
  try {
    const a = operand(N * N, 12345), b = operand(N * N, 54321);
    const A = set.upload('bench:gemm A', a, 'f32'), B = set.upload('bench:gemm B', b, 'f32'), C = set.storage('bench:gemm C', N * N);
    const ctx: KernelContext = { device, buffers: set, maxPerDim: device.limits.maxComputeWorkgroupsPerDimension, debug: false };
    const launch = await gemmLaunch(ctx, { label: 'bench:gemm', M: N, N, K: N, a: A, b: B, c: C, lda: N, ldb: N, ldc: N });
    const dispatch = async (reps: number): Promise<number> => {
      const encoder = device.createCommandEncoder({ label: 'bench:gemm' });
      encodePass(encoder, 'bench:gemm', Array<typeof launch>(reps).fill(launch));
      const t0 = performance.now();
      device.queue.submit([encoder.finish()]);
      await device.queue.onSubmittedWorkDone();
      return (performance.now() - t0) / reps;
    };
    await dispatch(1); // compiles the pipeline
    const reps = Math.max(1, Math.min(MAX_REPS, Math.ceil(ROUND_MS / (await dispatch(1)))));
    const times: number[] = [];
    for (let r = 0; r < rounds; r++) times.push(await dispatch(reps));
    const ms = spread(times);

    const staging = set.staging('bench:gemm staging', N * N * 4);
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(C, 0, staging, 0, N * N * 4);
    device.queue.submit([encoder.finish()]);
    await staging.mapAsync(MAP_READ_MODE);
    const c = new Float32Array(staging.getMappedRange().slice(0));
    staging.unmap();
    let worst = 0, scale = 0;
    for (let s = 0; s < CHECKED; s++) {
      const i = (s * 7919) % N, j = (s * 104729 + 13) % N;
      let ref = 0;
      for (let q = 0; q < N; q++) ref += a[i * N + q] * b[q * N + j];
      worst = Math.max(worst, Math.abs(c[i * N + j] - ref));
      scale = Math.max(scale, Math.abs(ref));
    }
    return { n: N, reps, ms, gflops: (2 * N ** 3) / (ms.median * 1e6), error: worst / scale, kernel: "webnmf's gemm.wgsl (src/backend/webgpu/programs/gemm.ts)" };
  } finally {
    set.destroyAll();
  }
}
