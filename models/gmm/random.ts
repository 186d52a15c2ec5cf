/**
 * Deterministic random numbers for the GMM prior (k-means++ seeding, restarts,
 * sampling for the ln-p clip): xoshiro128** (Blackman & Vigna 2018) on 32-bit
 * integers, its state filled by splitmix32 from (seed, stream). Integer arithmetic
 * plus V8's deterministic Math.log/cos/sin, so a seed gives the same numbers on every
 * platform; Math.random is never used. Kept apart from the synthetic sky's generator
 * so that changing one never changes the other's outputs.
 */
import { GmmInputError } from './errors.js';

/** splitmix32 step: a well-mixed 32-bit hash of x. */
function mix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Throws unless seed is an integer in [0, 2^53). */
export function checkSeed(seed: number, what = 'seed'): void {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new GmmInputError(`${what} must be a non-negative safe integer, got ${seed}`);
}

export class GmmRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare = NaN;

  /** A stream for (seed, stream); seed is an integer in [0, 2^53), stream in [0, 2^32). */
  constructor(seed: number, stream = 0) {
    checkSeed(seed);
    const lo = seed % 0x100000000 >>> 0;
    const hi = Math.floor(seed / 0x100000000) >>> 0;
    let h = mix32(lo ^ mix32(hi ^ mix32(stream >>> 0)));
    this.a = h = mix32(h);
    this.b = h = mix32(h);
    this.c = h = mix32(h);
    this.d = mix32(h) | 1; // never the all-zero state
    for (let i = 0; i < 8; i++) this.nextUint32();
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

  /** Uniform integer in [0, n), n ≤ 2^53 (from 53 random bits; the bias is below 2^-20 for n < 2^33). */
  below(n: number): number {
    return Math.min(n - 1, Math.floor(this.uniform() * n));
  }

  /** Standard normal (Box–Muller, both values used). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const s = this.spare;
      this.spare = NaN;
      return s;
    }
    const u = 1 - this.uniform(); // (0, 1]: log never sees 0
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
}
