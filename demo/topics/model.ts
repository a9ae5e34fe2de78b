// A finished topic fit and what the views read from it: each document's topic shares (its row of W
// normalized to sum 1), each topic's size and word probabilities, word relevance (pyLDAvis's λ),
// topic shares by year, passages by topic or year, and a 2-D map of the topics. Pure functions.

import type { DenseMatrix, SavedMiniBatchNMF, SavedNMF, SavedTfidfVectorizer } from '../../src/index.js';
import type { NmfSettings } from '../shared/nmf-form.js';
import type { FitSummary } from '../shared/session.js';
import type { VectorizerSettings } from './pipeline.js';

export interface TopicFit {
  documents: string[];
  labels: string[];
  years: number[] | null;
  speakers: string[] | null;
  featureNames: string[];
  W: DenseMatrix;
  H: DenseMatrix;
  k: number;
  /** n × k: each document's row of W divided by its sum (0 for a document of no known word) */
  shares: Float64Array;
  /** each document's largest topic, -1 for an empty row */
  dominant: Int32Array;
  /** p(t): the topic's share of W·H's total weight (Σᵢ Wᵢₜ · Σⱼ Hₜⱼ, normalized) — the topic's size */
  topicWeight: Float64Array;
  /** p(w|t), k × terms: each row of H divided by its sum */
  wordGivenTopic: Float64Array;
  /** p(w) = Σₜ p(t)·p(w|t): the term's share of W·H's total weight */
  wordWeight: Float64Array;
  settings: { nmf: NmfSettings; vectorizer: VectorizerSettings };
  summary: FitSummary;
  model: SavedNMF | SavedMiniBatchNMF;
  vectorizer: SavedTfidfVectorizer;
}

export type FitData = Omit<TopicFit, 'k' | 'shares' | 'dominant' | 'topicWeight' | 'wordGivenTopic' | 'wordWeight'>;

export function analyze(d: FitData): TopicFit {
  const { W, H } = d;
  const n = W.rows, k = W.cols, m = H.cols;
  const shares = new Float64Array(n * k);
  const dominant = new Int32Array(n).fill(-1);
  const columnMass = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let t = 0; t < k; t++) sum += W.data[i * k + t];
    if (sum <= 0) continue;
    let best = 0;
    for (let t = 0; t < k; t++) {
      const w = W.data[i * k + t];
      shares[i * k + t] = w / sum;
      columnMass[t] += w;
      if (w > W.data[i * k + best]) best = t;
    }
    dominant[i] = best;
  }
  const wordGivenTopic = new Float64Array(k * m);
  const topicWeight = new Float64Array(k);
  for (let t = 0; t < k; t++) {
    let rowSum = 0;
    for (let j = 0; j < m; j++) rowSum += H.data[t * m + j];
    for (let j = 0; j < m; j++) wordGivenTopic[t * m + j] = rowSum > 0 ? H.data[t * m + j] / rowSum : 0;
    topicWeight[t] = columnMass[t] * rowSum;
  }
  normalize(topicWeight);
  const wordWeight = new Float64Array(m);
  for (let t = 0; t < k; t++) for (let j = 0; j < m; j++) wordWeight[j] += topicWeight[t] * wordGivenTopic[t * m + j];
  return { ...d, k, shares, dominant, topicWeight, wordGivenTopic, wordWeight };
}

function normalize(a: Float64Array): void {
  const s = a.reduce((x, y) => x + y, 0);
  if (s > 0) for (let i = 0; i < a.length; i++) a[i] /= s;
}

export interface RankedWord {
  word: string;
  /** p(w|t) */
  inTopic: number;
  /** p(w) */
  overall: number;
  relevance: number;
}

/**
 * The topic's top words by relevance (Sievert & Shirley 2014, pyLDAvis):
 * λ·log p(w|t) + (1 − λ)·log(p(w|t) / p(w)). λ = 1 ranks by p(w|t) (H's order); lower λ favours
 * words peculiar to the topic over words frequent everywhere.
 */
export function relevantWords(fit: TopicFit, t: number, lambda: number, count: number): RankedWord[] {
  const m = fit.featureNames.length;
  const ranked: RankedWord[] = [];
  for (let j = 0; j < m; j++) {
    const inTopic = fit.wordGivenTopic[t * m + j];
    if (inTopic <= 0) continue;
    const overall = fit.wordWeight[j];
    ranked.push({ word: fit.featureNames[j], inTopic, overall, relevance: lambda * Math.log(inTopic) + (1 - lambda) * Math.log(inTopic / overall) });
  }
  // ties (equal relevance) keep column order, as a stable sort does
  return ranked.sort((a, b) => b.relevance - a.relevance).slice(0, count);
}

/** The share of document `i` in topic `t`. */
export const share = (fit: TopicFit, i: number, t: number) => fit.shares[i * fit.k + t];

/** Documents that have any weight: all of them, or those whose largest topic is `topic`. */
export function documentsOf(fit: TopicFit, topic: number | null): number[] {
  const out: number[] = [];
  for (let i = 0; i < fit.dominant.length; i++) if (fit.dominant[i] >= 0 && (topic === null || fit.dominant[i] === topic)) out.push(i);
  return out;
}

