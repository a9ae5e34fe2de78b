// The shape of what the 'hardware' plan would run on a real GPU, checked without one: every dispatch of
// one steady-state iteration (and of the check scalar read at a convergence check) is recorded through
// an instrumented GPUDevice (test/support/gpu-recorder.ts: the real Dawn device, workgroup sizes read
// from the WGSL of each pipeline, grids, buffers bound), for dense X 2048×1024 and 8192×1024 (k = 32,
// 64) and CSR X 8192×4096 with 64 stored entries a row (k = 32), solvers mu-frobenius, mu-KL and cd.
// The rules (what fills a GPU of 64+ SMs / cores, see /work/shared/DESIGN.md):
//   - ≥ 64 invocations in every workgroup;
//   - ≥ 256 workgroups in every dispatch that binds X;
//   - ≥ 32 workgroups in every dispatch that binds W, H or another m×k / k×n-sized buffer;
//   - X's dispatches grow with m: from m = 2048 to 8192, each one's workgroup count grows ≥ 3×.
// The plans are built for real (buffers, pipelines and bind groups validated by the device) and their
// steps encoded, but nothing is submitted: SwiftShader would take minutes to run these sizes.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDevice } from './setup.js';
import { createWebGPUBackend } from '../../src/backend/webgpu/index.js';
import type { FitProblem } from '../../src/backend/backend.js';
import type { DataMatrix } from '../../src/matrix/matrix.js';
import { randomArray } from '../support/problems.js';
import { recordingDevice, type RecordedDispatch, type Recorder } from '../support/gpu-recorder.js';
import type { GpuProfile } from '../../src/params.js';

/** The plan under test ('hardware'); PLAN_SHAPE_PROFILE=software shows how today's SwiftShader plan fares. */
const PROFILE = (process.env.PLAN_SHAPE_PROFILE ?? 'hardware') as GpuProfile;
const MIN_INVOCATIONS = 64;
const MIN_X_WORKGROUPS = 256;
const MIN_FACTOR_WORKGROUPS = 32;
const MIN_X_GROWTH = 3;

/** the three, and 'pg' (one line-search trial of each subproblem) held to the same rules */
type Solver = 'mu-frobenius' | 'mu-KL' | 'cd' | 'pg';
const SOLVERS: Solver[] = ['mu-frobenius', 'mu-KL', 'cd', 'pg'];

interface Shape {
  name: string;
  m: number;
  n: number;
  k: number;
  /** stored entries per row of CSR X; absent: dense */
  perRow?: number;
}
const SHAPES: Shape[] = [
  { name: 'dense 2048×1024 k=32', m: 2048, n: 1024, k: 32 },
  { name: 'dense 2048×1024 k=64', m: 2048, n: 1024, k: 64 },
  { name: 'dense 8192×1024 k=32', m: 8192, n: 1024, k: 32 },
  { name: 'dense 8192×1024 k=64', m: 8192, n: 1024, k: 64 },
  { name: 'CSR 8192×4096 64/row k=32', m: 8192, n: 4096, k: 32, perRow: 64 },
];
/** The m = 8192 case whose X dispatches are compared with the m = 2048 one. */
const GROWTH: Record<string, string> = { 'dense 8192×1024 k=32': 'dense 2048×1024 k=32', 'dense 8192×1024 k=64': 'dense 2048×1024 k=64' };

function matrix(s: Shape): DataMatrix {
  const { m, n, perRow } = s;
  if (!perRow) return { rows: m, cols: n, data: randomArray(m * n, 1, 0.1, 1) };
  const indptr = new Int32Array(m + 1), indices = new Int32Array(m * perRow);
  const stride = Math.floor(n / perRow);
  for (let i = 0; i < m; i++) {
    indptr[i + 1] = (i + 1) * perRow;
    for (let e = 0; e < perRow; e++) indices[i * perRow + e] = e * stride + (i % stride);
  }
  return { rows: m, cols: n, indptr, indices, data: randomArray(m * perRow, 2, 0.1, 1) };
}

function problem(s: Shape, beta: number): FitProblem {
  return {
    X: matrix(s),
    W: { rows: s.m, cols: s.k, data: randomArray(s.m * s.k, 3, 0.1, 1) },
    H: { rows: s.k, cols: s.n, data: randomArray(s.k * s.n, 4, 0.1, 1) },
    beta,
    updateH: true,
  };
}

let device: GPUDevice;
let recorder: Recorder;
const recorded = new Map<string, RecordedDispatch[]>();

