// Stopping and pacing on WebGPU (Dawn + SwiftShader): every fit entry stops on its signal; the host
// never queues more than a bounded amount of GPU work ahead of the device (tol: 0 with nothing read
// back used to queue iterations without bound: gigabytes of commands, and minutes of device time after
// an abort); progress reports iterations the device has run; an abort while the final readback waits
// rejects at once; a fit whose values overflow float32 rejects with NMFError.
//
// Time bounds are loose on purpose (SwiftShader on a shared 2-core machine): each separates "bounded"
// from "unbounded" by a wide margin, not one speed from another.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MiniBatchNMF, NMF, NMFError, nonNegativeFactorization } from '../../src/index.js';
import { abortAfter, FIT_ENTRIES, outcome } from '../support/fit-entries.js';
import { seededMatrix } from '../support/matrices.js';
import { testDevice } from './setup.js';

/** After an abort the fit rejects within this. */
const STOP_WITHIN_MS = 3000;
/** Device time still queued after an abort (bounded: ~2 groups of ~100 ms; unbounded: minutes). */
const QUEUED_AFTER_ABORT_MS = 3000;
/** At a progress report the device has run the reported iterations: what is left to wait for is ~nothing. */
const PENDING_AT_REPORT_MS = 500;
const TIMER_GAP_MS = 2000;

let device: GPUDevice;
beforeAll(async () => {
  device = await testDevice();
});
afterAll(() => device?.destroy());

/** How long until the device has run everything submitted so far. */
async function queuedMs(): Promise<number> {
  const t0 = performance.now();
  await device.queue.onSubmittedWorkDone();
  return performance.now() - t0;
}

describe.each(FIT_ENTRIES.map((e) => [e.name, e] as const))('%s on webgpu', (_name, entry) => {
  const X = seededMatrix(120, 24, 1);

  it('a short run returns finite, non-negative values (and compiles the pipelines the next cases use)', async () => {
    const r = await outcome(entry.run(X, { backend: 'webgpu', device, quick: true }));
    expect(r.ok, r.ok ? '' : String(r.error)).toBe(true);
  });

  it('a pre-aborted signal rejects at once with its reason', async () => {
    const controller = new AbortController();
    const reason = new Error('stopped before it started');
    controller.abort(reason);
    let reports = 0;
    const r = await outcome(entry.run(X, { backend: 'webgpu', device, signal: controller.signal, onProgress: () => reports++ }));
    expect(r.ok ? null : r.error).toBe(reason);
    expect(reports).toBe(0);
  });

  it('an abort mid-fit rejects promptly, leaves little queued, and timers fire throughout', async () => {
    const { result: r, abortedAt, reason, timerGap } = await abortAfter(1000, (signal) => entry.run(X, { backend: 'webgpu', device, signal }));
    expect(r.ok ? null : r.error).toBe(reason);
    expect(r.at - abortedAt, 'ms from abort to rejection').toBeLessThan(STOP_WITHIN_MS);
    expect(await queuedMs(), 'ms of device work queued after the abort').toBeLessThan(QUEUED_AFTER_ABORT_MS);
    expect(timerGap, 'longest wait of a 5 ms timer (ms)').toBeLessThan(TIMER_GAP_MS);
  });
});

