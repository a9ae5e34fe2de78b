// The CPU backend's sparse products (src/backend/cpu/sparse.ts), HALS sweep and transpose
// (src/backend/cpu/hals.ts), float64 and float32, against references written here from the
// definitions (scipy's and numpy's summation orders, scikit-learn's _update_cdnmf_fast): the WASM
// kernels and the plain-JS fallbacks give the same bits, every width and tail; nothing is written
// outside the output; and split among 2 and 3 threads every kernel gives the bits of one thread.

import { afterEach, describe, expect, it } from 'vitest';
import { halsScratchSpecs, halsSweep, transpose, type Layout } from '../src/backend/cpu/hals.js';
import { fillSparse, gather, sampleDot, sparseSpecs, spmm } from '../src/backend/cpu/sparse.js';
import {
  allocateArrays, createWorkspace, forceJsKernels, plannedChunks, setMinShareWork, workerChunks, type FloatArray,
} from '../src/backend/cpu/workspace.js';
import type { CsrMatrix } from '../src/matrix/matrix.js';
import { nonNegativeFactorization } from '../src/index.js';

let seed = 4242;
const random = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;

type Kind = 'f64' | 'f32';
const KINDS: Kind[] = ['f64', 'f32'];
/** Rounds a JS number as the kind's arithmetic does. */
const rounder = (kind: Kind) => (kind === 'f32' ? Math.fround : (x: number) => x);

/** A random CSR matrix with about `density` of its entries stored, some rows and columns empty. */
function randomCsr(rows: number, cols: number, density: number): CsrMatrix {
  const indptr = new Int32Array(rows + 1), indices: number[] = [], data: number[] = [];
  for (let i = 0; i < rows; i++) {
    if (i % 7 !== 3) for (let j = 0; j < cols; j++) if (random() < density && j % 11 !== 5) indices.push(j), data.push(random() * 2);
    indptr[i + 1] = indices.length;
  }
  return { rows, cols, indptr, indices: Int32Array.from(indices), data: Float64Array.from(data) };
}

/** Bit patterns, so toEqual tells −0 from 0. */
const bits = (a: FloatArray): number[] => Array.from(a instanceof Float32Array ? new Uint32Array(a.buffer, a.byteOffset, a.length) : new BigUint64Array(a.buffer, a.byteOffset, a.length), Number);

const SENTINEL = -7;
const PAD = 5;

/** Workspace arrays of one kind, each padded with SENTINEL on both sides; `inner` gives the views. */
function arenaOf<N extends string>(kind: Kind, sizes: Record<N, number>, X: CsrMatrix | null, threads = 1) {
  const specs = Object.fromEntries(Object.entries(sizes).map(([name, len]) => [name, [kind, (len as number) + 2 * PAD]])) as Record<N, [Kind, number]>;
  const { ws, arrays } = allocateArrays({ ...specs, ...sparseSpecs(X, kind) }, { threads });
  const views = {} as Record<N, FloatArray>;
  for (const name of Object.keys(sizes) as N[]) {
    const whole = arrays[name] as FloatArray;
    whole.fill(SENTINEL);
    views[name] = whole.subarray(PAD, PAD + sizes[name]);
  }
  const sx = X ? fillSparse(X, arrays as never) : null;
  /** the padding around `name` still holds SENTINEL */
  const untouchedAround = (name: N) => {
    const whole = arrays[name] as FloatArray;
    return [...whole.subarray(0, PAD), ...whole.subarray(PAD + sizes[name])].every((v) => v === SENTINEL);
  };
  return { ws, views, sx, untouchedAround };
}

afterEach(() => {
  forceJsKernels(false);
  setMinShareWork();
});

