// One fit as the page lives it: Fit and Stop buttons, the status card, the live chart, and the live
// components. The estimator is made for the run and disposed after it (estimator.ts: in
// webnmf/worker's worker, or on the page for gpujs); Stop aborts the run's signal, which also ends
// whatever the job does before the fit (loading a corpus). Both pages run their jobs through this, so
// starting, stopping and failing look the same everywhere.

import { InvalidParameterError, type DenseMatrix, type MatrixInput, type ProgressInfo, type RunningFit, type SavedMiniBatchNMF, type SavedNMF } from '../../src/index.js';
import { makeEstimator, type PageEstimator } from './estimator.js';
import type { LossChart, Measure } from './loss-chart.js';
import { FormError, labelOf, measureNote, type NmfSettings } from './nmf-form.js';
import { formatInt, formatMs, type StatusCard } from './ui.js';

export interface FitSummary {
  nIter: number;
  reconstructionErr: number;
  backendUsed: string;
  fitMs: number;
  /** the mean over the reported iterations (steps for MiniBatchNMF); NaN when none was reported */
  msPerIteration: number;
  nComponents: number;
}

/** What a fit gives the job: the factors, the model as toJSON saves it, and its figures. */
export interface FitOutput {
  W: DenseMatrix;
  H: DenseMatrix;
  model: SavedNMF | SavedMiniBatchNMF;
  summary: FitSummary;
}

export type JobOutcome<R> =
  | { status: 'done'; summary: FitSummary; result: R }
  | { status: 'stopped'; iteration: number; during: string }
  | { status: 'error'; name: string; message: string; cause: unknown };

export type FitFunction = (X: MatrixInput, options?: { transfer?: boolean }) => Promise<FitOutput>;

export interface Job<R> {
  nmf: NmfSettings;
  /** the status card's stats the job fills in, reset when it starts */
  stats: string[];
  /** the status line until the job says otherwise */
  firstStage: string;
  /** what the status calls this fit when it ends ("Side by side: "), if not the page's main one */
  title?: string;
  /** the fit's components while it runs (NMF), at most every LIVE_EVERY_MS */
  live?(H: DenseMatrix, iteration: number): void;
  /**
   * The job: prepares X (saying what it does through `stage`, which also throws once Stop was
   * pressed; `signal` ends its own waits at once), fits it with `fit`, and turns the fit into what
   * the page draws.
   */
  run(fit: FitFunction, stage: (text: string) => Promise<void>, signal: AbortSignal): Promise<R>;
}

export interface SessionParts {
  status: StatusCard;
  chart: LossChart;
  fitButton: HTMLButtonElement;
  stopButton: HTMLButtonElement;
}

/** Live components are read at most this often (on a GPU each read is a readback of W and H). */
const LIVE_EVERY_MS = 400;

/** On one-column layouts the results sit below the form: bring the status card into view. */
function revealStatus(card: HTMLElement): void {
  const top = card.getBoundingClientRect().top;
  if (top < 0 || top > window.innerHeight * 0.6) card.scrollIntoView({ behavior: 'smooth', block: 'start' });
}

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

/** The form field an InvalidParameterError's option stands for (pg's beta and eta have their own names). */
const FIELD_OF_PARAMETER: Record<string, string> = { beta: 'pgBeta', eta: 'pgEta' };

export class FitSession {
  private controller: AbortController | null = null;
  private view: ProgressView | null = null;

  constructor(private readonly p: SessionParts) {
    p.stopButton.disabled = true;
    p.stopButton.addEventListener('click', () => this.stop());
    p.stopButton.title = 'Stop the fit (Esc)';
    document.addEventListener('keydown', (e) => {
      // Esc closes an open dialog first (the browser does that); it stops a fit otherwise
      if (e.key === 'Escape' && !e.defaultPrevented && !document.querySelector('dialog[open]')) this.stop();
    });
  }

  get running(): boolean {
    return this.controller !== null;
  }

  /** The iteration (MiniBatchNMF: epoch) of the last progress report the page received. */
  get lastIteration(): number {
    return this.view?.iteration ?? 0;
  }

  stop(): void {
    if (!this.controller || this.controller.signal.aborted) return;
    this.p.stopButton.disabled = true;
    this.p.status.set('running', 'Stopping…');
    this.controller.abort(new DOMException('Stopped by the user.', 'AbortError'));
  }

