// The worker of webnmf/worker: holds one NMF or MiniBatchNMF and runs the calls its owner sends, as
// the owner's thread would run them. Progress and warnings go back as they happen (progress batched),
// results and the model's new attributes when a call ends, their arrays transferred, not copied.

import { acquireBackend, drainOwnDevice } from '../backend/select.js';
import { NMFError, type NMFWarning } from '../errors.js';
import { MiniBatchNMF } from '../minibatch.js';
import type { DenseMatrix } from '../matrix/matrix.js';
import { NMF } from '../nmf.js';
import type { ProgressInfo, RunningFit } from '../params.js';
import { FITTING, buffersOf, ownArray, sendError, type FromWorker, type Method, type ModelCopy, type ToWorker } from './protocol.js';

interface Port {
  postMessage(message: FromWorker, transfer: ArrayBuffer[]): void;
}

const nodePort = typeof process === 'object' && typeof process.getBuiltinModule === 'function' ? process.getBuiltinModule('node:worker_threads').parentPort : null;
const port: Port = nodePort ?? (globalThis as unknown as Port);
const post = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

/** Progress goes out at most this often: one message per CPU iteration would swamp the owner. */
const PROGRESS_EVERY_MS = 20;

class ProgressBatch {
  private reports: ProgressInfo[] = [];
  private last = -Infinity;
  private timer: ReturnType<typeof setTimeout> | null = null;

  add = (p: ProgressInfo): void => {
    this.reports.push(p);
    // the first report of a burst goes at once, so the owner sees the fit start
    if (performance.now() - this.last >= PROGRESS_EVERY_MS) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), PROGRESS_EVERY_MS);
  };

  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.last = performance.now();
    if (this.reports.length === 0) return;
    post({ type: 'progress', reports: this.reports });
    this.reports = [];
  }
}

const progress = new ProgressBatch();
/** aborted when the owner's signal is */
const controller = new AbortController();
let model: NMF | MiniBatchNMF | undefined;
/** why there is no model (the owner checked the options first, so only a bug gets here) */
let notCreated: unknown = new Error('The webnmf worker received a call before its model.');
/** whether the owner has an onProgress to feed */
let forwardProgress = false;
/** the model's backend option (inspect looks at the WebGPU device only if it may have made one) */
let backendOption: unknown = 'auto';
/** the NMF fit under way, as its last progress report gave it (for the owner's RunningFit#factors) */
let running: RunningFit | null = null;

/** What the owner's signal, onProgress and onWarning stand for, on this side. */
function hooks() {
  return {
    signal: controller.signal,
    onProgress: forwardProgress
      ? (p: ProgressInfo, fit?: RunningFit) => {
          running = fit ?? null;
          progress.add(p);
        }
      : null,
    onWarning: (warning: NMFWarning) => {
      progress.flush(); // in order with the progress around it
      post({ type: 'warning', warning });
    },
  };
}

function copyOf(m: NMF | MiniBatchNMF): ModelCopy {
  if (m instanceof MiniBatchNMF) {
    const s = m.exportState();
    const copy = (M: DenseMatrix<Float64Array>) => ({ rows: M.rows, cols: M.cols, data: M.data.slice() });
    return { kind: 'MiniBatchNMF', backendUsed: m.backendUsed, state: s && { ...s, H: copy(s.H), A: copy(s.A), B: copy(s.B) } };
  }
  const H = m.components;
  return {
    kind: 'NMF',
    components: H && { rows: H.rows, cols: H.cols, data: H.data.slice() },
    nComponentsOut: m.nComponentsOut,
    nFeaturesIn: m.nFeaturesIn,
    nIter: m.nIter,
    reconstructionErr: m.reconstructionErr,
    backendUsed: m.backendUsed,
  };
}

