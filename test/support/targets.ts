// The backends every conformance suite runs on, in one list, each with its tolerances, chosen here and
// nowhere else, and its capabilities read from the backend itself (`supports`): a suite iterates the
// targets and skips, by name, what a target does not support, as TF.js runs one op suite on every
// backend. WebGPU runs under both kernel plans (gpuProfile 'software', what SwiftShader gets, and
// 'hardware', what a real GPU gets); in Node it is Dawn (SwiftShader where there is no GPU) and gpu.js
// runs its kernels as WebAssembly (float32). Without a WebGPU adapter openTargets() throws: a GPU suite
// that skips silently proves nothing.

import { expect } from 'vitest';
import type { Backend } from '../../src/backend/backend.js';
import type { BackendSupports } from '../../src/backend/capabilities.js';
import { acquireBackend } from '../../src/backend/select.js';
import { TARGET_OPTIONS, type TargetName, type TargetOptions } from './cases.js';

export type { TargetName };

/** FitPlan steps against the float64 CPU plan: the largest relative error (stepError) allowed. */
export interface StepTolerance {
  /** W and H (and MiniBatchNMF's averages) after a script of steps */
  factors: number;
  /** the β-divergence (reconstructionError) and MiniBatchNMF's scalars */
  loss: number;
  /** HALS's violation */
  violation: number;
  /** solver 'pg''s steps: its factors, and its scalars (gradient norms, Armijo's terms) */
  pgFactors: number;
  pgScalars: number;
}

export interface Tolerances {
  /** relative Frobenius error of W, H, transform, … against scikit-learn's (parity, pg and MiniBatchNMF fixtures) */
  sklearn: number;
  /** a weighted fit against the fit it must equal (all-ones mask, weights scaled); absent: no weighted NMF */
  weighted?: number;
  /** FitPlan steps against the float64 CPU reference; absent on the reference itself */
  steps?: StepTolerance;
}

/**
 * float64 agrees with scikit-learn to rounding. float32 (every GPU backend) to about 1e-3 after a
 * fit, and to 1e-5…1e-4 after a few dozen steps, depending on the order the sums run in: gpu.js's
 * kernels sum as the CPU does; WebGPU's tiles, split-K and workgroup reductions do not.
 */
export const FLOAT32_SKLEARN = 1e-3;
const WEBGPU_STEPS: StepTolerance = { factors: 1e-4, loss: 1e-4, violation: 1e-3, pgFactors: 1e-4, pgScalars: 1e-3 };
const TOLERANCES: Record<TargetName, Tolerances> = {
  cpu: { sklearn: 1e-6, weighted: 1e-9 },
  'webgpu/software': { sklearn: FLOAT32_SKLEARN, weighted: 2e-3, steps: WEBGPU_STEPS },
  'webgpu/hardware': { sklearn: FLOAT32_SKLEARN, weighted: 2e-3, steps: WEBGPU_STEPS },
  gpujs: { sklearn: FLOAT32_SKLEARN, steps: { factors: 2e-5, loss: 2e-5, violation: 2e-5, pgFactors: 1e-5, pgScalars: 1e-4 } },
};

export const TARGET_NAMES = Object.keys(TARGET_OPTIONS) as TargetName[];

export interface Target {
  name: TargetName;
  /** the public options that select it */
  options: TargetOptions;
  /** the very backend those options give the public API (select.ts's, shared by the process) */
  backend: Backend;
  /** what it runs, as the backend declares it */
  supports: BackendSupports;
  tolerance: Tolerances;
  /**
   * WebGPU on a software adapter (SwiftShader): each readback costs milliseconds and each new problem
   * shape compiles its pipelines on the CPU, seconds per β-class. Suites whose cases read back per
   * line-search trial, or bring shapes of their own, run a named subset there.
   */
  emulated: boolean;
  /** The backend's resources held by live plans (WebGPU buffers, gpu.js plans; 0 on the CPU). */
  live(): number;
  /**
   * Run `fn` on this target's backend and check that it left no plan resource behind and, on WebGPU,
   * raised no validation or out-of-memory error.
   */
  checked<T>(fn: () => Promise<T>): Promise<T>;
}

type Inspectable = Backend & { device?: GPUDevice; liveBuffers?(): number; livePlans?(): number };

async function openTarget(name: TargetName): Promise<Target> {
  const options = TARGET_OPTIONS[name];
  const backend = (await acquireBackend(options.backend!, null, options.gpuProfile)) as Inspectable;
  const live = () => backend.liveBuffers?.() ?? backend.livePlans?.() ?? 0;
  const device = backend.device;
  return {
    name,
    options,
    backend,
    supports: backend.supports,
    tolerance: TOLERANCES[name],
    emulated: backend.name === 'webgpu' && backend.software === true,
    live,
    async checked<T>(fn: () => Promise<T>): Promise<T> {
      device?.pushErrorScope('validation');
      device?.pushErrorScope('out-of-memory');
      let result: T;
      try {
        result = await fn();
      } finally {
        const oom = await device?.popErrorScope();
        const validation = await device?.popErrorScope();
        expect(validation?.message ?? null, `${name}: WebGPU validation error`).toBeNull();
        expect(oom?.message ?? null, `${name}: WebGPU out-of-memory error`).toBeNull();
      }
      expect(live(), `${name}: resources left by destroyed plans`).toBe(0);
      return result;
    },
  };
}

/** Every target, or those named, opened (the backends made once per test file). */
export async function openTargets(names: readonly TargetName[] = TARGET_NAMES): Promise<Target[]> {
  const out: Target[] = [];
  for (const name of names) out.push(await openTarget(name));
  return out;
}

/**
 * FitPlan comparisons: the larger of the relative Frobenius error ‖a − b‖/‖b‖ and the relative max
 * error max|a − b| / max|b| (0 when both are 0), so a tolerance bounds both the overall and the
 * worst-entry difference.
 */
export function stepError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length, 'lengths').toBe(b.length);
  let d2 = 0, b2 = 0, dMax = 0, bMax = 0;
  for (let i = 0; i < b.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    d2 += d * d;
    b2 += b[i] * b[i];
    dMax = Math.max(dMax, d);
    bMax = Math.max(bMax, Math.abs(b[i]));
  }
  if (bMax === 0) return dMax;
  return Math.max(Math.sqrt(d2 / b2), dMax / bMax);
}

/** |a − b| / max(|b|, scale): a scalar's relative gap (scale: for values near 0, e.g. a loss of an exact fit). */
export function scalarGap(a: number, b: number, scale = 0): number {
  const ref = Math.max(Math.abs(b), scale);
  return ref === 0 ? Math.abs(a) : Math.abs(a - b) / ref;
}
