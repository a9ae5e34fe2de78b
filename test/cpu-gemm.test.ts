// The float64 CPU products (src/backend/cpu/gemm.ts) against naive triple loops: every shape with
// m, n, k in 1..9 (all row, component and odd-length tails), a few larger ones, subarray views at
// offsets, atbAdd's accumulation, and the plain-JS fallback through the same cases.

import { readFileSync } from 'node:fs';
import wabt from 'wabt';
import { afterEach, describe, expect, it } from 'vitest';
import { GEMM_WASM_BASE64 } from '../src/backend/cpu/gemm-wasm.js';
import { ab, abt, atbAdd, createWorkspace, forceJsKernels, workspaceLength } from '../src/backend/cpu/gemm.js';

/** Allowed error relative to Σ|aᵢ·bᵢ| of each entry (a bound that holds under cancellation too). */
const REL_TOL = 1e-12;

const SMALL = [1, 2, 3, 4, 5, 6, 7, 8, 9];
const LARGE: [number, number, number][] = [[37, 53, 5], [64, 1000, 20], [130, 257, 19], [3, 2001, 7]];

let seed = 12345;
/** Deterministic values in [−1, 1), so sums cancel. */
const random = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
const fillRandom = (a: Float64Array): Float64Array => {
  for (let i = 0; i < a.length; i++) a[i] = random();
  return a;
};

type Kernel = 'abt' | 'ab' | 'atbAdd';

/**
 * Naive product of kernel's shape: `[value, magnitude]` arrays where value[e] = Σ a·b and
 * magnitude[e] = Σ |a·b| over the terms of entry e (atbAdd's value includes the initial C).
 */
function naive(kernel: Kernel, A: Float64Array, B: Float64Array, C0: Float64Array, d1: number, d2: number, d3: number) {
  const value = new Float64Array(C0.length), magnitude = new Float64Array(C0.length);
  if (kernel === 'abt') { // m, n, k
    const [m, n, k] = [d1, d2, d3];
    for (let i = 0; i < m; i++)
      for (let r = 0; r < k; r++)
        for (let j = 0; j < n; j++) {
          value[i * k + r] += A[i * n + j] * B[r * n + j];
          magnitude[i * k + r] += Math.abs(A[i * n + j] * B[r * n + j]);
        }
  } else if (kernel === 'ab') { // m, k, n
    const [m, k, n] = [d1, d2, d3];
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++)
        for (let r = 0; r < k; r++) {
          value[i * n + j] += A[i * k + r] * B[r * n + j];
          magnitude[i * n + j] += Math.abs(A[i * k + r] * B[r * n + j]);
        }
  } else { // m, k, n
    const [m, k, n] = [d1, d2, d3];
    value.set(C0);
    for (let e = 0; e < C0.length; e++) magnitude[e] = Math.abs(C0[e]);
    for (let r = 0; r < k; r++)
      for (let j = 0; j < n; j++)
        for (let i = 0; i < m; i++) {
          value[r * n + j] += A[i * k + r] * B[i * n + j];
          magnitude[r * n + j] += Math.abs(A[i * k + r] * B[i * n + j]);
        }
  }
  return { value, magnitude };
}

/** [A, B, C] lengths for a kernel's dimensions, in its argument order. */
function lengths(kernel: Kernel, d1: number, d2: number, d3: number): [number, number, number] {
  if (kernel === 'abt') return [d1 * d2, d3 * d2, d1 * d3];
  if (kernel === 'ab') return [d1 * d2, d2 * d3, d1 * d3];
  return [d1 * d2, d1 * d3, d2 * d3];
}

const run = { abt, ab, atbAdd };

/**
 * Runs `kernel` on fresh random arrays in a workspace; each array is a view `pad` doubles into a
 * larger allocation whose surrounding guard values must survive. Returns the worst error / bound.
 */
function check(kernel: Kernel, d1: number, d2: number, d3: number, pad = 0): number {
  const [la, lb, lc] = lengths(kernel, d1, d2, d3);
  const guard = 3;
  const ws = createWorkspace(workspaceLength([la, lb, lc].map((l) => l + pad + guard)));
  const [A, B, C] = [la, lb, lc].map((l) => fillRandom(ws.alloc(l + pad + guard)).subarray(pad, pad + l));
  const C0 = C.slice();
  const guards = [A, B, C].map((v) => new Float64Array(v.buffer, v.byteOffset - pad * 8, v.length + pad + guard).slice());
  const { value, magnitude } = naive(kernel, A, B, C0, d1, d2, d3);
  run[kernel](A, B, C, d1, d2, d3);
  let worst = 0;
  for (let e = 0; e < lc; e++) {
    const bound = REL_TOL * magnitude[e] + Number.MIN_VALUE;
    worst = Math.max(worst, Math.abs(C[e] - value[e]) / bound);
  }
  // Nothing outside C's view changed, and A, B are untouched.
  let stray = 0;
  [A, B, C].forEach((v, which) => {
    const whole = new Float64Array(v.buffer, v.byteOffset - pad * 8, v.length + pad + guard);
    for (let e = 0; e < whole.length; e++) {
      const insideC = which === 2 && e >= pad && e < pad + v.length;
      if (!insideC && !Object.is(whole[e], guards[which][e])) stray++;
    }
  });
  expect(stray, `${kernel} ${d1}×${d2}×${d3}: elements written outside C`).toBe(0);
  return worst;
}

const shapes: [number, number, number][] = [];
for (const a of SMALL) for (const b of SMALL) for (const c of SMALL) shapes.push([a, b, c]);