  /** A mistake in the form, shown as the status (the field is marked and focused). */
  refuse(e: FormError | InvalidParameterError): void {
    this.p.status.clearMessages();
    const name = e instanceof FormError ? e.field : (FIELD_OF_PARAMETER[e.parameter] ?? e.parameter);
    const field = document.querySelector<HTMLElement>(`#controls [name='${name}']`);
    this.p.status.set('error', 'Check the settings: the fit did not run.');
    this.p.status.message(field && !(e instanceof FormError) ? `${labelOf(field)}: ${e.message}` : e.message, 'error');
    markInvalid(field);
  }

  async run<R>(job: Job<R>): Promise<JobOutcome<R>> {
    const { status, chart, fitButton, stopButton } = this.p;
    const controller = (this.controller = new AbortController());
    const signal = controller.signal;
    markInvalid(null);
    fitButton.disabled = true;
    stopButton.disabled = false;
    status.clearMessages();
    status.progress(0);
    for (const s of ['iterations', 'per-iteration', 'error', 'time', 'backend', ...job.stats]) status.stat(s, '—');
    status.stat('backend', `${job.nmf.backend} → …`, 'where the fit runs is known when it ends (backendUsed)');
    const minibatch = job.nmf.estimator === 'MiniBatchNMF';
    chart.reset(minibatch ? 'batch cost' : job.nmf.solver === 'mu' ? (job.nmf.tol === 0 ? 'time' : 'loss') : 'violation');
    const chartSub = document.querySelector('#chart-sub');
    if (chartSub) chartSub.textContent = measureNote(job.nmf);
    status.set('running', job.firstStage);
    revealStatus(status.element);
    const started = performance.now();
    const progress = (this.view = new ProgressView(this.p, job.nmf, () => !signal.aborted));
    let during = job.firstStage;
    const stage = async (text: string) => {
      signal.throwIfAborted();
      during = text;
      status.set('running', text);
      await nextFrame(); // let the line paint before the page computes
      signal.throwIfAborted();
    };
    const live = job.live && new LiveComponents(job.live);

    let outcome: JobOutcome<R>;
    let model: PageEstimator | undefined;
    const fitted: { summary?: FitSummary } = {};
    try {
      model = await makeEstimator(job.nmf, {
        signal,
        onProgress: (info, fit) => {
          progress.add(info);
          live?.offer(info, fit);
        },
        onWarning: (w) => status.message(`${w.category}: ${w.message}`),
      });
      const fitting = model;
      if (fitting.thread === 'page') status.message('gpu.js runs on the page’s thread (a worker cannot be handed gpu.js): the page may respond slowly until the fit ends.');
      const result = await job.run(async (X, options = {}) => {
        progress.rowsAre(Array.isArray(X) ? X.length : (X as { rows: number }).rows);
        const t0 = performance.now();
        const W = await fitting.fitTransform(X, options);
        const summary = (fitted.summary = {
          nIter: fitting.nIter ?? 0,
          reconstructionErr: fitting.reconstructionErr ?? NaN,
          backendUsed: fitting.backendUsed ?? 'unknown',
          fitMs: performance.now() - t0,
          msPerIteration: progress.meanMs(),
          nComponents: fitting.nComponentsOut ?? 0,
        });
        return { W, H: fitting.components!, model: fitting.toJSON(), summary };
      }, stage, signal);
      progress.flush();
      if (!fitted.summary) throw new Error('the job returned without fitting');
      outcome = { status: 'done', summary: fitted.summary, result };
    } catch (e) {
      progress.flush();
      outcome = signal.aborted
        ? { status: 'stopped', iteration: progress.iteration, during }
        : { status: 'error', name: (e as Error).name ?? 'Error', message: (e as Error).message ?? String(e), cause: e };
    } finally {
      model?.dispose();
      this.controller = null;
    }

    this.finish();
    const wall = formatMs(performance.now() - started);
    switch (outcome.status) {
      case 'done': {
        const s = outcome.summary;
        const limit = job.nmf.maxIter;
        const unit = minibatch ? 'epochs' : 'iterations';
        status.progress(1);
        status.summary(s);
        status.set('done', `${job.title ?? ''}${s.nIter < limit ? 'Converged after' : 'Reached the limit of'} ${formatInt(s.nIter)} ${unit} on ${s.backendUsed} (${wall} in all).`);
        break;
      }
      case 'stopped':
        status.set(
          'stopped',
          outcome.iteration > 0
            ? `Stopped at iteration ${formatInt(outcome.iteration)}. Change the settings or fit again.`
            : `Stopped before the first iteration (${outcome.during.replace(/…$/, '').replace(/^./, (c) => c.toLowerCase())}).`,
        );
        status.stat('backend', '—');
        break;
      case 'error':
        if (outcome.cause instanceof InvalidParameterError || outcome.cause instanceof FormError) {
          this.refuse(outcome.cause);
          break;
        }
        status.progress(0);
        status.stat('backend', '—');
        status.set('error', 'The fit did not run to the end.');
        status.message(`${outcome.name}: ${outcome.message}`, 'error');
        break;
    }
    return outcome;
  }

