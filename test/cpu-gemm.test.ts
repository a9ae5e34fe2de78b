// The CPU backend's dense products (src/backend/cpu/gemm.ts) against naive triple loops: every shape with
// m, n, k in 1..9 (all row, component and odd-length tails), a few larger ones, subarray views at
// offsets, atbAdd's accumulation, and the plain-JS fallback through the same cases. Then the
// elementwise KL / IS terms, and the worker threads: every kernel split among 2 and 3 threads gives
// bit-for-bit the result of one; the same kernels in float32 (f32x4) within float32 rounding; and KL's
// blocked W terms (ab storing X / WH directly) against the kernels run one after another, bit for bit;
// the γ = 1 update (muApply) against the JS loop (float64) and float32 arithmetic (float32).

import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { EPSILON } from '../src/numerics.js';
import {
  ab, abt, allocateArrays, atbAdd, createWorkspace, forceJsKernels, ratio, ratioSq, reciprocal, releaseIdleMemory, setMinShareWork,
  workerChunks, workspaceLength,
} from '../src/backend/cpu/gemm.js';
import { muBlockSpecs, muTermsW } from '../src/backend/cpu/mu-blocks.js';
import { applyUpdate } from '../src/backend/cpu/mu-terms.js';

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

describe('elementwise terms (ratio, ratioSq, reciprocal)', () => {
  afterEach(() => forceJsKernels(false));
  const LENGTHS = [0, 1, 2, 3, 7, 8, 9, 31, 64, 257, 1001];

  /** Inputs of one case: zeros in X, and in WH (where the guard applies), values spanning 1e-300..10. */
  function inputs(len: number): { x: number[]; wh: number[] } {
    const x = Array.from({ length: len }, (_, q) => (q % 5 === 0 ? 0 : Math.abs(random()) * 10));
    const wh = Array.from({ length: len }, (_, q) => (q % 3 === 1 ? 0 : Math.abs(random()) * 10 + 1e-300));
    return { x, wh };
  }
  const guarded = (w: number): number => (w === 0 ? EPSILON : w);
  const expected = {
    ratio: (x: number, w: number) => x / guarded(w),
    ratioSq: (x: number, w: number) => (1 / guarded(w)) * (1 / guarded(w)) * x,
    reciprocal: (_x: number, w: number) => 1 / guarded(w),
  };
  const call = {
    ratio: (X: Float64Array, WH: Float64Array, V: Float64Array, len: number) => ratio(X, WH, V, len),
    ratioSq: (X: Float64Array, WH: Float64Array, V: Float64Array, len: number) => ratioSq(X, WH, V, len),
    reciprocal: (_X: Float64Array, WH: Float64Array, V: Float64Array, len: number) => reciprocal(WH, V, len),
  };
  const SENTINEL = -7;
  const GUARD = 3;

  for (const kernel of ['ratio', 'ratioSq', 'reciprocal'] as const) {
    it(`${kernel}: WASM and JS agree bit for bit with the formula, zeros in WH guarded, odd lengths and offsets`, () => {
      for (const len of LENGTHS) {
        for (const pad of [0, 1]) {
          const { x, wh } = inputs(len);
          const outputs = [false, true].map((js) => {
            const ws = createWorkspace(workspaceLength([0, 1, 2].map(() => len + pad + GUARD)), { threads: 1 });
            const [X, WH, V] = [0, 1, 2].map(() => ws.alloc(len + pad + GUARD).fill(SENTINEL).subarray(pad, pad + len));
            X.set(x);
            WH.set(wh);
            forceJsKernels(js);
            call[kernel](X, WH, V, len);
            forceJsKernels(false);
            const whole = new Float64Array(V.buffer, V.byteOffset - pad * 8, len + pad + GUARD);
            const outside = [...whole.subarray(0, pad), ...whole.subarray(pad + len)];
            expect(outside, `${kernel} len ${len}: written outside V`).toEqual(Array(pad + GUARD).fill(SENTINEL));
            for (let q = 0; q < len; q++) expect(V[q], `${kernel} len ${len} [${q}]`).toBe(expected[kernel](x[q], wh[q]));
            return V.slice();
          });
          expect(bits(outputs[0]), `${kernel} len ${len} +${pad}: WASM vs JS`).toEqual(bits(outputs[1]));
        }
      }
    });
  }

  it('WH == 0 gives finite terms (EPSILON, not a division by zero)', () => {
    const ws = createWorkspace(workspaceLength([3, 3, 3]), { threads: 1 });
    const [X, WH, V] = [ws.alloc(3), ws.alloc(3), ws.alloc(3)];
    X.set([1, 0, 2]);
    ratio(X, WH, V, 3);
    expect([...V]).toEqual([1 / EPSILON, 0, 2 / EPSILON]);
    reciprocal(WH, V, 3);
    expect([...V]).toEqual([1 / EPSILON, 1 / EPSILON, 1 / EPSILON]);
  });
});

