// What every solver loop shares: abort, yielding to the event loop, progress, verbose lines, NaN checks.

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

export class IterationClock {
  private readonly start = performance.now();
  private lastYield = this.start;

  constructor(private readonly o: SolverOptions) {}

  elapsedMs(): number {
    return performance.now() - this.start;
  }

  /** Call once per iteration: throws if aborted, and lets other tasks run now and then. */
  async tick(): Promise<void> {
    this.throwIfAborted();
    if (performance.now() - this.lastYield > YIELD_EVERY_MS) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      this.lastYield = performance.now();
      this.throwIfAborted();
    }
  }

  private throwIfAborted(): void {
    const s = this.o.signal;
    if (s?.aborted) throw s.reason ?? new DOMException('The fit was aborted.', 'AbortError');
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
