// One fit on the gpujs backend: the CPU backend's steps (cpu-backend.ts, the reference), one gpu.js
// kernel per fused step, float32. On WebGL2 every kernel runs in pipeline mode (`immutable: true`):
// X, W, H, the products and the β ≠ 2 elementwise terms stay in textures between kernels, each value
// freed (`texture.delete()`) when its successor exists, so a kernel's next call reuses the texture;
// the host reads back one float at a convergence check and W, H at the end. On the webasm backend
// the same kernels run as WebAssembly (f32x4 SIMD) on typed arrays.
//
// Differences from the CPU backend, all of storage and none of arithmetic:
// - CSR X is densified on upload (the gpujs tier holds X as an m × n texture): every formula is the
//   same, since X's absent entries contribute exactly what zeros do (see kernels.ts).
// - β ≠ 2 updates hold WH and its elementwise terms as m × n textures (the CPU backend walks blocks of
//   rows): gpu.js kernels cannot share a partial result between threads, so recomputing WH inside
//   each product would cost k times the work.
// - W carries an extra column and H an extra row, where HALS sweeps accumulate the violation (a
//   gpu.js kernel writes one value per thread, so the sweep's per-row |projected gradient| rides along).

import type { FitPlan, FitProblem, HalsStep, MuStep } from '../backend.js';
import { isCsr, type DataMatrix, type DenseMatrix } from '../../matrix/matrix.js';
import * as K from './kernels.js';
import type { GpujsMode } from './index.js';

/** A value a kernel returned: a texture (WebGL2 pipeline) or typed arrays (webasm, cpu). */
type Value = unknown;

interface Kernel {
  (...args: unknown[]): unknown;
  destroy(): void;
}

interface GPULike {
  createKernel(source: string, settings: object): Kernel;
  destroy(): Promise<void>;
}

/** Free a texture (WebGL2); typed arrays are left to the garbage collector. */
function free(v: Value): void {
  const d = (v as { delete?: () => void } | null)?.delete;
  if (typeof d === 'function') d.call(v);
}

/** A value as rows of float32 (gpu.js's output of a 2-D kernel: Float32Array[] on every backend). */
async function rowsOf(v: Value): Promise<Float32Array[]> {
  const t = v as { toArray?: () => unknown };
  const out = typeof t.toArray === 'function' ? await t.toArray() : v;
  return out as Float32Array[];
}

/** X as float32 rows; CSR is densified (the gpujs tier's documented storage of X). */
function rowsOfX(X: DataMatrix): Float32Array[] {
  const rows: Float32Array[] = [];
  for (let i = 0; i < X.rows; i++) {
    const row = new Float32Array(X.cols);
    if (isCsr(X)) {
      for (let p = X.indptr[i]; p < X.indptr[i + 1]; p++) row[X.indices[p]] += X.data[p];
    } else row.set(X.data.subarray(i * X.cols, (i + 1) * X.cols));
    rows.push(row);
  }
  return rows;
}

export class GpujsFitPlan implements FitPlan {
  private readonly m: number;
  private readonly n: number;
  private readonly k: number;
  private readonly beta: number;
  private readonly hFixed: boolean;
  private readonly kernels: Record<string, Kernel> = {};
  private X: Value;
  private W: Value;
  private H: Value;
  // Products of H alone; with H fixed (updateH: false) they are computed once and kept.
  private XHt: Value = null;
  private HHt: Value = null;
  private Hsum: Value = null;
  private hProductsValid = false;
  private hsumValid = false;
  /** scikit-learn's cached H row sums gain L1 at each W step of KL while H is fixed (CPU backend) */
  private hsumShift = 0;
  /** which factors' HALS sweeps make up the last iteration's violation */
  private violationParts = { W: false, H: false };
  private destroyed = false;