describe.each(KINDS)('spmm (%s)', (kind) => {
  const round = rounder(kind);
  /** C = A·B with each element summed over the row's entries in order, one rounding per operation (scipy's csr_matvecs) */
  function reference(X: CsrMatrix, values: ArrayLike<number>, B: ArrayLike<number>, c: number): number[] {
    const C = new Array<number>(X.rows * c).fill(0);
    for (let i = 0; i < X.rows; i++)
      for (let t = 0; t < c; t++) {
        let s = 0;
        for (let p = X.indptr[i]; p < X.indptr[i + 1]; p++) s = round(s + round(values[p] * B[X.indices[p] * c + t]));
        C[i * c + t] = s;
      }
    return C;
  }
  const WIDTHS = [1, 2, 3, 4, 5, 7, 8, 9, 10, 16, 19, 20, 21, 24, 31, 40, 41, 45];

  for (const js of [false, true]) {
    it(`${js ? 'plain JS' : 'WASM'}: X·B and Xᵀ·B (CSC) bit for bit, every width of B, no stray writes`, () => {
      const X = randomCsr(37, 23, 0.3);
      for (const c of WIDTHS) {
        const { ws, views, sx, untouchedAround } = arenaOf(kind, { B: 23 * c, Bt: 37 * c, C: 37 * c, Ct: 23 * c }, X);
        for (const v of [views.B, views.Bt]) for (let q = 0; q < v.length; q++) v[q] = random();
        forceJsKernels(js);
        spmm(sx!.csr, sx!.csr.data, views.B, views.C, c);
        spmm(sx!.csc, sx!.csc.data, views.Bt, views.Ct, c);
        forceJsKernels(false);
        const typed = kind === 'f32' ? Float32Array : Float64Array;
        expect(bits(views.C), `X·B, c = ${c}`).toEqual(bits(typed.from(reference(X, sx!.csr.data, views.B, c))));
        // Xᵀ·B from the transpose written out as CSR
        const Xt = transposeCsr(X);
        expect(bits(views.Ct), `Xᵀ·B, c = ${c}`).toEqual(bits(typed.from(reference(Xt, Xt.data.map(round), views.Bt, c))));
        expect(untouchedAround('C') && untouchedAround('Ct'), `c = ${c}: written outside C`).toBe(true);
        ws.destroy();
      }
    });
  }
});

/** Xᵀ as CSR (rows of Xᵀ in column order, entries in X's row order). */
function transposeCsr(X: CsrMatrix): CsrMatrix {
  const rows: [number, number][][] = Array.from({ length: X.cols }, () => []);
  for (let i = 0; i < X.rows; i++) for (let p = X.indptr[i]; p < X.indptr[i + 1]; p++) rows[X.indices[p]].push([i, X.data[p]]);
  const indptr = new Int32Array(X.cols + 1);
  rows.forEach((r, j) => (indptr[j + 1] = indptr[j] + r.length));
  return { rows: X.cols, cols: X.rows, indptr, indices: Int32Array.from(rows.flat().map(([i]) => i)), data: Float64Array.from(rows.flat().map(([, v]) => v)) };
}

