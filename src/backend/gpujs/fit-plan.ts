// One fit on the gpujs backend: the CPU backend's steps (cpu-backend.ts, the reference), one gpu.js
// kernel per fused step, float32. On WebGL2 every kernel runs in pipeline mode (`immutable: true`):
// X, W, H, the products and the β ≠ 2 elementwise terms stay in textures between kernels, each value
// freed (`texture.delete()`) when its successor exists, so a kernel's next call reuses the texture;
// the host reads back one float at a convergence check and W, H at the end. On the webasm backend
// the same kernels run as WebAssembly (f32x4 SIMD) on typed arrays; with threads, under gpu.js's
// async contract (its worker pool splits each kernel's output), the steps queued on a promise chain
// that the reads wait for (see `step`, `query`): the same values whatever the split.
//
// Differences from the CPU backend, all of storage and none of arithmetic:
// - CSR X is densified on upload (the gpujs tier holds X as an m × n texture): every formula is the
//   same, since X's absent entries contribute exactly what zeros do (see kernels.ts).
// - β ≠ 2 updates hold WH and its elementwise terms as m × n textures (the CPU backend walks blocks of
//   rows): gpu.js kernels cannot share a partial result between threads, so recomputing WH inside
//   each product would cost k times the work.
// - W carries an extra column and H an extra row, where HALS sweeps accumulate the violation (a
//   gpu.js kernel writes one value per thread, so the sweep's per-row |projected gradient| rides along).

import type { CheckScalar, FitPlan, FitProblem, HalsStep, HAverages, MiniBatchSteps, MuStep, PgSteps, PgSubproblem, PgTrial } from '../backend.js';
import { isCsr, type DataMatrix, type DenseMatrix } from '../../matrix/matrix.js';
import { NMFError } from '../../errors.js';
import { clipsAfterMu, divergenceFromEntrySum, errorFromDivergence } from '../../loss.js';
import { PlanState, readNow } from '../plan-state.js';
import { KERNELS, type KernelName, type KernelSpec } from './kernels.js';
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

/** Compiled kernels shared by the plans of one shape (see KernelCache in index.ts). */
export interface KernelSource {
  /**
   * `async`: the kernel runs under gpu.js's async contract (every call returns a Promise), which on
   * webasm splits outputs of 4096 cells or more across its worker pool
   */
  kernel(name: KernelName, source: string, output: number[], pipeline?: boolean, async?: boolean): Kernel;
  /** webasm with threads: the plan's steps queue, and its heavy kernels (worthThreads) go to the pool */
  readonly threaded: boolean;
  /** the WebGL2 context the kernels run on was lost (never on webasm) */
  lost(): boolean;
  /** the plan is done with them */
  release(): void;
}

export type { Kernel, GPULike };

/**
 * A step's body: a generator that yields each kernel call's result (a value, or on threaded webasm a
 * Promise of it) and resumes with the value. One body serves both contracts: `runSync` resumes at
 * once (WebGL2 and single-threaded webasm run exactly as plain calls), `drive` awaits.
 */
type Op<T> = Generator<unknown, T, unknown>;

function runSync<T>(op: Op<T>): T {
  let r = op.next();
  while (!r.done) r = op.next(r.value);
  return r.value;
}

const ignore = (): void => {};

/** Multiply-adds below which a kernel is not worth a dispatch to the pool (≈ 1 ms on one thread). */
const THREAD_MIN_WORK = 1 << 20;

/**
 * Whether a kernel goes to gpu.js's worker pool on threaded webasm; the others run synchronously on
 * the calling thread, in their turn on the queue. gpu.js splits outputs of 4096 cells or more, in
 * ranges of whole quads, and its workers take the SIMD body only when a row of the output is a
 * multiple of 4 wide (else scalar, 4 times the work: slower on 2 threads than SIMD on one); and a
 * dispatch costs a message round trip per worker, worth it only for a kernel of some work.
 */
function worthThreads(output: number[], work: number): boolean {
  const cells = output.reduce((a, b) => a * b, 1);
  return cells >= 4096 && output[0] % 4 === 0 && cells * work >= THREAD_MIN_WORK;
}

