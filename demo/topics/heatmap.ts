// The document × topic heatmap: rows are documents (sampled evenly when there are many), columns
// topics, a cell the document's share of the topic. All documents grouped by their largest topic,
// or, with a topic selected, that topic's documents by their share of it. A click opens a document.

import { formatInt, h, topicColor } from '../shared/ui.js';
import { documentsOf, share, type TopicFit } from './model.js';

/** Rows of the heatmap at most: beyond this, documents are sampled evenly. */
const HEATMAP_ROWS = 240;
const HEADER = 22;

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

/** The rows shown: documents in display order, and how many there were before sampling. */
export function heatmapRows(fit: TopicFit, topic: number | null): { rows: number[]; total: number } {
  const docs = documentsOf(fit, topic);
  const sampled = docs.length > HEATMAP_ROWS ? Array.from({ length: HEATMAP_ROWS }, (_, r) => docs[Math.floor((r * docs.length) / HEATMAP_ROWS)]) : docs;
  const key = (i: number) => (topic === null ? fit.dominant[i] : 0);
  const by = (i: number) => share(fit, i, topic ?? fit.dominant[i]);
  return { rows: sampled.sort((a, b) => key(a) - key(b) || by(b) - by(a) || a - b), total: docs.length };
}

export function heatmapCaption(fit: TopicFit, topic: number | null): string {
  const { rows, total } = heatmapRows(fit, topic);
  const which = topic === null ? 'documents, grouped by their largest topic' : `documents whose largest topic is topic ${topic + 1}, by their share of it`;
  return rows.length < total ? `${formatInt(rows.length)} of ${formatInt(total)} ${which}, sampled evenly` : `all ${formatInt(total)} ${which}`;
}

export function renderHeatmap(root: HTMLElement, fit: TopicFit, topic: number | null, open: (i: number) => void): void {
  const k = fit.k;
  const { rows } = heatmapRows(fit, topic);
  const canvas = h('canvas', { role: 'img', 'aria-label': `document × topic shares for ${rows.length} documents and ${k} topics` });
  const tip = h('div', { class: 'tooltip', hidden: true });
  const wrap = h('div', { class: 'heatmap' }, canvas, tip);
  root.replaceChildren(rows.length > 0 ? wrap : h('div', { class: 'empty' }, 'No document has this topic as its largest.'));

  const draw = () => {
    const width = Math.max(200, wrap.clientWidth);
    const rowH = Math.max(1.5, Math.min(6, 520 / Math.max(1, rows.length)));
    const height = HEADER + Math.ceil(rowH * rows.length);
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
      g.globalAlpha = topic === null || topic === t ? 1 : 0.35;
      g.fillStyle = topicColor(t);
      g.fillRect(t * colW + 1, 0, colW - 2, HEADER - 4);
      g.fillStyle = '#fff';
      if (colW > 12) g.fillText(colW > 26 ? `T${t + 1}` : String(t + 1), t * colW + colW / 2, (HEADER - 4) / 2);
    }
    g.globalAlpha = 1;
    rows.forEach((i, r) => {
      const y = HEADER + r * rowH;
      for (let t = 0; t < k; t++) {
        g.fillStyle = rampColor(share(fit, i, t));
        g.fillRect(t * colW, y, colW + 0.5, rowH + 0.5);
      }
    });
    if (topic !== null) {
      g.strokeStyle = '#151a2d';
      g.lineWidth = 2;
      g.strokeRect(topic * colW + 1, 1, colW - 2, height - 2);
    }
    return { colW, rowH };
  };
  let geometry = draw();
  new ResizeObserver(() => wrap.isConnected && (geometry = draw())).observe(wrap);

  const cellAt = (e: MouseEvent) => {
    const rect = canvas.getBoundingClientRect();
    const r = Math.floor((e.clientY - rect.top - HEADER) / geometry.rowH);
    const t = Math.floor((e.clientX - rect.left) / geometry.colW);
    return r < 0 || r >= rows.length || t < 0 || t >= k ? null : { r, t, x: e.clientX - rect.left, y: e.clientY - rect.top };
  };
  canvas.addEventListener('mousemove', (e) => {
    const cell = cellAt(e);
    tip.hidden = cell === null;
    canvas.style.cursor = cell ? 'pointer' : 'default';
    if (!cell) return;
    tip.textContent = `${fit.labels[rows[cell.r]]} — topic ${cell.t + 1}: ${(share(fit, rows[cell.r], cell.t) * 100).toFixed(0)}% (click to read)`;
    tip.style.left = `${Math.max(0, Math.min(cell.x + 14, wrap.clientWidth - tip.offsetWidth - 4))}px`;
    tip.style.top = `${cell.y + 14}px`;
  });
  canvas.addEventListener('mouseleave', () => (tip.hidden = true));
  canvas.addEventListener('click', (e) => {
    const cell = cellAt(e);
    if (cell) open(rows[cell.r]);
  });
}
