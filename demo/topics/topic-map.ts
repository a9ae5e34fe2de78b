// The map of topics (pyLDAvis's left half): a circle per topic at its place in two dimensions, from
// the Jensen-Shannon distances between the topics' word distributions (model.ts, topicMap); its area
// is the topic's share of W·H's weight. Near circles share words. A circle is a button: it selects
// its topic.

import { h, onActivate, svg, topicColor } from '../shared/ui.js';
import { topicMap, type TopicFit } from './model.js';

const SIZE = 360;
const PAD = 14;

/** The circles' centres and radii in the SVG's coordinates (exported for the test's probe). */
export function mapLayout(fit: TopicFit): { cx: number[]; cy: number[]; r: number[] } {
  const { x, y } = topicMap(fit);
  const maxR = SIZE * 0.16;
  const r = Array.from(fit.topicWeight, (w) => Math.max(5, maxR * Math.sqrt(w / Math.max(...fit.topicWeight, 1e-300))));
  const extent = Math.max(1e-12, ...Array.from(x, Math.abs), ...Array.from(y, Math.abs));
  const room = SIZE / 2 - PAD - maxR;
  return { cx: Array.from(x, (v) => SIZE / 2 + (v / extent) * room), cy: Array.from(y, (v) => SIZE / 2 - (v / extent) * room), r };
}

export function renderTopicMap(root: HTMLElement, fit: TopicFit, words: string[][], selected: number | null, pick: (t: number) => void): void {
  const { cx, cy, r } = mapLayout(fit);
  const map = svg('svg', { viewBox: `0 0 ${SIZE} ${SIZE}`, class: 'topic-map', role: 'group', 'aria-label': 'topics placed by the distance between their word distributions; area: share of the weight' });
  map.append(
    svg('line', { x1: PAD, x2: SIZE - PAD, y1: SIZE / 2, y2: SIZE / 2, class: 'axis' }),
    svg('line', { x1: SIZE / 2, x2: SIZE / 2, y1: PAD, y2: SIZE - PAD, class: 'axis' }),
    svg('text', { x: SIZE - PAD, y: SIZE / 2 - 5, 'text-anchor': 'end', class: 'axis-label' }, 'PC1'),
    svg('text', { x: SIZE / 2 + 5, y: PAD + 8, class: 'axis-label' }, 'PC2'),
  );
  // the largest drawn first, so small circles stay clickable on top
  const order = Array.from({ length: fit.k }, (_, t) => t).sort((a, b) => r[b] - r[a]);
  for (const t of order) {
    const on = selected === t;
    const g = svg(
      'g',
      { class: `bubble${on ? ' on' : ''}${selected !== null && !on ? ' faded' : ''}`, tabindex: 0, role: 'button', 'aria-pressed': String(on), 'data-topic': t, 'aria-label': `topic ${t + 1}: ${words[t].slice(0, 5).join(', ')}` },
      svg('circle', { cx: cx[t], cy: cy[t], r: r[t], fill: topicColor(t) }),
      svg('text', { x: cx[t], y: cy[t] + 4, 'text-anchor': 'middle' }, String(t + 1)),
      svg('title', {}, `topic ${t + 1} · ${(fit.topicWeight[t] * 100).toFixed(1)}% of the weight\n${words[t].slice(0, 8).join(', ')}`),
    );
    onActivate(g, () => pick(t));
    map.append(g);
  }
  const side = selected === null
    ? h('p', { class: 'hint' }, 'Pick a topic (a circle, a card, a chip): the views below show its documents.')
    : h('div', { class: 'map-topic', '--topic': topicColor(selected) }, h('h3', {}, h('span', { class: 'swatch' }), `Topic ${selected + 1}`), h('p', {}, words[selected].join(', ')), h('p', { class: 'sub' }, `${(fit.topicWeight[selected] * 100).toFixed(1)}% of W·H's weight`));
  root.replaceChildren(h('div', { class: 'map-wrap' }, map, side));
}