export class GpujsFitPlan implements FitPlan {
  private readonly m: number;
  private readonly n: number;
  private readonly k: number;
  private readonly beta: number;
  private X: Value;
  private W: Value;
  private H: Value;
  // Products of H alone; with H fixed (updateH: false) they are computed once and kept.
  private XHt: Value = null;
  private HHt: Value = null;
  private Hsum: Value = null;
  /** which of them hold for the current H, the KL sums' quirk (muW's shift), the violation's parts */
  private readonly state: PlanState;
  /** MiniBatchNMF's state: the starting W and H (host rows), W of the last wChange, H at the start, A and B */
  private readonly startW: Float32Array[];
  private readonly startH: Float32Array[];
  private wPrevious: Value = null;
  private hStart: Value = null;
  private A: Value = null;
  private B: Value = null;
  readonly minibatch: MiniBatchSteps;
  /** solver 'pg': both factors' last gradients, the subproblem's G and C, the trial and previous candidates */
  readonly pg: PgSteps;
  private gradW: Value = null;
  private gradH: Value = null;
  private G: Value = null;
  private C: Value = null;
  private trialF: Value = null;
  private previousF: Value = null;
  private sub: PgSubproblem | null = null;
  private destroyed = false;
  /**
   * Threaded webasm: steps return at once and run in call order on this chain; reads wait for it. The
   * first error a queued step throws is kept here: every later step is skipped and every read rejects
   * with it (the plan's state is unknown after it).
   */
  private chain: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | null = null;
  /** each kernel's spec for this plan's shape and β, made on its first run */
  private readonly specs = new Map<KernelName, KernelSpec>();

  constructor(
    private readonly kernels: KernelSource,
    readonly mode: GpujsMode,
    p: FitProblem,
    private readonly onDestroy: () => void,
  ) {
    const m = (this.m = p.X.rows), n = (this.n = p.X.cols), k = (this.k = p.W.cols);
    this.beta = p.beta;
    this.state = new PlanState(p.beta, !p.updateH, false);
    const K1 = k + 1;
    // Upload once: X (densified if CSR), W with its violation column, H with its violation row.
    this.X = this.run('copyX', [rowsOfX(p.X)]);
    const W: Float32Array[] = [];
    for (let i = 0; i < m; i++) {
      const row = new Float32Array(K1);
      row.set(p.W.data.subarray(i * k, (i + 1) * k));
      W.push(row);
    }
    const H: Float32Array[] = [];
    for (let r = 0; r <= k; r++) H.push(r < k ? Float32Array.from(p.H.data.subarray(r * n, (r + 1) * n)) : new Float32Array(n));
    this.startW = W;
    this.startH = H;
    this.W = this.run('copyW', [W]);
    this.H = this.run('copyH', [H]);
    if (p.averages) {
      const rows = (A: DenseMatrix) => Array.from({ length: k }, (_, r) => Float32Array.from(A.data.subarray(r * n, (r + 1) * n)));
      this.A = this.run('copyA', [rows(p.averages.A)]);
      this.B = this.run('copyB', [rows(p.averages.B)]);
    }
    this.minibatch = this.minibatchSteps();
    this.pg = this.pgSteps();
  }

  /**
   * Run kernel `name` (KERNELS; compiled on first use for this shape and β). Values a kernel returns
   * are the caller's to free. On threaded webasm the kernels worth it return a Promise (the uploads,
   * which the constructor runs, never do).
   */
  private run(name: KernelName, args: unknown[]): Value {
    let spec = this.specs.get(name);
    if (!spec) {
      const { m, n, k, beta } = this;
      spec = KERNELS[name]({ m, n, k, beta });
      this.specs.set(name, spec);
    }
    const { source, output, pipeline = true, work } = spec;
    const async = this.kernels.threaded && !spec.upload && worthThreads(output, work);
    return this.kernels.kernel(name, source, output, pipeline, async)(...args);
  }

  /** A kernel call inside a step's body: `yield* this.call(…)` is its value. */
  private *call(name: KernelName, args: unknown[]): Op<Value> {
    return yield this.run(name, args);
  }

  /** Run a step: now, or (threaded) queued after the steps before it. */
  private step(op: Op<void>): void {
    this.live();
    if (!this.kernels.threaded) {
      runSync(op);
      return;
    }
    this.chain = this.chain
      .then(() => (this.failure || this.destroyed ? undefined : this.drive(op)))
      .catch((error: unknown) => {
        this.failure ??= { error };
      });
  }

