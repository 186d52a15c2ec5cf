/**
 * The Laplace covariance at the optimum (docs/method.md §7 "Uncertainty"). For
 * −2 ln p = χ² + priors the inverse covariance is half the Hessian: with the Gauss–Newton
 * χ² Hessian 2 JᵀJ and the priors' curvature C (posterior.ts), Σ_p = (JᵀJ + ½ C)⁻¹ in
 * p = (Θ0, Θ1, Θ2, ln E, ln ϖ), inverted through its eigen-decomposition with an
 * eigenvalue floor (small-linalg.ts). The delta method takes it to the catalogue's
 * (Teff K, [Fe/H], log g, E, ϖ mas): Teff = 1000 Θ0, E = e^{ln E}, ϖ = e^{ln ϖ}, so
 * Σ_out = D Σ_p D with D = diag(1000, 1, 1, E, ϖ).
 */
import { LN_E, LN_PLX, N_PARAMS } from './posterior.js';
import { invertSymmetricFloored } from './small-linalg.js';

/** Eigenvalue floor relative to the largest eigenvalue of the inverse covariance. */
export const EIGEN_FLOOR = 1e-14;

const P = N_PARAMS;

export class LaplaceCovariance {
  private readonly prec = new Float64Array(P * P);
  /** Σ_p of the last call. */
  readonly covP = new Float64Array(P * P);
  private readonly work = new Float64Array(3 * P * P + P);
  private readonly scale = new Float64Array(P);
  /** Eigenvalues floored in the last call. */
  floored = 0;

  /**
   * From JᵀJ and the priors' curvature (−2 ln p units) at p: writes the 15-value upper
   * triangle of Σ_out into cov and the 5 σ's into sigma.
   */
  compute(
    jtj: ArrayLike<number>,
    hPrior: ArrayLike<number>,
    p: ArrayLike<number>,
    cov: Float64Array,
    sigma: Float64Array,
  ): void {
    const { prec, covP, scale } = this;
    for (let i = 0; i < P * P; i++) prec[i] = jtj[i] + 0.5 * hPrior[i];
    this.floored = invertSymmetricFloored(prec, P, covP, EIGEN_FLOOR, this.work);
    scale[0] = 1000;
    scale[1] = 1;
    scale[2] = 1;
    scale[LN_E] = Math.exp(p[LN_E]);
    scale[LN_PLX] = Math.exp(p[LN_PLX]);
    let k = 0;
    for (let a = 0; a < P; a++) {
      for (let b = a; b < P; b++) cov[k++] = scale[a] * scale[b] * covP[a * P + b];
      sigma[a] = scale[a] * Math.sqrt(covP[a * P + a]);
    }
  }
}
