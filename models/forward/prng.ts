/**
 * The trainer's own random numbers: xoshiro128** (models/random) with this module's
 * seeding, and a state that can be saved and restored, so a resumed stage draws
 * exactly the shuffles it would have drawn. tfjs's random ops are never used: their
 * state cannot be checkpointed.
 */
import { mix32, Xoshiro128 } from '../random/xoshiro128.js';

/** The four xoshiro words, as a checkpoint stores them. */
export type PrngState = [number, number, number, number];

export class Prng extends Xoshiro128 {
  /** A stream for (seed, stream); seed a non-negative integer below 2^53. */
  constructor(seed: number, stream = 0) {
    super(0, 0);
    let h = mix32((seed % 0x100000000) ^ mix32(Math.floor(seed / 0x100000000) ^ mix32(stream)));
    const w: number[] = [0, 1, 2, 3].map((i) => (h = mix32(h + i)) | 0);
    if (!w.some((v) => v !== 0)) w[0] = 1;
    this.setWords(w);
  }

  static fromState(state: PrngState): Prng {
    const p = new Prng(0);
    p.setState(state);
    return p;
  }

  state(): PrngState {
    return this.words();
  }

  setState(state: PrngState): void {
    this.setWords(state);
  }

  /** Standard normal (Box–Muller; one value per call, for reproducibility over speed). */
  override normal(): number {
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
