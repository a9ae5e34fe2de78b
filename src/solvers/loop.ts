// What every solver loop shares: abort, yielding to the event loop, keeping a GPU's queue short,
// progress, verbose lines, NaN checks.

import type { FitPlan } from '../backend/backend.js';
import { NMFError } from '../errors.js';
import type { ProgressInfo, Regularization } from '../params.js';

export interface SolverOptions {
  maxIter: number;
  tol: number;
  reg: Regularization;
  updateH: boolean;
  /** read back the convergence scalar every this many iterations ('cd'; 'mu' rounds it up to a multiple of 10) */
  checkEvery: number;
  verbose: number;
  shuffle: boolean;
  randomState: number | null;
  signal: AbortSignal | null;
  onProgress: ((info: ProgressInfo) => void) | null;
  /** where verbose lines go (console.log by default) */
  log: (line: string) => void;
}

/** Yield to the event loop this often, so an abort or a UI event can run during a CPU fit. */
const YIELD_EVERY_MS = 50;
/**
 * On a GPU the host encodes iterations far faster than the device runs them. It waits for the device
 * after every group of iterations, with at most two groups in flight, and sizes a group to about this
 * much device time: an abort then leaves at most ~2 × this queued, memory for queued commands stays
 * bounded, and progress reports iterations the device has run.
 */
const GROUP_TARGET_MS = 100;

/** The error a fit rejects with when its signal aborts: the signal's reason, as fetch does. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The fit was aborted.', 'AbortError');
}

export function throwIfAborted(signal: AbortSignal | null | undefined): void {
  if (signal?.aborted) throw abortReason(signal);
}

/**
 * `work`, or a rejection with the signal's reason as soon as it aborts, whichever comes first (a GPU
 * readback or a device request can wait for seconds). `late` receives a value that arrives after
 * the abort, to release it (a plan nobody will destroy otherwise).
 */
