/**
 * The apparent-scale coordinate of a star's distance: ψ = ln ϖ + ½ m̄(Θ), with m̄(Θ) the
 * model's mean ln f_abs over its outputs. A stage with `apparentScale` fits ψ in place
 * of ln ϖ. The loss is the same function; only the coordinates change. In ln ϖ, a
 * star's flux fixes (model brightness + 2 ln ϖ) tightly, so a model that is too faint
 * at some Θ is matched by a larger ϖ at no cost in χ², and the joint fit can only
 * correct it slowly, through the Gaia priors of stars that must all move together.
 * In ψ, the flux fixes ψ and the model's shape, and the model's brightness enters only
 * through ln ϖ = ψ − ½ m̄(Θ), that is through the parallax priors. The Gaia
 * parallaxes then set the brightness directly.
 */
import type { ForwardModel } from './model.js';
import type { StarParams } from './stars.js';

const CHUNK = 4096;

/** Adds sign · ½ m̄(Θ) to the listed stars' ln ϖ slot (+1: ln ϖ → ψ, −1: ψ → ln ϖ). */
function shiftByHalfMeanLnFluxAbs(model: ForwardModel, stars: StarParams, which: Int32Array, sign: 1 | -1): void {
  stars.forEachChunk(which, CHUNK, (idx, count, theta) => {
    const mean = model.meanLnFluxAbsHost(theta, count);
    for (let k = 0; k < count; k++) stars.lnPlx[idx[k]] += sign * 0.5 * mean[k];
  });
}

/** ln ϖ → ψ for the listed stars, in place. */
export function toApparentScale(model: ForwardModel, stars: StarParams, which: Int32Array): void {
  shiftByHalfMeanLnFluxAbs(model, stars, which, 1);
}

/** ψ → ln ϖ for the listed stars, in place. */
export function toParallax(model: ForwardModel, stars: StarParams, which: Int32Array): void {
  shiftByHalfMeanLnFluxAbs(model, stars, which, -1);
}
