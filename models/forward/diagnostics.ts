/**
 * Fit diagnostics from the current model and star parameters, chunk by chunk: per-star
 * χ² (whitened), reduced χ² (χ² / (n_present − 5)), and the residuals Δf/σ =
 * (f_pred − f_obs)/σ per wavelength, σ from TrainingSet.fluxErr when given, else
 * √diag(Σ) recovered from the whitening factor (NaN where missing).
 */
import { N_FLUX, N_STAR_PARAMS } from './config.js';
import type { SpectraSource } from './data.js';
import type { ForwardModel } from './model.js';
import type { StarParams } from './stars.js';
import { fluxSigmaFromWhitening, presentCount, whitenLower } from './whitening.js';

const CHUNK = 4096;

/**
 * Calls fn(star, pred) for each listed star with its predicted fluxes (a reused buffer);
 * with `atUnitParallax`, the fluxes at ϖ = 1 mas (f_abs · exp(−E R)).
 */
export function forEachPrediction(
  model: ForwardModel,
  stars: StarParams,
  which: Int32Array,
  fn: (star: number, pred: Float32Array) => void,
  atUnitParallax = false,
): void {
  stars.forEachChunk(which, CHUNK, (idx, count, theta, lnE, lnPlx) => {
    if (atUnitParallax) lnPlx.fill(0);
    const pred = model.predictHost(theta, lnE, lnPlx, count);
    for (let k = 0; k < count; k++) fn(idx[k], pred.subarray(k * N_FLUX, (k + 1) * N_FLUX));
  });
}

export interface FitDiagnostics {
  chi2: Float32Array;
  reducedChi2: Float32Array;
  nPresent: Int32Array;
  /** max_λ |Δf/σ| over present fluxes. */
  maxAbsResidual: Float32Array;
}

/** Δf/σ for one star into out (NaN where the flux is missing). */
export function starResiduals(
  spectra: SpectraSource,
  star: number,
  pred: ArrayLike<number>,
  out: Float32Array,
  sigmaScratch?: Float32Array,
): Float32Array {
  const obs = spectra.fluxOf(star);
  const sigma = spectra.fluxErrOf?.(star) ?? fluxSigmaFromWhitening(spectra.whiteningOf(star), sigmaScratch);
  for (let j = 0; j < N_FLUX; j++) out[j] = Number.isNaN(obs[j]) ? NaN : (pred[j] - obs[j]) / sigma[j];
  return out;
}

/** Diagnostics for the listed stars (arrays indexed like `which`). */
export function fitDiagnostics(
  model: ForwardModel,
  spectra: SpectraSource,
  stars: StarParams,
  which: Int32Array,
): FitDiagnostics {
  const n = which.length;
  const d: FitDiagnostics = {
    chi2: new Float32Array(n),
    reducedChi2: new Float32Array(n),
    nPresent: new Int32Array(n),
    maxAbsResidual: new Float32Array(n),
  };
  const r = new Float64Array(N_FLUX);
  const u = new Float64Array(N_FLUX);
  const res = new Float32Array(N_FLUX);
  const scratch = new Float32Array(N_FLUX);
  let k = 0;
  forEachPrediction(model, stars, which, (star, pred) => {
    const w = spectra.whiteningOf(star);
    const obs = spectra.fluxOf(star);
    for (let j = 0; j < N_FLUX; j++) r[j] = pred[j] - (Number.isNaN(obs[j]) ? 0 : obs[j]);
    d.chi2[k] = whitenLower(w, 0, r, 0, u, 0);
    d.nPresent[k] = presentCount(w);
    d.reducedChi2[k] = d.chi2[k] / Math.max(1, d.nPresent[k] - N_STAR_PARAMS);
    starResiduals(spectra, star, pred, res, scratch);
    let m = 0;
    for (let j = 0; j < N_FLUX; j++) if (Math.abs(res[j]) > m) m = Math.abs(res[j]);
    d.maxAbsResidual[k] = m;
    k++;
  });
  return d;
}

/** Δf/σ per wavelength for the listed stars (count × 66, NaN where missing). */
export function residualMatrix(
  model: ForwardModel,
  spectra: SpectraSource,
  stars: StarParams,
  which: Int32Array,
): Float32Array {
  const out = new Float32Array(which.length * N_FLUX);
  const scratch = new Float32Array(N_FLUX);
  let k = 0;
  forEachPrediction(model, stars, which, (star, pred) => {
    starResiduals(spectra, star, pred, out.subarray(k * N_FLUX, (k + 1) * N_FLUX), scratch);
    k++;
  });
  return out;
}
