// The CLI's progress line (src/cli/progress.ts): drawn on a terminal only, redrawn in place, erased
// at the end; the ETA follows the recent pace.

import { describe, expect, it } from 'vitest';
import { progressBar, progressLine } from '../src/cli/progress.js';

function terminal(columns?: number) {
  const writes: string[] = [];
  return { writes, stream: { isTTY: true, columns, write: (text: string) => writes.push(text) } };
}

describe('the CLI progress line', () => {
  it('reads iteration, bar, measure and ETA', () => {
    expect(progressLine({ iteration: 50, loss: 0.012345678, elapsedMs: 0 }, 200, 83_000)).toBe(`iteration 50/200 ${'█'.repeat(6)}${'░'.repeat(18)} loss 1.2346e-2 | ETA 1m23s`);
    expect(progressLine({ iteration: 200, violation: 0.5, elapsedMs: 0 }, 200, 0)).toBe(`iteration 200/200 ${'█'.repeat(24)} violation 5.000e-1 | ETA 0s`);
    expect(progressLine({ iteration: 1, elapsedMs: 0 }, 10, null)).toMatch(/^iteration 1\/10 .* \| ETA --$/);
    expect(progressLine({ iteration: 1, elapsedMs: 0 }, 10, 7_500_000)).toMatch(/ETA 2h05m$/);
  });

  it('draws nothing when stderr is not a terminal', () => {
    const writes: string[] = [];
    const bar = progressBar(10, { isTTY: false, write: (t: string) => writes.push(t) });
    bar.update({ iteration: 10, elapsedMs: 0 });
    bar.stop();
    expect(writes).toEqual([]);
  });

  it('redraws in place, at most every 100 ms but always the last iteration, within the width, and erases itself', () => {
    const { writes, stream } = terminal(30);
    const bar = progressBar(3, stream);
    bar.update({ iteration: 1, elapsedMs: 0 });
    bar.update({ iteration: 2, elapsedMs: 0 }); // within 100 ms of the first: skipped
    bar.update({ iteration: 3, elapsedMs: 0 });
    bar.stop();
    expect(writes.length).toBe(3);
    expect(writes[0]).toMatch(/^\r\x1b\[Kiteration 1\/3 /);
    expect(writes[1]).toMatch(/^\r\x1b\[Kiteration 3\/3 /);
    for (const w of writes.slice(0, 2)) expect(w.length - 4).toBeLessThanOrEqual(29);
    expect(writes[2]).toBe('\r\x1b[K');
  });
});
