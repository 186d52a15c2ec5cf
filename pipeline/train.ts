/**
 * The training steps of docs/method.md §5 as pipeline stages: one per recipe stage
 * (train_<n>_<name>), each self-cleaning flagging (clean_<n>), the GMM prior and the
 * validation on held-out stars. Each is a function of its inputs (the preparation's
 * outputs, the previous step's model and stars, the outlier flags) and of its recipe
 * stage; a training step checkpoints every epoch into its work folder and a new attempt
 * resumes from there.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend } from '../models/forward/backend.js';
import type { TrainerCheckpoint } from '../models/forward/checkpoint.js';
import { spectraFromTrainingSet, type TrainingSet } from '../models/forward/data.js';
import { labelDensityWeights } from '../models/forward/density-weights.js';
import { ForwardModel } from '../models/forward/model.js';
import { highQualityOf, modelOptionsOf, parallaxCutOf } from '../models/forward/recipe.js';
import { initOutputBias } from '../models/forward/output-bias.js';
import { applyPhotometricParallax } from '../models/forward/photometric-parallax.js';
import { selectStars } from '../models/forward/selection.js';
import { StarParams } from '../models/forward/stars.js';
import { StageTrainer } from '../models/forward/trainer.js';
import { artifact, resolveInputs, runStage, splitRefs, type ComputedStage, type StageWork } from './stage-runner.js';
import { loadTrainingSet, TRAINING_INPUTS, type LoadOptions, type TrainingInputs } from './training-data.js';
import { loadModel, loadOutliers, loadStars, readJson, saveModel, saveStars, writeJsonAtomic } from './train-state.js';
import type { RunRef, StageOutcome, StageProgress, TrainDetail, TrainOutcome } from './types.js';
import { stepName, stepStage, type StepRef } from './train-steps.js';

export { type StepRef } from './train-steps.js';

export interface Prepared {
  ingest: StageOutcome;
  crossmatch: StageOutcome;
  cuts: StageOutcome;
  split: StageOutcome;
}

export function trainingInputs(p: Prepared): { paths: TrainingInputs; hashes: Record<string, string> } {
  const outcomes: Record<string, StageOutcome> = {
    ingest: p.ingest,
    crossmatch: p.crossmatch,
    quality_cuts: p.cuts,
    split: p.split,
  };
  return splitRefs(resolveInputs(TRAINING_INPUTS, (stage, name) => artifact(outcomes[stage], name)));
}

/**
 * The input hashes of a step that starts from a model and star fits (`from`; none for a
 * fresh model) and, where given, the outlier flags it trains or settles on.
 */
export function fitInputs(
  p: Prepared,
  from: StageOutcome | null,
  outliers: StageOutcome | null,
): Record<string, string> {
  const inputs = trainingInputs(p).hashes;
  if (from) Object.assign(inputs, { model: artifact(from, 'model').sha256, stars: artifact(from, 'stars').sha256 });
  if (outliers) inputs.outliers = artifact(outliers, 'outliers').sha256;
  return inputs;
}

/** How a run's training and validation sets are read: with parallax floors where its recipe's likelihood needs them. */
export function trainingSetOptions(run: RunRef): LoadOptions {
  return { parallaxCut: parallaxCutOf(run.config.training.recipe, run.config.cuts.minParallaxOverError) };
}

/** The model and stars to start from: the previous step's, or a fresh model. */
async function startingPoint(
  run: RunRef,
  data: TrainingSet,
  previous: StageOutcome | null,
): Promise<{ model: ForwardModel; stars: StarParams }> {
  if (previous)
    return {
      model: loadModel(artifact(previous, 'model').path),
      stars: loadStars(artifact(previous, 'stars').path, data.sourceId),
    };
  const model = ForwardModel.create(data.labels, {
    ...modelOptionsOf(run.config.training.recipe.model),
    seed: run.config.seed,
  });
  const { stars } = StarParams.fromPriors(data);
  initOutputBias(
    model,
    spectraFromTrainingSet(data),
    stars,
    selectStars(data, 'hq', undefined, highQualityOf(run.config.training.recipe)),
  );
  return { model, stars };
}

async function trainStep(
  run: RunRef,
  p: Prepared,
  step: StepRef,
  previous: StageOutcome | null,
  outliers: StageOutcome | null,
  w: StageWork,
): Promise<ComputedStage<TrainDetail>> {
  await initBackend();
  const data = await loadTrainingSet(trainingInputs(p).paths, 'train', trainingSetOptions(run));
  const { model, stars } = await startingPoint(run, data, previous);
  const s = stepStage(run.config.training.recipe, step);
  const weights =
    s.weighting === 'label_density' && s.optimise !== 'stars'
      ? await labelDensityWeights(data.labels, data.n, run.config.seed)
      : undefined;
  const trainer = new StageTrainer({
    data,
    model,
    stars,
    stage: s,
    seed: run.config.seed + step.iteration * 100 + step.index,
    outliers: outliers ? loadOutliers(artifact(outliers, 'outliers').path) : undefined,
    weights,
    highQuality: highQualityOf(run.config.training.recipe),
  });
  const checkpoint = join(w.workDir, 'checkpoint.json');
  const resumed = existsSync(checkpoint);
  if (resumed) trainer.restore(readJson<TrainerCheckpoint>(checkpoint));
  const result = await trainer.run({
    progressEvery: 10,
    onProgress: (pr) =>
      w.progress.heartbeat({
        stage: stepName(run.config.training.recipe, step),
        done: pr.step,
        total: pr.totalSteps,
        unit: 'batches',
      }),
    onEpoch: () => writeJsonAtomic(checkpoint, trainer.checkpoint()),
  });
  if (s.optimise === 'model')
    applyPhotometricParallax(model, spectraFromTrainingSet(data), stars, StarParams.fromPriors(data).poorParallax);
  const last = result.epochs[result.epochs.length - 1];
  return {
    artifacts: [
      { name: 'model', file: saveModel(w.outDir, model), rows: null },
      { name: 'stars', file: saveStars(w.outDir, stars, data.sourceId), rows: data.n },
    ],
    metrics: last ? [{ name: 'reduced_chi2_last_epoch', value: last.meanChi2 / 66, unit: 'χ²/66' }] : [],
    detail: { epochs: result.epochs.length, resumedFromCheckpoint: resumed },
  };
}

/** What a step's output depends on; the highQuality cut and the parallax likelihood only where the recipe sets them (older runs keep their keys). */
function stepConfig(run: RunRef, step: StepRef): Record<string, unknown> {
  const recipe = run.config.training.recipe;
  const parallaxCut = trainingSetOptions(run).parallaxCut;
  return {
    stage: stepStage(recipe, step),
    model: recipe.model,
    seed: run.config.seed,
    ...(recipe.highQuality ? { highQuality: recipe.highQuality } : {}),
    ...(parallaxCut !== undefined ? { parallaxCut } : {}),
  };
}

export function runTrainStep(
  run: RunRef,
  p: Prepared,
  step: StepRef,
  previous: StageOutcome | null,
  outliers: StageOutcome | null,
  progress: StageProgress,
): Promise<TrainOutcome> {
  return runStage(
    run,
    {
      stage: stepName(run.config.training.recipe, step),
      config: stepConfig(run, step),
      inputHashes: fitInputs(p, previous, outliers),
      compute: (w) => trainStep(run, p, step, previous, outliers, w),
    },
    progress,
  );
}
