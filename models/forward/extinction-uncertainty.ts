/**
 * How well the stars that train the model pin R(λ). χ² cannot see two directions of it
 * (docs/recipes.md, "Why W1/W2's R spreads"):
 * - the grey offset c: R(λ) + c at every wavelength, each ln ϖ + c·E/2. The model's
 *   brightness may follow Θ at the same time (every band's output layer + γ·x(Θ), x the
 *   output layers' inputs, each ln ϖ − γ·x/2), as training lets it. Every flux is
 *   unchanged; only the Gaia parallax terms move.
 * - the scale s: every E × e^s, R(λ) × e^−s. Only the reddening prior terms move.
 * Along each, Newton on those prior terms gives the priors' optimum and the Laplace σ
 * (σ² = 2 / curvature of −2 ln P, marginal over γ). R(λ)'s σ is (σ_c² + (σ_s R(λ))²)^½.
 * The optimum, in σ, says how far the model's R sits from where the priors alone would put it.
 */
import { parallaxPrior, parallaxPriorSlope, type PriorData } from './loss.js';
import type { ForwardModel } from './model.js';
import type { StarParams } from './stars.js';
import { choleskyInPlace, solveWithCholesky } from '../linalg/cholesky.js';

export interface DirectionEstimate {
  /** 1σ of the direction's coordinate (c in R units; s in ln R units). */
  sigma: number;
  /** The priors' optimum along it, the model at 0. */
  optimum: number;
}

export interface ExtinctionUncertainty {
  stars: number;
  extinctionCurve: number[];
  /** 1σ of R(λ) at each wavelength. */
  sigma: number[];
  greyOffset: DirectionEstimate;
  scale: DirectionEstimate;
}

const CHUNK = 4096;
const MAX_NEWTON_STEPS = 8;

export function extinctionUncertainty(
  model: ForwardModel,
  priors: PriorData,
  stars: StarParams,
  which: Int32Array,
  jacobian: boolean,
): ExtinctionUncertainty {
  const R = model.extinctionCurve();
  const greyOffset = greyOffsetEstimate(model, priors, stars, which, jacobian);
  const scale = scaleEstimate(priors, stars, which, jacobian);
  return {
    stars: which.length,
    extinctionCurve: Array.from(R),
    sigma: Array.from(R, (r) => Math.hypot(greyOffset.sigma, scale.sigma * r)),
    greyOffset,
    scale,
  };
}

/** Rows a_i = ∂ ln ϖ_i / ∂(c, γ) = (E_i/2, −x_i(Θ)/2) for the listed stars. */
function greyOffsetRows(
  model: ForwardModel,
  stars: StarParams,
  which: Int32Array,
): { rows: Float64Array; width: number } {
  let rows = new Float64Array(0);
  let width = 0;
  let at = 0;
  stars.forEachChunk(which, CHUNK, (idx, count, theta, lnE) => {
    const x = model.outputLayerInputsHost(theta, count);
    if (!width) {
      width = 1 + x.width;
      rows = new Float64Array(which.length * width);
    }
    for (let k = 0; k < count; k++, at++) {
      const o = at * width;
      rows[o] = Math.exp(lnE[k]) / 2;
      for (let q = 0; q < x.width; q++) rows[o + 1 + q] = -x.values[k * x.width + q] / 2;
    }
  });
  return { rows, width };
}