describe('the host stays a bounded number of iterations ahead of the GPU', () => {
  it("tol: 0 with checkEvery 1e6 (nothing read back): an abort after 2 s leaves little queued, and the next fit runs at once", async () => {
    const X = seededMatrix(64, 40, 2);
    const options = { backend: 'webgpu' as const, device, solver: 'mu' as const, nComponents: 5, init: 'random' as const, randomState: 0, tol: 0 };
    await nonNegativeFactorization(X, { ...options, maxIter: 10 }); // compile first
    let encoded = 0;
    const createCommandEncoder = device.createCommandEncoder;
    device.createCommandEncoder = function (this: GPUDevice, d?: GPUCommandEncoderDescriptor) {
      if (d?.label === 'muUpdateW') encoded++;
      return createCommandEncoder.call(this, d);
    };
    try {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(new Error('stop')), 2000);
      const r = await outcome(nonNegativeFactorization(X, { ...options, maxIter: 1_000_000, checkEvery: 1_000_000, signal: controller.signal }));
      clearTimeout(timer);
      expect(r.ok).toBe(false);
      const queued = await queuedMs();
      expect(queued, `ms of device work queued after the abort (${encoded} iterations encoded)`).toBeLessThan(QUEUED_AFTER_ABORT_MS);
      const t0 = performance.now();
      await nonNegativeFactorization(X, { ...options, maxIter: 10 });
      expect(performance.now() - t0, 'ms for the next 10-iteration fit').toBeLessThan(QUEUED_AFTER_ABORT_MS);
    } finally {
      device.createCommandEncoder = createCommandEncoder;
    }
  });

  it('progress reports iterations the device has run (tol: 0, nothing read back)', async () => {
    const X = seededMatrix(512, 256, 3);
    const options = { backend: 'webgpu' as const, device, solver: 'mu' as const, nComponents: 16, init: 'random' as const, randomState: 0, tol: 0, checkEvery: 10 };
    await nonNegativeFactorization(X, { ...options, maxIter: 10 }); // compile first
    const pending: Promise<number>[] = [];
    await nonNegativeFactorization(X, { ...options, maxIter: 300, onProgress: () => pending.push(queuedMs()) });
    const waits = await Promise.all(pending);
    expect(waits).toHaveLength(30);
    expect(Math.max(...waits), `ms of device work left at each report: ${waits.map((w) => w.toFixed(0)).join(' ')}`).toBeLessThan(PENDING_AT_REPORT_MS);
  });

  it('an abort while the final readback waits rejects with the reason, not a result', async () => {
    const X = seededMatrix(64, 40, 4);
    const controller = new AbortController();
    const reason = new Error('stopped at the end');
    const r = await outcome(
      nonNegativeFactorization(X, {
        backend: 'webgpu', device, solver: 'mu', nComponents: 5, init: 'random', randomState: 0, tol: 0, maxIter: 200, checkEvery: 10,
        onProgress: (p) => p.iteration === 200 && controller.abort(reason), signal: controller.signal,
      }),
    );
    expect(r.ok ? 'resolved with a result' : r.error).toBe(reason);
  });
});

describe('a lost device rejects with NMFError, worded for users', () => {
  it('device.destroy() mid-fit', async () => {
    const own = await testDevice();
    const r = await outcome(
      nonNegativeFactorization(seededMatrix(20, 15, 6), {
        nComponents: 4, solver: 'cd', maxIter: 10_000, tol: 0, backend: 'webgpu', device: own,
        onProgress: ({ iteration }) => iteration >= 20 && own.destroy(),
      }),
    );
    expect(r.ok ? 'resolved' : r.error).toBeInstanceOf(NMFError);
    const message = (r as { error: Error }).error.message;
    expect(message).toMatch(/WebGPU device was lost/);
    expect(message).not.toMatch(/backend/); // "create a new backend" named nothing a user has
  });
});

describe('values that overflow float32 reject with NMFError', () => {
  const X = seededMatrix(40, 12, 5);
  const scaled = (by: number) => ({ rows: X.rows, cols: X.cols, data: X.data.map((v) => v * by) });
  const quiet = { backend: 'webgpu' as const, onWarning: () => {} };
  const runs: [string, () => Promise<unknown>][] = [
    ['MiniBatchNMF.fit, X × 3e38', () => new MiniBatchNMF({ ...quiet, device, nComponents: 3, batchSize: 20, maxIter: 2 }).fit(scaled(3e38))],
    ['MiniBatchNMF.fit, X × 1e19 (reconstructionErr overflows)', () => new MiniBatchNMF({ ...quiet, device, nComponents: 3, batchSize: 20, maxIter: 2 }).fit(scaled(1e19))],
    ['NMF.fit, X × 1e19 (reconstructionErr overflows)', () => new NMF({ ...quiet, device, nComponents: 3, maxIter: 20, tol: 0 }).fit(scaled(1e19))],
  ];
  it.each(runs)('%s', async (_name, run) => {
    const r = await outcome(run());
    expect(r.ok ? 'resolved' : r.error).toBeInstanceOf(NMFError);
    expect((r as { error: Error }).error.message).toMatch(/NaN|Infinity|diverged/);
  });
});
