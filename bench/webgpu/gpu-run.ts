// npm run bench:webgpu -- --sizes 4096x4096x64,10000x5000x64 --profile both [--peak-gflops N]
// The run for a machine with a GPU (Dawn on Vulkan / Metal / D3D12): GEMM GFLOP/s (webnmf's two GEMMs,
// jax-js, TF.js) and, per size, ms and GFLOP/s per iteration of mu (frobenius, KL) and cd under each
// kernel plan, as a fraction of the adapter's FP32 peak (the best GEMM measured, or --peak-gflops),
// with jax-js's jit MU on the same device beside it. Figures, not a test.

import { BufferSet } from '../../src/backend/webgpu/buffers.js';
import type { KernelContext } from '../../src/backend/webgpu/programs/context.js';
import { gemmLaunch } from '../../src/backend/webgpu/programs/gemm.js';
import { planTiled, tiledLaunches, tiledPartialFloats } from '../../src/backend/webgpu/programs/tiled.js';
import type { GpuProfile } from '../../src/params.js';
import type { SharedGpu } from './env.js';
import { jaxRunner, webnmfRunner, type Loss, type MuRunner } from './mu-libraries.js';
import { makeProblem, relativeDiff, type BenchProblem } from './problem.js';
import { openPlan, submitLatency } from './profile.js';
import { fmt, table } from './report.js';
import type { Launch } from '../../src/backend/webgpu/dispatch.js';

export type Plan = Exclude<GpuProfile, 'auto'>;

/** FLOPs of one iteration as the algorithm counts them (the plans' extra work, e.g. KL's WH, included where it is the algorithm's). */
export function iterationFlops(solver: 'mu frobenius' | 'mu kullback-leibler' | 'cd', m: number, n: number, k: number): number {
  if (solver === 'mu kullback-leibler') return 8 * m * n * k + 2 * (m + n) * k; // WH and the numerator, for each factor
  return 4 * m * n * k + 4 * (m + n) * k * k; // X·Hᵀ, Wᵀ·X, the Grams and the k × k products (or the sweeps)
}

interface GemmRow {
  name: string;
  N: number;
  ms: number;
  gflops: number;
  error: number;
}

/** Rows of a float64 reference of A·B (a few rows: enough to check a large product). */
function referenceRows(N: number, a: Float32Array, b: Float32Array, rows: number[]): Float64Array {
  const out = new Float64Array(rows.length * N);
  rows.forEach((i, r) => {
    for (let q = 0; q < N; q++) {
      const av = a[i * N + q];
      for (let j = 0; j < N; j++) out[r * N + j] += av * b[q * N + j];
    }
  });
  return out;
}

async function timeLaunches(device: GPUDevice, launches: Launch[], latency: number): Promise<number> {
  const enc = device.createCommandEncoder();
  const pass = enc.beginComputePass();
  for (const l of launches) {
    pass.setPipeline(l.pipeline);
    pass.setBindGroup(0, l.bindGroup);
    pass.dispatchWorkgroups(l.grid[0], l.grid[1]);
  }
  pass.end();
  const t0 = performance.now();
  device.queue.submit([enc.finish()]);
  await device.queue.onSubmittedWorkDone();
  return Math.max(1e-3, performance.now() - t0 - latency);
}