  constructor(
    private readonly gpu: GPULike,
    readonly mode: GpujsMode,
    p: FitProblem,
    private readonly onDestroy: () => void,
  ) {
    const m = (this.m = p.X.rows), n = (this.n = p.X.cols), k = (this.k = p.W.cols);
    this.beta = p.beta;
    this.hFixed = !p.updateH;
    const constants = { m, n, k };
    const make = (name: string, source: string, output: number[], pipeline = true) => {
      this.kernels[name] = gpu.createKernel(source, {
        output,
        constants,
        pipeline,
        immutable: true,
        precision: 'single',
        tactic: 'precision',
      });
    };
    const K1 = k + 1;
    make('copyX', K.COPY, [n, m]);
    make('copyW', K.COPY, [K1, m]);
    make('copyH', K.COPY, [n, K1]);
    make('xht', K.XHT, [k, m]);
    make('hht', K.HHT, [k, k]);
    make('wtx', K.WTX, [n, k]);
    make('wtw', K.WTW, [k, k]);
    make('halsW', K.HALS_W, [K1, m]);
    make('halsH', K.HALS_H, [n, K1]);
    make('violation', K.VIOLATION, [1], false);
    make('lossRows', K.lossRows(this.beta), [m]);
    make('sumRows', K.SUM_ROWS, [1], false);
    if (this.beta === 2) {
      make('muW', K.MU_W_FRO, [K1, m]);
      make('muH', K.MU_H_FRO, [n, K1]);
    } else {
      make('wh', K.WH, [n, m]);
      make('num', K.numeratorTerms(this.beta), [n, m]);
      if (this.beta === 1) {
        make('hsum', K.HSUM, [k]);
        make('wsum', K.WSUM, [k]);
        make('muW', K.MU_W_KL, [K1, m]);
        make('muH', K.MU_H_KL, [n, K1]);
      } else {
        make('den', K.denominatorTerms(this.beta), [n, m]);
        make('muW', K.MU_W_BETA, [K1, m]);
        make('muH', K.MU_H_BETA, [n, K1]);
      }
    }
    // Upload once: X (densified if CSR), W with its violation column, H with its violation row.
    this.X = this.kernels.copyX(rowsOfX(p.X));
    const W: Float32Array[] = [];
    for (let i = 0; i < m; i++) {
      const row = new Float32Array(K1);
      row.set(p.W.data.subarray(i * k, (i + 1) * k));
      W.push(row);
    }
    this.W = this.kernels.copyW(W);
    const H: Float32Array[] = [];
    for (let r = 0; r <= k; r++) H.push(r < k ? Float32Array.from(p.H.data.subarray(r * n, (r + 1) * n)) : new Float32Array(n));
    this.H = this.kernels.copyH(H);
  }

  private live(): void {
    if (this.destroyed) throw new Error('webnmf: this gpujs fit plan was destroyed.');
  }

  /** Replace a held value by its successor, freeing the old one (its texture is the kernel's next output). */
  private static swap(old: Value, next: Value): Value {
    free(old);
    return next;
  }

  /** X·Hᵀ and H·Hᵀ; skipped when H is fixed and they are already known. */
  private hProducts(): void {
    if (this.hProductsValid) return;
    const { kernels: k } = this;
    this.XHt = GpujsFitPlan.swap(this.XHt, k.xht(this.X, this.H));
    this.HHt = GpujsFitPlan.swap(this.HHt, k.hht(this.H));
    this.hProductsValid = true;
  }

  /** H's row sums (KL's W denominator), likewise cached while H is unchanged. */
  private hSums(): void {
    if (this.hsumValid) return;
    this.Hsum = GpujsFitPlan.swap(this.Hsum, this.kernels.hsum(this.H));
    this.hsumValid = true;
  }

  private hChanged(): void {
    this.hProductsValid = false;
    this.hsumValid = false;
  }

  /** The β ≠ 2 elementwise terms at the current W, H: [V] for KL, [V, D] otherwise (caller frees them). */
  private elementwise(): Value[] {
    const { kernels: k } = this;
    const WH = k.wh(this.W, this.H);
    const V = k.num(this.X, WH);
    const D = this.beta === 1 ? null : k.den(WH);
    free(WH);
    return D === null ? [V] : [V, D];
  }

  muUpdateW(step: MuStep): void {
    this.live();
    const { kernels: k, beta } = this;
    const clip = beta < 1 && step.clip !== false ? 1 : 0;
    let next: Value;
    if (beta === 2) {
      this.hProducts();
      next = k.muW(this.W, this.XHt, this.HHt, step.l1, step.l2, step.gamma, clip);
    } else if (beta === 1) {
      this.hSums();
      const [V] = this.elementwise();
      next = k.muW(this.W, V, this.Hsum, this.H, step.l1, step.l2, step.gamma, clip, this.hsumShift);
      free(V);
    } else {
      const [V, D] = this.elementwise();
      next = k.muW(this.W, V, D, this.H, step.l1, step.l2, step.gamma, clip);
      free(V);
      free(D);
    }
    this.W = GpujsFitPlan.swap(this.W, next);
    this.violationParts = { W: false, H: false };
    // scikit-learn adds L1 to a view of its cached H row sums (`denominator += l1_reg_W`), so with H
    // fixed the KL denominator grows by l1 every iteration. Reproduced for identical results.
    if (beta === 1 && this.hFixed && step.l1 > 0) this.hsumShift += step.l1;
  }

