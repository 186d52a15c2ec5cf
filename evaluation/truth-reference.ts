/**
 * A reference on a synthetic sky: what the run's model and criterion give when the
 * model had every advantage. A model of the run's architecture (and seed) is trained,
 * model only, on the defect-free training stars held at their TRUE Θ, E and ϖ, learning
 * its R(λ) with them; then every training star is fitted from its priors with that
 * model by the run's refit stage, and flagged by the run's thresholds.
 *
 * What the reference gets wrong, the run's training is not to blame for: it flags stars
 * whose light the model cannot predict from Θ (a giant's mass, which the generator draws
 * apart from Θ; the hot end, where the MLP is least accurate) and Gaia or flux noise
 * beyond the thresholds, and its R(λ) is what this model learns from these stars with
 * perfect parameters. Populations can be left out of its training (`without`), to see
 * which stars pull R(λ) or the model where. It is not a strict bound: a joint fit can
 * do better in places (on the default sky the run flagged fewer main-sequence stars
 * than the reference, whose stars are fitted from their priors in one refit).
 */
import { initBackend } from '../models/forward/backend.js';
import { N_LABELS } from '../models/forward/config.js';
import { spectraFromTrainingSet, type TrainingSet } from '../models/forward/data.js';
import { ForwardModel } from '../models/forward/model.js';
import { initOutputBias } from '../models/forward/output-bias.js';
import { applyPhotometricParallax } from '../models/forward/photometric-parallax.js';
import { modelOptionsOf, type Recipe } from '../models/forward/recipe.js';
import { flagOutliers } from '../models/forward/self-clean.js';
import { StarParams } from '../models/forward/stars.js';
import { StageTrainer } from '../models/forward/trainer.js';
import { EvaluationError } from './evaluation-error.js';
import type { TrueStar } from './model-brightness.js';

/**
 * Model-only epochs at the truth. On the default sky, at 960 the model fits the main
 * sequence at χ²/dof 1.04 and hot stars above 13,000 K at 1.55 (1.16 and 2.59 at 240).
 */
export const REFERENCE_EPOCHS = 960;

export interface JudgedStar extends TrueStar {
  defective: boolean;
  population: string;
}

/** The reference's flags for the training stars `data` (all must be in `truth`), and its model's R(λ). */
export async function truthReference(
  data: TrainingSet,
  truth: Map<string, JudgedStar>,
  recipe: Recipe,
  seed: number,
  epochs = REFERENCE_EPOCHS,
  /** Populations left out of the model's training (they are still fitted and flagged). */
  without: readonly string[] = [],
): Promise<{ sourceId: string[]; outliers: Uint8Array; extinctionCurve: Float64Array }> {
  const known = new Set([...truth.values()].map((t) => t.population));
  const unknown = without.filter((p) => !known.has(p));
  if (unknown.length)
    throw new EvaluationError(
      `no training star of population ${unknown.join(', ')} (populations: ${[...known].sort().join(', ')})`,
    );
  await initBackend();
  const spectra = spectraFromTrainingSet(data);
  const sourceId = Array.from(data.sourceId, String);
  const atTruth = StarParams.zeros(data.n);
  const untrained = new Uint8Array(data.n);
  sourceId.forEach((id, i) => {
    const t = truth.get(id);
    if (!t) throw new EvaluationError(`training star ${id} is not in the sky's truth`);
    atTruth.theta.set([t.teff / 1000, t.feh, t.logg], i * N_LABELS);
    atTruth.lnE[i] = Math.log(Math.max(t.E, 1e-6));
    atTruth.lnPlx[i] = Math.log(t.parallax);
    untrained[i] = t.defective || without.includes(t.population) ? 1 : 0;
  });
  const modelStage = recipe.stages.find((s) => s.optimise === 'model');
  const refit = [...recipe.selfClean.stages].reverse().find((s) => s.optimise === 'stars');
  if (!modelStage || !refit)
    throw new EvaluationError('the recipe has no model-only stage or no stars-only refit stage');
  const model = ForwardModel.create(data.labels, { ...modelOptionsOf(recipe.model), seed });
  const trained = Int32Array.from({ length: data.n }, (_, i) => i).filter((i) => !untrained[i]);
  if (trained.length === 0) throw new EvaluationError('the reference has no star left to train on');
  initOutputBias(model, spectra, atTruth, trained);
  // Unweighted: a plain fit of the model to the truth (with the density weights the reference's precision was the same, 0.79 against 0.80).
  const training = {
    ...modelStage,
    name: 'reference_model',
    selection: 'non_outliers' as const,
    epochs,
    weighting: 'none' as const,
    parallaxFromGaia: false,
  };
  await new StageTrainer({ data, model, stars: atTruth, stage: training, seed, outliers: untrained }).run({});
  const { stars, poorParallax } = StarParams.fromPriors(data);
  applyPhotometricParallax(model, spectra, stars, poorParallax);
  await new StageTrainer({
    data,
    model,
    stars,
    stage: { ...refit, name: 'reference_refit', selection: 'all' },
    seed: seed + 1,
  }).run({});
  return {
    sourceId,
    outliers: flagOutliers(data, spectra, model, stars, recipe.selfClean).outliers,
    extinctionCurve: model.extinctionCurve(),
  };
}
