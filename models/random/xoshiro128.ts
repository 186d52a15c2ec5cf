/**
 * xoshiro128** (Blackman & Vigna 2018) on 32-bit integers, its state filled by
 * splitmix32: the generator core shared by the synthetic sky, the GMM prior and the
 * trainer. Each keeps its own seeding (subclasses), so the streams stay independent. Integer
 * arithmetic plus V8's deterministic Math functions: a seed gives the same numbers on
 * every platform; Math.random is never used.
 */

/** splitmix32 step: a well-mixed 32-bit hash of x. */
export function mix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

export class Xoshiro128 {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare = NaN;

  /** The state from a 32-bit key hash h, then `warmup` discarded outputs. */
  protected constructor(h: number, warmup: number) {
    this.a = h = mix32(h);
    this.b = h = mix32(h);
    this.c = h = mix32(h);
    this.d = mix32(h) | 1; // never the all-zero state
    for (let i = 0; i < warmup; i++) this.nextUint32();
  }

  /** The four state words (signed 32-bit integers), e.g. for a checkpoint. */
  protected words(): [number, number, number, number] {
    return [this.a, this.b, this.c, this.d];
  }

  /** Puts the generator at a saved state (words() of some earlier moment). */
  protected setWords(w: readonly number[]): void {
    if (w.length !== 4 || w.some((v) => !Number.isInteger(v))) throw new Error(`bad PRNG state ${JSON.stringify(w)}`);
    [this.a, this.b, this.c, this.d] = w.map((v) => v | 0);
    this.spare = NaN;
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