  muUpdateH(step: MuStep): void {
    this.live();
    const { kernels: k, beta } = this;
    const clip = beta <= 1 && step.clip !== false ? 1 : 0;
    let next: Value;
    if (beta === 2) {
      const WtX = k.wtx(this.W, this.X);
      const WtW = k.wtw(this.W);
      next = k.muH(this.H, WtX, WtW, step.l1, step.l2, step.gamma, clip);
      free(WtX);
      free(WtW);
    } else if (beta === 1) {
      const [V] = this.elementwise();
      const Wsum = k.wsum(this.W);
      next = k.muH(this.H, V, Wsum, this.W, step.l1, step.l2, step.gamma, clip);
      free(V);
      free(Wsum);
    } else {
      const [V, D] = this.elementwise();
      next = k.muH(this.H, V, D, this.W, step.l1, step.l2, step.gamma, clip);
      free(V);
      free(D);
    }
    this.H = GpujsFitPlan.swap(this.H, next);
    this.hChanged();
  }

  halsSweepW(step: HalsStep): void {
    this.live();
    this.hProducts();
    const { order } = step;
    for (let s = 0; s < order.length; s++) {
      this.W = GpujsFitPlan.swap(this.W, this.kernels.halsW(this.W, this.XHt, this.HHt, order[s], s === 0 ? 1 : 0, step.l1, step.l2));
    }
    this.violationParts = { W: true, H: false };
  }

  halsSweepH(step: HalsStep): void {
    this.live();
    const { kernels: k } = this;
    const WtX = k.wtx(this.W, this.X);
    const WtW = k.wtw(this.W);
    const { order } = step;
    for (let s = 0; s < order.length; s++) {
      this.H = GpujsFitPlan.swap(this.H, k.halsH(this.H, WtX, WtW, order[s], s === 0 ? 1 : 0, step.l1, step.l2));
    }
    free(WtX);
    free(WtW);
    this.violationParts.H = true;
    this.hChanged();
  }

  async lastViolation(): Promise<number> {
    this.live();
    if (!this.violationParts.W && !this.violationParts.H) return 0;
    // W's sweep always comes first in an iteration; H's column sums exist only if H's sweep ran after it
    const withH = this.violationParts.H ? 1 : 0;
    if (!this.violationParts.W) throw new Error('webnmf internal: halsSweepH without halsSweepW');
    const out = this.kernels.violation(this.W, this.H, withH) as Float32Array;
    return out[0];
  }

  async reconstructionError(): Promise<number> {
    this.live();
    const rows = this.kernels.lossRows(this.X, this.W, this.H);
    const total = (this.kernels.sumRows(rows) as Float32Array)[0];
    free(rows);
    const { beta } = this;
    const res = beta === 2 ? total / 2 : beta === 1 || beta === 0 ? total : total / (beta * (beta - 1));
    return Math.sqrt(2 * Math.max(res, 0));
  }

  async read(): Promise<{ W: DenseMatrix; H: DenseMatrix }> {
    this.live();
    const { m, n, k } = this;
    const Wr = await rowsOf(this.W), Hr = await rowsOf(this.H);
    const W = new Float32Array(m * k), H = new Float32Array(k * n);
    for (let i = 0; i < m; i++) W.set(Wr[i].subarray(0, k), i * k);
    for (let r = 0; r < k; r++) H.set(Hr[r].subarray(0, n), r * n);
    return { W: { rows: m, cols: k, data: W }, H: { rows: k, cols: n, data: H } };
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const v of [this.X, this.W, this.H, this.XHt, this.HHt, this.Hsum]) free(v);
    for (const kernel of Object.values(this.kernels)) kernel.destroy();
    // gpu.js tears its context down on the next tick; nothing of ours waits on it
    void this.gpu.destroy().catch(() => {});
    this.onDestroy();
  }
}

