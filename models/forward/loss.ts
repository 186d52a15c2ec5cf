/**
 * The training loss, in −2 ln p units (docs/method.md §5):
 * - model: mean over stars of the softened χ², K·asinh(χ²/K) with K = 20 × 66, plus
 *   l2 · Σw² / n_weights on the MLP weights (code FluxModel.penalty);
 * - each star: χ² + Gaussian priors on Θ (labels ± errors), ϖ (Gaia ± σ) and E
 *   (reddening prior ± σ), with the Jacobian terms −2 ln ϖ and −2 ln E of the log
 *   parameterisation. A non-finite prior value or σ means a flat prior (Jacobian kept).
 * Values and gradients are closed forms on the host; χ²'s own gradient comes from the
 * tfjs graph (batch-step.ts).
 */
import { CHI2_SOFTENING, N_LABELS } from './config.js';
import type { ParamLayout } from './model-params.js';
import type { TrainingSet } from './data.js';
import { lnNormalCdf, normalCdfLogSlope } from '../stats/normal-cdf.js';

export type PriorData = Pick<
  TrainingSet,
  'labels' | 'labelErr' | 'parallax' | 'parallaxErr' | 'ePrior' | 'ePriorErr' | 'parallaxFloor'
>;

/** K·asinh(χ²/K). */
export function softenChi2(chi2: number, k = CHI2_SOFTENING): number {
  return k * Math.asinh(chi2 / k);
}

/** d softenChi2 / dχ² = 1 / √(1 + (χ²/K)²). */
export function softenChi2Slope(chi2: number, k = CHI2_SOFTENING): number {
  const x = chi2 / k;
  return 1 / Math.sqrt(1 + x * x);
}

/** ((x − μ)/σ)² and its derivative in x; 0 when μ or σ is not finite. */
function gaussian(x: number, mu: number, sigma: number): [number, number] {
  if (!Number.isFinite(mu) || !Number.isFinite(sigma) || !(sigma > 0)) return [0, 0];
  const z = (x - mu) / sigma;
  return [z * z, (2 * z) / sigma];
}

/**
 * −2 ln prior of one star at (Θ, ln E, ln ϖ), with the log parameterisation's Jacobians
 * when `jacobian`; when `grad` is given, adds the gradient with respect to (Θ0, Θ1, Θ2,
 * ln E, ln ϖ) at grad[go …] (the ln ϖ entry only when `parallaxGrad`: an apparent-scale
 * stage takes it through its graph instead, see parallaxPriorSlope).
 */
export function starPrior(
  d: PriorData,
  star: number,
  theta: ArrayLike<number>,
  to: number,
  lnE: number,
  lnPlx: number,
  grad?: Float32Array | Float64Array,
  go = 0,
  jacobian = true,
  parallaxGrad = true,
): number {
  let total = 0;
  for (let k = 0; k < N_LABELS; k++) {
    const [v, dv] = gaussian(theta[to + k], d.labels[star * N_LABELS + k], d.labelErr[star * N_LABELS + k]);
    total += v;
    if (grad) grad[go + k] += dv;
  }
  const e = Math.exp(lnE);
  const [ve, de] = gaussian(e, d.ePrior[star], d.ePriorErr[star]);
  const [vp] = parallaxTerm(d, star, Math.exp(lnPlx));
  const j = jacobian ? 2 : 0;
  total += ve - j * lnE + vp - j * lnPlx;
  if (grad) {
    grad[go + N_LABELS] += de * e - j;
    if (parallaxGrad) grad[go + N_LABELS + 1] += parallaxPriorSlope(d, star, lnPlx, jacobian);
  }
  return total;
}

/** −2 ln prior of one star's ϖ: its Gaia term and, when `jacobian`, the −2 ln ϖ term. */
export function parallaxPrior(d: PriorData, star: number, lnPlx: number, jacobian = true): number {
  return parallaxTerm(d, star, Math.exp(lnPlx))[0] - (jacobian ? 2 * lnPlx : 0);
}

/** d(−2 ln prior)/d ln ϖ of one star: its Gaia term and, when `jacobian`, the −2 ln ϖ term. */
export function parallaxPriorSlope(d: PriorData, star: number, lnPlx: number, jacobian = true): number {
  const plx = Math.exp(lnPlx);
  return parallaxTerm(d, star, plx)[1] * plx - (jacobian ? 2 : 0);
}

/**
 * −2 ln of the Gaia parallax likelihood at ϖ and its derivative in ϖ. Where the sample
 * kept only stars whose measured parallax passed a cut (d.parallaxFloor, in the
 * corrected parallax), the likelihood is that of the stars that passed it,
 * N(ϖ_obs; ϖ, σ) / Φ((ϖ − floor)/σ): without the division, stars near the cut, whose
 * noise is more often upward, pull ϖ up (parallaxFloor in data.ts).
 */
function parallaxTerm(d: PriorData, star: number, plx: number): [number, number] {
  const sigma = d.parallaxErr[star];
  const [v, dv] = gaussian(plx, d.parallax[star], sigma);
  const floor = d.parallaxFloor?.[star];
  if (floor === undefined || !Number.isFinite(floor) || !Number.isFinite(d.parallax[star]) || !(sigma > 0))
    return [v, dv];
  const u = (plx - floor) / sigma;
  return [v + 2 * lnNormalCdf(u), dv + (2 * normalCdfLogSlope(u)) / sigma];
}

/** l2 · Σw² / n_weights over the MLP weights; adds its gradient to `grad` if given. */
export function l2Penalty(params: Float32Array, layout: ParamLayout, l2: number, grad?: Float32Array): number {
  if (l2 === 0) return 0;
  const c = l2 / layout.nWeights;
  let sum = 0;
  for (const l of layout.layers) {
    for (let i = l.wOffset; i < l.wOffset + l.nIn * l.nOut; i++) {
      sum += params[i] * params[i];
      if (grad) grad[i] += 2 * c * params[i];
    }
  }
  return c * sum;
}
