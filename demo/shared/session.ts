// One fit as the page lives it: Fit and Stop buttons, the status card, the live chart. The fit runs
// in a WorkerNMF (webnmf/worker), made for the run and disposed after it; Stop aborts its signal.
// Both pages run their jobs through this, so starting, stopping and failing look the same everywhere.

import type { DenseMatrix, MatrixInput, ProgressInfo } from '../../src/index.js';
import { WorkerNMF, type TransferOption } from '../../src/worker/index.js';
import type { LossChart } from './loss-chart.js';
import type { NmfSettings } from './nmf-form.js';
import { formatInt, formatMs, type StatusCard } from './ui.js';

export interface FitSummary {
  nIter: number;
  reconstructionErr: number;
  backendUsed: string;
  fitMs: number;
  nComponents: number;
}

export type JobOutcome<R> =
  | { status: 'done'; summary: FitSummary; result: R }
  | { status: 'stopped'; iteration: number }
  | { status: 'error'; name: string; message: string };

export interface Job<R> {
  nmf: NmfSettings;
  /** the status card's stats the job fills in, reset when it starts */
  stats: string[];
  /** the status line until the job says otherwise */
  firstStage: string;
  /**
   * The job: prepares X (saying what it does through `stage`, which also throws once Stop was
   * pressed), fits it with `fit`, and turns W and H into what the page draws.
   */
  run(fit: (X: MatrixInput, options?: TransferOption) => Promise<{ W: DenseMatrix; H: DenseMatrix }>, stage: (text: string) => Promise<void>): Promise<R>;
}

export interface SessionParts {
  status: StatusCard;
  chart: LossChart;
  fitButton: HTMLButtonElement;
  stopButton: HTMLButtonElement;
}

/** On one-column layouts the results sit below the form: bring the status card into view. */
function revealStatus(card: HTMLElement): void {
  const top = card.getBoundingClientRect().top;
  if (top < 0 || top > window.innerHeight * 0.6) card.scrollIntoView({ behavior: 'smooth', block: 'start' });
}

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

export class FitSession {
  private controller: AbortController | null = null;

  constructor(private readonly p: SessionParts) {
    p.stopButton.disabled = true;
    p.stopButton.addEventListener('click', () => this.stop());
    p.stopButton.title = 'Stop the fit (Esc)';
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.stop();
    });
  }

  get running(): boolean {
    return this.controller !== null;
  }

  stop(): void {
    if (!this.controller || this.controller.signal.aborted) return;
    this.p.stopButton.disabled = true;
    this.p.status.set('running', 'Stopping…');
    this.controller.abort(new DOMException('Stopped by the user.', 'AbortError'));
  }

  async run<R>(job: Job<R>): Promise<JobOutcome<R>> {
    const { status, chart, fitButton, stopButton } = this.p;
    const maxIter = job.nmf.maxIter;
    const controller = (this.controller = new AbortController());
    fitButton.disabled = true;
    stopButton.disabled = false;
    status.clearMessages();
    status.progress(0);
    for (const s of ['iterations', 'per-iteration', 'error', 'time', 'backend', ...job.stats]) status.stat(s, '—');
    status.stat('backend', `${job.nmf.backend} → …`, 'where the fit runs is known when it ends (NMF#backendUsed)');
    chart.reset(job.nmf.solver === 'cd' ? 'violation' : 'loss');
    status.set('running', job.firstStage);
    revealStatus(status.element);
    const started = performance.now();
    const progress = new ProgressView(this.p, maxIter, () => !controller.signal.aborted);
    const stage = async (text: string) => {
      controller.signal.throwIfAborted();
      status.set('running', text);
      await nextFrame(); // let the line paint before the page computes
      controller.signal.throwIfAborted();
    };

    let outcome: JobOutcome<R>;
    let model: WorkerNMF | undefined;
    let fitMs = 0;
    try {
      // made now, so the worker starts while the job prepares X; bad options throw here, as NMF's do
      model = new WorkerNMF({ ...job.nmf, signal: controller.signal, onProgress: (p) => progress.add(p), onWarning: (w) => status.message(`${w.category}: ${w.message}`) });
      const fitting = model;
      const result = await job.run(async (X, options = {}) => {
        const t0 = performance.now();
        const W = await fitting.fitTransform(X, options);
        fitMs = performance.now() - t0;
        return { W, H: fitting.components! };
      }, stage);
      progress.flush();
      const summary = { nIter: model.nIter ?? 0, reconstructionErr: model.reconstructionErr ?? NaN, backendUsed: model.backendUsed ?? 'unknown', fitMs, nComponents: model.nComponentsOut ?? 0 };
      outcome = { status: 'done', summary, result };
    } catch (e) {
      progress.flush();
      outcome = controller.signal.aborted ? { status: 'stopped', iteration: progress.iteration } : { status: 'error', name: (e as Error).name ?? 'Error', message: (e as Error).message ?? String(e) };
    } finally {
      model?.dispose();
      this.controller = null;
    }

    fitButton.disabled = false;
    stopButton.disabled = true;
    const wall = formatMs(performance.now() - started);
    switch (outcome.status) {
      case 'done':
        status.progress(1);
        status.summary(outcome.summary);
        status.set(
          'done',
          `${outcome.summary.nIter < maxIter ? 'Converged after' : 'Reached the limit of'} ${formatInt(outcome.summary.nIter)} iterations on ${outcome.summary.backendUsed} (${wall} in all).`,
        );
        break;
      case 'stopped':
        status.set('stopped', `Stopped at iteration ${formatInt(outcome.iteration)}. Change the settings or fit again.`);
        status.stat('backend', '—');
        break;
      case 'error':
        status.progress(0);
        status.stat('backend', '—');
        status.set('error', 'The fit did not run.');
        status.message(`${outcome.name}: ${outcome.message}`, 'error');
        break;
    }
    return outcome;
  }
}

/** Progress reports drawn once per frame: a CPU fit may report thousands of iterations a second. */
class ProgressView {
  private points: { iteration: number; value: number; elapsedMs: number }[] = [];
  private measure = 'loss';
  private scheduled = false;
  iteration = 0;

  constructor(private readonly p: SessionParts, private readonly maxIter: number, private readonly live: () => boolean) {}

  add(r: ProgressInfo): void {
    this.measure = r.loss !== undefined ? 'loss' : 'violation';
    this.points.push({ iteration: r.iteration, value: r.loss ?? r.violation ?? NaN, elapsedMs: r.elapsedMs });
    this.iteration = r.iteration;
    if (!this.scheduled) {
      this.scheduled = true;
      requestAnimationFrame(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    if (this.points.length === 0) return;
    const { status, chart } = this.p;
    const last = this.points[this.points.length - 1];
    const perIter = chart.add(this.points);
    this.points = [];
    status.progress(last.iteration / this.maxIter);
    status.stat('iterations', `${formatInt(last.iteration)} / ${formatInt(this.maxIter)}`);
    status.stat('per-iteration', formatMs(perIter));
    status.stat('time', formatMs(last.elapsedMs));
    if (this.live()) status.set('running', `Iteration ${formatInt(last.iteration)} of ${formatInt(this.maxIter)} · ${this.measure} ${last.value.toPrecision(4)}`);
  }
}
