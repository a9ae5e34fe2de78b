// numpy.random.RandomState(seed) bit for bit, for integer seeds: MT19937 seeded with numpy's
// `_legacy_seeding` (init_genrand), and the legacy samplers scikit-learn draws from
// (random_sample, standard_normal / normal, permutation). Written here rather than taken from
// npm because scikit-learn's results depend on this exact stream, seed 0 included.

import { InvalidParameterError } from '../errors.js';

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;
const MAX_SEED = 2 ** 32 - 1;

export class RandomState {
  private readonly key = new Uint32Array(N);
  private pos = N;
  /** numpy's `has_gauss` / `gauss`: the polar method makes two normals, the second waits here. */
  private hasGauss = false;
  private gauss = 0;

  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
      throw new InvalidParameterError('randomState', `Seed must be between 0 and 2**32 - 1. Got ${seed} instead.`);
    }
    // init_genrand (mt19937_seed in numpy's mt19937.c)
    const key = this.key;
    key[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = key[i - 1];
      key[i] = (Math.imul(1812433253, prev ^ (prev >>> 30)) + i) >>> 0;
    }
  }

  /** Refill the 624-word state (mt19937_gen). */
  private generate(): void {
    const key = this.key;
    const twist = (i: number, j: number, k: number) => {
      const y = (key[i] & UPPER_MASK) | (key[j] & LOWER_MASK);
      key[i] = key[k] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    };
    let i = 0;
    for (; i < N - M; i++) twist(i, i + 1, i + M);
    for (; i < N - 1; i++) twist(i, i + 1, i + M - N);
    twist(N - 1, 0, M - 1);
    this.pos = 0;
  }

  /** The next tempered 32-bit output, as an unsigned integer in [0, 2^32). */
  nextUint32(): number {
    if (this.pos === N) this.generate();
    let y = this.key[this.pos++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A double in [0, 1) from 53 random bits (numpy's mt19937_next_double / random_sample). */
  randomSample(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** One N(0, 1) draw (numpy's legacy_gauss: polar Box–Muller, second value cached). */
  private gaussian(): number {
    if (this.hasGauss) {
      this.hasGauss = false;
      const g = this.gauss;
      this.gauss = 0;
      return g;
    }
    let x1: number, x2: number, r2: number;
    do {
      x1 = 2 * this.randomSample() - 1;
      x2 = 2 * this.randomSample() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * Math.log(r2)) / r2);
    this.gauss = f * x1;
    this.hasGauss = true;
    return f * x2;
  }

  /** n draws of N(0, 1), as numpy's standard_normal(n) (also normal(size=n), whose 0 + 1·g is g). */
  standardNormal(n: number): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.gaussian();
    return out;
  }

  /** A uniform integer in [0, max] (numpy's random_interval: smallest bit mask, then rejection). */
  randomInterval(max: number): number {
    if (max === 0) return 0;
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    let value: number;
    do value = (this.nextUint32() & mask) >>> 0;
    while (value > max);
    return value;
  }

  /** A shuffled arange(n) (numpy's legacy permutation: Fisher–Yates from the end). */
  permutation(n: number): Int32Array {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    for (let i = n - 1; i >= 1; i--) {
      const j = this.randomInterval(i);
      const t = out[i];
      out[i] = out[j];
      out[j] = t;
    }
    return out;
  }
}

/** A 32-bit seed nobody can predict, for randomState: null. */
function freshSeed(): number {
  const crypto = (globalThis as { crypto?: { getRandomValues?: (a: Uint32Array) => Uint32Array } }).crypto;
  if (crypto?.getRandomValues) return crypto.getRandomValues(new Uint32Array(1))[0];
  return Math.floor(Math.random() * 2 ** 32);
}

/** scikit-learn's check_random_state: an int seeds a new generator; null gives an unseeded (non-reproducible) one. */
export function checkRandomState(seed: number | null): RandomState {
  return new RandomState(seed === null ? freshSeed() : seed);
}
