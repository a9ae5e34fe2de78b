// The messages between a worker estimator (worker/index.ts, on the caller's thread) and its worker
// (worker/webnmf-worker.ts), and how errors and matrices cross between them.

import { InvalidParameterError, NMFError, type NMFWarning } from '../errors.js';
import type { DenseMatrix, FloatArray } from '../matrix/matrix.js';
import type { MiniBatchState } from '../minibatch.js';
import type { ProgressInfo } from '../params.js';

export type EstimatorKind = 'NMF' | 'MiniBatchNMF';
export type Method = 'fit' | 'fitTransform' | 'transform' | 'inverseTransform' | 'partialFit';

/** Methods that change the model: their reply carries the model's new state. */
export const FITTING: readonly Method[] = ['fit', 'fitTransform', 'partialFit'];

export type ToWorker =
  /** first message: the estimator's options (without signal, callbacks or device) */
  | { type: 'create'; kind: EstimatorKind; options: Record<string, unknown>; progress: boolean }
  /** replaces the model with a saved one (fromJSON) */
  | { type: 'load'; saved: unknown; options: Record<string, unknown> }
  | { type: 'call'; id: number; method: Method; args: unknown[] }
  /** the caller's signal fired */
  | { type: 'abort' }
  /** RunningFit#factors of the fit under way (its reply: 'factors', or 'failed' when none runs) */
  | { type: 'factors'; id: number }
  /** tests: what the worker's WebGPU device still holds */
  | { type: 'inspect'; id: number }
  /** Node: end once the calls under way have stopped and the GPU queue has drained (see spawn.ts) */
  | { type: 'close' };

/** The model's attributes as its copy on the caller's side needs them. */
export type ModelCopy =
  | { kind: 'NMF'; components?: DenseMatrix; nComponentsOut?: number; nFeaturesIn?: number; nIter?: number; reconstructionErr?: number; backendUsed?: string }
  | { kind: 'MiniBatchNMF'; state: MiniBatchState | null; backendUsed?: string };

export type FromWorker =
  /** progress reports, in order, batched (a CPU fit may report thousands a second) */
  | { type: 'progress'; reports: ProgressInfo[] }
  | { type: 'warning'; warning: NMFWarning }
  | { type: 'done'; id: number; value: DenseMatrix | null; model: ModelCopy | null }
  /** aborted: the fit stopped because the caller's signal fired */
  | { type: 'failed'; id: number; error: SentError; aborted: boolean; model: ModelCopy | null }
  | { type: 'factors'; id: number; W: DenseMatrix; H: DenseMatrix }
  | { type: 'inspected'; id: number; liveGpuBuffers: number | null };

/** An error as it crosses: enough to rebuild the same class with the same message. */
export interface SentError {
  name: string;
  message: string;
  parameter?: string;
  stack?: string;
}

export function sendError(e: unknown): SentError {
  if (e instanceof Error || e instanceof DOMException) {
    const parameter = e instanceof InvalidParameterError ? e.parameter : undefined;
    return { name: e.name, message: e.message, parameter, stack: e.stack };
  }
  return { name: 'Error', message: String(e) };
}

const BUILT_IN: Record<string, new (message: string) => Error> = { TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError };

/** The error on the caller's side: the same class (InvalidParameterError with its parameter, NMFError, AbortError, TypeError, …) and message. */
export function receiveError(s: SentError): Error {
  let e: Error;
  if (s.name === 'InvalidParameterError') e = new InvalidParameterError(s.parameter ?? '', s.message);
  else if (s.name === 'NMFError') e = new NMFError(s.message);
  else if (s.name === 'AbortError') e = new DOMException(s.message, 'AbortError');
  else if (BUILT_IN[s.name]) e = new BUILT_IN[s.name](s.message);
  else {
    e = new Error(s.message);
    e.name = s.name;
  }
  // the worker's frames say where it failed; the frames here would only show the message handler
  if (s.stack) {
    try {
      e.stack = `${s.stack}\n    (in the webnmf worker)`;
    } catch {
      // a DOMException's stack may be read-only
    }
  }
  return e;
}

/** `a` itself when it owns its whole ArrayBuffer (so the buffer can be transferred), else a copy that does. */
export function ownArray<T extends FloatArray>(a: T): T {
  const whole = a.buffer instanceof ArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength;
  return whole ? a : (a.slice() as T);
}

/** The ArrayBuffers behind a message's typed arrays (not shared memory: that is shared, not moved). */
export function buffersOf(value: unknown, into: Set<ArrayBuffer> = new Set()): ArrayBuffer[] {
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer) into.add(value.buffer);
  } else if (Array.isArray(value)) {
    for (const v of value) if (typeof v === 'object' && v !== null) buffersOf(v, into);
  } else if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) if (typeof v === 'object' && v !== null) buffersOf(v, into);
  }
  return [...into];
}
