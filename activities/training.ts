/** The training steps as activities: thin wrappers around pipeline/train, clean, settle, prior, validate-model. */
import { runCleanStep } from '../pipeline/clean.js';
import { runFitPrior } from '../pipeline/prior.js';
import { runTrainStep, type Prepared, type StepRef } from '../pipeline/train.js';
import type { BrightnessOutcome, CleanOutcome, RunRef, StageOutcome, TrainOutcome } from '../pipeline/types.js';
import { runSettleBrightness } from '../pipeline/settle-brightness.js';
import { runSettleReddening } from '../pipeline/settle.js';
import { runValidation } from '../pipeline/validate-model.js';
import { asStageActivity } from './temporal-progress.js';

export const trainStep = (
  run: RunRef,
  prepared: Prepared,
  step: StepRef,
  previous: StageOutcome | null,
  outliers: StageOutcome | null,
): Promise<TrainOutcome> => asStageActivity((p) => runTrainStep(run, prepared, step, previous, outliers, p));

export const cleanStep = (
  run: RunRef,
  prepared: Prepared,
  iteration: number,
  trained: StageOutcome,
  previous: StageOutcome | null,
): Promise<CleanOutcome> => asStageActivity((p) => runCleanStep(run, prepared, iteration, trained, previous, p));

export const fitPrior = (run: RunRef, prepared: Prepared, outliers: StageOutcome | null): Promise<StageOutcome> =>
  asStageActivity((p) => runFitPrior(run, prepared, outliers, p));

export const settleBrightness = (
  run: RunRef,
  prepared: Prepared,
  trained: StageOutcome,
  outliers: StageOutcome | null,
): Promise<BrightnessOutcome> => asStageActivity((p) => runSettleBrightness(run, prepared, trained, outliers, p));

export const settleReddening = (
  run: RunRef,
  prepared: Prepared,
  trained: StageOutcome,
  outliers: StageOutcome | null,
): Promise<StageOutcome> => asStageActivity((p) => runSettleReddening(run, prepared, trained, outliers, p));

export const validateModel = (run: RunRef, prepared: Prepared, trained: StageOutcome): Promise<StageOutcome> =>
  asStageActivity((p) => runValidation(run, prepared, trained, p));