/** GEMM N³ with webnmf's two GEMMs (each plan's), jax-js and TF.js: fastest of `rounds`. */
export async function gemmRows(gpu: SharedGpu, N: number, rounds: number): Promise<GemmRow[]> {
  const { device, jax, tf } = gpu;
  let s = 12345;
  const next = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
  const a = new Float32Array(N * N).map(next), b = new Float32Array(N * N).map(next);
  const rows = [0, Math.floor(N / 3), N - 1];
  const ref = referenceRows(N, a, b, rows);
  const pick = (c: Float32Array) => Float64Array.from(rows.flatMap((i) => Array.from(c.subarray(i * N, (i + 1) * N))));
  const flops = 2 * N ** 3;
  const set = new BufferSet(device);
  const out: GemmRow[] = [];
  try {
    const A = set.upload('A', a, 'f32'), B = set.upload('B', b, 'f32'), C = set.storage('C', N * N);
    const spec = { label: 'gemm', M: N, N, K: N, a: A, b: B, c: C, lda: N, ldb: N, ldc: N };
    const base = { device, buffers: set, maxPerDim: device.limits.maxComputeWorkgroupsPerDimension, debug: false };
    const hardware: KernelContext = { ...base, plan: 'hardware' };
    const partials = set.storage('partials', Math.max(4, tiledPartialFloats(planTiled(hardware, N, N, N), N, N)));
    const candidates: [string, () => Promise<number>, () => Promise<Float32Array>][] = [];
    const latency = await submitLatency(device);
    const onDevice = async (name: string, launches: Launch[]) => {
      candidates.push([name, () => timeLaunches(device, launches, latency), async () => {
        await timeLaunches(device, launches, latency);
        const staging = set.staging('read', N * N * 4);
        const enc = device.createCommandEncoder();
        enc.copyBufferToBuffer(C, 0, staging, 0, N * N * 4);
        device.queue.submit([enc.finish()]);
        await staging.mapAsync(0x0001);
        const r = new Float32Array(staging.getMappedRange().slice(0));
        staging.unmap();
        return r;
      }]);
    };
    await onDevice('webnmf tiled.wgsl (hardware plan)', await tiledLaunches(hardware, { ...spec, partials }));
    await onDevice('webnmf gemm.wgsl (software plan)', [await gemmLaunch({ ...base, plan: 'software' }, spec)]);
    const np = jax.numpy;
    const jA = np.array(a).reshape([N, N]), jB = np.array(b).reshape([N, N]);
    candidates.push(['jax-js np.matmul', async () => {
      const t0 = performance.now();
      const jC = np.matmul(jA.ref, jB.ref);
      await jC.blockUntilReady();
      const ms = performance.now() - t0;
      jC.dispose();
      return ms;
    }, async () => (await np.matmul(jA.ref, jB.ref).data()) as Float32Array]);
    const tA = tf.tensor2d(a, [N, N]), tB = tf.tensor2d(b, [N, N]);
    candidates.push(['TF.js tf.matMul', async () => {
      const t0 = performance.now();
      const tC = tf.matMul(tA, tB);
      const one = tf.slice(tC, [0, 0], [1, 1]);
      await one.data();
      const ms = performance.now() - t0;
      one.dispose();
      tC.dispose();
      return ms;
    }, async () => {
      const tC = tf.matMul(tA, tB);
      const r = (await tC.data()) as Float32Array;
      tC.dispose();
      return r;
    }]);
    for (const [, once] of candidates) await once(); // compiles
    const best = candidates.map(() => Infinity);
    for (let r = 0; r < rounds; r++) for (const [i, [, once]] of candidates.entries()) best[i] = Math.min(best[i], await once());
    for (const [i, [name, , result]] of candidates.entries()) out.push({ name, N, ms: best[i], gflops: flops / best[i] / 1e6, error: relativeDiff(pick(await result()), ref) });
    jA.dispose();
    jB.dispose();
    tA.dispose();
    tB.dispose();
    return out;
  } finally {
    set.destroyAll();
  }
}

/** ms per iteration of a loop: warm-up, then chunks (each ended by waiting for the GPU) for ≈ budgetMs. */
async function msPerIteration(iterate: (count: number) => void, sync: () => Promise<void>, budgetMs: number): Promise<number> {
  iterate(2);
  await sync();
  let t0 = performance.now();
  iterate(1);
  await sync();
  const one = performance.now() - t0;
  const chunk = Math.max(1, Math.min(10, Math.round(budgetMs / 4 / Math.max(one, 1e-3))));
  let iterations = 0;
  t0 = performance.now();
  do {
    iterate(chunk);
    await sync();
    iterations += chunk;
  } while (performance.now() - t0 < budgetMs);
  return (performance.now() - t0) / iterations;
}

async function cdRunner(device: GPUDevice, p: BenchProblem, plan: Plan): Promise<MuRunner> {
  const { plan: fit, dispose } = await openPlan(device, p, 2, plan);
  const order = Int32Array.from({ length: p.k }, (_, t) => t);
  return {
    iterate(count) {
      for (let t = 0; t < count; t++) {
        fit.halsSweepW({ l1: 0, l2: 0, order });
        fit.halsSweepH({ l1: 0, l2: 0, order });
      }
    },
    sync: () => device.queue.onSubmittedWorkDone(),
    read: async () => ({ W: new Float32Array(), H: new Float32Array() }),
    dispose,
  };
}

