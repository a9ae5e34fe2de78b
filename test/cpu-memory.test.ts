// The CPU backend's WebAssembly memory is reused, then released (src/backend/cpu/workspace.ts): a
// fit gives its memory back to a pool when it ends; the next fit takes it (grown if it needs more)
// with its worker threads still warm; a memory idle for IDLE_RELEASE_MS is dropped and its workers
// end, so the garbage collector frees it. Nothing holds a high-water mark for long after the last fit.
// Fresh worker threads that never held a memory take the place of those that ended (threads.ts), so
// the next fit does not wait for threads to start; they never keep a process alive, and end after
// SPARE_WORKER_MS without a fit.

import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  createWorkspace, endSpareWorkers, heldMemory, IDLE_RELEASE_MS, releaseIdleMemory, SPARE_WORKER_MS, workerChunks, workerThreads,
} from '../src/backend/cpu/workspace.js';
import { nonNegativeFactorization } from '../src/index.js';

const MiB = 2 ** 20;

describe('CPU backend memory', () => {
  it('a fit gives its memory back; the next workspace reuses it, growing it when it needs more', async () => {
    releaseIdleMemory();
    const X = { rows: 300, cols: 200, data: Float64Array.from({ length: 60000 }, (_, i) => 1 + (i % 7)) };
    await nonNegativeFactorization(X, { nComponents: 5, maxIter: 5, init: 'random', randomState: 0, backend: 'cpu', onWarning: () => {} });
    expect(heldMemory().busy, 'no memory stays in use after the fit').toBe(0);
    expect(heldMemory().idle, 'the fit\'s memory (X alone is 0.46 MiB) waits for the next fit').toBeGreaterThan(0.4 * MiB);

    const first = createWorkspace(1000);
    const buffer = first.alloc(1).buffer;
    first.destroy();
    const again = createWorkspace(1000);
    expect(again.alloc(1).buffer, 'the same memory, not a new one').toBe(buffer);
    expect(again.alloc(3).every((v) => v === 0), 'handed out zero-filled').toBe(true);
    again.destroy();
    const bigger = createWorkspace(8 * MiB); // 64 MiB of doubles: the pooled memory grows
    const view = bigger.alloc(8 * MiB);
    view[view.length - 1] = 1;
    expect(heldMemory().busy).toBeGreaterThanOrEqual(64 * MiB);
    bigger.destroy();
    releaseIdleMemory();
    expect(heldMemory()).toEqual({ busy: 0, idle: 0 });
  });

  it('a released memory\'s workers end; spares take their place and the next fit runs on them without starting a thread', async () => {
    const X = { rows: 600, cols: 400, data: Float64Array.from({ length: 240000 }, (_, i) => 1 + ((i * 7919) % 13)) };
    const fit = () => nonNegativeFactorization(X, { nComponents: 8, maxIter: 5, init: 'random', randomState: 0, backend: 'cpu', onWarning: () => {} });
    const ws = createWorkspace(1, { threads: 2 });
    await ws.ready(); // a team on the pool's first position
    ws.destroy();
    releaseIdleMemory();
    const spares = workerThreads();
    expect(spares.live, 'the released memory\'s worker was replaced').toBeGreaterThanOrEqual(1);
    expect(spares.spare, 'by one that holds no memory').toBe(spares.live);
    // A new memory (the pool has none) whose team is the spares: ready() resolves once they hold it
    // (a spare may still be booting); the fit then takes that memory from the pool.
    const next = createWorkspace(1, { threads: 2 });
    await next.ready();
    next.destroy();
    // a spare that finds no free core (test files run side by side) runs no chunk of one short fit: fit again
    const chunks = workerChunks();
    for (let attempt = 0; attempt < 10 && workerChunks() === chunks; attempt++) await fit();
    expect(workerThreads().started, 'no thread started for the new memory and the fits: the spares took it').toBe(spares.started);
    expect(workerChunks(), 'and ran the fits\' chunks').toBeGreaterThan(chunks);
    releaseIdleMemory();
    endSpareWorkers();
    expect(workerThreads().live, 'spares end (SPARE_WORKER_MS without a fit; here at once)').toBe(0);
    await fit();
    expect(workerThreads().started, 'a fit after that starts threads again').toBeGreaterThan(spares.started);
    releaseIdleMemory();
  });

  it(`a process that stops fitting holds no WebAssembly memory ${IDLE_RELEASE_MS} ms later: the garbage collector frees it, and the spare threads do not keep it alive (3000×1500 fit)`, () => {
    const module = new URL('../src/backend/cpu/workspace.ts', import.meta.url).pathname;
    const api = new URL('../src/index.ts', import.meta.url).pathname;
    const script = `
      import { createWorkspace, heldMemory, IDLE_RELEASE_MS, workerThreads } from ${JSON.stringify(module)};
      import { nonNegativeFactorization } from ${JSON.stringify(api)};
      const m = 3000, n = 1500;
      const data = Float64Array.from({ length: m * n }, (_, i) => 1 + ((i * 7919) % 13));
      await nonNegativeFactorization({ rows: m, cols: n, data }, { nComponents: 10, maxIter: 3, init: 'random', randomState: 0, backend: 'cpu', onWarning: () => {} });
      // the fit's memory is pooled: take it, note its buffer, give it back
      const ref = (() => {
        const ws = createWorkspace(1);
        const buffer = ws.alloc(1).buffer;
        ws.destroy();
        return new WeakRef(buffer);
      })();
      const held = heldMemory().idle;
      await new Promise((resolve) => setTimeout(resolve, IDLE_RELEASE_MS + 300));
      for (let i = 0; i < 5; i++) { globalThis.gc(); await new Promise((resolve) => setTimeout(resolve, 20)); }
      console.log(JSON.stringify({ held, after: heldMemory(), collected: ref.deref() === undefined, threads: workerThreads() }));`;
    // The script's last line runs a moment after the fit; a spare thread that kept the process
    // alive would hold it SPARE_WORKER_MS longer, past the timeout.
    expect(SPARE_WORKER_MS).toBeGreaterThan(40_000);
    const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 40_000 });
    const { held, after, collected, threads } = JSON.parse(out.trim().split('\n').pop()!);
    expect(held, 'after the fit: its memory (X alone is 34 MiB) is pooled').toBeGreaterThan(34 * MiB);
    expect(after, 'released once idle').toEqual({ busy: 0, idle: 0 });
    expect(collected, 'the memory itself was garbage-collected (no worker thread holds it)').toBe(true);
    expect(threads.spare, 'spare threads wait for the next fit').toBeGreaterThanOrEqual(1);
  });
});
