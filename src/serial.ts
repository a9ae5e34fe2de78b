// Calls on one estimator run one after another, in call order: two partialFit calls at once, or a
// transform while fit runs, would otherwise interleave their awaits and corrupt (or read half of) the
// estimator's state. A call waits for the ones before it, whether they succeeded or failed.

export class CallQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(call: () => Promise<T>): Promise<T> {
    const result = this.tail.then(call);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
