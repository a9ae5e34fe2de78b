// One fit as the page lives it: Fit and Stop buttons, the status card, the live chart. Both pages
// run their jobs through this, so starting, stopping and failing look the same everywhere.

import type { FitClient, JobOutcome } from './fit-client.js';
import type { LossChart } from './loss-chart.js';
import type { Job, Stage } from './protocol.js';
import { formatInt, formatMs, type StatusCard } from './ui.js';

const STAGE_TEXT: Record<Stage, string> = {
  loading: 'Loading the corpus…',
  vectorizing: 'Building the document-term matrix…',
  fitting: 'Starting the fit…',
  summarizing: 'Reading topics and documents…',
};

export interface SessionParts {
  client: FitClient;
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

export class FitSession {
  private stopping = false;

  constructor(private readonly p: SessionParts) {
    p.stopButton.disabled = true;
    p.stopButton.addEventListener('click', () => this.stop());
    p.stopButton.title = 'Stop the fit (Esc)';
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.stop();
    });
  }

  get running(): boolean {
    return this.p.client.busy;
  }

  stop(): void {
    if (!this.running || this.stopping) return;
    this.stopping = true;
    this.p.stopButton.disabled = true;
    this.p.status.set('running', 'Stopping…');
    this.p.client.stop();
  }

  async run(job: Job): Promise<JobOutcome> {
    const { status, chart, fitButton, stopButton } = this.p;
    const maxIter = job.nmf.maxIter;
    this.stopping = false;
    fitButton.disabled = true;
    stopButton.disabled = false;
    status.clearMessages();
    status.progress(0);
    const fresh = ['iterations', 'per-iteration', 'error', 'time', 'backend', ...(job.kind === 'text' ? ['documents', 'terms', 'nonzeros'] : [])];
    for (const s of fresh) status.stat(s, '—');
    status.stat('backend', `${job.nmf.backend} → …`, 'where the fit runs is known when it ends (NMF#backendUsed)');
    chart.reset(job.nmf.solver === 'cd' ? 'violation' : 'loss');
    status.set('running', job.kind === 'text' ? STAGE_TEXT.loading : STAGE_TEXT.fitting);
    revealStatus(status.element);
    const started = performance.now();
    let lastIteration = 0;

    const outcome = await this.p.client.start(job, {
      onStage: (m) => {
        if (!this.stopping) status.set('running', m.detail ?? STAGE_TEXT[m.stage]);
      },
      onCorpus: (m) => {
        status.stat('documents', formatInt(m.stats.documents));
        status.stat('terms', formatInt(m.stats.terms));
        status.stat('nonzeros', `${formatInt(m.stats.nonzeros)} (${((100 * m.stats.nonzeros) / Math.max(1, m.stats.documents * m.stats.terms)).toFixed(2)}%)`);
      },
      onProgress: (m) => {
        const p = m.points[m.points.length - 1];
        lastIteration = p.iteration;
        const perIter = chart.add(m.points);
        status.progress(p.iteration / maxIter);
        status.stat('iterations', `${formatInt(p.iteration)} / ${formatInt(maxIter)}`);
        status.stat('per-iteration', formatMs(perIter));
        status.stat('time', formatMs(p.elapsedMs));
        if (!this.stopping) status.set('running', `Iteration ${formatInt(p.iteration)} of ${formatInt(maxIter)} · ${m.measure} ${p.value.toPrecision(4)}`);
      },
      onWarning: (m) => status.message(`${m.category}: ${m.message}`),
    });

    fitButton.disabled = false;
    stopButton.disabled = true;
    this.stopping = false;
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
        status.set('stopped', `Stopped at iteration ${formatInt(outcome.iteration || lastIteration)}. Change the settings or fit again.`);
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
