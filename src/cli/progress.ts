// The progress bar on stderr, fed by the fit's onProgress: iteration of maxIter, the convergence
// measure ('mu': loss; 'cd': violation), ETA at the current pace if every iteration runs.
// Drawn only when stderr is a terminal (piped output stays clean), from the first report on.

import cliProgress from 'cli-progress';
import type { ProgressInfo } from '../params.js';

export interface Progress {
  update(info: ProgressInfo): void;
  stop(): void;
}

export function progressBar(maxIter: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { update() {}, stop() {} };
  let bar: cliProgress.SingleBar | null = null;
  return {
    update(info) {
      if (!bar) {
        bar = new cliProgress.SingleBar(
          {
            stream,
            format: 'iteration {value}/{total} {bar} {measure} | ETA {eta_formatted}',
            barsize: 24,
            hideCursor: true,
            clearOnComplete: true,
            etaBuffer: 20,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(maxIter, 0, { measure: '' });
      }
      const measure =
        info.nlsIteration !== undefined ? `W subproblem, iteration ${info.nlsIteration}` // 'pg''s final W solve can take as long as the fit
        : info.loss !== undefined ? `loss ${info.loss.toExponential(4)}`
        : info.violation !== undefined ? `violation ${info.violation.toExponential(3)}`
        : info.step !== undefined ? `step ${info.step}${info.batchCost !== undefined ? `, batch cost ${info.batchCost.toExponential(4)}` : ''}`
        : '';
      bar.update(info.iteration, { measure });
    },
    stop() {
      bar?.stop();
    },
  };
}
