/**
 * settle_brightness: after self-cleaning, the line search along the model's overall
 * brightness (models/forward/brightness-settle.ts). Takes the final model and star fits
 * and the last flagging (its clean stars score the trials); writes the settled model and
 * stars and every trial. Each scored trial is kept in the work folder, so a new attempt
 * runs only the trials it lacks (and the best one's refit again).
 */
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { initBackend } from '../models/forward/backend.js';
import {
  BRIGHTNESS_FIRST_STEP,
  BRIGHTNESS_MAX_OFFSET,
  BRIGHTNESS_MAX_TRIALS,
  settleBrightness,
  type BrightnessTrial,
} from '../models/forward/brightness-settle.js';
import { ConfigError } from '../core/run-config.js';
import { highQualityOf } from '../models/forward/recipe.js';
import { nonOutliers } from '../models/forward/selection.js';
import { artifact, runStage } from './stage-runner.js';
import { fitInputs, trainingInputs, trainingSetOptions, type Prepared } from './train.js';
import { loadTrainingSet } from './training-data.js';
import { loadModel, loadOutliers, loadStars, readJson, saveModel, saveStars, writeJsonAtomic } from './train-state.js';
import type { BrightnessOutcome, RunRef, StageOutcome, StageProgress } from './types.js';

export function runSettleBrightness(
  run: RunRef,
  p: Prepared,
  trained: StageOutcome,
  outliers: StageOutcome | null,
  progress: StageProgress,
): Promise<BrightnessOutcome> {
  const recipe = run.config.training.recipe;
  const refit = recipe.settleBrightness;
  if (!refit) throw new ConfigError(`run ${run.runId}: its recipe has no settleBrightness refit stage`);
  const parallaxCut = trainingSetOptions(run).parallaxCut;
  return runStage(
    run,
    {
      stage: 'settle_brightness',
      config: {
        refit,
        seed: run.config.seed,
        firstStep: BRIGHTNESS_FIRST_STEP,
        maxOffset: BRIGHTNESS_MAX_OFFSET,
        highQuality: highQualityOf(recipe),
        ...(parallaxCut !== undefined ? { parallaxCut } : {}),
      },
      inputHashes: fitInputs(p, trained, outliers),
      compute: async (w) => {
        await initBackend();
        const data = await loadTrainingSet(trainingInputs(p).paths, 'train', trainingSetOptions(run));
        const flags = outliers ? loadOutliers(artifact(outliers, 'outliers').path) : undefined;
        const trialsFile = join(w.workDir, 'trials.json');
        const known = existsSync(trialsFile) ? readJson<BrightnessTrial[]>(trialsFile) : [];
        let scored = known.length;
        const settled = await settleBrightness({
          data,
          model: loadModel(artifact(trained, 'model').path),
          stars: loadStars(artifact(trained, 'stars').path, data.sourceId),
          refit,
          seed: run.config.seed,
          clean: nonOutliers(data, flags),
          outliers: flags,
          highQuality: highQualityOf(recipe),
          known,
          onTrial: (_, trials) => {
            scored = trials.length;
            writeJsonAtomic(trialsFile, trials);
          },
          run: {
            progressEvery: 10,
            onProgress: () =>
              w.progress.heartbeat({
                stage: 'settle_brightness',
                done: scored,
                total: BRIGHTNESS_MAX_TRIALS,
                unit: 'trials',
              }),
          },
        });
        return {
          artifacts: [
            { name: 'model', file: saveModel(w.outDir, settled.model), rows: null },
            { name: 'stars', file: saveStars(w.outDir, settled.stars, data.sourceId), rows: data.n },
          ],
          metrics: [
            { name: 'brightness_offset', value: settled.offset, unit: 'ln f_abs' },
            ...(Number.isFinite(settled.sigma)
              ? [{ name: 'brightness_offset_sigma', value: settled.sigma, unit: 'ln f_abs' }]
              : []),
            { name: 'objective_change', value: settled.objectiveChange, unit: '-2 ln L' },
            { name: 'trials', value: settled.trials.length, unit: 'refits' },
          ],
          detail: { trials: settled.trials, bracketed: settled.bracketed },
        };
      },
    },
    progress,
  );
}
