// Calls on one estimator run one after another, in call order: two partialFit calls at once, or a
// transform while fit runs, would otherwise interleave their awaits and corrupt (or read half of) the
// estimator's state. A call waits for the ones before it, whether they succeeded or failed.

import { throwIfAborted } from './solvers/loop.js';

export class CallQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Run `call` after the calls before it; with `signal` aborted by then, reject with its reason instead. */
  run<T>(call: () => Promise<T>, signal: AbortSignal | null = null): Promise<T> {
    const result = this.tail.then(() => {
      throwIfAborted(signal);
      return call();
    });
    this.tail = result.catch(() => undefined);
    return result;
  }
}