async function call({ id, method, args }: Extract<ToWorker, { type: 'call' }>): Promise<void> {
  const m = model;
  if (!m) return post({ type: 'failed', id, error: sendError(notCreated), aborted: false, model: null });
  const changes = FITTING.includes(method);
  try {
    const result: unknown = await (m as unknown as Record<Method, (...a: unknown[]) => Promise<unknown>>)[method](...args);
    const value = result === m ? null : (result as DenseMatrix);
    const W = value && { rows: value.rows, cols: value.cols, data: ownArray(value.data) };
    running = null;
    const copy = changes ? copyOf(m) : null;
    progress.flush();
    post({ type: 'done', id, value: W, model: copy }, buffersOf([W, copy]));
  } catch (e) {
    running = null;
    const copy = changes ? copyOf(m) : null;
    progress.flush();
    const aborted = controller.signal.aborted && e === controller.signal.reason;
    post({ type: 'failed', id, error: sendError(e), aborted, model: copy }, buffersOf(copy));
  }
}

/** The running fit's W and H, moved to the owner; an NMFError when no fit runs (it ended, or none began). */
async function factors(id: number): Promise<void> {
  try {
    if (!running) throw new NMFError('No fit is running: the fit has ended (its result holds the final W and H), or has not reported yet.');
    const { W, H } = await running.factors();
    const own = (A: DenseMatrix) => ({ rows: A.rows, cols: A.cols, data: ownArray(A.data) });
    const reply = { type: 'factors' as const, id, W: own(W), H: own(H) };
    post(reply, buffersOf([reply.W, reply.H]));
  } catch (e) {
    post({ type: 'failed', id, error: sendError(e), aborted: false, model: null });
  }
}

/** Live buffers on this worker's WebGPU device (null when the model does not run on WebGPU). */
async function liveGpuBuffers(): Promise<number | null> {
  if (backendOption !== 'webgpu' && backendOption !== 'auto') return null;
  try {
    const backend = (await acquireBackend('webgpu', null)) as { liveBuffers?(): number };
    return backend.liveBuffers?.() ?? null;
  } catch {
    return null; // no adapter here
  }
}

/** The model a 'create' or 'load' message asks for. */
function makeModel(m: Extract<ToWorker, { type: 'create' | 'load' }>): NMF | MiniBatchNMF {
  if (m.type === 'create') {
    forwardProgress = m.progress;
    backendOption = m.options.backend ?? 'auto';
    const options = { ...m.options, ...hooks() };
    return m.kind === 'NMF' ? new NMF(options) : new MiniBatchNMF(options);
  }
  backendOption = m.options.backend ?? (m.saved as { params: { backend: unknown } }).params.backend;
  const options = { ...m.options, ...hooks() };
  return model instanceof MiniBatchNMF ? MiniBatchNMF.fromJSON(m.saved, options) : NMF.fromJSON(m.saved, options);
}

function onMessage(m: ToWorker): void {
  switch (m.type) {
    case 'create':
    case 'load':
      try {
        model = makeModel(m);
      } catch (e) {
        [model, notCreated] = [undefined, e];
      }
      return;
    case 'call': {
      const under = call(m);
      underWay.add(under);
      void under.finally(() => underWay.delete(under));
      return;
    }
    case 'abort':
      controller.abort(new DOMException('The fit was aborted.', 'AbortError'));
      return;
    case 'factors':
      void factors(m.id);
      return;
    case 'inspect':
      void liveGpuBuffers().then((n) => post({ type: 'inspected', id: m.id, liveGpuBuffers: n }));
      return;
    case 'close':
      void close();
      return;
  }
}

/** The calls this worker is running. */
const underWay = new Set<Promise<void>>();

/** Node's dispose(): stop what runs, let the GPU finish what it was given, then end this thread. */
async function close(): Promise<void> {
  controller.abort(new NMFError('The worker estimator was disposed.'));
  await Promise.allSettled([...underWay]);
  await drainOwnDevice();
  await new Promise((resolve) => setTimeout(resolve, 0)); // the drained promises' callbacks run first
  process.exit(0); // in a worker_threads Worker this ends the thread, not the process
}

if (nodePort) nodePort.on('message', onMessage);
else (globalThis as unknown as { onmessage: (e: MessageEvent<ToWorker>) => void }).onmessage = (e) => onMessage(e.data);
