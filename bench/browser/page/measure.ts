// One case, measured in the page through the public API: an untimed warm-up fit with the NMF
// estimator (compiles pipelines and kernels, warms the JIT, and says which backend and plan ran:
// backendUsed), then `rounds` timing pairs, fits from the same start with tol 0 and maxIter LO_ITERS
// and LO_ITERS + iters, so setup, upload and the final read-back cancel in (T_long − T_short) / iters;
// then one fit with tol > 0 and onProgress for the loss against time.

import { NMF, nonNegativeFactorization, type NMFOptions } from '../../../src/index.js';
import { workerChunks } from '../../../src/backend/cpu/threads.js';
import { CURVE_TOL, LO_ITERS, MIN_DIFF_MS } from '../cases.js';
import { gflops, macsPerIteration } from '../flops.js';
import { finalLoss, makeX, type DenseX } from '../problem.js';
import { spread } from '../stats.js';
import type { BenchCase, BenchOptions, CaseResult, CurveResult, ProgressPoint } from '../page-api.js';

const xs = new Map<string, DenseX>();
function getX(m: number, n: number, k: number): DenseX {
  const key = `${m}x${n}x${k}`;
  let X = xs.get(key);
  if (!X) xs.set(key, (X = makeX(m, n, k)));
  return X;
}

export class CaseRunner {
  constructor(
    private readonly device: GPUDevice | null,
    private readonly noDeviceReason: string | undefined,
    private readonly log: (line: string) => void,
  ) {}

  private options(c: BenchCase, o: BenchOptions, maxIter: number, tol: number): NMFOptions {
    if (c.backend === 'webgpu' && !this.device) throw new Error(`backend 'webgpu' asked for, but the page has no WebGPU device: ${this.noDeviceReason}`);
    return {
      nComponents: c.k,
      solver: c.solver,
      betaLoss: c.betaLoss,
      init: 'random',
      randomState: 0,
      maxIter,
      tol,
      backend: c.backend,
      ...(c.backend === 'webgpu' ? { device: this.device, gpuProfile: o.gpuProfile } : {}),
      // a fit stopped by maxIter is what a timing fit is for: its ConvergenceWarning is expected
      onWarning: (w) => {
        if (w.category !== 'ConvergenceWarning') console.warn(`${w.category}: ${w.message}`);
      },
    };
  }

  private async fit(c: BenchCase, o: BenchOptions, maxIter: number, tol: number, progress: boolean): Promise<CurveResult> {
    const X = getX(c.m, c.n, c.k);
    const points: ProgressPoint[] = [];
    const t0 = performance.now();
    const { W, H, nIter } = await nonNegativeFactorization(X, {
      ...this.options(c, o, maxIter, tol),
      onProgress: progress
        ? (p) => {
            const value = p.loss ?? p.violation;
            if (value !== undefined) points.push({ elapsedMs: p.elapsedMs, iteration: p.iteration, value });
          }
        : null,
    });
    const ms = performance.now() - t0;
    return { measure: c.solver === 'mu' ? 'loss' : 'violation', points, nIter, ms, finalLoss: finalLoss(X, W.data, H.data, c.k, c.betaLoss) };
  }

  async run(c: BenchCase, o: BenchOptions): Promise<CaseResult> {
    const model = new NMF(this.options(c, o, 2, 0));
    await model.fit(getX(c.m, c.n, c.k));
    const chunksBefore = workerChunks();
    const time = async (maxIter: number) => (await this.fit(c, o, maxIter, 0, false)).ms;
    // a calibration pair (not counted): too short a difference gets more iterations
    let iters = o.iters;
    const diff = (await time(LO_ITERS + iters)) - (await time(LO_ITERS));
    if (diff < MIN_DIFF_MS) iters = Math.ceil((iters * MIN_DIFF_MS) / Math.max(diff, MIN_DIFF_MS / 50));
    const loMs: number[] = [], hiMs: number[] = [];
    for (let r = 0; r < o.rounds; r++) {
      loMs.push(await time(LO_ITERS));
      hiMs.push(await time(LO_ITERS + iters));
    }
    const msPerIter = spread(loMs.map((lo, r) => (hiMs[r] - lo) / iters));
    const curve = await this.fit(c, o, o.curveIters, CURVE_TOL, true);
    const macsPerIter = macsPerIteration(c.m, c.n, c.k, c.betaLoss);
    this.log(`  ${msPerIter.median.toPrecision(3)} ms per iteration (median of ${o.rounds} rounds)`);
    return {
      ...c,
      iters,
      loMs,
      hiMs,
      msPerIter,
      macsPerIter,
      gflops: msPerIter.median > 0 ? gflops(macsPerIter, msPerIter.median) : null,
      backendUsed: model.backendUsed ?? null,
      workerChunks: c.backend === 'cpu' ? workerChunks() - chunksBefore : null,
      curve,
    };
  }
}
