/**
 * Deterministic random numbers for the synthetic sky: the shared xoshiro128** core
 * (models/random). Every star draws from its own
 * stream, keyed by (seed, purpose, index), so the sky does not depend on how the
 * work is chunked; the same key gives the same numbers on every platform (integer
 * arithmetic plus V8's own deterministic Math functions).
 */

import { mix32, Xoshiro128 } from '../random/xoshiro128.js';

/** Streams: one purpose per kind of draw that is not a star's own. */
export const STREAM = { star: 1, dustField: 2 } as const;

export class Rng extends Xoshiro128 {
  /** A stream for (seed, purpose, index); seed is a non-negative integer below 2^53. */
  constructor(seed: number, purpose: number, index: number) {
    const lo = (seed % 0x100000000) >>> 0;
    const hi = Math.floor(seed / 0x100000000) >>> 0;
    const h = mix32(lo ^ mix32(hi ^ mix32(purpose ^ mix32((index % 0x100000000) >>> 0))));
    super(mix32(h ^ Math.floor(index / 0x100000000)), 4);
  }

  /** Uniform in [lo, hi). */
  between(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.uniform() < p;
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