  /** Run a read: now, or (threaded) once the queued steps have run; a failed step's error rejects it. */
  private query<T>(op: Op<T>): Promise<T> {
    this.live();
    if (!this.kernels.threaded) return Promise.resolve(runSync(op));
    const result = this.chain.then(() => {
      if (this.failure) throw this.failure.error;
      return this.drive(op);
    });
    this.chain = result.then(ignore, ignore);
    return result;
  }

  /** Threaded webasm: resolves once the queued steps have run (a failed one rejects); else at once. */
  settle(): Promise<void> {
    return this.query((function* (): Op<void> {})());
  }

  /** A body under the async contract; a plan destroyed meanwhile stops it at its next kernel call. */
  private async drive<T>(op: Op<T>): Promise<T> {
    this.live();
    let r = op.next();
    while (!r.done) {
      const value = await r.value;
      this.live();
      r = op.next(value);
    }
    return r.value;
  }

  /** Every step starts here: a destroyed plan, or a lost WebGL2 context, refuses with a clear error. */
  private live(): void {
    if (this.destroyed) throw new Error('webnmf: this gpujs fit plan was destroyed.');
    if (this.kernels.lost()) {
      throw new NMFError('The WebGL2 context of the gpujs backend was lost (the browser reset the GPU or reclaimed the context): this fit\'s results are gone. Fit again: a new context is made.');
    }
  }

  /**
   * Replace a held factor by its successor, freeing the old one. The successor's kernel read the old
   * value, so it is freed only after (gpu.js then alternates the kernel between two textures).
   */
  private static swap(old: Value, next: Value): Value {
    free(old);
    return next;
  }

  /** X·Hᵀ and H·Hᵀ; skipped when H is fixed and they are already known. */
  private *hProducts(): Op<void> {
    if (!this.state.stale('XHt', 'HHt')) return;
    // freed first: a kernel whose last output is no longer held renders into the same texture again
    free(this.XHt);
    this.XHt = yield* this.call('xht', [this.X, this.H]);
    free(this.HHt);
    this.HHt = yield* this.call('hht', [this.H]);
  }

  /** H's row sums (KL's W denominator), likewise cached while H is unchanged. */
  private *hSums(): Op<void> {
    if (!this.state.stale('Hsum')) return;
    free(this.Hsum);
    this.Hsum = yield* this.call('hsum', [this.H]);
  }

  private hChanged(): void {
    this.state.hChanged();
  }

  /** The β ≠ 2 elementwise terms at the current W, H: V, and D (null for KL); the caller frees them. */
  private *elementwise(): Op<{ V: Value; D: Value }> {
    const WH = yield* this.call('wh', [this.W, this.H]);
    const V = yield* this.call('num', [this.X, WH]);
    const D = this.beta === 1 ? null : yield* this.call('den', [WH]);
    free(WH);
    return { V, D };
  }

  muUpdateW(step: MuStep): void {
    this.step(this.muW(step));
  }

  private *muW(step: MuStep): Op<void> {
    const { beta } = this;
    const clip = clipsAfterMu('W', beta) && step.clip !== false ? 1 : 0;
    const { l1, l2, gamma } = step;
    let next: Value;
    if (beta === 2) {
      yield* this.hProducts();
      next = yield* this.call('muW', [this.W, this.XHt, this.HHt, l1, l2, gamma, clip]);
    } else {
      if (beta === 1) yield* this.hSums();
      const { V, D } = yield* this.elementwise();
      next = beta === 1
        ? yield* this.call('muW', [this.W, V, this.Hsum, this.H, l1, l2, gamma, clip, this.state.hSumShift])
        : yield* this.call('muW', [this.W, V, D, this.H, l1, l2, gamma, clip]);
      free(V);
      free(D);
    }
    this.W = GpujsFitPlan.swap(this.W, next);
    this.state.afterMuW(step);
  }

  muUpdateH(step: MuStep): void {
    this.step(this.muH(step));
  }

