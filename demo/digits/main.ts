// The digits page: NMF of 600 8×8 handwritten digits; components drawn as images, and a few digits
// rebuilt from their largest parts.

import { LossChart } from '../shared/loss-chart.js';
import { bindNmfForm } from '../shared/nmf-form.js';
import type { DemoProbe } from '../shared/probe.js';
import { FitSession } from '../shared/session.js';
import { $, StatusCard, formatInt, h, markStale, probeEnvironment, showEnvironment } from '../shared/ui.js';
import { DIGIT_COUNT, DIGIT_LABELS, DIGIT_PIXELS } from './digits-data.js';

const SIDE = 8;
const PIXELS = SIDE * SIDE;
/** Digits shown in the data strip and rebuilt below the components. */
const SAMPLE_STRIP = 20;
const RECONSTRUCTED = 5;
const PARTS_SHOWN = 4;

/** X: 600 × 64, pixel values 0..16 (base-17 characters in digits-data.ts). */
const X = new Float64Array(DIGIT_COUNT * PIXELS);
DIGIT_PIXELS.forEach((row, i) => {
  for (let j = 0; j < PIXELS; j++) X[i * PIXELS + j] = parseInt(row[j], 17);
});

/** Colour ramps from 0 to the maximum: ink on paper for digits, white → blue → navy for parts. */
type Ramp = readonly (readonly number[])[];
const INK: Ramp = [
  [255, 255, 255],
  [22, 28, 45],
];
const PART: Ramp = [
  [255, 255, 255],
  [84, 120, 240],
  [16, 26, 84],
];

function rampAt(ramp: Ramp, t: number, c: number): number {
  const x = t * (ramp.length - 1);
  const i = Math.min(ramp.length - 2, Math.floor(x));
  return Math.round(ramp[i][c] + (ramp[i + 1][c] - ramp[i][c]) * (x - i));
}

/** An 8×8 canvas of `values` (row-major) on `ramp`, 0 to `max`; CSS scales it up crisply. */
function pixelCanvas(values: ArrayLike<number>, max: number, ramp: Ramp, label: string): HTMLCanvasElement {
  const canvas = h('canvas', { width: SIDE, height: SIDE, role: 'img', 'aria-label': label });
  const g = canvas.getContext('2d')!;
  const img = g.createImageData(SIDE, SIDE);
  for (let p = 0; p < PIXELS; p++) {
    const t = max > 0 ? Math.max(0, Math.min(1, values[p] / max)) : 0;
    for (let c = 0; c < 3; c++) img.data[p * 4 + c] = rampAt(ramp, t, c);
    img.data[p * 4 + 3] = 255;
  }
  g.putImageData(img, 0, 0);
  return canvas;
}

function maxOf(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) if (a[i] > m) m = a[i];
  return m;
}

const digit = (i: number) => X.subarray(i * PIXELS, (i + 1) * PIXELS);

// ---------- the data strip ----------

$('#samples').replaceChildren(
  ...Array.from({ length: SAMPLE_STRIP }, (_, i) => h('figure', { class: 'tile' }, pixelCanvas(digit(i), 16, INK, `digit ${DIGIT_LABELS[i]}`), `“${DIGIT_LABELS[i]}”`)),
);
$('#data-sub').textContent = `${SAMPLE_STRIP} of ${formatInt(DIGIT_COUNT)} digits, 8 × 8 pixels, values 0–16`;

// ---------- the fit ----------

const form = $<HTMLFormElement>('#controls');
const nmfForm = bindNmfForm(form);
const status = new StatusCard($('#status'));
const chart = new LossChart($('#chart'));
const session = new FitSession({ status, chart, fitButton: $<HTMLButtonElement>('#fit'), stopButton: $<HTMLButtonElement>('#stop') });
void probeEnvironment().then(showEnvironment);

let nonzeros = 0;
for (const v of X) if (v !== 0) nonzeros++;
const showDataStats = () => {
  status.stat('documents', formatInt(DIGIT_COUNT));
  status.stat('terms', `${PIXELS} (8 × 8)`);
  status.stat('nonzeros', `${formatInt(nonzeros)} (${((100 * nonzeros) / X.length).toFixed(0)}%)`);
};
showDataStats();

/** A fit's result: H (k × 64) and W (600 × k), row-major. */
interface DenseResult {
  components: Float64Array;
  codes: Float64Array;
}

let last: { result: DenseResult; k: number } | null = null;
let drawn = { components: 0, reconstructions: 0 };
let sampleOffset = 0;

