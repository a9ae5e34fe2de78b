// Host-side figures of webnmf's WebGPU loop, measured from outside src/:
//   encode: wall time of the synchronous part of one iteration's step calls (FitPlan.muUpdateW +
//           muUpdateH, or halsSweepW + halsSweepH), and the WebGPU calls one iteration makes;
//   loop allocations: GPU objects created by a public fit of `hi` iterations minus one of `lo`;
//   readbacks: mapAsync calls of whole public fits.

import { nonNegativeFactorization } from '../../src/index.js';
import type { FactorizationOptions, GpuProfile } from '../../src/params.js';
import { GpuCallCounter, type Counts } from './counters.js';
import type { BenchProblem } from './problem.js';
import { openPlan } from './profile.js';
import { median, quantile } from './report.js';

export type Solver = 'mu' | 'cd';

export function fitOptions(p: BenchProblem, device: GPUDevice, o: FactorizationOptions): FactorizationOptions {
  return {
    W: { rows: p.m, cols: p.k, data: p.W0 },
    H: { rows: p.k, cols: p.n, data: p.H0 },
    init: 'custom',
    nComponents: p.k,
    backend: 'webgpu',
    device,
    onWarning: () => undefined, // ConvergenceWarning is expected: these fits run to maxIter
    ...o,
  };
}

export function fit(p: BenchProblem, device: GPUDevice, o: FactorizationOptions) {
  return nonNegativeFactorization({ rows: p.m, cols: p.n, data: p.X }, fitOptions(p, device, o));
}

export interface EncodeFigure {
  case: string;
  iterations: number;
  /** GPU idle before each iteration (awaited, untimed): the host cost alone */
  idle: { medianUs: number; p90Us: number };
  /** iterations back to back while the GPU works (on SwiftShader the "GPU" shares the CPU cores) */
  busy: { medianUs: number; p90Us: number };
  /** WebGPU calls per iteration */
  perIteration: Counts;
  /** µs per iteration spent inside those calls (back to back) */
  usInside: Counts;
}

export async function encodeFigures(device: GPUDevice, p: BenchProblem, solver: Solver, beta: number, iterations: number, gpuProfile: GpuProfile = 'software'): Promise<EncodeFigure> {
  const { plan, dispose } = await openPlan(device, p, beta, gpuProfile);
  const order = Int32Array.from({ length: p.k }, (_, t) => t);
  const iterate = solver === 'mu'
    ? () => { plan.muUpdateW({ l1: 0, l2: 0, gamma: 1 }); plan.muUpdateH({ l1: 0, l2: 0, gamma: 1 }); }
    : () => { plan.halsSweepW({ l1: 0, l2: 0, order }); plan.halsSweepH({ l1: 0, l2: 0, order }); };
  const stats = (us: number[]) => ({ medianUs: median(us), p90Us: quantile(us, 0.9) });
  try {
    iterate(); // first encode of each launch
    await device.queue.onSubmittedWorkDone();
    const idle: number[] = [], busy: number[] = [];
    for (let t = 0; t < iterations; t++) {
      const t0 = performance.now();
      iterate();
      idle.push((performance.now() - t0) * 1000);
      await device.queue.onSubmittedWorkDone();
    }
    for (let t = 0; t < iterations; t++) {
      const t0 = performance.now();
      iterate();
      busy.push((performance.now() - t0) * 1000);
    }
    await device.queue.onSubmittedWorkDone();
    // Counted and broken down apart from the timings above, so the wrappers cost those nothing.
    const counter = new GpuCallCounter(device);
    const { counts, timesMs } = await counter.during(async () => {
      for (let t = 0; t < iterations; t++) iterate();
      await device.queue.onSubmittedWorkDone();
    });
    const per = (c: Counts, scale: number) => Object.fromEntries(Object.entries(c).map(([k, v]) => [k, (v * scale) / iterations])) as Counts;
    const name = solver === 'mu' ? `mu ${beta === 2 ? 'frobenius' : 'kullback-leibler'}` : 'cd frobenius';
    return { case: name, iterations, idle: stats(idle), busy: stats(busy), perIteration: per(counts, 1), usInside: per(timesMs, 1000) };
  } finally {
    dispose();
  }
}

/** GPU objects a public fit creates per iteration of its loop: (counts of hi − counts of lo) / (hi − lo). */
export async function loopAllocations(device: GPUDevice, p: BenchProblem, o: FactorizationOptions, lo: number, hi: number): Promise<{ lo: Counts; hi: Counts; perIteration: Counts }> {
  const counter = new GpuCallCounter(device);
  await fit(p, device, { ...o, maxIter: lo }); // pipelines compiled before counting
  const a = (await counter.during(() => fit(p, device, { ...o, maxIter: lo }))).counts;
  const b = (await counter.during(() => fit(p, device, { ...o, maxIter: hi }))).counts;
  const perIteration = Object.fromEntries(Object.keys(a).map((k) => [k, (b[k as keyof Counts] - a[k as keyof Counts]) / (hi - lo)])) as Counts;
  return { lo: a, hi: b, perIteration };
}

export interface ReadbackFigure {
  case: string;
  nIter: number;
  mapAsync: number;
  target: number;
}

export async function readbackFigure(device: GPUDevice, p: BenchProblem, label: string, o: FactorizationOptions, checkEvery: number): Promise<ReadbackFigure> {
  const counter = new GpuCallCounter(device);
  await fit(p, device, { ...o, maxIter: 2 }); // pipelines compiled before counting
  const { result, counts } = await counter.during(() => fit(p, device, o));
  return { case: label, nIter: result.nIter, mapAsync: counts.mapAsync, target: Math.ceil(result.nIter / checkEvery) + 1 };
}
