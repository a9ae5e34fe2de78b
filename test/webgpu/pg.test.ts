// Solver 'pg' on WebGPU (Dawn + SwiftShader in Node), against the fixtures of scikit-learn 0.18's
// projected gradient (test/fixtures/pg.json, gen_pg.py's NumPy port).
//
// Tolerance. The GPU computes in float32; pg's decisions (Armijo's test, the subproblem and outer
// stopping rules, the "candidate unchanged" test) are comparisons of sums that float32 rounding
// could in principle flip, sending the line search down another branch. On these cases it does not:
// W and H agree with the float64 reference to ~1e-6 and nIter is exact (SwiftShader, 2026-11).
// The test asks for W and H within 1e-3 (the WebGPU parity tolerance), the final objective within
// 1e-4 relative, and nIter within max(1, 10%) of the reference, so a device whose rounding flips a
// late, inconsequential branch still passes while a wrong kernel (any error in G, ∇, the trial or
// the reductions moves W, H by far more than 1e-3) fails.
// SwiftShader runs each readback in about 10 ms and pg reads once per line-search trial, so this
// suite runs the cases with the fewest subproblem iterations, which still cover dense and CSR X,
// both sparseness modes, L1 and mixed penalties, updateH: false, stopping on tol, stopping at
// maxIter, and the nls warning; test/pg.test.ts runs all of them on the CPU.

import { describe, expect, it } from 'vitest';
import { testDevice, withValidation } from './setup.js';
import { makeProblem } from './fit-helpers.js';
import type { Backend, FitProblem } from '../../src/backend/backend.js';
import { CpuBackend } from '../../src/backend/cpu/cpu-backend.js';
import { createWebGPUBackend, liveBufferCount } from '../../src/backend/webgpu/index.js';
import { fitProjectedGradient, type PgSettings } from '../../src/solvers/pg.js';
import type { SolverOptions } from '../../src/solvers/loop.js';
import { relativeError, type DenseFixture, type MatrixFixture } from '../parity-cases.js';
import { NLS_WARNING, pgCases, runPgCase, type PgCase } from '../pg-cases.js';

const GPU_CASES = [
  'pg-data-dense', 'pg-components-csr', 'pg-l1-dense', 'pg-mixed-components-dense',
  'pg-nls-limit-dense', 'pg-tol0-nls-limit-csr', 'pg-fixed-h-dense', 'pg-fixed-h-data-csr',
];

/** 0.18's objective with the sparseness stacking's terms (gen_pg.py's `objective`). */
function objective(c: PgCase, W: { data: ArrayLike<number> }, H: { data: ArrayLike<number> }): number {
  const X = dense(c.X);
  const m = X.rows, n = X.cols, k = c.H0.rows;
  const { alpha, l1_ratio: r, sparseness, beta, eta } = c.sk018 as { alpha: number; l1_ratio: number; sparseness: string | null; beta: number; eta: number };
  let f = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let wh = 0;
      for (let t = 0; t < k; t++) wh += W.data[i * k + t] * H.data[t * n + j];
      f += 0.5 * (X.data[i * n + j] - wh) ** 2;
    }
  }
  const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);
  const sq = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v * v, 0);
  f += alpha * r * (sum(W.data) + sum(H.data)) + 0.5 * alpha * (1 - r) * (sq(W.data) + sq(H.data));
  const rowSumsW = Array.from({ length: m }, (_, i) => sum(Array.from(W.data).slice(i * k, (i + 1) * k)));
  const colSumsH = Array.from({ length: n }, (_, j) => { let s = 0; for (let t = 0; t < k; t++) s += H.data[t * n + j]; return s; });
  if (sparseness === 'data') f += 0.5 * beta * sq(rowSumsW) + 0.5 * eta * sq(H.data);
  if (sparseness === 'components') f += 0.5 * eta * sq(W.data) + 0.5 * beta * sq(colSumsH);
  return f;
}

function dense(X: MatrixFixture): DenseFixture {
  if (!('indptr' in X)) return X;
  const data = new Array<number>(X.rows * X.cols).fill(0);
  for (let i = 0; i < X.rows; i++) for (let p = X.indptr[i]; p < X.indptr[i + 1]; p++) data[i * X.cols + X.indices[p]] = X.data[p];
  return { rows: X.rows, cols: X.cols, data };
}

