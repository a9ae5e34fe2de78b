// Where a webnmf iteration spends its GPU time, measured from outside src/: the FitPlan of the
// WebGPU backend is built on the shared device, each step is timed with a queue.onSubmittedWorkDone
// after it, and each prepared dispatch (the plan's Launch objects) is timed alone, in the order the
// step encodes them, with the GFLOP/s its arithmetic implies. Every figure is the fastest of `reps`
// rounds: the machine is shared, and interference only ever adds time.

import type { FitPlan, MuStep } from '../../src/backend/backend.js';
import { createWebGPUBackend } from '../../src/backend/webgpu/index.js';
import type { Launch } from '../../src/backend/webgpu/dispatch.js';
import type { PlanResources } from '../../src/backend/webgpu/plan-resources.js';
import type { BenchProblem } from './problem.js';
import type { GpuProfile } from '../../src/params.js';
import { median } from './report.js';

export interface KernelTime {
  step: string;
  label: string;
  grid: string;
  ms: number;
  /** floating-point operations of one dispatch (multiply-add = 2), null when not a product */
  flops: number | null;
}

export interface StepTime {
  step: string;
  ms: number;
}

export async function openPlan(device: GPUDevice, p: BenchProblem, beta: number, gpuProfile: GpuProfile = 'auto'): Promise<{ plan: FitPlan; resources: PlanResources; dispose(): void }> {
  const backend = await createWebGPUBackend({ device, gpuProfile });
  const plan = await backend.createFit({
    X: { rows: p.m, cols: p.n, data: p.X },
    W: { rows: p.m, cols: p.k, data: p.W0 },
    H: { rows: p.k, cols: p.n, data: p.H0 },
    beta,
    updateH: true,
  });
  // The plan's prepared dispatches are private to src/; a benchmark may look.
  const resources = (plan as unknown as { r: PlanResources }).r;
  return { plan, resources, dispose: () => (plan.destroy(), backend.dispose()) };
}

/** Round trip of an empty submit: subtracted from every onSubmittedWorkDone timing. */
export async function submitLatency(device: GPUDevice): Promise<number> {
  const times: number[] = [];
  for (let r = 0; r < 7; r++) {
    const t0 = performance.now();
    device.queue.submit([device.createCommandEncoder().finish()]);
    await device.queue.onSubmittedWorkDone();
    times.push(performance.now() - t0);
  }
  return median(times);
}

/** What a timing needs of a prepared dispatch (webnmf's Launch, or a bench variant). */
export type Dispatch = Pick<Launch, 'label' | 'pipeline' | 'bindGroup' | 'grid'>;

/** ms per dispatch: `reps` copies in one pass, one submit, minus the empty-submit round trip. */
export async function timeDispatch(device: GPUDevice, launch: Dispatch, reps: number, latency: number): Promise<number> {
  const enc = device.createCommandEncoder({ label: `bench:${launch.label}` });
  const pass = enc.beginComputePass();
  for (let r = 0; r < reps; r++) {
    pass.setPipeline(launch.pipeline);
    pass.setBindGroup(0, launch.bindGroup);
    pass.dispatchWorkgroups(launch.grid[0], launch.grid[1]);
  }
  pass.end();
  const t0 = performance.now();
  device.queue.submit([enc.finish()]);
  await device.queue.onSubmittedWorkDone();
  return Math.max(0, performance.now() - t0 - latency) / reps;
}

/** The launches of one MU iteration, in the order the FitPlan encodes them (one row block of X). */
export function muIterationLaunches(r: PlanResources, beta: number): { step: string; launch: Launch }[] {
  const L = r.launches;
  const w = [...(beta === 2 ? [...L.xht, ...L.hht] : []), ...(beta === 1 ? L.hsum : []), ...L.muW, L.applyW];
  const h = [...L.muH, L.applyH];
  return [...w.map((launch) => ({ step: 'muUpdateW', launch })), ...h.map((launch) => ({ step: 'muUpdateH', launch }))];
}

export function halsIterationLaunches(r: PlanResources): { step: string; launch: Launch }[] {
  const L = r.launches;
  const w = [...L.xht, ...L.hht, L.halsW];
  const h = [...L.wtxWtw, L.halsH];
  return [...w.map((launch) => ({ step: 'halsSweepW', launch })), ...h.map((launch) => ({ step: 'halsSweepH', launch }))];
}

export async function profileKernels(device: GPUDevice, p: BenchProblem, beta: number, solver: 'mu' | 'cd', reps: number, gpuProfile: GpuProfile = 'software'): Promise<{ kernels: KernelTime[]; steps: StepTime[]; latency: number }> {
  const { plan, resources, dispose } = await openPlan(device, p, beta, gpuProfile);
  try {
    const latency = await submitLatency(device);
    const launches = solver === 'mu' ? muIterationLaunches(resources, beta) : halsIterationLaunches(resources);
    const all = [...launches, ...resources.launches.loss.map((launch) => ({ step: 'loss (per check)', launch }))];
    for (const { launch } of all) await timeDispatch(device, launch, 1, latency); // warm-up
    // Rounds over the whole sequence, the fastest round of each kernel kept: other work shares this machine.
    const best = all.map(() => Infinity);
    for (let r = 0; r < reps; r++) {
      for (const [i, { launch }] of all.entries()) best[i] = Math.min(best[i], await timeDispatch(device, launch, 1, latency));
    }
    const kernels: KernelTime[] = all.map(({ step, launch }, i) => ({
      step, label: launch.label, grid: `${launch.grid[0]}×${launch.grid[1]}`, ms: best[i], flops: launch.cost?.flops ?? null,
    }));

    // Whole steps, as the solver calls them, each followed by onSubmittedWorkDone.
    const step: MuStep = { l1: 0, l2: 0, gamma: 1 };
    const order = Int32Array.from({ length: p.k }, (_, t) => t);
    const calls: [string, () => void][] = solver === 'mu'
      ? [['muUpdateW', () => plan.muUpdateW(step)], ['muUpdateH', () => plan.muUpdateH(step)]]
      : [['halsSweepW', () => plan.halsSweepW({ l1: 0, l2: 0, order })], ['halsSweepH', () => plan.halsSweepH({ l1: 0, l2: 0, order })]];
    const samples = new Map<string, number[]>(calls.map(([name]) => [name, []]));
    for (let r = 0; r < reps; r++) {
      for (const [name, call] of calls) {
        const t0 = performance.now();
        call();
        await device.queue.onSubmittedWorkDone();
        samples.get(name)!.push(Math.max(0, performance.now() - t0 - latency));
      }
    }
    const steps = calls.map(([name]) => ({ step: name, ms: Math.min(...samples.get(name)!) }));
    return { kernels, steps, latency };
  } finally {
    dispose();
  }
}