describe.each(KINDS)('sampleDot (%s)', (kind) => {
  const round = rounder(kind);
  /** numpy's pairwise_sum (loops_utils.h) of the products, written from its C source */
  function numpySum(a: number[]): number {
    const n = a.length;
    if (n < 8) {
      let res = 0;
      for (const x of a) res = round(res + x);
      return res;
    }
    if (n <= 128) {
      const r = a.slice(0, 8);
      let i = 8;
      for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] = round(r[j] + a[i + j]);
      let res = round(round(round(r[0] + r[1]) + round(r[2] + r[3])) + round(round(r[4] + r[5]) + round(r[6] + r[7])));
      for (; i < n; i++) res = round(res + a[i]);
      return res;
    }
    let n2 = Math.floor(n / 2);
    n2 -= n2 % 8;
    return round(numpySum(a.slice(0, n2)) + numpySum(a.slice(n2)));
  }

  for (const js of [false, true]) {
    it(`${js ? 'plain JS' : 'WASM'}: (W·H) at the entries as numpy sums np.multiply(W[i], Hᵀ[j]), every k`, () => {
      const X = randomCsr(19, 13, 0.4);
      for (const k of [1, 2, 3, 7, 8, 9, 15, 16, 17, 20, 24, 127, 128, 129, 200, 257]) {
        const nnz = X.indptr[X.rows];
        const { ws, views, sx, untouchedAround } = arenaOf(kind, { W: 19 * k, Ht: 13 * k, out: nnz }, X);
        for (const v of [views.W, views.Ht]) for (let q = 0; q < v.length; q++) v[q] = random();
        forceJsKernels(js);
        sampleDot(sx!.csr, views.W, views.Ht, views.out, k);
        forceJsKernels(false);
        const expected: number[] = [];
        for (let i = 0; i < X.rows; i++) {
          for (let p = X.indptr[i]; p < X.indptr[i + 1]; p++) {
            expected.push(numpySum(Array.from({ length: k }, (_, t) => round(views.W[i * k + t] * views.Ht[X.indices[p] * k + t]))));
          }
        }
        expect(bits(views.out), `k = ${k}`).toEqual(bits((kind === 'f32' ? Float32Array : Float64Array).from(expected)));
        expect(untouchedAround('out')).toBe(true);
        ws.destroy();
      }
    });
  }

  it('gather: values in CSR order → CSC order', () => {
    const X = randomCsr(11, 9, 0.5);
    const { ws, sx } = arenaOf(kind, {}, X);
    const expected = transposeCsr(X).data.map(round);
    expect(Array.from(sx!.csc.data)).toEqual(Array.from(expected));
    const again = new (kind === 'f32' ? Float32Array : Float64Array)(expected.length);
    gather(sx!.csc.perm, sx!.csr.data, again, again.length); // plain arrays: the JS loop
    expect(Array.from(again)).toEqual(Array.from(expected));
    ws.destroy();
  });
});