  private *muH(step: MuStep): Op<void> {
    const { beta } = this;
    const clip = clipsAfterMu('H', beta) && step.clip !== false ? 1 : 0;
    const { l1, l2, gamma } = step;
    let next: Value;
    if (beta === 2) {
      const WtX = yield* this.call('wtx', [this.W, this.X]);
      const WtW = yield* this.call('wtw', [this.W]);
      next = yield* this.call('muH', [this.H, WtX, WtW, l1, l2, gamma, clip]);
      free(WtX);
      free(WtW);
    } else {
      const { V, D } = yield* this.elementwise();
      if (beta === 1) {
        const Wsum = yield* this.call('wsum', [this.W]);
        next = yield* this.call('muH', [this.H, V, Wsum, this.W, l1, l2, gamma, clip]);
        free(Wsum);
      } else next = yield* this.call('muH', [this.H, V, D, this.W, l1, l2, gamma, clip]);
      free(V);
      free(D);
    }
    this.H = GpujsFitPlan.swap(this.H, next);
    this.hChanged();
  }

  halsSweepW(step: HalsStep): void {
    this.step(this.halsW(step));
  }

  private *halsW(step: HalsStep): Op<void> {
    yield* this.hProducts();
    const { order, l1, l2 } = step;
    for (let s = 0; s < order.length; s++) {
      this.W = GpujsFitPlan.swap(this.W, yield* this.call('halsW', [this.W, this.XHt, this.HHt, order[s], s === 0 ? 1 : 0, l1, l2]));
    }
    this.state.halsSwept('W');
  }

  halsSweepH(step: HalsStep): void {
    this.step(this.halsH(step));
  }

  private *halsH(step: HalsStep): Op<void> {
    const WtX = yield* this.call('wtx', [this.W, this.X]);
    const WtW = yield* this.call('wtw', [this.W]);
    const { order, l1, l2 } = step;
    for (let s = 0; s < order.length; s++) {
      this.H = GpujsFitPlan.swap(this.H, yield* this.call('halsH', [this.H, WtX, WtW, order[s], s === 0 ? 1 : 0, l1, l2]));
    }
    free(WtX);
    free(WtW);
    this.state.halsSwept('H');
    this.hChanged();
  }

  snapshot(what: CheckScalar): Promise<number> {
    return readNow(this, what);
  }

  async lastViolation(): Promise<number> {
    return this.query(this.violation());
  }

  private *violation(): Op<number> {
    const parts = this.state.violationParts;
    if (!parts.W) return 0;
    // W's sweep starts an iteration; H's column sums count only if H's sweep ran after it
    const out = (yield* this.call('violation', [this.W, this.H, parts.H ? 1 : 0])) as Float32Array;
    return out[0];
  }

  async reconstructionError(): Promise<number> {
    return this.query(this.loss());
  }

  private *loss(): Op<number> {
    const rows = yield* this.call('lossRows', [this.X, this.W, this.H]);
    const total = ((yield* this.call('sumRows', [rows])) as Float32Array)[0];
    free(rows);
    return errorFromDivergence(divergenceFromEntrySum(this.beta, total)); // X is dense here: no implicit zeros
  }

  async read(): Promise<{ W: DenseMatrix; H: DenseMatrix }> {
    const { m, n, k } = this;
    if (!this.kernels.threaded) {
      this.live();
      return { W: dense32(m, k, await rowsOf(this.W)), H: dense32(k, n, await rowsOf(this.H)) };
    }
    const [W, H] = await this.query(this.values(() => [this.W, this.H]));
    return { W: dense32(m, k, await rowsOf(W)), H: dense32(k, n, await rowsOf(H)) };
  }

  /** The values `pick` names, as they are once the queued steps have run (no kernel call). */
  private *values<T>(pick: () => T): Op<T> {
    return pick();
  }

  private minibatchSteps(): MiniBatchSteps {
    return {
      muUpdateHAveraged: (step, rho) => this.step(this.muHAveraged(step, rho)),
      clipW: () => this.step(this.clipWOp()),
      wChange: async () => this.query(this.wChangeOp()),
      hChange: async () => this.query(this.hChangeOp()),
      factorSums: async () => this.query(this.factorSumsOp()),
      readAverages: async (): Promise<HAverages> => {
        const { k, n } = this;
        const held = () => {
          if (!this.A || !this.B) throw new Error('readAverages needs a plan made with averages');
          return [this.A, this.B];
        };
        if (!this.kernels.threaded) {
          this.live();
          held();
          return { A: dense32(k, n, await rowsOf(this.A)), B: dense32(k, n, await rowsOf(this.B)) };
        }
        const [A, B] = await this.query(this.values(held));
        return { A: dense32(k, n, await rowsOf(A)), B: dense32(k, n, await rowsOf(B)) };
      },
    };
  }

