/**
 * Initial output biases of the MLP: the mean over training stars of the observed
 * ln f_abs = ln f_obs − 2 ln ϖ + E R(λ) per wavelength (present, positive fluxes only),
 * so training starts near the data instead of at f_abs = 1. Our choice (the code
 * starts from zero biases); it only shortens the first stage.
 */
import { N_FLUX } from './config.js';
import type { SpectraSource } from './data.js';
import type { ForwardModel } from './model.js';
import type { StarParams } from './stars.js';

export function initOutputBias(
  model: ForwardModel,
  spectra: SpectraSource,
  stars: StarParams,
  which: Int32Array,
): Float32Array {
  const r = model.extinctionCurve();
  const sum = new Float64Array(N_FLUX);
  const count = new Float64Array(N_FLUX);
  for (const s of which) {
    const f = spectra.fluxOf(s);
    const w = spectra.whiteningOf(s);
    const e = Math.exp(stars.lnE[s]);
    const lnDist = 2 * stars.lnPlx[s];
    for (let j = 0; j < N_FLUX; j++) {
      if (!(f[j] > 0) || w[j * N_FLUX + j] === 0) continue;
      sum[j] += Math.log(f[j]) - lnDist + e * r[j];
      count[j]++;
    }
  }
  const bias = Float32Array.from(sum, (v, j) => (count[j] > 0 ? v / count[j] : 0));
  model.setOutputBias(bias);
  return bias;
}
