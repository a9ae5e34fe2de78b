// Micro-benchmark of the float64 CPU products (src/backend/cpu/gemm.ts) on the shapes of one MU
// iteration for a 2000×1000 X with k = 20: GMAC/s (10⁹ multiply-adds per second; for the
// elementwise kernels 10⁹ elements per second) on 1 and 2 threads, and the plain-JS fallback.
// A second table times one call against its size with the split forced, to choose gemm.ts's
// MIN_SHARE_WORK. Run: node --import tsx bench/gemm.ts

import { readFileSync } from 'node:fs';
import {
  ab, abt, atbAdd, createWorkspace, forceJsKernels, ratio, reciprocal, setMinShareWork, workspaceLength, type Workspace,
} from '../src/backend/cpu/gemm.js';

const nSamples = 2000, nFeatures = 1000, nComponents = 20;
/** Rows of X per ab/atbAdd call: the whole X, and the blocks of the β ≠ 2 updates (16 rows for n = 1000). */
const ROW_BLOCKS = [nSamples, 64, 16];
const THREADS = [1, 2];
const MIN_SECONDS = 0.5;

type Arrays = Record<'X' | 'W' | 'H' | 'WH' | 'WtX' | 'V', Float64Array>;

function workspace(threads: number): { ws: Workspace; a: Arrays } {
  const sizes = {
    X: nSamples * nFeatures, W: nSamples * nComponents, H: nComponents * nFeatures,
    WH: nSamples * nFeatures, WtX: nComponents * nFeatures, V: nSamples * nFeatures,
  };
  const ws = createWorkspace(workspaceLength(Object.values(sizes)), { threads });
  const a = Object.fromEntries(Object.entries(sizes).map(([name, length]) => [name, ws.alloc(length)])) as Arrays;
  let seed = 1;
  const random = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (const x of [a.X, a.W, a.H]) for (let i = 0; i < x.length; i++) x[i] = random();
  a.WH.set(a.X);
  return { ws, a };
}

/** CPU seconds all processes have used (Linux /proc/stat; USER_HZ = 100), or NaN elsewhere. */
function machineCpuSeconds(): number {
  try {
    const ticks = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
    return (ticks.reduce((a, b) => a + b) - ticks[3] - ticks[4]) / 100; // all but idle and iowait
  } catch {
    return Number.NaN;
  }
}
const ownCpuSeconds = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/** Windows in which other processes used more than this many cores are discarded. */
const OTHERS_MAX_CORES = 0.3;
const WINDOW_SECONDS = 0.2;
let busyWindows = 0;

/**
 * Fastest seconds per call, after a warm-up, over windows of calls that add up to `seconds` while
 * the rest of the machine was idle (the machine is shared: the minimum of quiet windows is the
 * least noisy). Gives up waiting for quiet after 20× `seconds` and keeps every window.
 */
function time(run: () => void, seconds = MIN_SECONDS): number {
  for (let i = 0; i < 3; i++) run();
  let quiet = Infinity, any = Infinity, quietSeconds = 0;
  const start = performance.now();
  while (quietSeconds < seconds && performance.now() - start < 20 * seconds * 1000) {
    const [machine0, own0, window0] = [machineCpuSeconds(), ownCpuSeconds(), performance.now()];
    let best = Infinity;
    for (let calls = 0; performance.now() - window0 < WINDOW_SECONDS * 1000 || calls < 3; calls++) {
      const t = performance.now();
      run();
      best = Math.min(best, (performance.now() - t) / 1000);
    }
    const window = (performance.now() - window0) / 1000;
    const others = (machineCpuSeconds() - machine0 - (ownCpuSeconds() - own0)) / window;
    any = Math.min(any, best);
    if (others <= OTHERS_MAX_CORES || Number.isNaN(others)) {
      quiet = Math.min(quiet, best);
      quietSeconds += window;
    } else busyWindows++;
  }
  return Number.isFinite(quiet) ? quiet : any;
}

/** Calls `kernel(i0, i1)` on consecutive row blocks of `block` rows covering all nSamples. */
const overRowBlocks = (block: number, kernel: (i0: number, i1: number) => void) => () => {
  for (let i0 = 0; i0 < nSamples; i0 += block) kernel(i0, Math.min(nSamples, i0 + block));
};

