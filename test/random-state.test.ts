// RandomState against numbers numpy 1.24 produced (test/fixtures/gen_random.py).

import { describe, expect, it } from 'vitest';
import { RandomState, checkRandomState } from '../src/random/random-state.js';
import fixtures from './fixtures/random-state.json';

/** Doubles may differ in the last bit where C's log and V8's Math.log round differently. */
const DOUBLE_REL_TOL = 1e-15;

function expectClose(actual: ArrayLike<number>, expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    if (err > DOUBLE_REL_TOL * Math.abs(expected[i])) {
      expect.fail(`entry ${i}: got ${actual[i]}, numpy gives ${expected[i]} (relative error ${err / Math.abs(expected[i])})`);
    }
  }
}

describe.each(fixtures.cases)('RandomState($seed) matches numpy', (c) => {
  it('raw uint32 stream, across state refills', () => {
    const rs = new RandomState(c.seed);
    const last = c.uint32[c.uint32.length - 1];
    const stream = Array.from({ length: last.start + last.values.length }, () => rs.nextUint32());
    for (const slice of c.uint32) {
      expect(stream.slice(slice.start, slice.start + slice.values.length)).toEqual(slice.values);
    }
  });

  it('randomSample', () => {
    const rs = new RandomState(c.seed);
    // 53-bit doubles are built exactly: equality, not tolerance
    expect(Array.from({ length: c.randomSample.length }, () => rs.randomSample())).toEqual(c.randomSample);
  });

  it('standardNormal keeps the cached second value across calls', () => {
    let rs = new RandomState(c.seed);
    for (const expected of c.normalOddEven) expectClose(rs.standardNormal(expected.length), expected);
    rs = new RandomState(c.seed);
    for (const expected of c.normalOnes) expectClose(rs.standardNormal(expected.length), expected);
  });

  it('permutation, repeated calls from one state', () => {
    const rs = new RandomState(c.seed);
    for (const expected of c.permutations) expect(Array.from(rs.permutation(expected.length))).toEqual(expected);
  });

  it('normal, permutation and uniform draws interleaved', () => {
    const rs = new RandomState(c.seed);
    const e = c.interleaved;
    expectClose(rs.standardNormal(3), e.normal3);
    expect(Array.from(rs.permutation(10))).toEqual(e.perm10);
    expect([rs.randomSample(), rs.randomSample()]).toEqual(e.sample2);
    expectClose(rs.standardNormal(2), e.normal2);
    expect(Array.from(rs.permutation(5))).toEqual(e.perm5);
  });
});

describe('RandomState edge cases', () => {
  it('permutation(0) is empty and permutation(1) draws nothing', () => {
    const a = new RandomState(3), b = new RandomState(3);
    expect(a.permutation(0).length).toBe(0);
    expect(Array.from(a.permutation(1))).toEqual([0]);
    expect(a.nextUint32()).toBe(b.nextUint32());
  });

  it('randomInterval stays in [0, max]', () => {
    const rs = new RandomState(11);
    for (const max of [1, 2, 3, 5, 255, 256, 1000, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1]) {
      for (let i = 0; i < 50; i++) {
        const v = rs.randomInterval(max);
        expect(Number.isInteger(v) && v >= 0 && v <= max).toBe(true);
      }
    }
  });

  it('refuses seeds numpy refuses', () => {
    for (const bad of [-1, 2 ** 32, 1.5, NaN]) expect(() => new RandomState(bad)).toThrow(/Seed must be between 0 and 2\*\*32 - 1/);
  });

  it('checkRandomState: an int is reproducible, null is not', () => {
    expect(checkRandomState(5).nextUint32()).toBe(new RandomState(5).nextUint32());
    const draws = new Set(Array.from({ length: 4 }, () => checkRandomState(null).nextUint32()));
    expect(draws.size).toBeGreaterThan(1);
  });
});
