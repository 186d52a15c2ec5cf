/**
 * The forward model and its trainer (METHOD.md §4–5), as a library: what activities
 * and workflows import. See trainer.ts for running a stage, checkpoint.ts for resuming,
 * self-clean.ts for the outlier loop, serialize.ts for the model file.
 */
export { activeBackend, backendInfo, initBackend, useBackend, type BackendName } from './backend.js';
export { MODEL_WAVELENGTHS_NM, N_FLUX } from './config.js';
export { spectraFromTrainingSet, validateTrainingSet, TrainingSetError, type SpectraSource, type TrainingSet } from './data.js';
export { fitDiagnostics, residualMatrix, type FitDiagnostics } from './diagnostics.js';
export { ForwardModel } from './model.js';
export { initOutputBias } from './output-bias.js';
export { applyPhotometricParallax } from './photometric-parallax.js';
export { DEFAULT_RECIPE, stage, type Recipe, type SelfCleanRecipe, type StageRecipe } from './recipe.js';
export { parseRecipe, RecipeError } from './recipe-validate.js';
export { selectStars } from './selection.js';
export { cleaningDone, flagOutliers, type CleanCounts, type CleanResult } from './self-clean.js';
export { modelFromJson, modelToJson, ModelFileError, type ModelFile } from './serialize.js';
export { StarParams } from './stars.js';
export { StageTrainer, type EpochReport, type Progress, type RunOptions, type RunResult, type TrainerOptions } from './trainer.js';
export type { TrainerCheckpoint } from './checkpoint.js';
