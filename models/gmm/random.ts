/**
 * Deterministic random numbers for the GMM prior (k-means++ seeding, restarts,
 * sampling for the ln-p clip): the shared xoshiro128** core, seeded from (seed, stream)
 * apart from the synthetic sky's streams.
 */
import { mix32, Xoshiro128 } from '../random/xoshiro128.js';
import { GmmInputError } from './errors.js';

/** Throws unless seed is an integer in [0, 2^53). */
export function checkSeed(seed: number, what = 'seed'): void {
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new GmmInputError(`${what} must be a non-negative safe integer, got ${seed}`);
}

export class GmmRandom extends Xoshiro128 {
  /** A stream for (seed, stream); seed is an integer in [0, 2^53), stream in [0, 2^32). */
  constructor(seed: number, stream = 0) {
    checkSeed(seed);
    const lo = (seed % 0x100000000) >>> 0;
    const hi = Math.floor(seed / 0x100000000) >>> 0;
    super(mix32(lo ^ mix32(hi ^ mix32(stream >>> 0))), 8);
  }

  /** Uniform integer in [0, n), n ≤ 2^53 (from 53 random bits; the bias is below 2^-20 for n < 2^33). */
  below(n: number): number {
    return Math.min(n - 1, Math.floor(this.uniform() * n));
  }
}
