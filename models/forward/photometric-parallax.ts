/**
 * Photometric parallax guess for stars whose Gaia ϖ/σ is poor: with a = f_pred at
 * ϖ = 1 mas, the best ϖ² minimises |W (ϖ² a − f_obs)|², so ϖ² = (Wa · Wf) / |Wa|²
 * (floored). Needs a trained model; used to initialise ln ϖ.
 */
import { N_FLUX, PARALLAX_INIT_FLOOR_MAS } from './config.js';
import type { SpectraSource } from './data.js';
import { forEachPrediction } from './diagnostics.js';
import type { ForwardModel } from './model.js';
import type { StarParams } from './stars.js';
import { whitenLower } from './whitening.js';

/** Overwrites ln ϖ of the listed stars with the photometric guess. */
export function applyPhotometricParallax(
  model: ForwardModel,
  spectra: SpectraSource,
  stars: StarParams,
  which: Int32Array,
): void {
  const wa = new Float64Array(N_FLUX);
  const wf = new Float64Array(N_FLUX);
  const obs = new Float64Array(N_FLUX);
  forEachPrediction(
    model,
    stars,
    which,
    (s, a) => {
      const w = spectra.whiteningOf(s);
      const f = spectra.fluxOf(s);
      for (let j = 0; j < N_FLUX; j++) obs[j] = Number.isNaN(f[j]) ? 0 : f[j];
      whitenLower(w, 0, a, 0, wa, 0);
      whitenLower(w, 0, obs, 0, wf, 0);
      let num = 0;
      let den = 0;
      for (let j = 0; j < N_FLUX; j++) {
        num += wa[j] * wf[j];
        den += wa[j] * wa[j];
      }
      const p2 = den > 0 ? num / den : 0;
      stars.lnPlx[s] = 0.5 * Math.log(Math.max(p2, PARALLAX_INIT_FLOOR_MAS ** 2));
    },
    true,
  );
}
