// npm run bench:webgpu -- --plan 10000x5000x64[,csr:100000x50000x64@0.001,…]: what each kernel plan
// would run on a real GPU, read from the plans themselves. For each shape, plan ('software',
// 'hardware'), solver and check scalar, the plan is built on this machine's device (every buffer,
// pipeline and bind group real, so it is also a check that the plan can be built at that size) and one
// steady-state iteration is encoded through a recording device that submits nothing
// (test/support/gpu-recorder.ts). Each recorded dispatch is printed with its workgroups, invocations,
// serial trips per invocation, bytes moved and FLOPs (the cost its launcher computes, LaunchCost), and
// a roofline estimate on two reference GPUs.
//
// The estimate (a model, stated here in full; it is no measurement):
//   a dispatch keeps `active` = min(workgroups, units) units busy, each holding invocations / active invocations;
//   compute rate  P · active/units · min(1, per-unit invocations / 128)        (128 FP32 lanes per SM / core)
//   memory rate   min(B, resident invocations × 32 bytes in flight / 500 ns,   (Little's law: DRAM latency)
//                     B · 4 · active/units)                                   (one unit pulls ≤ 4 × its share)
//                 resident invocations = min(invocations, units × 1536)
//   traffic       an operand re-read or gathered comes from DRAM once if it fits half the last-level cache,
//                 its other reads from that cache (at 3 × the memory rate); else every byte from DRAM
//   time          max(flops / compute rate, DRAM bytes / memory rate + cache bytes / (3 × memory rate)) + 3 µs per dispatch

import { createWebGPUBackend } from '../../src/backend/webgpu/index.js';
import { bytesMoved, launchOf, type LaunchCost } from '../../src/backend/webgpu/dispatch.js';
import type { DataMatrix } from '../../src/matrix/matrix.js';
import type { GpuProfile } from '../../src/params.js';
import { recordingDevice, type RecordedDispatch } from '../../test/support/gpu-recorder.js';
import { fmt, table } from './report.js';

export interface ReferenceGpu {
  name: string;
  /** FP32 peak, GFLOP/s */
  gflops: number;
  /** DRAM bandwidth, GB/s */
  gbps: number;
  /** SMs / GPU cores */
  units: number;
  /** last-level cache, bytes */
  cache: number;
  specs: string;
}

export const REFERENCE_GPUS: ReferenceGpu[] = [
  {
    name: 'RTX 4070', gflops: 29_100, gbps: 504, units: 46, cache: 36 << 20,
    specs: 'NVIDIA GeForce RTX 4070 (AD104): 46 SMs, 5888 FP32 lanes at 2.475 GHz boost = 29.1 TFLOP/s; 12 GB GDDR6X 21 Gbps × 192 bit = 504 GB/s; 36 MB L2',
  },
  {
    name: 'Apple M2', gflops: 3_600, gbps: 100, units: 10, cache: 8 << 20,
    specs: 'Apple M2, 10-core GPU: 10 cores × 128 ALUs at 1.398 GHz = 3.6 TFLOP/s; LPDDR5-6400 × 128 bit = 100 GB/s (unified); 8 MB system-level cache',
  },
];

const LANES_PER_UNIT = 128;
const RESIDENT_PER_UNIT = 1536;
const BYTES_IN_FLIGHT = 32;
const LATENCY_NS = 500;
const UNIT_SHARE = 4;
const CACHE_SPEEDUP = 3;
const DISPATCH_US = 3;

export interface PlanShape {
  name: string;
  m: number;
  n: number;
  k: number;
  /** CSR X with this share of stored entries; absent: dense */
  density?: number;
}

/** "10000x5000x64" (dense) or "csr:100000x50000x64@0.001" */
export function parsePlanShape(text: string): PlanShape {
  const m = /^(csr:)?(\d+)x(\d+)x(\d+)(?:@([\d.e-]+))?$/.exec(text.trim());
  if (!m) throw new Error(`--plan: '${text}' is not MxNxK or csr:MxNxK@DENSITY`);
  const [rows, cols, k] = [Number(m[2]), Number(m[3]), Number(m[4])];
  const density = m[1] ? Number(m[5] ?? 0.001) : undefined;
  return { name: density ? `CSR ${rows}×${cols} at ${density * 100} % k=${k}` : `${rows}×${cols} k=${k}`, m: rows, n: cols, k, density };
}

