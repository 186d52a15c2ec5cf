/**
 * The run's GMM prior on Θ (docs/method.md §6) as the solver needs it: −2 ln p_GMM(Θ),
 * its gradient and a positive-definite curvature, allocation-free.
 *
 * With responsibilities r_c and g_c = Λ_c (Θ − μ_c) (Λ_c the precision of component c):
 *   ∇(−2 ln p) = 2 Σ_c r_c g_c,
 *   ∇²(−2 ln p) = 2 Σ_c r_c Λ_c − 2 Cov_r(g_c).
 * The curvature used (for the step and the Laplace covariance) is 2 Σ_c r_c Λ_c: the exact
 * Hessian plus a positive semi-definite term, so it is positive definite everywhere, equal to
 * the exact one inside a single component, and an upper bound of it between components
 * (steps taken with it never overshoot the prior's own curvature).
 */
import type { GmmModel } from '../gmm/types.js';

const LN_2PI = Math.log(2 * Math.PI);

export class GmmPrior {
  readonly k: number;
  /** Λ_c = P_c P_cᵀ (3×3 per component, row-major). */
  private readonly precision: Float64Array;
  private readonly means: Float64Array;
  /** ln w_c + ln det P_c − (D/2) ln 2π. */
  private readonly logNorm: Float64Array;
  private readonly lp: Float64Array;
  private readonly g: Float64Array;
  readonly lnPriorClip: number | null;

  constructor(model: GmmModel) {
    if (model.dimensions !== 3) throw new Error(`GmmPrior: ${model.dimensions} dimensions, expected 3`);
    const k = model.components;
    const d = 3;
    this.k = k;
    this.means = Float64Array.from(model.means);
    this.precision = new Float64Array(k * 9);
    this.logNorm = new Float64Array(k);
    this.lp = new Float64Array(k);
    this.g = new Float64Array(k * 3);
    this.lnPriorClip = model.lnPriorClip;
    const p = model.precisionCholesky;
    for (let c = 0; c < k; c++) {
      const o = c * 9;
      let logDet = 0;
      for (let a = 0; a < d; a++) logDet += Math.log(p[o + a * d + a]);
      for (let a = 0; a < d; a++)
        for (let b = 0; b < d; b++) {
          let s = 0;
          for (let m = 0; m < d; m++) s += p[o + a * d + m] * p[o + b * d + m];
          this.precision[o + a * d + b] = s;
        }
      this.logNorm[c] = Math.log(model.weights[c]) + logDet - 0.5 * d * LN_2PI;
    }
  }

  /**
   * ln p_GMM(Θ) at theta[to …]; when `grad` is given, adds ∇(−2 ln p) to grad[go …] and
   * the curvature 2 Σ r_c Λ_c to the 3×3 block of the `hStride`-wide matrix h at (ho, ho).
   */
  lnPdf(
    theta: ArrayLike<number>,
    to: number,
    grad: Float64Array | null = null,
    go = 0,
    h: Float64Array | null = null,
    ho = 0,
    hStride = 5,
  ): number {
    const { k, means, precision: lam, logNorm, lp, g } = this;
    const x0 = theta[to],
      x1 = theta[to + 1],
      x2 = theta[to + 2];
    let max = -Infinity;
    for (let c = 0; c < k; c++) {
      const d0 = x0 - means[c * 3],
        d1 = x1 - means[c * 3 + 1],
        d2 = x2 - means[c * 3 + 2];
      const o = c * 9;
      const g0 = lam[o] * d0 + lam[o + 1] * d1 + lam[o + 2] * d2;
      const g1 = lam[o + 3] * d0 + lam[o + 4] * d1 + lam[o + 5] * d2;
      const g2 = lam[o + 6] * d0 + lam[o + 7] * d1 + lam[o + 8] * d2;
      g[c * 3] = g0;
      g[c * 3 + 1] = g1;
      g[c * 3 + 2] = g2;
      const v = logNorm[c] - 0.5 * (d0 * g0 + d1 * g1 + d2 * g2);
      lp[c] = v;
      if (v > max) max = v;
    }
    if (max === -Infinity || !Number.isFinite(max)) return max;
    let sum = 0;
    for (let c = 0; c < k; c++) {
      const e = Math.exp(lp[c] - max);
      lp[c] = e;
      sum += e;
    }
    if (grad !== null || h !== null) {
      const inv = 1 / sum;
      for (let c = 0; c < k; c++) {
        const r = lp[c] * inv;
        if (r === 0) continue;
        if (grad !== null) {
          grad[go] += 2 * r * g[c * 3];
          grad[go + 1] += 2 * r * g[c * 3 + 1];
          grad[go + 2] += 2 * r * g[c * 3 + 2];
        }
        if (h !== null) {
          const o = c * 9;
          for (let a = 0; a < 3; a++)
            for (let b = 0; b < 3; b++) h[(ho + a) * hStride + ho + b] += 2 * r * lam[o + a * 3 + b];
        }
      }
    }
    return max + Math.log(sum);
  }
}
