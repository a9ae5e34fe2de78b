// The topic cards: each topic's top words as bars. After a fit the words are ranked by relevance at
// the page's λ (pyLDAvis), each bar p(w|t) with the word's overall p(w) as a thin line under it;
// while a fit runs they are the running H's heaviest words, redrawn at every live read.
// A card is a button: it selects its topic for the other views.

import { topWords, type DenseMatrix } from '../../src/index.js';
import { h, onActivate, topicColor } from '../shared/ui.js';
import { prevalence, relevantWords, type TopicFit } from './model.js';

interface Card {
  words: { word: string; bar: number; line: number | null; text: string; title: string }[];
  sub: string;
  subTitle: string;
}

const percent = (x: number) => `${(x * 100).toFixed(x < 0.01 ? 2 : 1)}%`;

function renderCards(root: HTMLElement, cards: Card[], selected: number | null, onPick: ((t: number) => void) | null): void {
  root.classList.toggle('has-selection', selected !== null);
  root.replaceChildren(
    ...cards.map((c, t) => {
      const card = h(
        'article',
        {
          class: `topic${selected === t ? ' selected' : ''}`,
          '--topic': topicColor(t),
          'data-topic': t,
          ...(onPick ? { role: 'button', tabindex: 0, 'aria-pressed': String(selected === t), title: 'Select this topic: the other views follow (click again to clear)' } : {}),
        },
        h('h3', {}, `Topic ${t + 1}`, h('span', { class: 'sub', title: c.subTitle }, c.sub)),
        h(
          'ol',
          { class: 'bars' },
          ...c.words.map((w) =>
            h(
              'li',
              { '--w': `${(w.bar * 100).toFixed(1)}%`, ...(w.line === null ? {} : { '--o': `${(Math.min(1, w.line) * 100).toFixed(1)}%` }), title: w.title },
              h('span', { class: 'word' }, w.word),
              h('span', { class: 'v' }, w.text),
            ),
          ),
        ),
      );
      if (onPick) onActivate(card, () => onPick(t));
      return card;
    }),
  );
}

/** A finished fit's topics, words ranked by relevance at λ. */
export function renderTopics(root: HTMLElement, fit: TopicFit, lambda: number, nWords: number, selected: number | null, onPick: (t: number) => void): string[][] {
  const docs = prevalence(fit);
  const ranked = Array.from({ length: fit.k }, (_, t) => relevantWords(fit, t, lambda, nWords));
  const cards = ranked.map((words, t): Card => {
    const max = Math.max(...words.map((w) => w.inTopic), 1e-300);
    return {
      sub: `${Math.round(docs[t] * 100)}% of docs`,
      subTitle: `documents whose largest weight is this topic; the topic holds ${percent(fit.topicWeight[t])} of W·H's weight`,
      words: words.map((w) => ({
        word: w.word,
        bar: w.inTopic / max,
        line: w.overall / max,
        text: percent(w.inTopic),
        title: `p(w|t) ${percent(w.inTopic)} · p(w) ${percent(w.overall)} · lift ${(w.inTopic / w.overall).toFixed(1)}× · relevance ${w.relevance.toFixed(2)}`,
      })),
    };
  });
  renderCards(root, cards, selected, onPick);
  return ranked.map((words) => words.map((w) => w.word));
}

/** The running fit's H: each topic's heaviest words, as they stand at `iteration`. */
export function renderLiveTopics(root: HTMLElement, H: DenseMatrix, featureNames: string[], nWords: number): string[][] {
  const topics = topWords(H, featureNames, nWords);
  const cards = topics.map((topic, t): Card => {
    const sum = rowSum(H, t);
    const max = Math.max(...topic.weights, 1e-300);
    return {
      sub: 'live',
      subTitle: 'the fit is running: these are the heaviest words of its current H',
      words: topic.words.map((w, j) => ({ word: w, bar: topic.weights[j] / max, line: null, text: sum > 0 ? percent(topic.weights[j] / sum) : '0%', title: `H ${topic.weights[j].toPrecision(4)}` })),
    };
  });
  renderCards(root, cards, null, null);
  return topics.map((t) => t.words);
}

function rowSum(H: DenseMatrix, t: number): number {
  let s = 0;
  for (let j = 0; j < H.cols; j++) s += H.data[t * H.cols + j];
  return s;
}