/** Deterministic X of the shape (values do not matter to the plan; only the sparsity pattern's size does). */
function matrix(s: PlanShape): DataMatrix {
  if (!s.density) return { rows: s.m, cols: s.n, data: new Float64Array(s.m * s.n).fill(0.5) };
  const perRow = Math.max(1, Math.round(s.density * s.n));
  const indptr = new Int32Array(s.m + 1), indices = new Int32Array(s.m * perRow);
  const stride = Math.floor(s.n / perRow);
  for (let i = 0; i < s.m; i++) {
    indptr[i + 1] = (i + 1) * perRow;
    for (let e = 0; e < perRow; e++) indices[i * perRow + e] = e * stride + ((i * 7919) % stride);
  }
  return { rows: s.m, cols: s.n, indptr, indices, data: new Float64Array(s.m * perRow).fill(0.5) };
}

export interface Estimate {
  us: number;
  dramBytes: number;
}

export function estimate(cost: LaunchCost, workgroups: number, gpu: ReferenceGpu): Estimate {
  const threads = workgroups * cost.invocations;
  const active = Math.min(workgroups, gpu.units);
  const perUnit = threads / Math.max(1, active);
  const busy = active / gpu.units;
  const compute = gpu.gflops * 1e9 * busy * Math.min(1, perUnit / LANES_PER_UNIT);
  const resident = Math.min(threads, gpu.units * RESIDENT_PER_UNIT);
  const memory = Math.min(gpu.gbps * 1e9, (resident * BYTES_IN_FLIGHT) / (LATENCY_NS * 1e-9), gpu.gbps * 1e9 * UNIT_SHARE * busy);
  let dram = 0, cached = 0;
  for (const a of cost.traffic) {
    if (a.moved > a.footprint && a.footprint <= gpu.cache / 2) {
      dram += a.footprint;
      cached += a.moved - a.footprint;
    } else dram += a.moved;
  }
  const seconds = Math.max(cost.flops / compute, dram / memory + cached / (CACHE_SPEEDUP * memory));
  return { us: seconds * 1e6 + DISPATCH_US, dramBytes: dram };
}

type Solver = 'mu frobenius' | 'mu kullback-leibler' | 'cd';
const SOLVERS: Solver[] = ['mu frobenius', 'mu kullback-leibler', 'cd'];

interface Recorded {
  iteration: RecordedDispatch[];
  check: RecordedDispatch[];
}

async function record(device: GPUDevice, X: DataMatrix, k: number, solver: Solver, profile: GpuProfile): Promise<Recorded> {
  const rec = recordingDevice(device, { dropSubmits: true });
  const backend = await createWebGPUBackend({ device: rec.device, gpuProfile: profile });
  const m = X.rows, n = X.cols;
  const plan = await backend.createFit({
    X, W: { rows: m, cols: k, data: new Float64Array(m * k).fill(0.5) }, H: { rows: k, cols: n, data: new Float64Array(k * n).fill(0.5) },
    beta: solver === 'mu kullback-leibler' ? 1 : 2, updateH: true,
  });
  try {
    const order = Int32Array.from({ length: k }, (_, t) => t);
    const iterate = solver === 'cd'
      ? () => { plan.halsSweepW({ l1: 0, l2: 0, order }); plan.halsSweepH({ l1: 0, l2: 0, order }); }
      : () => { plan.muUpdateW({ l1: 0, l2: 0, gamma: 1 }); plan.muUpdateH({ l1: 0, l2: 0, gamma: 1 }); };
    iterate();
    rec.start();
    iterate();
    const iteration = rec.stop();
    rec.start();
    await (solver === 'cd' ? plan.lastViolation() : plan.reconstructionError());
    return { iteration, check: rec.stop() };
  } finally {
    plan.destroy();
    backend.dispose();
  }
}

interface Totals {
  flops: number;
  us: number[];
}

