// The page's side of fit.worker.ts: one worker per page, one job at a time. start() resolves when
// the job ends (done, stopped or failed); messages of an older job are dropped.

import type { DenseResult, Environment, FitSummary, FromWorker, Job, TextResult, ToWorker } from './protocol.js';

export interface JobHandlers {
  onStage?(stage: Extract<FromWorker, { type: 'stage' }>): void;
  onCorpus?(message: Extract<FromWorker, { type: 'corpus' }>): void;
  onProgress?(message: Extract<FromWorker, { type: 'progress' }>): void;
  onWarning?(message: Extract<FromWorker, { type: 'warning' }>): void;
}

export type JobOutcome =
  | { status: 'done'; summary: FitSummary; result: TextResult | DenseResult }
  | { status: 'stopped'; iteration: number }
  | { status: 'error'; name: string; message: string };

export class FitClient {
  private readonly worker: Worker;
  private nextId = 1;
  private current: { id: number; handlers: JobHandlers; finish(outcome: JobOutcome): void } | null = null;
  /** what the worker found: WebGPU adapter, threads */
  readonly environment: Promise<Environment>;

  constructor() {
    this.worker = new Worker(new URL('./fit.worker.ts', import.meta.url), { type: 'module', name: 'webnmf fit' });
    let gotEnv: (env: Environment) => void;
    this.environment = new Promise((resolve) => (gotEnv = resolve));
    this.worker.addEventListener('message', (e: MessageEvent<FromWorker>) => {
      const m = e.data;
      if (m.type === 'env') return gotEnv(m.env);
      const job = this.current;
      if (!job || m.id !== job.id) return;
      switch (m.type) {
        case 'stage':
          return job.handlers.onStage?.(m);
        case 'corpus':
          return job.handlers.onCorpus?.(m);
        case 'progress':
          return job.handlers.onProgress?.(m);
        case 'warning':
          return job.handlers.onWarning?.(m);
        case 'done':
          return job.finish({ status: 'done', summary: m.summary, result: m.result });
        case 'stopped':
          return job.finish({ status: 'stopped', iteration: m.iteration });
        case 'error':
          return job.finish({ status: 'error', name: m.name, message: m.message });
      }
    });
    this.worker.addEventListener('error', (e) => {
      // a worker that fails to load or throws outside a job: end the job with the reason
      e.preventDefault();
      this.current?.finish({ status: 'error', name: 'WorkerError', message: e.message || 'the fit worker failed to start' });
    });
  }

  get busy(): boolean {
    return this.current !== null;
  }

  start(job: Job, handlers: JobHandlers = {}): Promise<JobOutcome> {
    if (this.current) throw new Error('a fit is already running');
    const id = this.nextId++;
    return new Promise<JobOutcome>((resolve) => {
      this.current = {
        id,
        handlers,
        finish: (outcome) => {
          if (this.current?.id !== id) return;
          this.current = null;
          resolve(outcome);
        },
      };
      // not transferred: a page keeps its data for the next fit
      this.post({ type: 'fit', id, job });
    });
  }

  /** Ask the running job to stop; start() then resolves with status 'stopped'. */
  stop(): void {
    if (this.current) this.post({ type: 'stop', id: this.current.id });
  }

  private post(message: ToWorker, transfer: Transferable[] = []): void {
    this.worker.postMessage(message, transfer);
  }
}
