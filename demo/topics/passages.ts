// Documents as people read them: each topic's most representative ones (only the selected topic's,
// more of them, when one is selected), the documents of a year, and one document in full, in a
// dialog, with its topic mix. Words of a topic are marked in its colour.

import { formatInt, h, onActivate, topicColor } from '../shared/ui.js';
import { snippet } from './corpus.js';
import { documentsOfYear, share, topDocuments, type TopicFit } from './model.js';

const PER_TOPIC = 3;
const SELECTED = 9;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The text with the topic's words marked (case-insensitive, whole words). */
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

/** One document as a card: label, its share of `t`, the snippet; a click (or Enter) opens it. */
function docCard(fit: TopicFit, i: number, t: number, words: string[], open: (i: number) => void): HTMLElement {
  const card = h(
    'figure',
    { class: 'doc', '--topic': topicColor(t), tabindex: 0, role: 'button', title: 'Read the whole document and its topic mix', 'data-doc': i },
    h('figcaption', {}, h('span', {}, fit.labels[i]), h('span', { title: `W = ${fit.W.data[i * fit.k + t].toPrecision(4)}` }, `${Math.round(share(fit, i, t) * 100)}% topic ${t + 1}`)),
    h('blockquote', {}, ...highlighted(snippet(fit.documents[i]), words)),
  );
  onActivate(card, () => open(i));
  return card;
}

export function renderRepresentative(root: HTMLElement, fit: TopicFit, words: string[][], selected: number | null, open: (i: number) => void): void {
  const topics = selected === null ? Array.from({ length: fit.k }, (_, t) => t) : [selected];
  root.replaceChildren(
    ...topics.map((t) =>
      h(
        'section',
        { class: 'doc-group', '--topic': topicColor(t) },
        h('h3', {}, h('span', { class: 'swatch' }), `Topic ${t + 1}`, h('span', { class: 'words' }, words[t].slice(0, 6).join(', '))),
        h('div', { class: 'docs' }, ...topDocuments(fit, t, selected === null ? PER_TOPIC : SELECTED).map((i) => docCard(fit, i, t, words[t], open))),
      ),
    ),
  );
}

/** The documents of `year`, in order, or by their share of the selected topic. */
export function renderYear(root: HTMLElement, fit: TopicFit, words: string[][], year: number, selected: number | null, open: (i: number) => void): number {
  let docs = documentsOfYear(fit, year);
  if (selected !== null) docs = [...docs].sort((a, b) => share(fit, b, selected) - share(fit, a, selected) || a - b);
  root.replaceChildren(
    h('div', { class: 'docs' }, ...docs.map((i) => {
      const t = selected ?? fit.dominant[i];
      return docCard(fit, i, t, words[t], open);
    })),
  );
  return docs.length;
}

/** The dialog of one document: the whole text, its topic mix as a bar and a list, its dominant topic's words marked. */
export function openDocument(dialog: HTMLDialogElement, fit: TopicFit, words: string[][], i: number): void {
  const k = fit.k;
  const mix = Array.from({ length: k }, (_, t) => ({ t, s: share(fit, i, t) })).sort((a, b) => b.s - a.s);
  const top = fit.dominant[i];
  const close = h('button', { type: 'button', class: 'secondary close', 'aria-label': 'Close' }, 'Close');
  close.addEventListener('click', () => dialog.close());
  dialog.replaceChildren(
    h(
      'article',
      { class: 'reader' },
      h('header', {}, h('h2', {}, fit.labels[i]), close),
      h(
        'div',
        { class: 'mix', role: 'img', 'aria-label': `topic mix: ${mix.filter((m) => m.s >= 0.01).map((m) => `topic ${m.t + 1} ${Math.round(m.s * 100)}%`).join(', ')}` },
        ...mix.filter((m) => m.s > 0).map((m) => h('span', { '--topic': topicColor(m.t), '--s': m.s, title: `topic ${m.t + 1}: ${(m.s * 100).toFixed(1)}%` })),
      ),
      h(
        'ol',
        { class: 'mix-list' },
        ...mix
          .filter((m) => m.s >= 0.01)
          .map((m) => h('li', { '--topic': topicColor(m.t) }, h('span', { class: 'swatch' }), h('b', {}, `${(m.s * 100).toFixed(0)}%`), ` topic ${m.t + 1}`, h('span', { class: 'words' }, words[m.t].slice(0, 5).join(', ')))),
      ),
      h('p', { class: 'full', '--topic': topicColor(Math.max(0, top)) }, ...highlighted(fit.documents[i], top >= 0 ? words[top] : [])),
      h('p', { class: 'sub' }, `${formatInt(fit.documents[i].split(/\s+/).length)} words · marked: the top words of its largest topic${top >= 0 ? ` (topic ${top + 1})` : ''}`),
    ),
  );
  if (!dialog.open) dialog.showModal();
  close.focus();
}