function dispatchRows(ds: RecordedDispatch[], step: string): { rows: Record<string, string>[]; totals: Totals } {
  const totals: Totals = { flops: 0, us: REFERENCE_GPUS.map(() => 0) };
  const rows = ds.map((d) => {
    const cost = launchOf(d.bindGroup)?.cost;
    if (!cost) throw new Error(`bench --plan: dispatch ${d.label} has no cost model`);
    const est = REFERENCE_GPUS.map((g) => estimate(cost, d.workgroups, g));
    totals.flops += cost.flops;
    est.forEach((e, i) => (totals.us[i] += e.us));
    return {
      step,
      dispatch: d.label,
      kernel: d.pipeline.replace(/\(.*\)$/, ''),
      workgroups: String(d.workgroups),
      invocations: String(d.invocations),
      'trips / invocation': String(cost.trips),
      'MB moved': fmt(bytesMoved(cost) / 1e6, 1),
      MFLOP: fmt(cost.flops / 1e6, 1),
      ...Object.fromEntries(REFERENCE_GPUS.flatMap((g, i) => [[`${g.name} µs`, fmt(est[i].us, 1)], [`${g.name} DRAM MB`, fmt(est[i].dramBytes / 1e6, 1)]])),
    };
  });
  return { rows, totals };
}

export interface PlanSummary {
  shape: string;
  plan: GpuProfile;
  solver: Solver;
  iteration: Totals;
  check: Totals;
}

/** Print every dispatch of each plan for `shapes`, then the side-by-side summary; returns the summary. */
export async function printPlans(device: GPUDevice, shapes: PlanShape[], log: (line: string) => void): Promise<PlanSummary[]> {
  const limits = device.limits;
  console.log(`\n## Kernel plans of one iteration (model; built on this device: maxComputeInvocationsPerWorkgroup ${limits.maxComputeInvocationsPerWorkgroup}, maxComputeWorkgroupStorageSize ${limits.maxComputeWorkgroupStorageSize}, maxStorageBufferBindingSize ${limits.maxStorageBufferBindingSize})\n`);
  console.log('Reference GPUs:');
  for (const g of REFERENCE_GPUS) console.log(`- ${g.specs}`);
  console.log(`\nEstimate per dispatch (a model, not a measurement): active units = min(workgroups, units); compute at peak × active/units × min(1, invocations per active unit / ${LANES_PER_UNIT}); memory at min(bandwidth, resident invocations × ${BYTES_IN_FLIGHT} B in flight / ${LATENCY_NS} ns, bandwidth × ${UNIT_SHARE} × active/units), resident invocations ≤ ${RESIDENT_PER_UNIT} per unit; re-read or gathered operands that fit half the last-level cache come from DRAM once and from the cache (${CACHE_SPEEDUP}× the memory rate) after; time = max(compute, memory) + ${DISPATCH_US} µs. "MB moved": bytes the dispatch's loads and stores transfer (re-reads by many workgroups, 32-byte sectors of scattered 4-byte loads included).`);
  const summary: PlanSummary[] = [];
  for (const s of shapes) {
    log(`--plan ${s.name}: building X`);
    const X = matrix(s);
    for (const profile of ['software', 'hardware'] as GpuProfile[]) {
      for (const solver of SOLVERS) {
        log(`--plan ${s.name}: ${profile} plan, ${solver}`);
        const r = await record(device, X, s.k, solver, profile);
        const it = dispatchRows(r.iteration, 'iteration');
        const check = dispatchRows(r.check, solver === 'cd' ? 'violation' : 'loss');
        console.log(`\n### ${s.name}, ${profile} plan, ${solver}: ${r.iteration.length} dispatches an iteration, ${r.check.length} for the check\n`);
        console.log(table([...it.rows, ...check.rows]));
        summary.push({ shape: s.name, plan: profile, solver, iteration: it.totals, check: check.totals });
      }
    }
  }
  console.log('\n### Summary: estimated µs per iteration (the check scalar, read every 10 iterations, apart), and the share of the FP32 peak\n');
  const rows = summary.map((x) => ({
    case: x.shape,
    solver: x.solver,
    plan: x.plan,
    'GFLOP / iteration': fmt(x.iteration.flops / 1e9, 2),
    ...Object.fromEntries(REFERENCE_GPUS.flatMap((g, i) => [
      [`${g.name} µs`, fmt(x.iteration.us[i], 0)],
      [`${g.name} % peak`, fmt((100 * x.iteration.flops) / (x.iteration.us[i] * 1e-6) / (g.gflops * 1e9), 1)],
      [`${g.name} check µs`, fmt(x.check.us[i], 0)],
    ])),
  }));
  console.log(table(rows));
  return summary;
}