  private *muHAveraged(step: MuStep, rho: number): Op<void> {
    if (!this.A || !this.B) throw new Error('muUpdateHAveraged needs a plan made with averages');
    const { beta } = this;
    const clip = clipsAfterMu('H', beta) && step.clip !== false ? 1 : 0;
    const { l1, l2, gamma } = step;
    // H's numerator and (unregularized) denominator, k × n
    let num: Value, den: Value;
    if (beta === 2) {
      num = yield* this.call('wtx', [this.W, this.X]);
      const WtW = yield* this.call('wtw', [this.W]);
      den = yield* this.call('denH', [WtW, this.H]);
      free(WtW);
    } else {
      const { V, D } = yield* this.elementwise();
      num = yield* this.call('numH', [this.W, V]);
      if (beta === 1) {
        const Wsum = yield* this.call('wsum', [this.W]);
        den = yield* this.call('denH', [Wsum]);
        free(Wsum);
      } else den = yield* this.call('denH', [this.W, D]);
      free(V);
      free(D);
    }
    const A = yield* this.call('avgA', [this.A, num, this.H, rho, gamma]);
    const B = yield* this.call('avgB', [this.B, den, this.H, rho, l1, l2]);
    free(num);
    free(den);
    this.A = GpujsFitPlan.swap(this.A, A);
    this.B = GpujsFitPlan.swap(this.B, B);
    this.H = GpujsFitPlan.swap(this.H, yield* this.call('avgH', [this.A, this.B, gamma, clip]));
    this.hChanged();
  }

  private *clipWOp(): Op<void> {
    this.W = GpujsFitPlan.swap(this.W, yield* this.call('clipW', [this.W]));
  }

  private *wChangeOp(): Op<number> {
    this.wPrevious ??= yield* this.call('copyW', [this.startW]);
    const change = norms((yield* this.call('changeW', [this.W, this.wPrevious])) as Float32Array);
    this.wPrevious = GpujsFitPlan.swap(this.wPrevious, yield* this.call('snapW', [this.W]));
    return change;
  }

  private *hChangeOp(): Op<number> {
    this.hStart ??= yield* this.call('copyH', [this.startH]);
    return norms((yield* this.call('changeH', [this.H, this.hStart])) as Float32Array);
  }

  private *factorSumsOp(): Op<{ sumW: number; sumW2: number; sumH: number; sumH2: number }> {
    const s = (yield* this.call('factorSums', [this.W, this.H])) as Float32Array;
    return { sumW: s[0], sumW2: s[1], sumH: s[2], sumH2: s[3] };
  }

  /** [Σ ∇², ‖P[∇]‖²] of a factor's last gradient at the factor's current value */
  private *gradientNorms(factor: 'W' | 'H'): Op<Float32Array> {
    const F = factor === 'W' ? this.W : this.H, g = factor === 'W' ? this.gradW : this.gradH;
    if (g === null) throw new Error(`pg: no gradient of ${factor} yet (initialGradients() first)`);
    const rows = yield* this.call(factor === 'W' ? 'normsW' : 'normsH', [F, g]);
    const sums = (yield* this.call(factor === 'W' ? 'sum2m' : 'sum2n', [rows])) as Float32Array;
    free(rows);
    return sums;
  }

  /** ∇ of `factor` for Gram G and cross product C (with the penalty), replacing the factor's last gradient */
  private *gradientOf(factor: 'W' | 'H', G: Value, C: Value, l1: number, l2: number): Op<void> {
    if (factor === 'W') this.gradW = GpujsFitPlan.swap(this.gradW, yield* this.call('gradW', [this.W, G, C, l1, l2]));
    else this.gradH = GpujsFitPlan.swap(this.gradH, yield* this.call('gradH', [this.H, G, C, l1, l2]));
  }

  private pgSteps(): PgSteps {
    return {
      prepare: async () => {},
      initialGradients: async () => this.query(this.initialGradientsOp()),
      projectedGradientNormSq: async () => this.query(this.projectedGradientOp()),
      begin: (sub) => this.step(this.beginOp(sub)),
      gradient: () => this.step(this.gradientOp()),
      trial: async (gamma, compare) => this.query(this.trialOp(gamma, compare)),
      accept: (which) => this.step(this.acceptOp(which)),
      keepTrial: () => this.step(this.keepTrialOp()),
    };
  }