/** The bit patterns of a float64 array, so toEqual tells −0 from 0 and compares NaNs. */
const bits = (a: Float64Array): BigInt64Array => new BigInt64Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));

/** The first index where two float64 arrays differ in bits (or length), else −1; quicker than toEqual on long arrays. */
function firstBitDifference(a: Float64Array, b: Float64Array): number {
  const [x, y] = [bits(a), bits(b)];
  if (x.length !== y.length) return Math.min(x.length, y.length);
  return x.findIndex((v, i) => v !== y[i]);
}

describe('worker threads', () => {
  afterEach(() => setMinShareWork());

  const SHAPES: [number, number, number][] = [];
  for (const m of [1, 3, 4, 5, 8, 13, 17, 64, 67]) for (const n of [1, 2, 7, 16, 33, 130]) for (const k of [1, 2, 5, 20]) SHAPES.push([m, n, k]);
  SHAPES.push([203, 1001, 20], [64, 257, 19], [9, 2050, 3]);
  const MAX_ELEMENTS = 203 * 1001;
  const NAMES = ['A', 'B', 'Ck', 'Wn', 'Acc', 'Acc2', 'elems', 'out'] as const;

  /** Per thread count, one workspace with an array of MAX_ELEMENTS per name, cut to each shape's sizes. */
  const arenas = new Map<number, Promise<Record<(typeof NAMES)[number], Float64Array>>>();
  const arena = (threads: number) => {
    if (!arenas.has(threads)) {
      arenas.set(threads, (async () => {
        const ws = createWorkspace(workspaceLength(NAMES.map(() => MAX_ELEMENTS)), { threads });
        expect(ws.threads).toBe(threads); // Node always has worker_threads and shared memory
        await ws.ready();
        return Object.fromEntries(NAMES.map((name) => [name, ws.alloc(MAX_ELEMENTS)])) as Record<(typeof NAMES)[number], Float64Array>;
      })());
    }
    return arenas.get(threads)!;
  };

  /** Every kernel on one set of inputs, on `threads` threads, each call split as finely as allowed. */
  async function runAll(threads: number, [m, n, k]: [number, number, number], inputSeed: number): Promise<Float64Array[]> {
    const whole = await arena(threads);
    const sizes = { A: m * n, B: k * n, Ck: m * k, Wn: m * n, Acc: k * n, Acc2: k * k, elems: m * n, out: m * n };
    const a = Object.fromEntries(NAMES.map((name) => [name, whole[name].subarray(0, sizes[name])])) as typeof whole;
    seed = inputSeed;
    for (const x of [a.A, a.B, a.Ck, a.Acc, a.Acc2]) fillRandom(x);
    for (let q = 0; q < m * n; q++) a.elems[q] = q % 7 === 3 ? 0 : Math.abs(a.A[q]);
    const results: Float64Array[] = [];
    setMinShareWork(0);
    abt(a.A, a.B, a.Ck, m, n, k); // C[m×k] = A·Bᵀ
    results.push(a.Ck.slice());
    ab(a.Ck, a.B, a.Wn, m, k, n); // [m×n] = C·B
    results.push(a.Wn.slice());
    atbAdd(a.Ck, a.A, a.Acc, m, k, n); // Acc[k×n] += Cᵀ·A, onto random values
    results.push(a.Acc.slice());
    atbAdd(a.Ck, a.Ck, a.Acc2, m, k, k);
    results.push(a.Acc2.slice());
    for (const kernel of [ratio, ratioSq]) {
      kernel(a.A, a.elems, a.out, m * n);
      results.push(a.out.slice());
    }
    reciprocal(a.elems, a.out, m * n);
    results.push(a.out.slice());
    setMinShareWork();
    return results;
  }

  it('split among 2 and 3 threads, every kernel gives the bits of 1 thread (many shapes, all tails)', async () => {
    const before = workerChunks();
    for (const [s, shape] of SHAPES.entries()) {
      const [one, two, three] = [await runAll(1, shape, 100 + s), await runAll(2, shape, 100 + s), await runAll(3, shape, 100 + s)];
      for (const [r, reference] of one.entries()) {
        expect(firstBitDifference(two[r], reference), `result ${r} of ${shape.join('×')}, 2 threads`).toBe(-1);
        expect(firstBitDifference(three[r], reference), `result ${r} of ${shape.join('×')}, 3 threads`).toBe(-1);
      }
    }
    expect(workerChunks(), 'worker threads ran chunks').toBeGreaterThan(before);
  });

  it('splits a large call at the default threshold, with the right result', async () => {
    const [m, n, k] = [256, 1000, 20];
    const ws = createWorkspace(workspaceLength([m * n, k * n, m * k]), { threads: 2 });
    await ws.ready();
    const [A, B, C] = [m * n, k * n, m * k].map((l) => fillRandom(ws.alloc(l)));
    // 5.1 M multiply-adds. A worker may wake too late to claim a chunk of one call (the caller
    // then runs them all), or find no free core while the test files run side by side: call again
    // until it has run one (each call assigns the same C).
    const before = workerChunks();
    for (let call = 0; call < 100 && workerChunks() === before; call++) abt(A, B, C, m, n, k);
    expect(workerChunks(), 'a worker ran chunks within 100 calls').toBeGreaterThan(before);
    const { value, magnitude } = naive('abt', A, B, C, m, n, k);
    for (let e = 0; e < m * k; e++) expect(Math.abs(C[e] - value[e])).toBeLessThanOrEqual(REL_TOL * magnitude[e]);
    ws.destroy();
  });

  it('threads option: validated, reported; destroy() is safe twice, and views of a released memory still compute (on the calling thread)', async () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => createWorkspace(8, { threads: bad })).toThrow(/threads must be a positive integer/);
    }
    expect(createWorkspace(8, { threads: 1 }).threads).toBe(1);
    const ws = createWorkspace(workspaceLength([64 * 100, 20 * 100, 64 * 20]), { threads: 2 });
    expect(ws.threads).toBe(2); // Node always has worker_threads and shared memory
    await ws.ready();
    const [A, B, C] = [64 * 100, 20 * 100, 64 * 20].map((l) => fillRandom(ws.alloc(l)));
    setMinShareWork(0);
    abt(A, B, C, 64, 100, 20);
    const threaded = C.slice();
    ws.destroy();
    ws.destroy();
    releaseIdleMemory(); // the pool lets go of the memory: its workers end
    C.fill(0);
    abt(A, B, C, 64, 100, 20); // on the calling thread alone now
    expect(bits(C)).toEqual(bits(threaded));
    await ws.ready(); // resolves after destroy too
  });

  it('workers never keep a Node process alive', () => {
    const script = `
      import { abt, createWorkspace } from ${JSON.stringify(new URL('../src/backend/cpu/gemm.ts', import.meta.url).pathname)};
      const ws = createWorkspace(100000, { threads: 2 });
      await ws.ready();
      const [A, B, C] = [40000, 20000, 800].map((l) => ws.alloc(l).fill(1));
      abt(A, B, C, 40, 1000, 20);
      console.log(C[0]);`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(out.trim()).toBe('1000');
  });
});