function renderComponents(H: Float64Array, k: number): void {
  $('#components').replaceChildren(
    ...Array.from({ length: k }, (_, t) => {
      const row = H.subarray(t * PIXELS, (t + 1) * PIXELS);
      return h('figure', { class: 'tile', 'data-component': t }, pixelCanvas(row, maxOf(row), PART, `component ${t + 1}`), `part ${t + 1}`);
    }),
  );
  drawn.components = k;
}

/** Digits to rebuild: RECONSTRUCTED consecutive classes, starting at a moving offset. */
function pickDigits(): number[] {
  const picked: number[] = [];
  for (let c = 0; c < RECONSTRUCTED; c++) {
    const label = String((sampleOffset + c) % 10);
    const nth = Math.floor(sampleOffset / 10);
    let seen = 0;
    for (let i = 0; i < DIGIT_COUNT; i++) {
      if (DIGIT_LABELS[i] !== label) continue;
      if (seen++ === nth % 50) {
        picked.push(i);
        break;
      }
    }
  }
  return picked;
}

function renderReconstructions(result: DenseResult, k: number): void {
  const H = result.components;
  const rows = pickDigits().map((i) => {
    const w = result.codes.subarray(i * k, (i + 1) * k);
    const rebuilt = new Float64Array(PIXELS);
    for (let t = 0; t < k; t++) for (let p = 0; p < PIXELS; p++) rebuilt[p] += w[t] * H[t * PIXELS + p];
    const original = digit(i);
    const parts = Array.from(w, (v, t) => ({ v, t }))
      .filter((p) => p.v > 0)
      .sort((a, b) => b.v - a.v)
      .slice(0, PARTS_SHOWN);
    const err = Math.sqrt(original.reduce((s, x, p) => s + (x - rebuilt[p]) ** 2, 0) / PIXELS);
    return h(
      'div',
      { class: 'recon-row' },
      pixelCanvas(original, 16, INK, `digit ${DIGIT_LABELS[i]} (#${i})`),
      pixelCanvas(rebuilt, 16, INK, `its reconstruction`),
      h(
        'div',
        { class: 'parts' },
        '=',
        ...parts.flatMap(({ v, t }, n) => {
          const row = H.subarray(t * PIXELS, (t + 1) * PIXELS);
          const fig = h('figure', {}, pixelCanvas(row, maxOf(row), PART, `part ${t + 1}`), `${v.toFixed(2)} × p${t + 1}`);
          return n === 0 ? [fig] : ['+', fig];
        }),
        parts.length < w.filter((v) => v > 0).length ? '+ …' : '',
      ),
      h('span', { class: 'caption', title: 'root-mean-square pixel error of the reconstruction (pixels are 0–16)' }, `#${i} “${DIGIT_LABELS[i]}” · rms ${err.toFixed(2)}`),
    );
  });
  $('#reconstructions').replaceChildren(h('div', { class: 'recon-head' }, h('span', {}, 'digit'), h('span', {}, 'W·H'), h('span', {}, 'largest parts'), h('span', {})), ...rows);
  drawn.reconstructions = rows.length;
}

$('#reshuffle').addEventListener('click', () => {
  if (!last) return;
  sampleOffset += RECONSTRUCTED;
  renderReconstructions(last.result, last.k);
});

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  if (session.running) return;
  const nmf = nmfForm.settings();
  const results = [$('#components'), $('#reconstructions')];
  markStale(results, true);
  const outcome = await session.run<DenseResult>({
    nmf,
    stats: [],
    firstStage: `Fitting ${nmf.nComponents} components to ${DIGIT_COUNT} × ${PIXELS}…`,
    async run(fit) {
      // X is copied to the worker (not transferred): the page keeps it for the next fit
      const { W, H } = await fit({ rows: DIGIT_COUNT, cols: PIXELS, data: X });
      return { components: Float64Array.from(H.data), codes: Float64Array.from(W.data) };
    },
  });
  showDataStats();
  if (outcome.status === 'done') {
    markStale(results, false);
    last = { result: outcome.result, k: outcome.summary.nComponents };
    drawn = { components: 0, reconstructions: 0 };
    renderComponents(outcome.result.components, last.k);
    renderReconstructions(outcome.result, last.k);
    $<HTMLButtonElement>('#reshuffle').disabled = false;
  }
});

const probe: DemoProbe = {
  page: 'digits',
  state: () => ($('#status').dataset.state ?? 'idle') as ReturnType<DemoProbe['state']>,
  series: () => ({ measure: chart.plotted, values: chart.series }),
  topics: () => [],
  drawn: () => ({ ...drawn }),
};
window.demo = probe;
