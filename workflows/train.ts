/**
 * train: the forward model's training as a child of reprocess (docs/method.md §5–6). One
 * activity per recipe stage; then self-cleaning (flag, retrain on the clean set, refit
 * every star) until the outlier set settles, ending on a flagging of the final model;
 * then, where the recipe asks, the brightness and reddening settlements; then the GMM prior and the
 * validation on held-out stars. Each activity checkpoints every epoch; a retry resumes
 * there.
 */
import { defineQuery, patched, setHandler } from '@temporalio/workflow';
import { stepName, type StepRef } from '../pipeline/train-steps.js';
import type { Prepared } from '../pipeline/train.js';
import type { CleanOutcome, RunRef, StageOutcome } from '../pipeline/types.js';
import { catalogue, stageActivities, stageRecorder, type StageProgressView } from './stage-recorder.js';

// ---- types ----

export interface TrainInput {
  run: RunRef;
  prepared: Prepared;
  heartbeatTimeout?: string;
}

export interface TrainSummary {
  model: StageOutcome;
  outliers: StageOutcome | null;
  prior: StageOutcome;
  validation: StageOutcome;
  steps: StageOutcome[];
}

// ---- queries ----

export const trainProgressQuery = defineQuery<StageProgressView[]>('trainProgress');

// ---- workflows ----

/** Trains the forward model and its prior for one run. */
export async function train(input: TrainInput): Promise<TrainSummary> {
  const { run, prepared } = input;
  const { recipe } = run.config.training;
  const acts = stageActivities(input.heartbeatTimeout ?? '60 seconds');
  const steps: StageProgressView[] = [];
  setHandler(trainProgressQuery, () => steps);
  const stage = stageRecorder(run.runId, run.dataDir, steps);
  const done: StageOutcome[] = [];

  let model: StageOutcome | null = null;
  const runStep = async (step: StepRef, outliers: StageOutcome | null) => {
    const previous = model;
    model = await stage(stepName(recipe, step), () => acts.trainStep(run, prepared, step, previous, outliers));
    done.push(model);
  };
  for (let index = 0; index < recipe.stages.length; index++)
    await runStep({ phase: 'stages', index, iteration: 0 }, null);

  // Flag, retrain on the rest, flag again: the loop ends on a flagging, so the outliers
  // the run reports are those of its final model and star fits. Histories recorded
  // before that change (retrain after the last flagging) replay the old order.
  const endsOnFlagging = patched('self-clean-ends-on-flagging');
  let outliers: StageOutcome | null = null;
  for (
    let iteration = 1;
    endsOnFlagging ? recipe.selfClean.maxIterations > 0 : iteration <= recipe.selfClean.maxIterations;
    iteration++
  ) {
    const trained = model!;
    const previous: StageOutcome | null = outliers;
    const flagged: CleanOutcome = await stage(`clean_${iteration}`, () =>
      acts.cleanStep(run, prepared, iteration, trained, previous),
    );
    outliers = flagged;
    done.push(flagged);
    await catalogue.catalogueCleanIteration(run.dataDir, run.runId, flagged.detail.counts);
    if (endsOnFlagging && flagged.detail.done) break;
    for (let index = 0; index < recipe.selfClean.stages.length; index++)
      await runStep({ phase: 'clean', index, iteration }, flagged);
    if (!endsOnFlagging && flagged.detail.done) break;
  }
  const finalOutliers: StageOutcome | null = outliers;
  const flaggedModel = model!;
  // Where the recipe asks, the model's brightness is settled, then the fitted E go into the
  // units of the reddening prior, before the prior and the validation (histories recorded
  // before each step replay without it).
  const brightened =
    recipe.settleBrightness && patched('settle-brightness')
      ? await stage('settle_brightness', () => acts.settleBrightness(run, prepared, flaggedModel, finalOutliers))
      : null;
  if (brightened) done.push(brightened);
  const trained = brightened ?? flaggedModel;
  const settled =
    recipe.settleReddening && patched('settle-reddening')
      ? await stage('settle_reddening', () => acts.settleReddening(run, prepared, trained, finalOutliers))
      : null;
  if (settled) done.push(settled);
  const finalModel = settled ?? trained;
  const prior = await stage('prior', () => acts.fitPrior(run, prepared, finalOutliers));
  const validation = await stage('validation', () => acts.validateModel(run, prepared, finalModel));
  return { model: finalModel, outliers: finalOutliers, prior, validation, steps: [...done, prior, validation] };
}