describe.each(KINDS)('halsSweep (%s)', (kind) => {
  const round = rounder(kind);
  /**
   * scikit-learn's _update_cdnmf_fast on F (rows × k, element (i, t) through `at`), XHt = G − l1:
   * components in order, rows inside, grad summed over r in order. Returns the violation.
   */
  function reference(F: number[], G: number[], M: number[], order: number[], rows: number, k: number, l1: number, at: (i: number, t: number) => number, atG: (i: number, t: number) => number): number {
    let violation = 0;
    for (const t of order) {
      const hess = M[t * k + t];
      for (let i = 0; i < rows; i++) {
        let grad = -round(G[atG(i, t)] - round(l1));
        for (let r = 0; r < k; r++) grad = round(grad + round(M[t * k + r] * F[at(i, r)]));
        const pg = F[at(i, t)] === 0 ? Math.min(0, grad) : grad;
        violation += Math.abs(pg);
        if (hess !== 0) F[at(i, t)] = Math.max(round(F[at(i, t)] - round(grad / hess)), 0);
      }
    }
    return violation;
  }

  const CASES: [number, number][] = [[1, 1], [5, 2], [63, 3], [64, 5], [65, 8], [130, 13], [200, 20], [7, 33]];
  for (const js of [false, true]) {
    for (const [Fl, Gl] of [['rows', 'rows'], ['components', 'components'], ['components', 'rows']] as const) {
      it(`${js ? 'plain JS' : 'WASM'}: F ${Fl}-major, G ${Gl}-major, as scikit-learn sweeps (zero Hessian, L1, padding blocks)`, () => {
        for (const [rows, k] of CASES) {
          const { ws, views, untouchedAround } = arenaOf(kind, { F: rows * k, G: rows * k, M: k * k }, null);
          const scratch = allocateArrays({ ...halsScratchSpecs(rows, k, kind, 1), order: ['i32', k] });
          const layout = (which: string): Layout => ({ ld: which === 'rows' ? 0 : rows });
          const at = (l: Layout) => (i: number, t: number) => (l.ld === 0 ? i * k + t : t * l.ld + i);
          for (let q = 0; q < rows * k; q++) {
            views.F[q] = q % 5 === 0 ? 0 : random();
            views.G[q] = random() * k;
          }
          for (let r = 0; r < k; r++) for (let s = 0; s <= r; s++) views.M[r * k + s] = views.M[s * k + r] = random() + (r === s ? 1 : 0);
          if (k > 2) views.M[1 * k + 1] = 0; // a component whose Hessian is 0 is never updated
          const order = Array.from({ length: k }, (_, t) => (t * 7 + 3) % k).filter((t, i, all) => all.indexOf(t) === i);
          for (let t = 0; t < k; t++) if (!order.includes(t)) order.push(t);
          scratch.arrays.order.set(order);
          const F0 = Array.from(views.F), expectedF = F0.slice();
          const expectedViolation = reference(expectedF, Array.from(views.G), Array.from(views.M), order, rows, k, 0.01, at(layout(Fl)), at(layout(Gl)));
          forceJsKernels(js);
          const violation = halsSweep(views.F, layout(Fl), views.G, layout(Gl), views.M, scratch.arrays.order, rows, k, 0.01, scratch.arrays);
          forceJsKernels(false);
          expect(bits(views.F), `${rows}×${k}`).toEqual(bits((kind === 'f32' ? Float32Array : Float64Array).from(expectedF)));
          expect(Math.abs(violation - expectedViolation), `${rows}×${k} violation`).toBeLessThanOrEqual((kind === 'f32' ? 1e-5 : 1e-13) * expectedViolation);
          expect(untouchedAround('F')).toBe(true);
          ws.destroy();
          scratch.ws.destroy();
        }
      });
    }
  }

  it('WASM and JS agree on the violation bit for bit (same blocks, same lanes)', () => {
    const [rows, k] = [150, 6];
    const out = [false, true].map((js) => {
      seed = 99;
      const { ws, views } = arenaOf(kind, { F: rows * k, G: rows * k, M: k * k }, null);
      const scratch = allocateArrays({ ...halsScratchSpecs(rows, k, kind, 1), order: ['i32', k] });
      for (let q = 0; q < rows * k; q++) [views.F[q], views.G[q]] = [random(), random() * 3];
      for (let q = 0; q < k * k; q++) views.M[q] = random();
      scratch.arrays.order.set([3, 1, 4, 0, 5, 2]);
      forceJsKernels(js);
      const v = halsSweep(views.F, { ld: 0 }, views.G, { ld: 0 }, views.M, scratch.arrays.order, rows, k, 0, scratch.arrays);
      forceJsKernels(false);
      ws.destroy();
      scratch.ws.destroy();
      return v;
    });
    expect(out[0]).toBe(out[1]);
  });

  it('transpose', () => {
    const { ws, views, untouchedAround } = arenaOf(kind, { A: 7 * 5, B: 5 * 7 }, null);
    for (let q = 0; q < 35; q++) views.A[q] = q;
    transpose(views.A, views.B, 7, 5);
    for (let r = 0; r < 7; r++) for (let c = 0; c < 5; c++) expect(views.B[c * 7 + r]).toBe(r * 5 + c);
    expect(untouchedAround('B')).toBe(true);
    ws.destroy();
  });
});