const k = nComponents, n = nFeatures;
const macs = nSamples * nFeatures * nComponents;
const elements = nSamples * nFeatures;
/** [name, work per run, run on a workspace's arrays] */
const cases: [string, number, (a: Arrays) => () => void][] = [
  ['abt    X·Hᵀ   (2000×1000 · 20×1000ᵀ)', macs, (a) => () => abt(a.X, a.H, a.W, nSamples, n, k)],
  ...ROW_BLOCKS.map((b): [string, number, (a: Arrays) => () => void] => [
    `abt    V·Hᵀ   (rows in blocks of ${b})`, macs,
    (a) => overRowBlocks(b, (i0, i1) => abt(a.V.subarray(i0 * n, i1 * n), a.H, a.W.subarray(i0 * k, i1 * k), i1 - i0, n, k)),
  ]),
  ...ROW_BLOCKS.map((b): [string, number, (a: Arrays) => () => void] => [
    `ab     W·H    (rows in blocks of ${b})`, macs,
    (a) => overRowBlocks(b, (i0, i1) => ab(a.W.subarray(i0 * k, i1 * k), a.H, a.WH.subarray(i0 * n, i1 * n), i1 - i0, k, n)),
  ]),
  ...ROW_BLOCKS.map((b): [string, number, (a: Arrays) => () => void] => [
    `atbAdd Wᵀ·X   (rows in blocks of ${b})`, macs,
    (a) => () => {
      a.WtX.fill(0);
      overRowBlocks(b, (i0, i1) => atbAdd(a.W.subarray(i0 * k, i1 * k), a.X.subarray(i0 * n, i1 * n), a.WtX, i1 - i0, k, n))();
    },
  ]),
  ['atbAdd Wᵀ·W   (2000×20ᵀ · 2000×20)', nSamples * k * k, (a) => () => atbAdd(a.W, a.W, a.WtX, nSamples, k, k)],
  ...[nSamples, 16].map((b): [string, number, (a: Arrays) => () => void] => [
    `ratio  X/WH   (rows in blocks of ${b}; elements)`, elements,
    (a) => overRowBlocks(b, (i0, i1) => ratio(a.X.subarray(i0 * n, i1 * n), a.WH.subarray(i0 * n, i1 * n), a.V.subarray(i0 * n, i1 * n), (i1 - i0) * n)),
  ]),
  [`recip  1/WH   (rows in blocks of 16; elements)`, elements,
    (a) => overRowBlocks(16, (i0, i1) => reciprocal(a.WH.subarray(i0 * n, i1 * n), a.V.subarray(i0 * n, i1 * n), (i1 - i0) * n))],
];

const spaces = THREADS.map(workspace);
await Promise.all(spaces.map(({ ws }) => ws.ready()));
console.log(`float64 products, ${nSamples}×${nFeatures}, k = ${nComponents}; ${(macs / 1e6).toFixed(0)} M multiply-adds each` +
  ` (WASM SIMD: ${spaces[0].ws.simd}; threads: ${spaces.map(({ ws }) => ws.threads).join(', ')})`);
const head = THREADS.map((t) => [`${t}T ms`.padStart(8), 'GMAC/s'.padStart(7)].join(' ')).join(' ');
console.log(`${'kernel'.padEnd(46)} ${head} ${'JS ms'.padStart(8)} ${'GMAC/s'.padStart(7)}`);
for (const [name, work, make] of cases) {
  const seconds = spaces.map(({ a }) => time(make(a)));
  forceJsKernels(true);
  seconds.push(time(make(spaces[0].a), name.startsWith('atbAdd Wᵀ·W') || name.includes('blocks of 16') ? 0.2 : MIN_SECONDS));
  forceJsKernels(false);
  const cols = seconds.flatMap((s) => [(s * 1e3).toFixed(2).padStart(8), (work / s / 1e9).toFixed(2).padStart(7)]);
  console.log(`${name.padEnd(46)} ${cols.join(' ')}`);
}

// One call of a given size, forced to split in two (setMinShareWork(0)) against one thread: the
// size from which splitting pays is gemm.ts's MIN_SHARE_WORK (work per share = half the call).
console.log('\none call, split in two vs one thread (µs per call; work in multiply-adds, elementwise: elements)');
console.log(`${'kernel'.padEnd(30)} ${'work'.padStart(9)} ${'1T µs'.padStart(8)} ${'2T µs'.padStart(8)} ${'speed-up'.padStart(8)}`);
setMinShareWork(0);
const [one, two] = spaces.map(({ a }) => a);
for (const rows of [2, 4, 8, 16, 32, 64]) {
  const sized: [string, number, (a: Arrays) => () => void][] = [
    [`ab     ${rows}×20 · 20×1000`, rows * k * n, (a) => () => ab(a.W, a.H, a.WH, rows, k, n)],
    [`abt    ${rows}×1000 · 20×1000ᵀ`, rows * k * n, (a) => () => abt(a.X, a.H, a.W, rows, n, k)],
    [`atbAdd ${rows}×20ᵀ · ${rows}×1000`, rows * k * n, (a) => () => atbAdd(a.W, a.X, a.WtX, rows, k, n)],
    [`ratio  ${rows * n} elements`, rows * n, (a) => () => ratio(a.X, a.WH, a.V, rows * n)],
  ];
  for (const [name, work, make] of sized) {
    const [t1, t2] = [one, two].map((a) => time(make(a), 0.2));
    console.log(`${name.padEnd(30)} ${String(work).padStart(9)} ${(t1 * 1e6).toFixed(1).padStart(8)} ${(t2 * 1e6).toFixed(1).padStart(8)} ${(t1 / t2).toFixed(2).padStart(8)}`);
  }
}
setMinShareWork();
for (const { ws } of spaces) ws.destroy();
if (busyWindows > 0) console.log(`\n(${busyWindows} timing windows discarded: other processes were using more than ${OTHERS_MAX_CORES} cores)`);