describe('float32 kernels (f32x4)', () => {
  afterEach(() => {
    forceJsKernels(false);
    setMinShareWork();
  });
  const EPS32 = 2 ** -24;
  const run32 = { abt, ab, atbAdd };

  /** The kernel on float32 copies of random inputs: the worst |C − exact| / (terms·ε₃₂·Σ|a·b|) and the output. */
  function check32(kernel: Kernel, d1: number, d2: number, d3: number, threads = 1): { worst: number; C: Float32Array } {
    const [la, lb, lc] = lengths(kernel, d1, d2, d3);
    const { ws, arrays } = allocateArrays({ A: ['f32', la], B: ['f32', lb], C: ['f32', lc] }, { threads });
    const { A, B, C } = arrays;
    for (const x of [A, B, C]) for (let i = 0; i < x.length; i++) x[i] = random();
    const C0 = Float64Array.from(C);
    const { value, magnitude } = naive(kernel, Float64Array.from(A), Float64Array.from(B), C0, d1, d2, d3);
    run32[kernel](A, B, C, d1, d2, d3);
    const terms = (kernel === 'abt' ? d2 : kernel === 'ab' ? d2 : d1) + 1;
    let worst = 0;
    for (let e = 0; e < lc; e++) worst = Math.max(worst, Math.abs(C[e] - value[e]) / (2 * terms * EPS32 * magnitude[e] + Number.MIN_VALUE));
    const out = C.slice();
    ws.destroy();
    return { worst, C: out };
  }

  for (const kernel of ['abt', 'ab', 'atbAdd'] as const) {
    it(`${kernel}: every shape with dimensions 1..9 and larger ones, within float32 rounding`, () => {
      for (const [a, b, c] of [...shapes, ...LARGE]) expect(check32(kernel, a, b, c).worst, `${kernel} ${a}×${b}×${c}`).toBeLessThanOrEqual(1);
    });
  }

  it('split among 2 and 3 threads, every kernel gives the bits of 1 thread', async () => {
    setMinShareWork(0);
    for (const kernel of ['abt', 'ab', 'atbAdd'] as const) {
      for (const [a, b, c] of [[67, 130, 20], [9, 2050, 3], [203, 1001, 7]] as const) {
        seed = a * b;
        const one = check32(kernel, a, b, c, 1).C;
        for (const threads of [2, 3]) {
          seed = a * b;
          expect(Array.from(check32(kernel, a, b, c, threads).C), `${kernel} ${a}×${b}×${c}, ${threads} threads`).toEqual(Array.from(one));
        }
      }
    }
  });

  it('ratio, ratioSq, reciprocal: float32 arithmetic bit for bit, zeros guarded, every tail', () => {
    const f = Math.fround;
    const g = (w: number) => (w === 0 ? f(EPSILON) : w);
    for (const len of [0, 1, 2, 3, 4, 5, 7, 8, 9, 17, 1001]) {
      const { ws, arrays } = allocateArrays({ X: ['f32', len], WH: ['f32', len], V: ['f32', len], D: ['f32', len] });
      for (let q = 0; q < len; q++) [arrays.X[q], arrays.WH[q]] = [q % 5 === 0 ? 0 : random() * 10, q % 3 === 1 ? 0 : random() * 10];
      const { X, WH, V, D } = arrays;
      ratio(X, WH, V, len);
      for (let q = 0; q < len; q++) expect(V[q], `ratio len ${len} [${q}]`).toBe(f(X[q] / g(WH[q])));
      ratioSq(X, WH, V, len);
      for (let q = 0; q < len; q++) expect(V[q], `ratioSq len ${len} [${q}]`).toBe(f(f(f(1 / g(WH[q])) * f(1 / g(WH[q]))) * X[q]));
      reciprocal(WH, D, len);
      for (let q = 0; q < len; q++) expect(D[q], `reciprocal len ${len} [${q}]`).toBe(f(1 / g(WH[q])));
      ws.destroy();
    }
  });
});

