// The progress line on stderr, fed by the fit's onProgress: iteration of maxIter, a bar, the
// convergence measure ('mu': loss; 'cd', 'pg': violation), ETA at the recent pace if every iteration
// runs. Drawn only when stderr is a terminal (piped output stays clean), from the first report on,
// redrawn at most every REDRAW_MS, and erased by stop().

import type { ProgressInfo } from '../params.js';

export interface Progress {
  update(info: ProgressInfo): void;
  stop(): void;
}

/** What progressBar writes to: a terminal stream, or a test's stand-in for one. */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

const BAR_WIDTH = 24;
const REDRAW_MS = 100;
/** Reports the ETA's pace is measured over. */
const PACE_WINDOW = 20;
/** Carriage return, then erase to the end of the line (ANSI EL). */
const REWRITE = '\r\x1b[K';

export function progressBar(maxIter: number, stream: ProgressStream = process.stderr): Progress {
  if (!stream.isTTY) return { update() {}, stop() {} };
  const recent: { iteration: number; ms: number }[] = [];
  let drawnAt = -Infinity;
  let drawn = false;
  return {
    update(info) {
      const now = performance.now();
      recent.push({ iteration: info.iteration, ms: now });
      if (recent.length > PACE_WINDOW) recent.shift();
      if (now - drawnAt < REDRAW_MS && info.iteration < maxIter) return;
      drawnAt = now;
      drawn = true;
      const line = progressLine(info, maxIter, eta(recent, maxIter));
      stream.write(REWRITE + (stream.columns ? line.slice(0, stream.columns - 1) : line));
    },
    stop() {
      if (drawn) stream.write(REWRITE);
    },
  };
}

/** Milliseconds left at the pace of the recent reports; null before there is a pace. */
function eta(recent: readonly { iteration: number; ms: number }[], maxIter: number): number | null {
  const first = recent[0];
  const last = recent[recent.length - 1];
  if (last.iteration <= first.iteration) return null;
  return ((last.ms - first.ms) / (last.iteration - first.iteration)) * Math.max(0, maxIter - last.iteration);
}

export function progressLine(info: ProgressInfo, maxIter: number, etaMs: number | null): string {
  const filled = Math.round(BAR_WIDTH * Math.min(1, Math.max(0, info.iteration / maxIter)));
  const bar = '█'.repeat(filled) + '░'.repeat(BAR_WIDTH - filled);
  const measure =
    info.nlsIteration !== undefined ? ` W subproblem, iteration ${info.nlsIteration}` // 'pg''s final W solve can take as long as the fit
    : info.loss !== undefined ? ` loss ${info.loss.toExponential(4)}`
    : info.violation !== undefined ? ` violation ${info.violation.toExponential(3)}`
    : info.step !== undefined ? ` step ${info.step}${info.batchCost !== undefined ? `, batch cost ${info.batchCost.toExponential(4)}` : ''}`
    : '';
  return `iteration ${info.iteration}/${maxIter} ${bar}${measure} | ETA ${etaMs === null ? '--' : duration(etaMs)}`;
}

/** 42s, 3m07s, 2h05m */
function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor(s / 60) % 60).padStart(2, '0')}m`;
}
