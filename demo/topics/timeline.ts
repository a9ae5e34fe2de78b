// Topics over time: each topic's share of the year's documents, stacked to 100% (SVG), with the
// speakers under the years. Hovering a year names its largest topics; a click (or the arrow keys and
// Enter) picks the year, whose documents the page lists below; the legend's chips pick a topic.

import { h, svg, topicColor } from '../shared/ui.js';
import { sharesByYear, type TopicFit, type YearShares } from './model.js';
import type { Selection } from './selection.js';

const HEIGHT = 250;
const M = { left: 40, right: 10, top: 8, bottom: 44 };

export interface TimelineActions {
  pickYear(year: number | null): void;
  pickTopic(t: number): void;
}

/** Draws the view into `root`; returns false when the documents have no years. */
export function renderTimeline(root: HTMLElement, fit: TopicFit, words: string[][], selection: Selection, act: TimelineActions): boolean {
  const data = sharesByYear(fit);
  if (!data || data.years.length === 0) {
    root.replaceChildren(h('div', { class: 'empty' }, 'Topics over time needs dated documents: the State of the Union passages have their year (so does a CSV with a column of years).'));
    return false;
  }
  const legend = h(
    'div',
    { class: 'legend' },
    ...words.map((w, t) => {
      const chip = h('button', { type: 'button', class: `chip-topic${selection.topic === t ? ' on' : ''}`, '--topic': topicColor(t), 'aria-pressed': String(selection.topic === t), title: w.slice(0, 8).join(', ') }, h('span', { class: 'swatch' }), `T${t + 1}`, h('span', { class: 'words' }, w.slice(0, 2).join(', ')));
      chip.addEventListener('click', () => act.pickTopic(t));
      return chip;
    }),
  );
  const plot = h('div', { class: 'timeline-plot' });
  const tip = h('div', { class: 'tooltip', hidden: true });
  plot.append(tip);
  root.replaceChildren(legend, plot);
  const draw = () => drawPlot(plot, tip, data, fit.k, words, selection, act);
  draw();
  new ResizeObserver(() => root.isConnected && draw()).observe(plot);
  return true;
}