describe.each(['software', 'hardware'] as const)("solver 'pg' on WebGPU (%s plan) matches scikit-learn 0.18 (port)", (gpuProfile) => {
  const cases = GPU_CASES.map((name) => {
    const c = pgCases.find((x) => x.name === name);
    if (!c) throw new Error(`no pg case ${name}`);
    return c;
  });

  it('the GPU subset covers what the fixtures cover', () => {
    const o = cases.map((c) => c.options);
    expect(o.some((x) => x.sparseness === 'data') && o.some((x) => x.sparseness === 'components')).toBe(true);
    expect(cases.some((c) => 'indptr' in c.X) && cases.some((c) => !('indptr' in c.X))).toBe(true);
    expect(o.some((x) => x.updateH === false) && o.some((x) => (x.alphaW ?? 0) > 0)).toBe(true);
    expect(cases.some((c) => c.expected.nlsLimitHits > 0)).toBe(true);
    expect(cases.some((c) => c.options.updateH !== false && c.expected.nIter < (c.options.maxIter ?? 200))).toBe(true);
    expect(cases.some((c) => c.expected.nIter === c.options.maxIter)).toBe(true);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (name, c) => {
    const got = await runPgCase(c, 'webgpu', { gpuProfile });
    expect(got.W.data, `${name}: float32 on WebGPU`).toBeInstanceOf(Float32Array);
    expect(relativeError(got.W, c.expected.W), `${name}: W`).toBeLessThan(1e-3);
    expect(relativeError(got.H, c.expected.H), `${name}: H`).toBeLessThan(1e-3);
    const f = objective(c, got.W, got.H);
    expect(Math.abs(f - c.expected.objective) / c.expected.objective, `${name}: objective`).toBeLessThan(1e-4);
    expect(Math.abs(got.nIter - c.expected.nIter), `${name}: nIter ${got.nIter} vs ${c.expected.nIter}`).toBeLessThanOrEqual(Math.max(1, Math.floor(0.1 * c.expected.nIter)));
    expect(got.warnings.filter((w) => w.message === NLS_WARNING).length, `${name}: nls warning`).toBe(c.expected.nlsLimitHits > 0 ? 1 : 0);
  });

  it("a 'pg' fit on the caller's device leaves no buffer behind", async () => {
    const device = await testDevice();
    const c = pgCases.find((x) => x.name === 'pg-nls-limit-dense')!;
    const got = await runPgCase(c, 'webgpu', { device, gpuProfile });
    expect(relativeError(got.W, c.expected.W)).toBeLessThan(1e-3);
    expect(liveBufferCount(device)).toBe(0);
    device.destroy();
  });
});

describe.each(['software', 'hardware'] as const)("solver 'pg': WebGPU plan (%s kernels) against the CPU plan, beyond the fixtures' sizes", (gpuProfile) => {
  // Every fixture fits in one 64-thread workgroup per dispatch; here W has 150 rows and H 90 columns
  // (several workgroups, so several partials per sum), and dense X is split into row blocks.
  const options = (updateH: boolean, progress: number[]): SolverOptions => ({
    // with updateH: false, tol is an absolute bound on ‖P[∇W]‖: 1e-4 is below the float32 rounding of
    // this problem's gradient (~1e-7·‖XHᵀ‖ per entry), so the GPU would iterate on rounding noise
    maxIter: 4, tol: updateH ? 1e-4 : 1e-2, reg: { l1W: 0.01, l1H: 0.02, l2W: 0.03, l2H: 0 }, updateH, checkEvery: 1, verbose: 0,
    shuffle: false, randomState: null, signal: null, onProgress: (p) => progress.push(p.violation ?? p.iteration), log: () => {},
  });
  const settings = (sparseness: PgSettings['sparseness']): PgSettings => ({ nlsMaxIter: 60, sparseness, beta: 0.5, eta: 0.2, warn: () => {} });

  /** The fit, and what it reported: the projected-gradient ratio of each outer iteration (updateH: false: nIter). */
  async function fitOn(backend: Backend, problem: FitProblem, updateH: boolean, s: PgSettings) {
    const plan = await backend.createFit(problem);
    const progress: number[] = [];
    try {
      const nIter = await fitProjectedGradient(plan, options(updateH, progress), s);
      return { nIter, progress, ...(await plan.read()) };
    } finally {
      plan.destroy();
    }
  }

  it.each([
    ['dense X in row blocks, sparseness data', false, 'data', true],
    ['CSR X, sparseness components', true, 'components', true],
    ['dense X, updateH false', false, null, false],
  ] as const)('%s', async (_, sparse, sparseness, updateH) => {
    const device = await testDevice();
    const n = 90;
    const gpu = await createWebGPUBackend({ device, maxBindingSize: 64 * n * 4, gpuProfile });
    try {
      const problem = makeProblem({ m: 150, n, k: 5, beta: 2, sparse, updateH, seed: 11 });
      const s = settings(sparseness);
      const ref = await fitOn(new CpuBackend(), problem, updateH, s);
      const got = await withValidation(device, () => fitOn(gpu, problem, updateH, s));
      expect(relativeError(got.W, ref.W)).toBeLessThan(1e-3);
      expect(relativeError(got.H, ref.H)).toBeLessThan(1e-3);
      expect(got.nIter).toBe(ref.nIter);
      // the sums over workgroups, read back: the outer rule's projected-gradient ratios agree too
      expect(got.progress.length).toBe(ref.progress.length);
      got.progress.forEach((v, i) => expect(Math.abs(v - ref.progress[i]) / ref.progress[i], `progress ${i}`).toBeLessThan(1e-3));
    } finally {
      gpu.dispose();
      device.destroy();
    }
  });
});
