/**
 * The model's brightness error where it hides: a stars-only fit absorbs a model that is
 * too faint (or bright) into each star's ϖ, so the fitted parameters alone do not show
 * it. For each defect-free training star this takes the star's TRUE Θ and E, solves for
 * the ϖ that best matches its observed fluxes with the validated model (the photometric
 * parallax), and divides by the true ϖ: 1 where the model's absolute flux is right,
 * above 1 where the model is too faint (ϖ ratio r means a flux error of r²).
 */
import { initBackend } from '../models/forward/backend.js';
import { spectraFromTrainingSet, type TrainingSet } from '../models/forward/data.js';
import { N_LABELS } from '../models/forward/config.js';
import { applyPhotometricParallax } from '../models/forward/photometric-parallax.js';
import type { ForwardModel } from '../models/forward/model.js';
import { StarParams } from '../models/forward/stars.js';

export interface TrueStar {
  teff: number;
  feh: number;
  logg: number;
  E: number;
  parallax: number;
}

/** Photometric ϖ at the true Θ and E over the true ϖ, for the training stars (`data`) found in `truth`. */
export async function photometricParallaxRatios(
  data: TrainingSet,
  model: ForwardModel,
  truth: Map<string, TrueStar>,
): Promise<{ sourceId: string[]; ratio: number[] }> {
  await initBackend();
  const stars = StarParams.zeros(data.n);
  const found: { i: number; id: string; t: TrueStar }[] = [];
  data.sourceId.forEach((sid, i) => {
    const id = String(sid);
    const t = truth.get(id);
    if (!t) return;
    stars.theta.set([t.teff / 1000, t.feh, t.logg], i * N_LABELS);
    stars.lnE[i] = Math.log(Math.max(t.E, 1e-6));
    found.push({ i, id, t });
  });
  applyPhotometricParallax(
    model,
    spectraFromTrainingSet(data),
    stars,
    Int32Array.from(found, (f) => f.i),
  );
  return { sourceId: found.map((f) => f.id), ratio: found.map((f) => Math.exp(stars.lnPlx[f.i]) / f.t.parallax) };
}