describe('worker threads', () => {
  /** Every kernel on one problem with `threads` threads, each call cut as finely as allowed; the outputs. */
  async function runAll(kind: Kind, threads: number, rows: number, cols: number, k: number): Promise<number[][]> {
    seed = 777 + rows;
    const X = randomCsr(rows, cols, 0.2);
    const nnz = X.indptr[rows];
    const { ws, views, sx } = arenaOf(kind, { W: rows * k, Ht: cols * k, XHt: rows * k, XtW: cols * k, sampled: nnz, M: k * k, G: rows * k }, X, threads);
    const scratch = allocateArrays({ ...halsScratchSpecs(rows, k, kind, plannedChunks({ threads })), order: ['i32', k] }, { threads });
    await ws.ready();
    for (const v of [views.W, views.Ht, views.G]) for (let q = 0; q < v.length; q++) v[q] = random();
    for (let r = 0; r < k; r++) for (let s = 0; s <= r; s++) views.M[r * k + s] = views.M[s * k + r] = random() + (r === s ? 2 : 0);
    scratch.arrays.order.set(Array.from({ length: k }, (_, t) => k - 1 - t));
    setMinShareWork(0);
    spmm(sx!.csr, sx!.csr.data, views.Ht, views.XHt, k);
    spmm(sx!.csc, sx!.csc.data, views.W, views.XtW, k);
    sampleDot(sx!.csr, views.W, views.Ht, views.sampled, k);
    const violation = halsSweep(views.W, { ld: 0 }, views.G, { ld: 0 }, views.M, scratch.arrays.order, rows, k, 0.1, scratch.arrays);
    setMinShareWork();
    const out = [views.XHt, views.XtW, views.sampled, views.W].map(bits);
    out.push([violation]);
    ws.destroy();
    scratch.ws.destroy();
    return out;
  }

  it.each(KINDS)('%s: split among 2 and 3 threads, every kernel gives the bits of 1 thread', async (kind) => {
    const before = workerChunks();
    for (const [rows, cols, k] of [[300, 90, 10], [513, 200, 20], [129, 1000, 7]] as const) {
      const one = await runAll(kind, 1, rows, cols, k);
      for (const threads of [2, 3]) {
        const many = await runAll(kind, threads, rows, cols, k);
        for (const [r, reference] of one.entries()) expect(many[r], `output ${r}, ${rows}×${cols} k ${k}, ${threads} threads`).toEqual(reference);
      }
    }
    expect(workerChunks(), 'worker threads ran chunks').toBeGreaterThan(before);
  });
});

describe('whole fits on the CPU backend', () => {
  /** W and H of a fit with every kernel call split among the threads, or none split. */
  async function fit(X: CsrMatrix | { rows: number; cols: number; data: Float64Array | Float32Array }, options: object, split: boolean): Promise<number[][]> {
    if (split) {
      // warm workers: the pool's memory and its ready team serve the fit (a small fit may end before cold ones start)
      const ws = createWorkspace(1);
      await ws.ready();
      ws.destroy();
    }
    setMinShareWork(split ? 0 : Number.POSITIVE_INFINITY);
    try {
      const { W, H, nIter } = await nonNegativeFactorization(X, { nComponents: 7, init: 'nndsvda', randomState: 3, maxIter: 40, backend: 'cpu', onWarning: () => {}, ...options });
      return [bits(W.data), bits(H.data), [nIter]];
    } finally {
      setMinShareWork();
    }
  }

  seed = 2024;
  const csr = randomCsr(300, 170, 0.08);
  const dense = { rows: 150, cols: 90, data: Float64Array.from({ length: 150 * 90 }, () => random()) };
  it.each([
    ['CSR, cd', csr, { solver: 'cd', alphaW: 0.01, l1Ratio: 0.5 }],
    ['CSR, mu frobenius (loss checked every 10)', csr, { solver: 'mu', tol: 1e-9 }],
    ['CSR, mu Kullback-Leibler', csr, { solver: 'mu', betaLoss: 'kullback-leibler', alphaH: 0.01 }],
    ['CSR, mu β = 1.5', csr, { solver: 'mu', betaLoss: 1.5 }],
    ['dense, cd', dense, { solver: 'cd' }],
    ['dense, mu Kullback-Leibler', dense, { solver: 'mu', betaLoss: 'kullback-leibler' }],
    ['dense, mu Itakura-Saito', dense, { solver: 'mu', betaLoss: 'itakura-saito' }],
    ['dense float32, mu Kullback-Leibler', { ...dense, data: Float32Array.from(dense.data) }, { solver: 'mu', betaLoss: 'kullback-leibler' }],
  ] as const)('%s: threads give the bits of one thread (start included)', async (_name, X, options) => {
    const alone = await fit(X, options, false);
    // A fit this small may find no free core for its worker (the test files run side by side): the
    // calling thread then claims every chunk. Fit again until a worker has run some, so the
    // comparison covers calls really split; every threaded fit must give the same bits.
    for (let attempt = 1; ; attempt++) {
      const before = workerChunks();
      expect(await fit(X, options, true), `threaded fit ${attempt}`).toEqual(alone);
      if (workerChunks() > before) break;
      expect(attempt, 'fits before a worker thread ran a chunk').toBeLessThan(10);
    }
  });
});
