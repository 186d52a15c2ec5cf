/**
 * The trainer's own random numbers: xoshiro128** (Blackman & Vigna 2018) seeded
 * through splitmix32, with a state that can be saved and restored, so a resumed
 * stage draws exactly the shuffles it would have drawn. tfjs's random ops are never
 * used: their state cannot be checkpointed.
 */

export type PrngState = [number, number, number, number];

function mix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

const rotl = (x: number, k: number): number => (x << k) | (x >>> (32 - k));

export class Prng {
  private s: Int32Array = new Int32Array(4);

  /** A stream for (seed, stream); seed a non-negative integer below 2^53. */
  constructor(seed: number, stream = 0) {
    let h = mix32((seed % 0x100000000) ^ mix32(Math.floor(seed / 0x100000000) ^ mix32(stream)));
    for (let i = 0; i < 4; i++) this.s[i] = h = mix32(h + i);
    if (this.s.every((v) => v === 0)) this.s[0] = 1;
  }

  static fromState(state: PrngState): Prng {
    const p = new Prng(0);
    p.setState(state);
    return p;
  }

  state(): PrngState {
    return [this.s[0], this.s[1], this.s[2], this.s[3]];
  }

  setState(state: PrngState): void {
    if (state.length !== 4 || state.some((v) => !Number.isInteger(v))) throw new Error(`bad PRNG state ${JSON.stringify(state)}`);
    this.s.set(state);
  }

  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Standard normal (Box–Muller; one value per call, for reproducibility over speed). */
  normal(): number {
    const u = 1 - this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.uniform());
  }

  /** Fisher–Yates shuffle in place. */
  shuffle(a: Int32Array): Int32Array {
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(this.uniform() * (i + 1));
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }
}