describe("KL's terms by blocks (mu-blocks.ts): ab forms X / WH as it stores", () => {
  afterEach(() => setMinShareWork());

  it.each(['f64', 'f32'] as const)('%s: muTermsW gives the bits of ab, then ratio, then abt, block by block, on 1 and 2 threads', async (kind) => {
    for (const [m, n, k, br] of [[37, 53, 5, 8], [9, 7, 3, 4], [64, 130, 20, 16], [5, 1, 1, 2]] as const) {
      for (const threads of [1, 2]) {
        setMinShareWork(threads === 1 ? undefined : 0);
        const { ws, arrays: a } = allocateArrays({
          X: [kind, m * n], W: [kind, m * k], H: [kind, k * n], num: [kind, m * k], den: [kind, m * k], want: [kind, m * k], WH: [kind, br * n],
          ...muBlockSpecs(m, n, k, br, 1, kind),
        }, { threads });
        await ws.ready();
        for (const x of [a.X, a.W, a.H]) for (let i = 0; i < x.length; i++) x[i] = Math.abs(random());
        for (let i = 0; i < m * n; i += 7) a.X[i] = 0;
        a.W.fill(0, 0, k); // a row of W·H that is all zeros: the EPSILON guard
        for (let i0 = 0; i0 < m; i0 += br) {
          const rows = Math.min(br, m - i0), WH = a.WH.subarray(0, rows * n);
          ab(a.W.subarray(i0 * k, (i0 + rows) * k), a.H, WH, rows, k, n);
          ratio(a.X.subarray(i0 * n, (i0 + rows) * n), WH, WH, rows * n);
          abt(WH, a.H, a.want.subarray(i0 * k, (i0 + rows) * k), rows, n, k);
        }
        muTermsW(a.X, a.W, a.H, a.num, a.den, m, n, k, 1, br, { blocks: a.blocks, partialNum: a.partialNum, partialDen: a.partialDen });
        expect(Array.from(a.num), `${m}×${n}×${k} in blocks of ${br}, ${threads} threads`).toEqual(Array.from(a.want));
        ws.destroy();
      }
    }
  });
});

