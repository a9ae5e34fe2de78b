// The words that weigh most in each topic (row of H), as scikit-learn's topic-extraction example
// picks them: topic.argsort()[-n:], largest first. numpy's argsort breaks ties, so equal weights
// come out in the same order as there.

import type { DenseMatrix } from '../matrix/matrix.js';
import { argsort } from './argsort.js';

export interface Topic {
  /** the topic's top words, heaviest first */
  words: string[];
  /** their weights in H */
  weights: number[];
}

export function topWords(H: DenseMatrix, featureNames: readonly string[], n = 10): Topic[] {
  if (featureNames.length !== H.cols) {
    throw new RangeError(`H has ${H.cols} columns but ${featureNames.length} feature names were given.`);
  }
  const topics: Topic[] = [];
  for (let k = 0; k < H.rows; k++) {
    const row = H.data.subarray(k * H.cols, (k + 1) * H.cols);
    const order = argsort(row);
    const top = Array.from(order.subarray(Math.max(0, order.length - n))).reverse();
    topics.push({ words: top.map((j) => featureNames[j]), weights: top.map((j) => row[j]) });
  }
  return topics;
}