/** The `count` documents with the largest share (or weight in W, `by: 'weight'`) of topic t, largest first. */
export function topDocuments(fit: TopicFit, t: number, count: number, among: number[] | null = null, by: 'share' | 'weight' = 'weight'): number[] {
  const value = (i: number) => (by === 'share' ? share(fit, i, t) : fit.W.data[i * fit.k + t]);
  const pool = (among ?? documentsOf(fit, null)).filter((i) => value(i) > 0);
  return pool.sort((a, b) => value(b) - value(a) || a - b).slice(0, count);
}

/** The fraction of documents whose largest topic is t. */
export function prevalence(fit: TopicFit): Float64Array {
  const counts = new Float64Array(fit.k);
  let live = 0;
  for (const d of fit.dominant) {
    if (d < 0) continue;
    counts[d]++;
    live++;
  }
  return counts.map((c) => c / Math.max(1, live));
}

export interface YearShares {
  years: number[];
  /** years × k: the mean topic shares of the year's documents */
  shares: Float64Array;
  /** documents per year */
  counts: number[];
  /** the year's first speaker, where known */
  speakers: (string | null)[];
}

/** Each topic's share by year: the mean of the year's document shares (each document counts once). */
export function sharesByYear(fit: TopicFit): YearShares | null {
  if (!fit.years) return null;
  const byYear = new Map<number, number[]>();
  fit.years.forEach((y, i) => {
    if (fit.dominant[i] < 0) return;
    const list = byYear.get(y) ?? [];
    list.push(i);
    byYear.set(y, list);
  });
  const years = [...byYear.keys()].sort((a, b) => a - b);
  const k = fit.k;
  const shares = new Float64Array(years.length * k);
  years.forEach((y, r) => {
    const docs = byYear.get(y)!;
    for (const i of docs) for (let t = 0; t < k; t++) shares[r * k + t] += fit.shares[i * k + t] / docs.length;
  });
  return { years, shares, counts: years.map((y) => byYear.get(y)!.length), speakers: years.map((y) => (fit.speakers ? fit.speakers[byYear.get(y)![0]] : null)) };
}

/** The documents of a year, in corpus order. */
export function documentsOfYear(fit: TopicFit, year: number): number[] {
  const out: number[] = [];
  fit.years?.forEach((y, i) => y === year && fit.dominant[i] >= 0 && out.push(i));
  return out;
}

/**
 * Topics as points in 2-D, as pyLDAvis draws them: the Jensen-Shannon divergence between their
 * word distributions p(w|t), placed by classical multidimensional scaling (the two leading
 * eigenvectors of the double-centred squared distances, by power iteration).
 */
export function topicMap(fit: TopicFit): { x: Float64Array; y: Float64Array } {
  const k = fit.k, m = fit.featureNames.length;
  const D2 = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      let js = 0;
      for (let j = 0; j < m; j++) {
        const p = fit.wordGivenTopic[a * m + j], q = fit.wordGivenTopic[b * m + j];
        const mid = (p + q) / 2;
        if (p > 0) js += 0.5 * p * Math.log(p / mid);
        if (q > 0) js += 0.5 * q * Math.log(q / mid);
      }
      D2[a * k + b] = D2[b * k + a] = Math.max(0, js); // the JS distance is √JS: its square is JS itself
    }
  }
  // B = −½ J D² J, J = I − 11ᵀ/k
  const rowMean = new Float64Array(k);
  let all = 0;
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) rowMean[a] += D2[a * k + b] / k;
    all += rowMean[a] / k;
  }
  const B = new Float64Array(k * k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) B[a * k + b] = -0.5 * (D2[a * k + b] - rowMean[a] - rowMean[b] + all);
  const [v1, l1] = leadingEigen(B, k, null);
  const [v2, l2] = leadingEigen(B, k, v1);
  const s1 = Math.sqrt(Math.max(l1, 0)), s2 = Math.sqrt(Math.max(l2, 0));
  return { x: v1.map((v) => v * s1), y: v2.map((v) => v * s2) };
}

/** The leading eigenpair of symmetric B (k × k), orthogonal to `skip` when given; deterministic start. */
function leadingEigen(B: Float64Array, k: number, skip: Float64Array | null): [Float64Array, number] {
  // B + c·I with c ≥ every |eigenvalue| (Gershgorin): the algebraically largest eigenvalue leads
  let c = 0;
  for (let a = 0; a < k; a++) c = Math.max(c, B.subarray(a * k, (a + 1) * k).reduce((s, x) => s + Math.abs(x), 0));
  let v = Float64Array.from({ length: k }, (_, i) => 1 + ((i * 7919) % 13) / 13);
  let lambda = 0;
  for (let iter = 0; iter < 3000; iter++) {
    if (skip) {
      const dot = v.reduce((s, x, i) => s + x * skip[i], 0);
      v = v.map((x, i) => x - dot * skip[i]);
    }
    const next = new Float64Array(k);
    for (let a = 0; a < k; a++) {
      for (let b = 0; b < k; b++) next[a] += B[a * k + b] * v[b];
      next[a] += c * v[a];
    }
    const norm = Math.hypot(...next);
    if (norm === 0) return [new Float64Array(k), 0];
    const change = next.reduce((s, x, i) => s + Math.abs(x / norm - v[i]), 0);
    lambda = norm - c;
    v = next.map((x) => x / norm);
    if (change < 1e-12) break;
  }
  return [v, lambda];
}