describe('the multiplicative update (applyUpdate, γ = 1) in WebAssembly', () => {
  const EPS = EPSILON;
  it.each([[0, 0], [0.3, 0], [0, 0.2], [0.3, 0.2]])('l1 %s, l2 %s: float64 bits of the JS loop, float32 arithmetic for float32, every tail', (l1, l2) => {
    const f = Math.fround;
    for (const len of [0, 1, 2, 3, 4, 5, 7, 9, 33]) {
      const { ws, arrays } = allocateArrays({ A: ['f64', len], num: ['f64', len], den: ['f64', len], A32: ['f32', len], num32: ['f32', len], den32: ['f32', len] });
      for (let q = 0; q < len; q++) {
        arrays.A[q] = arrays.A32[q] = Math.abs(random());
        arrays.num[q] = arrays.num32[q] = Math.abs(random());
        arrays.den[q] = arrays.den32[q] = q % 3 === 0 ? 0 : Math.abs(random());
      }
      const [A, num, den] = [arrays.A, arrays.num, arrays.den].map((a) => Float64Array.from(a)); // outside the workspace: JS
      applyUpdate(A, num, den, { l1, l2, gamma: 1 });
      applyUpdate(arrays.A, arrays.num, arrays.den, { l1, l2, gamma: 1 });
      expect(Array.from(arrays.A), `len ${len}`).toEqual(Array.from(A));
      const want32 = Array.from(arrays.A32, (a, q) => {
        let d = arrays.den32[q];
        if (l1 > 0) d = f(d + f(l1));
        if (l2 > 0) d = f(d + f(f(l2) * a));
        if (d === 0) d = f(EPS);
        return f(a * f(arrays.num32[q] / d));
      });
      applyUpdate(arrays.A32, arrays.num32, arrays.den32, { l1, l2, gamma: 1 });
      expect(Array.from(arrays.A32), `float32 len ${len}`).toEqual(want32);
      ws.destroy();
    }
  });
});
