/**
 * Puts E in the units of its prior (docs/method.md §4), along the directions χ² cannot see
 * and only the reddening priors do:
 * - the scale: every E × a, R(λ) / a;
 * - the model's colours against E as a function of Θ: every E − γ·x(Θ), every band's
 *   ln f_abs − R(λ)·γ·x(Θ), x what the output layers see (ForwardModel.outputLayerInputsHost).
 * Together, E_i → a·E_i − γ·x_i and ln f_abs(λ) − R'(λ)·γ·x with R' = R/a leave every flux
 * as it was. Training barely moves along them, and the model learns its first colours
 * with E held at its prior, whose noise dilutes R (var(E | Θ) / (var(E | Θ) + σ_E²) ≈
 * 0.94 on the synthetic skies): the fitted E then sit a few per cent high and R(λ) as
 * much low. The step solves the reddening priors' weighted least squares over (a, γ),
 * ridge-regularised on γ (its 67 directions are nearly collinear), and applies it.
 */
import { XpflowInputError } from '../../core/errors.js';
import { choleskyInPlace, solveWithCholesky } from '../linalg/cholesky.js';
import { N_FLUX } from './config.js';
import type { PriorData } from './loss.js';
import type { ForwardModel } from './model.js';
import type { StarParams } from './stars.js';

const CHUNK = 4096;

/** γ's ridge, relative to the mean diagonal of its normal equations. */
export const SETTLE_RIDGE = 1e-4;
/** A star whose E would fall below this keeps it (its fluxes then move a little). */
export const SETTLE_MIN_E = 1e-4;

/** No star to settle on: it can never succeed, so it is not retried. */
export class ReddeningSettlementError extends XpflowInputError {}

export interface ReddeningSettlement {
  /** E × scale, R / scale. */
  scale: number;
  /** Stars whose E would have fallen below SETTLE_MIN_E: held there. */
  held: number;
  /** Median |ΔE| over all stars. */
  medianAbsChange: number;
}

/** Solves the step over the listed stars (those with a finite reddening prior) and applies it to the model and every star. */
export function settleReddening(
  model: ForwardModel,
  priors: Pick<PriorData, 'ePrior' | 'ePriorErr'>,
  stars: StarParams,
  which: Int32Array,
): ReddeningSettlement {
  // Two passes in chunks (x is 67 numbers a star): the normal equations over the listed stars, then the step for every star.
  let width = 0;
  let normal = new Float64Array(0);
  let rhs = new Float64Array(0);
  stars.forEachChunk(which, CHUNK, (idx, count, theta, lnE) => {
    const x = model.outputLayerInputsHost(theta, count);
    if (!width) {
      width = 1 + x.width;
      normal = new Float64Array(width * width);
      rhs = new Float64Array(width);
    }
    const row = new Float64Array(width);
    for (let k = 0; k < count; k++) {
      const mu = priors.ePrior[idx[k]];
      const sigma = priors.ePriorErr[idx[k]];
      if (!Number.isFinite(mu) || !Number.isFinite(sigma) || !(sigma > 0)) continue;
      const w = 1 / (sigma * sigma);
      row[0] = Math.exp(lnE[k]);
      for (let q = 0; q < x.width; q++) row[1 + q] = -x.values[k * x.width + q];
      for (let a = 0; a < width; a++) {
        rhs[a] += w * row[a] * mu;
        for (let b = 0; b <= a; b++) normal[a * width + b] += w * row[a] * row[b];
      }
    }
  });
  if (!width) throw new ReddeningSettlementError('reddening settlement: no star given');
  let trace = 0;
  for (let a = 1; a < width; a++) trace += normal[a * width + a];
  for (let a = 1; a < width; a++) normal[a * width + a] += (SETTLE_RIDGE * trace) / (width - 1);
  choleskyInPlace(normal, width, 1e-12);
  const u = solveWithCholesky(normal, width, rhs);
  const scale = u[0];
  if (!(scale > 0))
    throw new ReddeningSettlementError(
      `reddening settlement: scale ${scale}; ${which.length} stars given, none with a finite reddening prior and σ?`,
    );

  let held = 0;
  const change = new Float64Array(stars.n);
  stars.forEachChunk(
    Int32Array.from({ length: stars.n }, (_, i) => i),
    CHUNK,
    (idx, count, theta, lnE) => {
      const x = model.outputLayerInputsHost(theta, count);
      for (let k = 0; k < count; k++) {
        let shift = 0;
        for (let q = 0; q < x.width; q++) shift += u[1 + q] * x.values[k * x.width + q];
        const before = Math.exp(lnE[k]);
        let after = scale * before - shift;
        if (!(after > SETTLE_MIN_E)) {
          after = SETTLE_MIN_E;
          held++;
        }
        stars.lnE[idx[k]] = Math.log(after);
        change[idx[k]] = Math.abs(after - before);
      }
    },
  );
  const lnR = model.lnR();
  for (let j = 0; j < lnR.length; j++) lnR[j] -= Math.log(scale);
  const R = model.extinctionCurve();
  const last = model.outputLayer;
  const skip = model.layout.layers.find((l) => l.skip);
  const p = model.params;
  for (let j = 0; j < N_FLUX; j++) {
    for (let k = 0; k < last.nIn; k++) p[last.wOffset + k * N_FLUX + j] -= R[j] * u[1 + k];
    p[last.bOffset + j] -= R[j] * u[1 + last.nIn];
    if (skip) for (let k = 0; k < skip.nIn; k++) p[skip.wOffset + k * N_FLUX + j] -= R[j] * u[2 + last.nIn + k];
  }
  change.sort();
  return { scale, held, medianAbsChange: change[change.length >> 1] };
}