beforeAll(async () => {
  device = await testDevice();
  recorder = recordingDevice(device, { dropSubmits: true });
});
afterAll(() => device?.destroy());

/** One steady-state iteration of `solver` and its check scalar, recorded. */
async function record(s: Shape, solver: Solver): Promise<RecordedDispatch[]> {
  const backend = await createWebGPUBackend({ device: recorder.device, gpuProfile: PROFILE });
  const plan = await backend.createFit(problem(s, solver === 'mu-KL' ? 1 : 2));
  try {
    const order = Int32Array.from({ length: s.k }, (_, t) => t);
    if (solver === 'pg') {
      await plan.pg!.prepare();
      recorder.start();
      for (const factor of ['W', 'H'] as const) {
        plan.pg!.begin({ factor, gramDiag: 0, gramAll: 0, l1: 0, l2: 0 });
        plan.pg!.gradient();
        await plan.pg!.trial(1, 'current'); // (nothing ran: its value is meaningless)
      }
      await plan.pg!.projectedGradientNormSq();
      return recorder.stop();
    }
    const iterate = solver === 'cd'
      ? () => { plan.halsSweepW({ l1: 0, l2: 0, order }); plan.halsSweepH({ l1: 0, l2: 0, order }); }
      : () => { plan.muUpdateW({ l1: 0, l2: 0, gamma: 1 }); plan.muUpdateH({ l1: 0, l2: 0, gamma: 1 }); };
    iterate(); // the first iteration also computes what later ones reuse
    recorder.start();
    iterate();
    // the check's scalar (nothing ran: its value is meaningless, its dispatches are what counts)
    await (solver === 'cd' ? plan.lastViolation() : plan.reconstructionError());
    return recorder.stop();
  } finally {
    plan.destroy();
    backend.dispose();
  }
}

const bindsX = (d: RecordedDispatch) => d.buffers.some((b) => /^X(\[\d+\])?$|^X\.|^Xt\.|^WH@X/.test(b.label));
/** m×k, k×n or larger (not X): W, H, their products and transposes, split-K partials of those */
const bindsFactor = (d: RecordedDispatch, s: Shape) => d.buffers.some((b) => !/^X|^Xt\./.test(b.label) && b.size >= Math.min(s.m, s.n) * s.k * 4);

function describeDispatch(d: RecordedDispatch): string {
  return `${d.label} [${d.pipeline}] ${d.workgroups} workgroups of ${d.invocations}`;
}

describe(`the '${PROFILE}' plan fills a GPU (recorded dispatches of one iteration)`, () => {
  for (const s of SHAPES) {
    for (const solver of SOLVERS) {
      it(`${s.name}, ${solver}`, async () => {
        const ds = await record(s, solver);
        recorded.set(`${s.name}/${solver}`, ds);
        expect(ds.length, 'dispatches recorded').toBeGreaterThan(0);
        const problems: string[] = [];
        for (const d of ds) {
          if (d.invocations < MIN_INVOCATIONS) problems.push(`${describeDispatch(d)}: < ${MIN_INVOCATIONS} invocations per workgroup`);
          if (bindsX(d) && d.workgroups < MIN_X_WORKGROUPS) problems.push(`${describeDispatch(d)}: binds X, < ${MIN_X_WORKGROUPS} workgroups`);
          else if (bindsFactor(d, s) && d.workgroups < MIN_FACTOR_WORKGROUPS) problems.push(`${describeDispatch(d)}: binds an m×k / k×n buffer, < ${MIN_FACTOR_WORKGROUPS} workgroups`);
        }
        const smaller = GROWTH[s.name] ? recorded.get(`${GROWTH[s.name]}/${solver}`) : undefined;
        if (GROWTH[s.name]) {
          expect(smaller, `${GROWTH[s.name]} recorded first`).toBeDefined();
          for (const d of ds.filter(bindsX)) {
            const before = smaller!.find((e) => e.label === d.label && bindsX(e));
            if (!before) problems.push(`${describeDispatch(d)}: no dispatch of that name at m = 2048`);
            else if (d.workgroups < MIN_X_GROWTH * before.workgroups) problems.push(`${describeDispatch(d)}: only ${before.workgroups} → ${d.workgroups} workgroups from m = 2048 to 8192 (< ${MIN_X_GROWTH}×)`);
          }
        }
        expect(problems, `${s.name}, ${solver}: ${ds.length} dispatches`).toEqual([]);
      }, 120_000);
    }
  }
});
