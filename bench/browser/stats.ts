// Median and spread of repeated timings: a benchmark reports the middle of its rounds and how far
// they scatter, never the single fastest (which hides noise) or a mean (which one hiccup moves).

export interface Spread {
  median: number;
  /** first and third quartiles (linear interpolation between order statistics, as numpy's default) */
  q1: number;
  q3: number;
  min: number;
  max: number;
  /** rounds */
  n: number;
}

function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos), hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function spread(values: readonly number[]): Spread {
  if (values.length === 0) throw new Error('spread() of no values');
  const s = [...values].sort((a, b) => a - b);
  return { median: quantile(s, 0.5), q1: quantile(s, 0.25), q3: quantile(s, 0.75), min: s[0], max: s[s.length - 1], n: s.length };
}
