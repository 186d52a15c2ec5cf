/**
 * The per-star free parameters (docs/method.md §5): Θ (3), ln E and ln ϖ for every star of
 * a TrainingSet, on the host, with their initial values from the labels and priors:
 * Θ = labels; E = max(E_prior, floor) (missing → floor); ϖ = Gaia's when ϖ/σ is good,
 * else the photometric guess (photometric-parallax.ts) or max(ϖ, σ_ϖ).
 */
import { E_INIT_FLOOR, N_LABELS, PARALLAX_INIT_FLOOR_MAS, PARALLAX_INIT_MIN_SNR } from './config.js';
import type { PriorData } from './loss.js';

/** Whether star i's Gaia ϖ is taken as its value (initial, or reset): ϖ/σ ≥ PARALLAX_INIT_MIN_SNR. */
export function hasUsableParallax(d: PriorData, i: number): boolean {
  return Number.isFinite(d.parallax[i]) && d.parallax[i] / d.parallaxErr[i] >= PARALLAX_INIT_MIN_SNR;
}

/** ln of star i's Gaia ϖ as a starting value (floored). */
function gaiaLnParallax(d: PriorData, i: number): number {
  return Math.log(Math.max(d.parallax[i], PARALLAX_INIT_FLOOR_MAS));
}

export class StarParams {
  constructor(
    readonly n: number,
    readonly theta: Float32Array,
    readonly lnE: Float32Array,
    readonly lnPlx: Float32Array,
  ) {
    if (theta.length !== n * N_LABELS || lnE.length !== n || lnPlx.length !== n) {
      throw new Error(`StarParams: arrays do not match n = ${n}`);
    }
  }

  static zeros(n: number): StarParams {
    return new StarParams(n, new Float32Array(n * N_LABELS), new Float32Array(n), new Float32Array(n));
  }

  /**
   * Initial values from the priors; `poorParallax` lists the stars whose ϖ/σ is below
   * PARALLAX_INIT_MIN_SNR (their ln ϖ = ln max(ϖ, σ_ϖ) until a photometric guess).
   */
  static fromPriors(d: PriorData & { n: number }): { stars: StarParams; poorParallax: Int32Array } {
    const s = StarParams.zeros(d.n);
    const poor: number[] = [];
    for (let i = 0; i < d.n; i++) {
      for (let k = 0; k < N_LABELS; k++) s.theta[i * N_LABELS + k] = d.labels[i * N_LABELS + k];
      const e = d.ePrior[i];
      s.lnE[i] = Math.log(Number.isFinite(e) ? Math.max(e, E_INIT_FLOOR) : E_INIT_FLOOR);
      const plx = d.parallax[i];
      const sig = d.parallaxErr[i];
      if (hasUsableParallax(d, i)) {
        s.lnPlx[i] = gaiaLnParallax(d, i);
      } else {
        poor.push(i);
        const guess = Math.max(Number.isFinite(plx) ? plx : 0, Number.isFinite(sig) ? sig : 0, PARALLAX_INIT_FLOOR_MAS);
        s.lnPlx[i] = Math.log(guess);
      }
    }
    return { stars: s, poorParallax: Int32Array.from(poor) };
  }

  /** Sets the listed stars' ln ϖ to Gaia's where ϖ/σ ≥ PARALLAX_INIT_MIN_SNR; returns how many. */
  resetParallaxToGaia(d: PriorData, which: Int32Array): number {
    let n = 0;
    for (const i of which) {
      if (!hasUsableParallax(d, i)) continue;
      this.lnPlx[i] = gaiaLnParallax(d, i);
      n++;
    }
    return n;
  }

  clone(): StarParams {
    return new StarParams(this.n, this.theta.slice(), this.lnE.slice(), this.lnPlx.slice());
  }

  /**
   * Calls fn for the listed stars in chunks of at most `size`, each chunk's parameters
   * gathered into batch arrays (reused between calls).
   */
  forEachChunk(
    which: Int32Array,
    size: number,
    fn: (idx: Int32Array, count: number, theta: Float32Array, lnE: Float32Array, lnPlx: Float32Array) => void,
  ): void {
    const theta = new Float32Array(size * N_LABELS);
    const lnE = new Float32Array(size);
    const lnPlx = new Float32Array(size);
    for (let start = 0; start < which.length; start += size) {
      const count = Math.min(size, which.length - start);
      const idx = which.subarray(start, start + count);
      this.gather(idx, count, theta, lnE, lnPlx);
      fn(idx, count, theta, lnE, lnPlx);
    }
  }

  /** Copies the listed stars' parameters into batch arrays. */
  gather(stars: Int32Array, count: number, theta: Float32Array, lnE: Float32Array, lnPlx: Float32Array): void {
    for (let k = 0; k < count; k++) {
      const s = stars[k];
      for (let j = 0; j < N_LABELS; j++) theta[k * N_LABELS + j] = this.theta[s * N_LABELS + j];
      lnE[k] = this.lnE[s];
      lnPlx[k] = this.lnPlx[s];
    }
  }
}