describe.each([
  ['WASM SIMD', false],
  ['plain JS', true],
])('%s kernels', (_name, js) => {
  afterEach(() => forceJsKernels(false));
  const setup = () => forceJsKernels(js);

  it('runs on this host as expected', () => {
    expect(createWorkspace(2).simd).toBe(true); // Node 20 has WASM SIMD; without it every case below is JS
  });

  for (const kernel of ['abt', 'ab', 'atbAdd'] as const) {
    it(`${kernel}: every shape with dimensions 1..9`, () => {
      setup();
      for (const [a, b, c] of shapes) expect(check(kernel, a, b, c), `${kernel} ${a}×${b}×${c}`).toBeLessThanOrEqual(1);
    });

    it(`${kernel}: larger shapes`, () => {
      setup();
      for (const [a, b, c] of LARGE) expect(check(kernel, a, b, c), `${kernel} ${a}×${b}×${c}`).toBeLessThanOrEqual(1);
    });

    it(`${kernel}: subarray views at even and odd offsets`, () => {
      setup();
      for (const pad of [1, 2, 5]) {
        for (const [a, b, c] of [[5, 7, 3], [4, 9, 2], [37, 53, 5]] as const) {
          expect(check(kernel, a, b, c, pad), `${kernel} ${a}×${b}×${c} at +${pad}`).toBeLessThanOrEqual(1);
        }
      }
    });

    it(`${kernel}: zero-sized dimensions are no-ops on empty products`, () => {
      setup();
      for (const [a, b, c] of [[0, 3, 4], [3, 0, 4], [3, 4, 0]] as const) {
        expect(check(kernel, a, b, c), `${kernel} ${a}×${b}×${c}`).toBe(0);
      }
    });
  }

  it('atbAdd accumulates over row blocks to the product of the whole', () => {
    setup();
    const [m, k, n] = [203, 20, 131];
    const ws = createWorkspace(workspaceLength([m * k, m * n, k * n, k * n]));
    const [A, B, whole, blocked] = [m * k, m * n, k * n, k * n].map((l) => ws.alloc(l));
    fillRandom(A), fillRandom(B);
    atbAdd(A, B, whole, m, k, n);
    for (let i0 = 0; i0 < m; i0 += 64) {
      const i1 = Math.min(m, i0 + 64);
      atbAdd(A.subarray(i0 * k, i1 * k), B.subarray(i0 * n, i1 * n), blocked, i1 - i0, k, n);
    }
    const { value, magnitude } = naive('atbAdd', A, B, new Float64Array(k * n), m, k, n);
    for (let e = 0; e < k * n; e++) {
      expect(Math.abs(blocked[e] - value[e])).toBeLessThanOrEqual(REL_TOL * magnitude[e]);
      expect(Math.abs(whole[e] - value[e])).toBeLessThanOrEqual(REL_TOL * magnitude[e]);
    }
  });
});

describe('dispatch and workspace', () => {
  it('arrays outside a workspace use the JS loops and agree with the WASM result', () => {
    const [m, n, k] = [13, 29, 6];
    const ws = createWorkspace(workspaceLength([m * n, k * n, m * k]));
    const [A, B, C] = [m * n, k * n, m * k].map((l) => fillRandom(ws.alloc(l)));
    abt(A, B, C, m, n, k);
    const plain = new Float64Array(m * k);
    abt(A.slice(), B.slice(), plain, m, n, k);
    const { magnitude } = naive('abt', A, B, C, m, n, k);
    for (let e = 0; e < m * k; e++) expect(Math.abs(plain[e] - C[e])).toBeLessThanOrEqual(2 * REL_TOL * magnitude[e]);
  });

  it('alloc returns zero-filled, 16-byte aligned, non-overlapping views and refuses to overflow', () => {
    const sizes = [3, 1, 8, 5];
    const ws = createWorkspace(workspaceLength(sizes));
    const views = sizes.map((l) => ws.alloc(l));
    for (const [v, view] of views.entries()) {
      expect(view.length).toBe(sizes[v]);
      expect(view.byteOffset % 16).toBe(0);
      expect(view.every((x) => x === 0)).toBe(true);
      if (v > 0) expect(view.byteOffset).toBeGreaterThanOrEqual(views[v - 1].byteOffset + 8 * sizes[v - 1]);
    }
    expect(() => ws.alloc(1)).toThrow(RangeError);
  });

  it('rejects arrays shorter than their dimensions', () => {
    const ws = createWorkspace(workspaceLength([6, 6, 3]));
    const [A, B, C] = [6, 6, 3].map((l) => ws.alloc(l));
    expect(() => abt(A, B, C, 2, 3, 2)).toThrow(/C has 3 elements, needs 4/);
    expect(() => ab(A, B, C, 2, 3, 2)).toThrow(/C has 3 elements, needs 4/);
  });
});

describe('gemm-wasm.ts', () => {
  it('is up to date with gemm.wat (npm run build:wasm)', async () => {
    const source = readFileSync(new URL('../src/backend/cpu/gemm.wat', import.meta.url), 'utf8');
    const module = (await wabt()).parseWat('gemm.wat', source, { simd: true });
    try {
      module.resolveNames();
      module.validate();
      const { buffer } = module.toBinary({ write_debug_names: false });
      expect(Buffer.from(buffer).toString('base64')).toBe(GEMM_WASM_BASE64);
    } finally {
      module.destroy();
    }
  });
});