export function raceAbort<T>(signal: AbortSignal | null | undefined, work: Promise<T>, late?: (value: T) => void): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) {
    work.then((v) => late?.(v), () => {});
    return Promise.reject(abortReason(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      work.then((v) => late?.(v), () => {});
      reject(abortReason(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

type Report = Omit<ProgressInfo, 'elapsedMs'>;

/** A group of iterations submitted to the device, when the device finished it, and the reports waiting for it. */
interface Group {
  iterations: number;
  startedAt: number;
  done: Promise<void>;
  doneAt: number | null;
  reports: Report[];
}

export class IterationClock {
  private readonly start = performance.now();
  private lastYield = this.start;
  /** iterations in a group: starts at 1, then sized from measured device time, at most the check interval */
  private groupSize = 1;
  private inGroup = 0;
  private groupStartedAt = this.start;
  private inFlight: Group | null = null;
  private lastDoneAt: number | null = null;
  /** reports of iterations in the group being submitted, made once the device has run it */
  private pending: Report[] = [];

  /**
   * `plan`: the plan whose steps tick() paces (a GPU plan with settle()); `checkInterval`: iterations
   * between the solver's own readbacks (default o.checkEvery), the most a group holds.
   */
  constructor(
    private readonly o: Pick<SolverOptions, 'signal' | 'onProgress'> & { checkEvery?: number },
    private readonly plan: Pick<FitPlan, 'settle'> | null = null,
    private readonly checkInterval = o.checkEvery ?? 1,
  ) {}

  elapsedMs(): number {
    return performance.now() - this.start;
  }

  /**
   * Call once per iteration, before its steps: throws if aborted; lets other tasks run now and then;
   * on a GPU plan, waits until the device is at most two groups of iterations behind.
   */
  async tick(): Promise<void> {
    this.throwIfAborted();
    if (this.plan?.settle && ++this.inGroup > this.groupSize) await this.closeGroup();
    if (performance.now() - this.lastYield > YIELD_EVERY_MS) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      this.lastYield = performance.now();
      this.throwIfAborted();
    }
  }

  /** Start waiting for the group just submitted; wait for the one before it. */
  private async closeGroup(): Promise<void> {
    const now = performance.now();
    const group: Group = { iterations: this.inGroup - 1, startedAt: this.groupStartedAt, done: this.plan!.settle!(), doneAt: null, reports: this.pending };
    this.pending = [];
    group.done.then(() => (group.doneAt = performance.now()), () => {});
    const previous = this.inFlight;
    this.inFlight = group;
    this.inGroup = 1;
    this.groupStartedAt = now;
    if (!previous) return;
    await this.race(previous.done);
    for (const report of previous.reports) this.progress(report);
    const doneAt = previous.doneAt ?? performance.now();
    // The device began the previous group when it finished the one before (or when it was submitted).
    const deviceMs = doneAt - Math.max(previous.startedAt, this.lastDoneAt ?? previous.startedAt);
    this.lastDoneAt = doneAt;
    const perIteration = Math.max(deviceMs, 0.01) / previous.iterations;
    const fits = Math.max(1, Math.floor(GROUP_TARGET_MS / perIteration));
    this.groupSize = Math.min(fits, 2 * this.groupSize, Math.max(1, this.checkInterval));
  }

  /** A readback: rejects at once on abort; once it resolves, the device has run everything before it. */
  async read<T>(work: Promise<T>): Promise<T> {
    const value = await this.race(work);
    this.idle();
    return value;
  }

  /** Wait until the device has run every step submitted (and make the reports that waited for it). */
  async settled(): Promise<void> {
    if (this.plan?.settle) await this.race(this.plan.settle());
    this.idle();
  }

  /**
   * Report the iteration just submitted once the device has run it (at once where steps run when
   * called): progress then shows work done, not work queued, and the device is never drained for it.
   */
  progressWhenRun(info: Report): void {
    if (this.plan?.settle) this.pending.push(info);
    else this.progress(info);
  }

  /** Everything submitted has run: make the reports that waited, and start counting groups afresh. */
  private idle(): void {
    for (const report of [...(this.inFlight?.reports ?? []), ...this.pending]) this.progress(report);
    this.pending = [];
    this.inFlight = null;
    this.inGroup = 0;
    this.lastDoneAt = null;
    this.groupStartedAt = performance.now();
  }

  /** `work`, or the signal's reason as soon as it aborts. */
  race<T>(work: Promise<T>): Promise<T> {
    return raceAbort(this.o.signal, work);
  }

  throwIfAborted(): void {
    throwIfAborted(this.o.signal);
  }

  /** A scalar read back at a check must be finite; a NaN or Inf means the fit diverged. */
  checkFinite(what: string, value: number, iteration: number): void {
    if (!Number.isFinite(value)) {
      throw new NMFError(`The ${what} became ${value} at iteration ${iteration}: the fit diverged. Check X's scale, or try another solver, init or betaLoss.`);
    }
  }

  progress(info: Omit<ProgressInfo, 'elapsedMs'>): void {
    this.o.onProgress?.({ ...info, elapsedMs: this.elapsedMs() });
  }
}

/**
 * Every value of a result must be finite and non-negative: a NaN, an Inf (an overflow, on float32 GPUs
 * already past ~3e38) or a negative value means the fit diverged, and is never handed back.
 */
export function checkResult(where: string, named: Record<string, ArrayLike<number> | number | undefined>): void {
  for (const [name, values] of Object.entries(named)) {
    if (values === undefined) continue;
    const list: ArrayLike<number> = typeof values === 'number' ? [values] : values;
    for (let i = 0; i < list.length; i++) {
      const v = list[i];
      if (Number.isFinite(v) && v >= 0) continue;
      const what = Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Infinity (an overflow)' : v === -Infinity ? '-Infinity' : `a negative value (${v})`;
      throw new NMFError(`${where} produced ${what} in ${name}: the fit diverged. Check X's scale (values far below 1e-7 are treated as zeros by the loss; on GPU backends, float32 overflows past ~3e38, so scale X down), or try another solver, init or betaLoss.`);
    }
  }
}
