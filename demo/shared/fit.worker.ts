// The demo's fit worker: loads and vectorizes a corpus, runs the NMF, summarizes the result, so the
// page never blocks. One job at a time; 'stop' aborts it through the fit's AbortSignal.

import { SOFTWARE_ADAPTER } from '../../src/backend/select.js';
import { NMF, type NMFWarning, type ProgressInfo } from '../../src/index.js';
import { summarizeTopics, vectorizeCorpus } from '../topics/pipeline.js';
import type { DenseResult, Environment, FromWorker, Job, ProgressPoint, Stage, ToWorker } from './protocol.js';

/** The parts of DedicatedWorkerGlobalScope used here (the demo compiles against the DOM lib). */
interface WorkerScope {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<ToWorker>) => void): void;
  crossOriginIsolated?: boolean;
}
const scope = globalThis as unknown as WorkerScope;
const post = (m: FromWorker, transfer: Transferable[] = []) => scope.postMessage(m, transfer);


async function probeEnvironment(): Promise<Environment> {
  const base = { crossOriginIsolated: scope.crossOriginIsolated === true, cores: navigator.hardwareConcurrency || 1 };
  if (!('gpu' in navigator) || !navigator.gpu) return { ...base, adapter: null, reason: 'this browser has no navigator.gpu in workers' };
  try {
    const adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return { ...base, adapter: null, reason: 'requestAdapter() found no adapter' };
    const { vendor, architecture, description } = adapter.info;
    const fallback = (adapter.info as { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
    // the library's rule for adapters that backend 'auto' passes over, so the header says what 'auto' will do
    const software = fallback || SOFTWARE_ADAPTER.test(`${vendor} ${architecture} ${description}`);
    return { ...base, adapter: { vendor, architecture, description, software } };
  } catch (e) {
    return { ...base, adapter: null, reason: `requestAdapter() failed: ${(e as Error).message}` };
  }
}

let running: { id: number; controller: AbortController; iteration: number } | null = null;

scope.addEventListener('message', (e) => {
  const m = e.data;
  if (m.type === 'stop') {
    if (running?.id === m.id) running.controller.abort(new DOMException('Stopped by the user.', 'AbortError'));
    return;
  }
  void runJob(m.id, m.job);
});

async function runJob(id: number, job: Job): Promise<void> {
  const controller = new AbortController();
  const state = { id, controller, iteration: 0 };
  running = state;
  const stage = (s: Stage, detail?: string) => post({ type: 'stage', id, stage: s, detail });
  const checkStopped = () => controller.signal.throwIfAborted();
  const progress = new ProgressBatch(id);
  try {
    const model = new NMF({
      ...job.nmf,
      signal: controller.signal,
      onProgress: (p: ProgressInfo) => {
        state.iteration = p.iteration;
        progress.add(p);
      },
      onWarning: (w: NMFWarning) => post({ type: 'warning', id, category: w.category, message: w.message }),
    });

    if (job.kind === 'text') {
      const t0 = performance.now();
      const data = await vectorizeCorpus(job.corpus, job.vectorizer, stage);
      checkStopped();
      post({ type: 'corpus', id, stats: { documents: data.X.rows, terms: data.X.cols, nonzeros: data.X.indptr[data.X.rows], ms: performance.now() - t0 } });
      stage('fitting', `Fitting ${job.nmf.nComponents} topics to ${data.X.rows.toLocaleString('en-US')} documents…`);
      const fitStart = performance.now();
      const W = await model.fitTransform(data.X);
      const fitMs = performance.now() - fitStart;
      progress.flush();
      stage('summarizing');
      const result = summarizeTopics(data, W, model.components!, job.topWords, job.heatmapRows);
      post({ type: 'done', id, summary: summary(model, fitMs), result }, [result.heatmap.shares.buffer]);
    } else {
      stage('fitting', `Fitting ${job.nmf.nComponents} components to ${job.rows} × ${job.cols}…`);
      const fitStart = performance.now();
      const W = await model.fitTransform({ rows: job.rows, cols: job.cols, data: job.data });
      const fitMs = performance.now() - fitStart;
      progress.flush();
      const result: DenseResult = { kind: 'dense', components: Float64Array.from(model.components!.data), codes: Float64Array.from(W.data) };
      post({ type: 'done', id, summary: summary(model, fitMs), result }, [result.components.buffer, result.codes.buffer]);
    }
  } catch (e) {
    progress.flush();
    if (controller.signal.aborted) post({ type: 'stopped', id, iteration: state.iteration });
    else post({ type: 'error', id, name: (e as Error).name ?? 'Error', message: (e as Error).message ?? String(e) });
  } finally {
    if (running === state) running = null;
  }
}

/** Progress reports go to the page at most every FLUSH_MS: one message per iteration would swamp it. */
const FLUSH_MS = 40;

class ProgressBatch {
  private points: ProgressPoint[] = [];
  private measure: 'loss' | 'violation' = 'loss';
  private lastFlush = 0;

  constructor(private readonly id: number) {}

  add(p: ProgressInfo): void {
    this.measure = p.loss !== undefined ? 'loss' : 'violation';
    this.points.push({ iteration: p.iteration, value: p.loss ?? p.violation ?? NaN, elapsedMs: p.elapsedMs });
    // the first report goes at once, so the chart starts as soon as the fit does
    if (this.lastFlush === 0 || performance.now() - this.lastFlush >= FLUSH_MS) this.flush();
  }

  flush(): void {
    this.lastFlush = performance.now();
    if (this.points.length === 0) return;
    post({ type: 'progress', id: this.id, measure: this.measure, points: this.points });
    this.points = [];
  }
}

function summary(model: NMF, fitMs: number) {
  return {
    nIter: model.nIter ?? 0,
    reconstructionErr: model.reconstructionErr ?? NaN,
    backendUsed: model.backendUsed ?? 'unknown',
    fitMs,
    nComponents: model.nComponentsOut ?? 0,
  };
}

void probeEnvironment().then((env) => post({ type: 'env', env }));