function drawPlot(plot: HTMLElement, tip: HTMLElement, data: YearShares, k: number, words: string[][], selection: Selection, act: TimelineActions): void {
  const width = Math.max(280, plot.clientWidth);
  const { years, shares } = data;
  const first = years[0], last = years[years.length - 1];
  const span = Math.max(1, last - first);
  const innerW = width - M.left - M.right, innerH = HEIGHT - M.top - M.bottom;
  const x = (y: number) => M.left + (years.length === 1 ? innerW / 2 : ((y - first) / span) * innerW);
  const y = (v: number) => M.top + (1 - v) * innerH;
  const root = svg('svg', { viewBox: `0 0 ${width} ${HEIGHT}`, width, height: HEIGHT, role: 'img', tabindex: 0, 'aria-label': `topic shares by year, ${first}–${last}; arrow keys move between years, Enter lists a year's documents` });

  // stacked areas: topic 0 at the bottom
  const cum = new Float64Array(years.length);
  for (let t = 0; t < k; t++) {
    const lower = Array.from(cum);
    years.forEach((_, r) => (cum[r] += shares[r * k + t]));
    const top = years.map((yr, r) => `${x(yr).toFixed(1)},${y(cum[r]).toFixed(1)}`);
    const bottom = years.map((yr, r) => `${x(yr).toFixed(1)},${y(lower[r]).toFixed(1)}`).reverse();
    const faded = selection.topic !== null && selection.topic !== t;
    const pts = years.length === 1 ? [`${x(first) - 12},${y(cum[0])}`, `${x(first) + 12},${y(cum[0])}`, `${x(first) + 12},${y(lower[0])}`, `${x(first) - 12},${y(lower[0])}`] : [...top, ...bottom];
    root.append(svg('polygon', { points: pts.join(' '), fill: topicColor(t), 'fill-opacity': faded ? 0.18 : 0.85, stroke: '#fff', 'stroke-width': 0.5, 'data-topic': t }, svg('title', {}, `topic ${t + 1}: ${words[t].slice(0, 4).join(', ')}`)));
  }
  // axes: shares on the left, years (and speakers) below
  for (const v of [0, 0.25, 0.5, 0.75, 1]) {
    root.append(svg('line', { x1: M.left - 4, x2: M.left, y1: y(v), y2: y(v), stroke: '#98a2b3' }), svg('text', { x: M.left - 7, y: y(v) + 4, 'text-anchor': 'end', class: 'tick' }, `${v * 100}%`));
  }
  const step = [1, 2, 5, 10, 20, 25, 50].find((s) => (span / s) * 44 <= innerW) ?? 100;
  for (let yr = Math.ceil(first / step) * step; yr <= last; yr += step) {
    root.append(svg('line', { x1: x(yr), x2: x(yr), y1: y(0), y2: y(0) + 4, stroke: '#98a2b3' }), svg('text', { x: x(yr), y: y(0) + 16, 'text-anchor': 'middle', class: 'tick' }, String(yr)));
  }
  drawSpeakers(root, data, x, y(0) + 24);

  const guide = svg('line', { x1: 0, x2: 0, y1: M.top, y2: y(0), class: 'guide', visibility: 'hidden' });
  root.append(guide);
  if (selection.year !== null && years.includes(selection.year)) {
    root.append(svg('line', { x1: x(selection.year), x2: x(selection.year), y1: M.top, y2: y(0), class: 'picked' }));
  }
  plot.querySelector('svg')?.remove();
  plot.prepend(root);

  let cursor = selection.year !== null ? Math.max(0, years.indexOf(selection.year)) : years.length - 1;
  const show = (r: number) => {
    cursor = r;
    const yr = years[r];
    guide.setAttribute('x1', String(x(yr)));
    guide.setAttribute('x2', String(x(yr)));
    guide.setAttribute('visibility', 'visible');
    const best = Array.from({ length: k }, (_, t) => ({ t, s: shares[r * k + t] })).sort((a, b) => b.s - a.s).slice(0, 4);
    tip.replaceChildren(
      h('b', {}, `${yr}${data.speakers[r] ? ` · ${data.speakers[r]}` : ''}`),
      ` · ${data.counts[r]} documents`,
      ...best.map((b) => h('div', {}, h('span', { class: 'swatch', '--topic': topicColor(b.t) }), ` ${Math.round(b.s * 100)}% T${b.t + 1} ${words[b.t].slice(0, 3).join(', ')}`)),
    );
    tip.hidden = false;
    const left = x(yr) + 12;
    tip.style.left = `${Math.max(0, Math.min(left, plot.clientWidth - tip.offsetWidth - 4))}px`;
    tip.style.top = `${M.top + 4}px`;
  };
  const nearest = (e: MouseEvent) => {
    const px = e.clientX - root.getBoundingClientRect().left;
    let best = 0;
    years.forEach((yr, r) => Math.abs(x(yr) - px) < Math.abs(x(years[best]) - px) && (best = r));
    return best;
  };
  root.addEventListener('mousemove', (e) => show(nearest(e)));
  root.addEventListener('mouseleave', () => {
    tip.hidden = true;
    guide.setAttribute('visibility', 'hidden');
  });
  root.addEventListener('click', (e) => act.pickYear(years[nearest(e)]));
  root.addEventListener('blur', () => (tip.hidden = true));
  root.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      e.preventDefault();
      show(Math.max(0, Math.min(years.length - 1, cursor + (e.key === 'ArrowLeft' ? -1 : 1))));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      act.pickYear(years[cursor]);
    }
  });
}

/** A strip of who spoke, alternating shades, named where the run of years is wide enough. */
function drawSpeakers(root: SVGSVGElement, data: YearShares, x: (y: number) => number, top: number): void {
  const { years, speakers } = data;
  if (speakers.every((s) => s === null)) return;
  const half = years.length > 1 ? (x(years[1]) - x(years[0])) / 2 : 12;
  let start = 0;
  let shade = 0;
  for (let r = 1; r <= years.length; r++) {
    if (r < years.length && speakers[r] === speakers[start]) continue;
    const x0 = x(years[start]) - half, x1 = x(years[r - 1]) + half;
    const name = (speakers[start] ?? '').split(' ').pop() ?? '';
    root.append(svg('rect', { x: x0, y: top, width: Math.max(0.5, x1 - x0), height: 14, class: `speaker s${shade}` }, svg('title', {}, `${speakers[start]}, ${years[start]}–${years[r - 1]}`)));
    if (x1 - x0 > name.length * 6.2 + 6) root.append(svg('text', { x: (x0 + x1) / 2, y: top + 11, 'text-anchor': 'middle', class: 'speaker-name' }, name));
    shade = 1 - shade;
    start = r;
  }
}
