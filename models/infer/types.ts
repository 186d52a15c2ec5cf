/**
 * Inference for every star (docs/method.md §7): the contract between the per-star solver
 * (models/infer/) and the stages that feed it and write the catalogue (pipeline/infer*).
 * LAMOST labels are never an input: a star's values come from its spectrum, NIR, Gaia
 * parallax and the priors alone.
 */

/** What the solver needs of one star. */
export interface InferenceStar {
  sourceId: bigint;
  /** 66 fluxes in model units (1e-18 W m⁻² nm⁻¹), NaN where missing. */
  flux: Float32Array;
  /** 66×66 row-major lower-triangular W with WᵀW = Σ⁻¹ (rows/columns 0 where the flux is missing). */
  whitening: Float32Array;
  /** Gaia parallax, zero-point corrected, and its σ (mas); NaN = no parallax (flat prior). */
  parallax: number;
  parallaxErr: number;
  /** Reddening prior E ± σ; NaN = none (flat in E > 0). */
  ePrior: number;
  ePriorErr: number;
}

/** quality_flags bits (docs/method.md §7). Bits 0–2 (classifier confidences) are not computed: always 0. */
export const QUALITY_FLAG = {
  /** χ²/(fluxes used) > 2 at the optimum. */
  chi2: 1 << 3,
  /** ln p_GMM(Θ) below the prior's clip. */
  lnPrior: 1 << 4,
  /** The fitted ϖ more than 10σ from Gaia's. */
  parallax: 1 << 5,
  /** Another local optimum within SECOND_SOLUTION_DELTA of the best −2 ln posterior. */
  secondSolution: 1 << 6,
  /** The solver did not converge from any start: values are the best found, not an optimum. */
  notConverged: 1 << 7,
} as const;

/** One star's result: the MAP and its Laplace covariance. */
export interface StarSolution {
  /** Teff (K), [Fe/H], log g, E, ϖ (mas). */
  teff: number;
  feh: number;
  logg: number;
  E: number;
  parallax: number;
  /** σ of each, from the covariance's diagonal. */
  teffErr: number;
  fehErr: number;
  loggErr: number;
  EErr: number;
  parallaxErr: number;
  /**
   * The 5×5 covariance of (Teff K, [Fe/H], log g, E, ϖ mas) as its upper triangle,
   * row by row (15 values: c00 c01 c02 c03 c04 c11 c12 c13 c14 c22 c23 c24 c33 c34 c44).
   */
  covariance: Float64Array;
  /** χ² at the optimum and the number of fluxes it used. */
  chi2: number;
  nFlux: number;
  /** ln p_GMM(Θ) at the optimum. */
  lnPrior: number;
  /** −2 ln posterior at the optimum (χ² + every prior term, as minimised). */
  minus2LnPosterior: number;
  /** −2 ln posterior of the best other local optimum minus the best's (Infinity when none was found). */
  secondSolutionDelta: number;
  qualityFlags: number;
  /** Solver iterations of the kept solution. */
  iterations: number;
}

/**
 * A solution's values in the catalogue's column order: the five parameters, their σ's, the
 * 15 covariance values, then χ², ln prior and −2 ln posterior.
 */
export function solutionNumbers(s: StarSolution): number[] {
  return [
    s.teff,
    s.feh,
    s.logg,
    s.E,
    s.parallax,
    s.teffErr,
    s.fehErr,
    s.loggErr,
    s.EErr,
    s.parallaxErr,
    ...s.covariance,
    s.chi2,
    s.lnPrior,
    s.minus2LnPosterior,
  ];
}
