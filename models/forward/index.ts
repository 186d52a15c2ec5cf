/**
 * The forward model and its trainer (docs/method.md §4–5), as a library for activities and
 * workflows. A training run, in outline:
 *
 *   await initBackend();                                  // node → wasm → cpu, or $XPFLOW_TF_BACKEND
 *   const recipe = parseRecipe(json);                     // or DEFAULT_RECIPE
 *   const model = ForwardModel.create(data.labels, { ...modelOptionsOf(recipe.model), seed });
 *   const { stars, poorParallax } = StarParams.fromPriors(data);
 *   const spectra = spectraFromTrainingSet(data);
 *   initOutputBias(model, spectra, stars, selectStars(data, 'hq'));
 *   for (const s of recipe.stages) {
 *     const t = new StageTrainer({ data, model, stars, stage: s, seed });
 *     if (saved) t.restore(saved);                       // a checkpoint of this stage
 *     await t.run({ onProgress: heartbeat, onEpoch: () => save(t.checkpoint()), signal });
 *     if (s.optimise === 'model') applyPhotometricParallax(model, spectra, stars, poorParallax);
 *   }
 *   for (let it = 1, prev; ; it++) {                       // self-cleaning
 *     const r = flagOutliers(data, spectra, model, stars, recipe.selfClean, prev, it);  // audit r.counts
 *     for (const s of recipe.selfClean.stages) await new StageTrainer({ data, model, stars, stage: s, seed, outliers: r.outliers }).run(…);
 *     prev = r.outliers;
 *     if (cleaningDone(r.counts, recipe.selfClean)) break;
 *   }
 *   write(modelToJson(model));
 */
export { activeBackend, backendInfo, initBackend, useBackend, type BackendName } from './backend.js';
export { CHECKPOINT_FORMAT, decodeStars, encodeStars, type TrainerCheckpoint } from './checkpoint.js';
export type { Chi2Kernel } from './chi2.js';
export { MODEL_WAVELENGTHS_NM, N_FLUX } from './config.js';
export {
  spectraFromTrainingSet,
  validateTrainingSet,
  TrainingSetError,
  type SpectraSource,
  type TrainingSet,
} from './data.js';
export { fitDiagnostics, residualMatrix, type FitDiagnostics } from './diagnostics.js';
export { ForwardModel } from './model.js';
export { initOutputBias } from './output-bias.js';
export { applyPhotometricParallax } from './photometric-parallax.js';
export { DEFAULT_RECIPE, stage, type Recipe, type SelfCleanRecipe, type StageRecipe } from './recipe.js';
export { parseRecipe, RecipeError } from './recipe-validate.js';
export { selectStars, type Selection } from './selection.js';
export { cleaningDone, flagOutliers, paramDeviation2, type CleanCounts, type CleanResult } from './self-clean.js';
export { modelFromJson, modelToJson, ModelFileError, type ModelFile } from './serialize.js';
export { StarParams } from './stars.js';
export {
  StageTrainer,
  type EpochReport,
  type Progress,
  type RunOptions,
  type RunResult,
  type TrainerOptions,
} from './trainer.js';