export interface GpuRunOptions {
  sizes: [number, number, number][];
  plans: Plan[];
  /** FP32 peak to compare with, GFLOP/s; else the best GEMM measured */
  peakGflops?: number;
  quick: boolean;
  log: (line: string) => void;
}

export async function gpuRunFigures(gpu: SharedGpu, o: GpuRunOptions): Promise<void> {
  const budget = o.quick ? 300 : 2000;
  const gemmSizes = o.quick ? [256] : [1024, 2048, 4096];
  const gemm: GemmRow[] = [];
  for (const N of gemmSizes) {
    o.log(`GEMM ${N}³`);
    gemm.push(...(await gemmRows(gpu, N, o.quick ? 1 : 3)));
  }
  const best = gemm.reduce((x, g) => (g.gflops > x.gflops ? g : x));
  const peak = o.peakGflops ?? best.gflops;
  console.log(`\n## GEMM (C = A·B, float32, fastest of the rounds)\n`);
  console.log(table(gemm.map((g) => ({ kernel: g.name, N: String(g.N), ms: fmt(g.ms, 2), 'GFLOP/s': fmt(g.gflops, 0), '% of peak': fmt((100 * g.gflops) / peak, 1), 'rel. error (3 rows vs float64)': g.error.toExponential(1) }))));
  console.log(`\nPeak used below: ${fmt(peak, 0)} GFLOP/s (${o.peakGflops ? '--peak-gflops' : `the best GEMM measured: ${best.name} at ${best.N}³`}).`);

  const rows: Record<string, string>[] = [];
  for (const [m, n, k] of o.sizes) {
    const p = makeProblem(m, n, k);
    const size = `${m}×${n} k=${k}`;
    for (const loss of ['frobenius', 'kullback-leibler'] as Loss[]) {
      const solver = loss === 'frobenius' ? 'mu frobenius' : 'mu kullback-leibler';
      const flops = iterationFlops(solver, m, n, k);
      o.log(`${size} ${solver}: jax-js`);
      const jax = jaxRunner(gpu.jax, p, loss);
      let jaxMs: number;
      try {
        jaxMs = await msPerIteration((c) => jax.iterate(c), () => jax.sync(), budget);
      } finally {
        jax.dispose();
      }
      rows.push(row(size, solver, 'jax-js (jit)', jaxMs, flops, peak, jaxMs));
      for (const plan of o.plans) {
        o.log(`${size} ${solver}: webnmf ${plan} plan`);
        const r = await webnmfRunner(gpu.device, p, loss, plan);
        try {
          rows.push(row(size, solver, `webnmf ${plan}`, await msPerIteration((c) => r.iterate(c), () => r.sync(), budget), flops, peak, jaxMs));
        } finally {
          r.dispose();
        }
      }
    }
    for (const plan of o.plans) {
      o.log(`${size} cd: webnmf ${plan} plan`);
      const r = await cdRunner(gpu.device, p, plan);
      try {
        rows.push(row(size, 'cd', `webnmf ${plan}`, await msPerIteration((c) => r.iterate(c), () => r.sync(), budget), iterationFlops('cd', m, n, k), peak, null));
      } finally {
        r.dispose();
      }
    }
  }
  console.log(`\n## One iteration (FitPlan steps as the solvers call them; jax-js: the same MU under jit)\n`);
  console.log(table(rows));
  console.log('\nGFLOP/s: the algorithm\'s FLOPs per iteration (mu frobenius and cd: 4mnk + 4(m+n)k²; KL: 8mnk, WH formed for each factor) over the measured time.');
}

function row(size: string, solver: string, who: string, ms: number, flops: number, peak: number, jaxMs: number | null): Record<string, string> {
  const gflops = flops / ms / 1e6;
  return {
    size, solver, 'who (plan)': who, 'ms / iteration': fmt(ms, 2), 'GFLOP/s': fmt(gflops, gflops < 10 ? 2 : 0), '% of peak': fmt((100 * gflops) / peak, 1),
    'jax-js ms / this ms': jaxMs === null ? '—' : fmt(jaxMs / ms, 2),
  };
}
