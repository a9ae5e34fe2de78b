// Micro-benchmark of the float64 CPU products (src/backend/cpu/gemm.ts) on the shapes of one
// MU iteration for a 2000×1000 X with k = 20: GMAC/s (10⁹ multiply-adds per second), WASM SIMD
// against the plain-JS fallback. Run: node --import tsx bench/gemm.ts

import { ab, abt, atbAdd, createWorkspace, forceJsKernels, workspaceLength } from '../src/backend/cpu/gemm.js';

const nSamples = 2000, nFeatures = 1000, nComponents = 20;
/** Rows of X per ab/atbAdd call, as a row-blocked MU-KL step would use (the full X for 2000). */
const ROW_BLOCKS = [nSamples, 64];
const MIN_SECONDS = 0.5;

const sizes = [nSamples * nFeatures, nSamples * nComponents, nComponents * nFeatures, nSamples * nFeatures, nComponents * nFeatures];
const ws = createWorkspace(workspaceLength(sizes));
const [X, W, H, WH, WtX] = sizes.map((length) => ws.alloc(length));
let seed = 1;
const random = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
for (const a of [X, W, H]) for (let i = 0; i < a.length; i++) a[i] = random();

/** Fastest seconds per call, after a warm-up, over enough calls to fill MIN_SECONDS (the machine is shared: the minimum is the least noisy). */
function time(run: () => void): number {
  for (let i = 0; i < 3; i++) run();
  const samples: number[] = [];
  const start = performance.now();
  while (performance.now() - start < MIN_SECONDS * 1000 || samples.length < 5) {
    const t = performance.now();
    run();
    samples.push((performance.now() - t) / 1000);
  }
  return Math.min(...samples);
}

/** Calls `kernel(i0, i1)` on consecutive row blocks of `block` rows covering all nSamples. */
const overRowBlocks = (block: number, kernel: (i0: number, i1: number) => void) => () => {
  for (let i0 = 0; i0 < nSamples; i0 += block) kernel(i0, Math.min(nSamples, i0 + block));
};

const macs = nSamples * nFeatures * nComponents;
const cases: [string, () => void][] = [
  ['abt    X·Hᵀ   (2000×1000 · 20×1000ᵀ)', () => abt(X, H, W, nSamples, nFeatures, nComponents)],
  ...ROW_BLOCKS.map((b): [string, () => void] => [
    `ab     W·H    (rows in blocks of ${b})`,
    overRowBlocks(b, (i0, i1) =>
      ab(W.subarray(i0 * nComponents, i1 * nComponents), H, WH.subarray(i0 * nFeatures, i1 * nFeatures), i1 - i0, nComponents, nFeatures)),
  ]),
  ...ROW_BLOCKS.map((b): [string, () => void] => [
    `atbAdd Wᵀ·X   (rows in blocks of ${b})`,
    () => {
      WtX.fill(0);
      overRowBlocks(b, (i0, i1) =>
        atbAdd(W.subarray(i0 * nComponents, i1 * nComponents), X.subarray(i0 * nFeatures, i1 * nFeatures), WtX, i1 - i0, nComponents, nFeatures))();
    },
  ]),
];

console.log(`float64 products, ${nSamples}×${nFeatures}, k = ${nComponents}; ${(macs / 1e6).toFixed(0)} M multiply-adds each (WASM SIMD available: ${ws.simd})`);
console.log(`${'kernel'.padEnd(42)} ${'WASM ms'.padStart(8)} ${'GMAC/s'.padStart(7)} ${'JS ms'.padStart(8)} ${'GMAC/s'.padStart(7)}`);
for (const [name, run] of cases) {
  forceJsKernels(false);
  const wasm = time(run);
  forceJsKernels(true);
  const js = time(run);
  forceJsKernels(false);
  const cols = [wasm * 1e3, macs / wasm / 1e9, js * 1e3, macs / js / 1e9];
  console.log(`${name.padEnd(42)} ${cols.map((v, c) => v.toFixed(c % 2 ? 2 : 1).padStart(c % 2 ? 7 : 8)).join(' ')}`);
}