  private currentSub(): PgSubproblem {
    if (!this.sub || this.G === null || this.C === null) throw new Error('pg: begin() must start a subproblem first');
    return this.sub;
  }

  private *initialGradientsOp(): Op<number> {
    yield* this.hProducts();
    yield* this.gradientOf('W', this.HHt, this.XHt, 0, 0);
    const WtX = yield* this.call('wtx', [this.W, this.X]);
    const WtW = yield* this.call('wtw', [this.W]);
    yield* this.gradientOf('H', WtW, WtX, 0, 0);
    free(WtX);
    free(WtW);
    return (yield* this.gradientNorms('W'))[0] + (yield* this.gradientNorms('H'))[0];
  }

  private *projectedGradientOp(): Op<number> {
    return (yield* this.gradientNorms('W'))[1] + (yield* this.gradientNorms('H'))[1];
  }

  private *beginOp(sub: PgSubproblem): Op<void> {
    free(this.G);
    free(this.C);
    let P: Value;
    if (sub.factor === 'W') {
      yield* this.hProducts();
      P = this.HHt;
      // a copy: the cached X·Hᵀ is replaced when H changes, C lives until the next begin()
      this.C = yield* this.call('snapXHt', [this.XHt]);
    } else {
      this.C = yield* this.call('wtx', [this.W, this.X]);
      P = yield* this.call('wtw', [this.W]);
    }
    this.G = yield* this.call('gram', [P, sub.gramDiag, sub.gramAll]);
    if (sub.factor === 'H') free(P);
    this.sub = sub;
  }

  private *gradientOp(): Op<void> {
    const sub = this.currentSub();
    yield* this.gradientOf(sub.factor, this.G, this.C, sub.l1, sub.l2);
  }

  private *trialOp(gamma: number, compare: 'current' | 'previous'): Op<PgTrial> {
    const { factor } = this.currentSub();
    const w = factor === 'W';
    const F = w ? this.W : this.H, g = w ? this.gradW : this.gradH;
    free(this.trialF);
    this.trialF = yield* this.call(w ? 'trialW' : 'trialH', [F, g, gamma]);
    const P = compare === 'current' ? F : this.previousF;
    if (P === null) throw new Error("pg: trial(…, 'previous') before keepTrial()");
    const rows = yield* this.call(w ? 'statsW' : 'statsH', [F, this.trialF, P, g, this.G]);
    const s = (yield* this.call(w ? 'sum4m' : 'sum4n', [rows])) as Float32Array;
    free(rows);
    return { projGradNormSq: s[0], gradd: s[1], dQd: s[2], unchanged: s[3] === 0 };
  }

  private *acceptOp(which: 'trial' | 'previous'): Op<void> {
    const { factor } = this.currentSub();
    const next = which === 'trial' ? this.trialF : this.previousF;
    if (next === null) throw new Error(`pg: accept('${which}') without a ${which} candidate`);
    if (which === 'trial') this.trialF = null;
    else this.previousF = null;
    if (factor === 'W') this.W = GpujsFitPlan.swap(this.W, next);
    else {
      this.H = GpujsFitPlan.swap(this.H, next);
      this.hChanged();
    }
  }

  private *keepTrialOp(): Op<void> {
    free(this.previousF);
    this.previousF = this.trialF;
    this.trialF = null;
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    // threaded: a queued step stops at its next kernel call (see drive); the kernels stay with the
    // backend's cache, whose dispose() ends their worker pools
    for (const v of [this.X, this.W, this.H, this.XHt, this.HHt, this.Hsum, this.wPrevious, this.hStart, this.A, this.B]) free(v);
    for (const v of [this.gradW, this.gradH, this.G, this.C, this.trialF, this.previousF]) free(v);
    this.kernels.release();
    this.onDestroy();
  }
}

/** ‖a − b‖ / ‖a‖ from a kernel's [Σ (a − b)², Σ a²] */
function norms(out: Float32Array): number {
  return Math.sqrt(out[0]) / Math.sqrt(out[1]);
}

/** rows × cols float32 from a value's rows (W's extra column and H's extra row left out). */
function dense32(rows: number, cols: number, from: Float32Array[]): DenseMatrix {
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) data.set(from[i].subarray(0, cols), i * cols);
  return { rows, cols, data };
}