  private finish(): void {
    this.p.fitButton.disabled = false;
    this.p.stopButton.disabled = true;
  }
}

function markInvalid(field: HTMLElement | null): void {
  for (const el of Array.from(document.querySelectorAll('#controls [aria-invalid]'))) el.removeAttribute('aria-invalid');
  if (!field) return;
  field.setAttribute('aria-invalid', 'true');
  field.closest('details')?.setAttribute('open', '');
  field.focus({ preventScroll: false });
}

/** Reads the running fit's factors now and then, one read at a time, and hands H to the page. */
class LiveComponents {
  private reading = false;
  private last = -Infinity;

  constructor(private readonly show: (H: DenseMatrix, iteration: number) => void) {}

  offer(info: ProgressInfo, fit: RunningFit | undefined): void {
    if (!fit || this.reading || performance.now() - this.last < LIVE_EVERY_MS) return;
    this.reading = true;
    fit
      .factors()
      .then(({ H }) => this.show(H, info.iteration))
      // the fit ended (or stopped) before the read: its result, or nothing, is drawn instead
      .catch(() => {})
      .finally(() => {
        this.reading = false;
        this.last = performance.now();
      });
  }
}

/** Progress reports drawn once per frame: a CPU fit may report thousands of iterations a second. */
class ProgressView {
  private points: { x: number; value: number; elapsedMs: number }[] = [];
  private scheduled = false;
  private last: { x: number; elapsedMs: number } | null = null;
  /** MiniBatchNMF: steps in the whole fit (maxIter epochs of ⌈rows / batchSize⌉ steps) */
  private totalSteps = 0;
  iteration = 0;

  constructor(private readonly p: SessionParts, private readonly nmf: NmfSettings, private readonly live: () => boolean) {}

  rowsAre(rows: number): void {
    this.totalSteps = this.nmf.maxIter * Math.ceil(rows / Math.max(1, this.nmf.minibatch.batchSize));
  }

  add(r: ProgressInfo): void {
    const x = r.step ?? r.iteration;
    this.points.push({ x, value: r.loss ?? r.violation ?? r.batchCost ?? NaN, elapsedMs: r.elapsedMs });
    this.iteration = r.iteration;
    this.last = { x, elapsedMs: r.elapsedMs };
    if (!this.scheduled) {
      this.scheduled = true;
      requestAnimationFrame(() => this.flush());
    }
  }

  /** The mean time per reported iteration (per step for MiniBatchNMF). */
  meanMs(): number {
    return this.last && this.last.x > 0 ? this.last.elapsedMs / this.last.x : NaN;
  }

  flush(): void {
    this.scheduled = false;
    if (this.points.length === 0) return;
    const { status, chart } = this.p;
    const last = this.points[this.points.length - 1];
    const perIter = chart.add(this.points);
    this.points = [];
    const minibatch = this.nmf.estimator === 'MiniBatchNMF';
    const total = minibatch ? this.totalSteps : this.nmf.maxIter;
    status.progress(total > 0 ? last.x / total : 0);
    status.stat('iterations', minibatch ? `epoch ${formatInt(this.iteration)} · step ${formatInt(last.x)}` : `${formatInt(last.x)} / ${formatInt(total)}`);
    status.stat('per-iteration', formatMs(perIter));
    status.stat('time', formatMs(last.elapsedMs));
    if (!this.live()) return;
    const measure: Measure = chart.plotted;
    const where = minibatch ? `Step ${formatInt(last.x)} of ${formatInt(total)} (epoch ${formatInt(this.iteration)})` : `Iteration ${formatInt(last.x)} of ${formatInt(total)}`;
    const value = Number.isFinite(last.value) ? ` · ${measure} ${last.value.toPrecision(4)}` : '';
    status.set('running', `${where}${value}`);
  }
}
