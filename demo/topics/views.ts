// What a finished topic fit shows: top words per topic as bars, the document × topic heatmap, and
// each topic's most representative documents with its words marked.

import type { TextResult, TopicSummary } from './pipeline.js';
import { formatInt, h, topicColor } from '../shared/ui.js';

export function renderTopics(root: HTMLElement, topics: TopicSummary[]): void {
  root.replaceChildren(
    ...topics.map((t, i) => {
      const max = Math.max(...t.weights, 1e-300);
      return h(
        'article',
        { class: 'topic', '--topic': topicColor(i), 'data-topic': i },
        h('h3', {}, `Topic ${i + 1}`, h('span', { class: 'sub', title: 'documents whose largest weight is this topic' }, `${Math.round(t.prevalence * 100)}% of docs`)),
        h(
          'ol',
          { class: 'bars' },
          ...t.words.map((w, j) =>
            h('li', { '--w': `${((t.weights[j] / max) * 100).toFixed(1)}%`, title: `weight ${t.weights[j].toPrecision(4)}` }, h('span', { class: 'word' }, w), h('span', { class: 'v' }, t.weights[j].toPrecision(3))),
          ),
        ),
      );
    }),
  );
}

/** Perceptually even ramp (viridis, 9 stops) for topic shares in [0, 1]. */
const RAMP = ['#fcfdbf', '#d2e21b', '#84d44b', '#3fbc73', '#20a386', '#238a8d', '#2d708e', '#39558c', '#453781'].reverse();
const RAMP_RGB = RAMP.map((c) => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)));

function rampColor(x: number): string {
  const t = Math.max(0, Math.min(1, x)) * (RAMP_RGB.length - 1);
  const i = Math.min(RAMP_RGB.length - 2, Math.floor(t));
  const f = t - i;
  const [a, b] = [RAMP_RGB[i], RAMP_RGB[i + 1]];
  return `rgb(${a.map((v, j) => Math.round(v + (b[j] - v) * f)).join(',')})`;
}

export function rampCss(): string {
  return `linear-gradient(to right, ${RAMP.join(', ')})`;
}

/**
 * Rows are documents (sampled when there are many), columns topics; a cell is the document's share
 * of that topic (its row of W normalized to sum 1). Rows come sorted by dominant topic, so each
 * topic shows as a block.
 */
export function renderHeatmap(root: HTMLElement, heat: TextResult['heatmap'], k: number): void {
  const canvas = h('canvas', { role: 'img', 'aria-label': `document × topic shares for ${heat.rows} documents and ${k} topics` });
  const tip = h('div', { class: 'tooltip', hidden: true });
  const wrap = h('div', { class: 'heatmap' }, canvas, tip);
  root.replaceChildren(wrap);

  const HEADER = 22;
  const draw = () => {
    const width = Math.max(200, wrap.clientWidth);
    const rowH = Math.max(1.5, Math.min(6, 520 / heat.rows));
    const height = HEADER + Math.ceil(rowH * heat.rows);
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    canvas.style.height = `${height}px`;
    const g = canvas.getContext('2d')!;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, width, height);
    const colW = width / k;
    g.font = '600 11px system-ui, sans-serif';
    g.textAlign = 'center';
    g.textBaseline = 'middle';
    for (let t = 0; t < k; t++) {
      g.fillStyle = topicColor(t);
      g.fillRect(t * colW + 1, 0, colW - 2, HEADER - 4);
      g.fillStyle = '#fff';
      g.fillText(colW > 26 ? `T${t + 1}` : String(t + 1), t * colW + colW / 2, (HEADER - 4) / 2);
    }
    for (let r = 0; r < heat.rows; r++) {
      const y = HEADER + r * rowH;
      for (let t = 0; t < k; t++) {
        g.fillStyle = rampColor(heat.shares[r * k + t]);
        g.fillRect(t * colW, y, colW + 0.5, rowH + 0.5);
      }
    }
    return { colW, rowH };
  };
  let geometry = draw();
  new ResizeObserver(() => (geometry = draw())).observe(wrap);

  canvas.addEventListener('mousemove', (e) => {
    const rect = canvas.getBoundingClientRect();
    const x = e.clientX - rect.left;
    const y = e.clientY - rect.top - HEADER;
    const r = Math.floor(y / geometry.rowH);
    const t = Math.floor(x / geometry.colW);
    if (r < 0 || r >= heat.rows || t < 0 || t >= k) {
      tip.hidden = true;
      return;
    }
    const share = heat.shares[r * k + t];
    tip.textContent = `${heat.labels[r]} — topic ${t + 1}: ${(share * 100).toFixed(0)}%`;
    tip.hidden = false;
    const left = Math.min(x + 14, wrap.clientWidth - tip.offsetWidth - 4);
    tip.style.left = `${Math.max(0, left)}px`;
    tip.style.top = `${e.clientY - rect.top + 14}px`;
  });
  canvas.addEventListener('mouseleave', () => (tip.hidden = true));
}

export function heatmapCaption(heat: TextResult['heatmap']): string {
  return heat.sampled
    ? `${formatInt(heat.rows)} of ${formatInt(heat.total)} documents, sampled evenly, grouped by dominant topic`
    : `all ${formatInt(heat.rows)} documents, grouped by dominant topic`;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The snippet with the topic's words marked (case-insensitive, whole words). */
function highlighted(text: string, words: string[]): (Node | string)[] {
  const terms = words.filter((w) => /^[\p{L}\p{N}][\p{L}\p{N}'’-]*$/u.test(w)).map(escapeRegExp);
  if (terms.length === 0) return [text];
  const re = new RegExp(`(?<![\\p{L}\\p{N}])(${terms.join('|')})(?![\\p{L}\\p{N}])`, 'giu');
  const out: (Node | string)[] = [];
  let last = 0;
  for (const m of text.matchAll(re)) {
    out.push(text.slice(last, m.index), h('mark', {}, m[0]));
    last = m.index + m[0].length;
  }
  out.push(text.slice(last));
  return out;
}

export function renderDocuments(root: HTMLElement, topics: TopicSummary[]): void {
  root.replaceChildren(
    ...topics.map((t, i) =>
      h(
        'section',
        { class: 'doc-group', '--topic': topicColor(i) },
        h('h3', {}, h('span', { class: 'swatch' }), `Topic ${i + 1}`, h('span', { class: 'words' }, t.words.slice(0, 6).join(', '))),
        h(
          'div',
          { class: 'docs' },
          ...t.documents.map((d) =>
            h(
              'figure',
              { class: 'doc' },
              h('figcaption', {}, h('span', {}, d.label), h('span', { title: `W = ${d.weight.toPrecision(4)}` }, `${Math.round(d.share * 100)}% topic ${i + 1}`)),
              h('blockquote', {}, ...highlighted(d.snippet, t.words)),
            ),
          ),
        ),
      ),
    ),
  );
}
