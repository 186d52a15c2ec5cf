/**
 * Deterministic random numbers for the synthetic sky: xoshiro128** (Blackman & Vigna
 * 2018) on 32-bit integers, seeded through splitmix32. Every star draws from its own
 * stream, keyed by (seed, purpose, index), so the sky does not depend on how the
 * work is chunked; the same key gives the same numbers on every platform (integer
 * arithmetic plus V8's own deterministic Math functions).
 */

/** splitmix32 step: a well-mixed 32-bit hash of x. */
function mix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Streams: one purpose per kind of draw that is not a star's own. */
export const STREAM = { star: 1, dustField: 2 } as const;

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare = NaN;

  /** A stream for (seed, purpose, index); seed is a non-negative integer below 2^53. */
  constructor(seed: number, purpose: number, index: number) {
    const lo = seed % 0x100000000 >>> 0;
    const hi = Math.floor(seed / 0x100000000) >>> 0;
    let h = mix32(lo ^ mix32(hi ^ mix32(purpose ^ mix32(index % 0x100000000 >>> 0))));
    h = mix32(h ^ Math.floor(index / 0x100000000));
    this.a = h = mix32(h);
    this.b = h = mix32(h);
    this.c = h = mix32(h);
    this.d = mix32(h) | 1;
    for (let i = 0; i < 4; i++) this.nextUint32();
  }

  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform in [lo, hi). */
  between(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.uniform() < p;
  }

  /** Standard normal (Box–Muller, both values used). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const s = this.spare;
      this.spare = NaN;
      return s;
    }
    const u = 1 - this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Normal with mean and standard deviation. */
  gauss(mean: number, sd: number): number {
    return mean + sd * this.normal();
  }

  /** Normal truncated to [lo, hi] by redrawing (for mild truncations only). */
  truncatedGauss(mean: number, sd: number, lo: number, hi: number): number {
    for (let i = 0; i < 100; i++) {
      const x = this.gauss(mean, sd);
      if (x >= lo && x <= hi) return x;
    }
    return Math.min(hi, Math.max(lo, mean));
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.uniform());
  }

  /** Index drawn with probability proportional to weights[i]. */
  pick(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let u = this.uniform() * total;
    for (let i = 0; i < weights.length; i++) {
      u -= weights[i];
      if (u < 0) return i;
    }
    return weights.length - 1;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
