/**
 * The solution of a star with no usable flux (every row of W zero, or arrays the solver
 * cannot read): there is no optimum to find, so it is flagged notConverged and carries what
 * the priors alone say.
 * - Θ: the GMM's mean and covariance (finite; the prior's own spread as σ).
 * - E: with a prior E_p ± σ, the mode of N(E; E_p, σ)·E (the prior times the log
 *   parameterisation's Jacobian), (E_p + √(E_p² + 4σ²))/2, ± σ; without one, NaN ± NaN.
 * - ϖ: likewise from Gaia's ϖ ± σ, or NaN ± NaN without one.
 * Off-diagonal covariances are 0 (NaN where a value is NaN); χ² = 0 over nFlux = 0;
 * minus2LnPosterior is the prior terms' value where E and ϖ are both finite, else NaN.
 * NaN appears only here, always with QUALITY_FLAG.notConverged.
 */
import type { GmmModel } from '../gmm/types.js';
import { LN_E, LN_PLX, N_PARAMS, type StarPosterior } from './posterior.js';
import { QUALITY_FLAG, type StarSolution } from './types.js';

/** The mixture's mean (3) and covariance (3×3). */
export function mixtureMoments(prior: GmmModel): { mean: Float64Array; cov: Float64Array } {
  const d = 3;
  const mean = new Float64Array(d);
  const cov = new Float64Array(d * d);
  for (let c = 0; c < prior.components; c++)
    for (let a = 0; a < d; a++) mean[a] += prior.weights[c] * prior.means[c * d + a];
  for (let c = 0; c < prior.components; c++) {
    const w = prior.weights[c];
    for (let a = 0; a < d; a++)
      for (let b = 0; b < d; b++) {
        const da = prior.means[c * d + a] - mean[a];
        const db = prior.means[c * d + b] - mean[b];
        cov[a * d + b] += w * (prior.covariances[c * d * d + a * d + b] + da * db);
      }
  }
  return { mean, cov };
}

/** Mode of N(x; μ, σ)·x over x > 0. */
function modeWithJacobian(mu: number, sigma: number, jacobian: boolean): number {
  return jacobian ? 0.5 * (mu + Math.sqrt(mu * mu + 4 * sigma * sigma)) : Math.max(mu, 1e-6 * sigma);
}

export function priorOnlySolution(
  post: StarPosterior,
  moments: { mean: Float64Array; cov: Float64Array },
  lnPriorClip: number | null,
): StarSolution {
  const { mean, cov } = moments;
  const jac = post.jacobian > 0;
  const e = post.hasEPrior ? modeWithJacobian(post.ePrior, post.ePriorErr, jac) : NaN;
  const eErr = post.hasEPrior ? post.ePriorErr : NaN;
  const plx = post.hasPlx ? modeWithJacobian(post.plx, post.plxErr, jac) : NaN;
  const plxErr = post.hasPlx ? post.plxErr : NaN;
  const scale = [1000, 1, 1];
  const nanOf = (i: number) => (i === LN_E && Number.isNaN(e)) || (i === LN_PLX && Number.isNaN(plx));
  const covariance = new Float64Array(15);
  let k = 0;
  for (let a = 0; a < N_PARAMS; a++)
    for (let b = a; b < N_PARAMS; b++) {
      let v: number;
      if (a < 3 && b < 3) v = scale[a] * scale[b] * cov[a * 3 + b];
      else if (a === b) v = a === LN_E ? eErr * eErr : plxErr * plxErr;
      else v = nanOf(a) || nanOf(b) ? NaN : 0;
      covariance[k++] = v;
    }
  const p = Float64Array.of(mean[0], mean[1], mean[2], Math.log(e), Math.log(plx));
  let m2 = NaN;
  if (Number.isFinite(e) && Number.isFinite(plx)) m2 = post.priorTerms(p, null, null);
  const lnPrior = post.gmm.lnPdf(p, 0);
  let flags = QUALITY_FLAG.notConverged;
  if (lnPriorClip !== null && lnPrior < lnPriorClip) flags |= QUALITY_FLAG.lnPrior;
  return {
    teff: 1000 * mean[0],
    feh: mean[1],
    logg: mean[2],
    E: e,
    parallax: plx,
    teffErr: 1000 * Math.sqrt(cov[0]),
    fehErr: Math.sqrt(cov[4]),
    loggErr: Math.sqrt(cov[8]),
    EErr: eErr,
    parallaxErr: plxErr,
    covariance,
    chi2: 0,
    nFlux: 0,
    lnPrior,
    minus2LnPosterior: m2,
    secondSolutionDelta: Infinity,
    qualityFlags: flags,
    iterations: 0,
  };
}