function greyOffsetEstimate(
  model: ForwardModel,
  priors: PriorData,
  stars: StarParams,
  which: Int32Array,
  jacobian: boolean,
): DirectionEstimate {
  const { rows, width } = greyOffsetRows(model, stars, which);
  const lnPlx = (k: number, u: Float64Array) => {
    let d = 0;
    for (let q = 0; q < width; q++) d += rows[k * width + q] * u[q];
    return stars.lnPlx[which[k]] + d;
  };
  const objective = (u: Float64Array) => {
    let sum = 0;
    for (let k = 0; k < which.length; k++) sum += parallaxPrior(priors, which[k], lnPlx(k, u), jacobian);
    return sum;
  };
  // −2 ln P's gradient and (factored) curvature in (c, γ) at u. The terms are close to
  // quadratic: the steps reuse the first curvature, and σ takes the one at the optimum.
  const derivatives = (u: Float64Array, withCurvature: boolean) => {
    const gradient = new Float64Array(width);
    const curvature = withCurvature ? new Float64Array(width * width) : undefined;
    const h = 1e-4;
    for (let k = 0; k < which.length; k++) {
      const i = which[k];
      const x = lnPlx(k, u);
      const slope = parallaxPriorSlope(priors, i, x, jacobian);
      const o = k * width;
      for (let a = 0; a < width; a++) gradient[a] += slope * rows[o + a];
      if (!curvature) continue;
      // In ln ϖ a star's term curves downwards where its fitted ϖ is below half of Gaia's
      // (and the truncation's ln Φ is concave). Kept at ≥ 0, the curvature stays positive
      // semidefinite (Gauss–Newton-like).
      const second = Math.max(
        0,
        (parallaxPriorSlope(priors, i, x + h, jacobian) - parallaxPriorSlope(priors, i, x - h, jacobian)) / (2 * h),
      );
      for (let a = 0; a < width; a++) {
        const ra = second * rows[o + a];
        for (let b = 0; b <= a; b++) curvature[a * width + b] += ra * rows[o + b];
      }
    }
    if (curvature) {
      // A brightness direction the stars do not pin (few stars, saturated units) gets a
      // small ridge rather than an infinite variance; c's own curvature is left as it is.
      let largest = 0;
      for (let a = 0; a < width; a++) largest = Math.max(largest, curvature[a * width + a]);
      for (let a = 1; a < width; a++) curvature[a * width + a] += 1e-9 * largest;
      choleskyInPlace(curvature, width, 1e-12);
    }
    return { gradient, factor: curvature };
  };
  let u = new Float64Array(width);
  let value = objective(u);
  const { factor } = derivatives(u, true);
  for (let step = 0; step < MAX_NEWTON_STEPS; step++) {
    const direction = solveWithCholesky(factor!, width, derivatives(u, false).gradient).map((g) => -g);
    let t = 1;
    let next = u;
    let nextValue = value;
    while (t > 1e-3) {
      const trial = u.map((v, q) => v + t * direction[q]);
      const trialValue = objective(trial);
      if (trialValue < value) {
        next = trial;
        nextValue = trialValue;
        break;
      }
      t /= 2;
    }
    const decrease = value - nextValue;
    u = next;
    value = nextValue;
    if (!(decrease > 1e-6)) break;
  }
  const unit = new Float64Array(width);
  unit[0] = 1;
  return { sigma: Math.sqrt(2 * solveWithCholesky(derivatives(u, true).factor!, width, unit)[0]), optimum: u[0] };
}

function scaleEstimate(priors: PriorData, stars: StarParams, which: Int32Array, jacobian: boolean): DirectionEstimate {
  const j = jacobian ? 2 : 0;
  const derivatives = (s: number) => {
    let gradient = 0;
    let curvature = 0;
    for (const i of which) {
      gradient -= j;
      const mu = priors.ePrior[i];
      const sigma = priors.ePriorErr[i];
      if (!Number.isFinite(mu) || !Number.isFinite(sigma) || !(sigma > 0)) continue;
      const e = Math.exp(stars.lnE[i] + s);
      gradient += (2 * (e - mu) * e) / (sigma * sigma);
      curvature += (2 * (2 * e * e - mu * e)) / (sigma * sigma);
    }
    return { gradient, curvature };
  };
  let s = 0;
  for (let step = 0; step < MAX_NEWTON_STEPS; step++) {
    const { gradient, curvature } = derivatives(s);
    if (!(curvature > 0)) break;
    const move = -gradient / curvature;
    s += move;
    if (Math.abs(move) < 1e-9) break;
  }
  return { sigma: Math.sqrt(2 / derivatives(s).curvature), optimum: s };
}
