// The live convergence chart (uPlot): the solver's convergence measure — the loss for 'mu', the
// relative projected-gradient violation for 'cd' and 'pg' (log axis), MiniBatchNMF's batch cost per
// step — and the time per iteration on the right. 'mu' with tol = 0 computes no loss (as
// scikit-learn), so then the time per iteration is all there is to draw.

import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export type Measure = 'loss' | 'violation' | 'batch cost' | 'time';

const MEASURE_LABEL: Record<Measure, string> = {
  loss: 'loss √(2·β-div.)',
  violation: 'relative violation',
  'batch cost': 'batch cost',
  time: 'ms / iteration',
};

/** Log-axis labels: plain numbers in [0.001, 1e4], else 1e−5 style. */
function logTick(v: number | null): string {
  if (v === null || v <= 0) return '';
  if (v >= 1e-3 && v <= 1e4) return String(+v.toPrecision(3));
  const e = Math.round(Math.log10(v));
  const m = v / 10 ** e;
  return `${Math.abs(m - 1) < 1e-6 ? '' : `${+m.toPrecision(2)}·`}1e${e < 0 ? '−' : ''}${Math.abs(e)}`;
}

const ITERATION_STEPS = [1, 2, 5].flatMap((m) => [1, 10, 100, 1000, 10_000, 100_000].map((e) => m * e)).sort((a, b) => a - b);

export class LossChart {
  private plot: uPlot | null = null;
  private readonly iterations: number[] = [];
  private readonly values: (number | null)[] = [];
  private readonly msPerIter: (number | null)[] = [];
  private measure: Measure = 'loss';
  private lastIter = 0;
  private lastElapsed = 0;
  private frame = 0;
  private readonly resize = new ResizeObserver(() => this.fit());

  constructor(private readonly root: HTMLElement) {
    this.resize.observe(root);
    this.placeholder('The convergence curve is drawn here while a fit runs.');
  }

  /** Forget the points; the next fit reports `measure`. The plot appears with the first point. */
  reset(measure: Measure): void {
    this.iterations.length = 0;
    this.values.length = 0;
    this.msPerIter.length = 0;
    this.lastIter = 0;
    this.lastElapsed = 0;
    this.measure = measure;
    this.plot?.destroy();
    this.plot = null;
    this.placeholder('Waiting for the first iteration…');
  }

  private placeholder(text: string): void {
    const empty = document.createElement('div');
    empty.className = 'empty';
    empty.textContent = text;
    this.root.replaceChildren(empty);
  }

  /** Progress reports, in order; returns the time per iteration over the last of them. */
  add(points: readonly { x: number; value: number; elapsedMs: number }[]): number {
    let perIter = NaN;
    for (const p of points) {
      perIter = (p.elapsedMs - this.lastElapsed) / Math.max(1, p.x - this.lastIter);
      this.lastIter = p.x;
      this.lastElapsed = p.elapsedMs;
      this.iterations.push(p.x);
      this.values.push(p.value > 0 ? p.value : null);
      this.msPerIter.push(perIter);
    }
    this.scheduleRedraw();
    return perIter;
  }

  /** At most one redraw per animation frame, however fast the reports come. */
  private scheduleRedraw(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.redraw();
    });
  }

  get plotted(): Measure {
    return this.measure;
  }

  get points(): number {
    return this.iterations.length;
  }

  /** What the test reads: the plotted measure (the time per iteration when that is all), in order. */
  get series(): number[] {
    return (this.measure === 'time' ? this.msPerIter : this.values).filter((v): v is number => v !== null && Number.isFinite(v));
  }

  private redraw(): void {
    if (this.iterations.length === 0) return;
    this.plot ??= this.create();
    this.plot.setData(this.measure === 'time' ? [this.iterations, this.msPerIter] : [this.iterations, this.values, this.msPerIter]);
  }

  private size(): { width: number; height: number } {
    const width = Math.max(240, this.root.clientWidth);
    return { width, height: Math.round(Math.min(320, Math.max(220, width * 0.36))) };
  }

  private fit(): void {
    if (!this.plot) return;
    const { width, height } = this.size();
    if (width !== this.plot.width || height !== this.plot.height) this.plot.setSize({ width, height });
  }

  private create(): uPlot {
    const x = this.measure === 'batch cost' ? 'step' : 'iteration';
    const grid = { stroke: '#eef0f4' };
    const ticks = { stroke: '#e3e6eb' };
    const time: uPlot.Series = {
      label: 'ms / iteration',
      scale: 'ms',
      stroke: this.measure === 'time' ? '#b07aa1' : 'rgb(176 122 161 / 70%)',
      width: this.measure === 'time' ? 2 : 1,
      dash: this.measure === 'time' ? undefined : [4, 3],
      points: this.measure === 'time' ? { size: 5 } : { show: false },
      value: (_u, v) => (v === null ? '—' : v.toFixed(v < 10 ? 2 : 1)),
    };
    const timeAxis: uPlot.Axis = { scale: 'ms', side: this.measure === 'time' ? 3 : 1, label: `ms / ${x}`, stroke: '#b07aa1', size: 56, grid: this.measure === 'time' ? grid : { show: false }, ticks };
    const measure: uPlot.Series = {
      label: this.measure,
      scale: 'y',
      stroke: '#3559e0',
      width: 2,
      points: { size: 5 },
      value: (_u, v) => (v === null ? '—' : v.toPrecision(4)),
    };
    const measureAxis: uPlot.Axis = {
      scale: 'y',
      label: MEASURE_LABEL[this.measure],
      stroke: '#667085',
      size: 64,
      grid,
      ticks,
      values: (_u, t) => t.map(this.measure === 'violation' ? logTick : (v) => (v === null ? '' : String(+v.toPrecision(6)))),
    };
    const onlyTime = this.measure === 'time';
    const opts: uPlot.Options = {
      ...this.size(),
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: { time: false },
        // the violation falls by decades; the loss moves by a few percent, so a linear axis shows it
        y: { distr: this.measure === 'violation' ? 3 : 1 },
        ms: { range: (_u, _min, max) => [0, Math.max(1e-3, max) * 1.15] },
      },
      axes: [
        // iterations are whole numbers: no 1.5 on this axis
        { label: x, stroke: '#667085', grid, ticks, incrs: ITERATION_STEPS },
        ...(onlyTime ? [timeAxis] : [measureAxis, timeAxis]),
      ],
      series: [{ label: x }, ...(onlyTime ? [time] : [measure, time])],
    };
    this.root.replaceChildren();
    return new uPlot(opts, onlyTime ? [[], []] : [[], [], []], this.root);
  }
}
