/**
 * settle_reddening: after self-cleaning, the fitted E put in the units of the reddening
 * prior along the directions no flux sees (models/forward/reddening-settle.ts). Takes the
 * final model and star fits and the last flagging (its clean stars set the step); writes
 * the settled model and stars, which the prior and the validation then use.
 */
import { initBackend } from '../models/forward/backend.js';
import { SETTLE_MIN_E, SETTLE_RIDGE, settleReddening } from '../models/forward/reddening-settle.js';
import { nonOutliers } from '../models/forward/selection.js';
import { artifact, runStage } from './stage-runner.js';
import { fitInputs, trainingInputs, type Prepared } from './train.js';
import { loadTrainingSet } from './training-data.js';
import { loadModel, loadOutliers, loadStars, saveModel, saveStars } from './train-state.js';
import type { RunRef, StageOutcome, StageProgress } from './types.js';

export function runSettleReddening(
  run: RunRef,
  p: Prepared,
  trained: StageOutcome,
  outliers: StageOutcome | null,
  progress: StageProgress,
): Promise<StageOutcome> {
  return runStage(
    run,
    {
      stage: 'settle_reddening',
      config: { ridge: SETTLE_RIDGE, minE: SETTLE_MIN_E },
      inputHashes: fitInputs(p, trained, outliers),
      compute: async (w) => {
        await initBackend();
        const data = await loadTrainingSet(trainingInputs(p).paths, 'train', { spectra: false });
        const model = loadModel(artifact(trained, 'model').path);
        const stars = loadStars(artifact(trained, 'stars').path, data.sourceId);
        const clean = nonOutliers(data, outliers ? loadOutliers(artifact(outliers, 'outliers').path) : undefined);
        const settled = settleReddening(model, data, stars, clean);
        w.progress.heartbeat({ stage: 'settle_reddening', done: 1, total: 1, unit: 'passes' });
        return {
          artifacts: [
            { name: 'model', file: saveModel(w.outDir, model), rows: null },
            { name: 'stars', file: saveStars(w.outDir, stars, data.sourceId), rows: data.n },
          ],
          metrics: [
            { name: 'extinction_scale', value: settled.scale, unit: 'E_after/E_before' },
            { name: 'stars_held_at_min_e', value: settled.held, unit: 'stars' },
            { name: 'median_abs_e_change', value: settled.medianAbsChange, unit: 'E' },
          ],
        };
      },
    },
    progress,
  );
}
