/**
 * Self-cleaning (METHOD.md §5): flags the training stars that the current model and
 * their fitted parameters do not explain, by the seed's two criteria. Flags, never
 * deletes; the counts of each iteration go to the catalogue (clean_iterations).
 */
import { initBackend } from '../models/forward/backend.js';
import { spectraFromTrainingSet } from '../models/forward/data.js';
import { cleaningDone, flagOutliers } from '../models/forward/self-clean.js';
import { artifact, runStage } from './stage-runner.js';
import { recipeOf, trainingInputs, type Prepared } from './train.js';
import { loadTrainingSet } from './training-data.js';
import { loadModel, loadOutliers, loadStars, saveOutliers } from './train-state.js';
import type { RunRef, StageOutcome, StageProgress } from './types.js';

export function runCleanStep(run: RunRef, p: Prepared, iteration: number, trained: StageOutcome, previous: StageOutcome | null, progress: StageProgress): Promise<StageOutcome> {
  const inputs = { ...trainingInputs(p).hashes, model: artifact(trained, 'model').sha256, stars: artifact(trained, 'stars').sha256 };
  if (previous) Object.assign(inputs, { previous: artifact(previous, 'outliers').sha256 });
  const settings = recipeOf(run).selfClean;
  return runStage(
    run,
    {
      stage: `clean_${iteration}`,
      config: { paramSigma: settings.paramSigma, fluxSigma: settings.fluxSigma, maxIterations: settings.maxIterations, minChangedFraction: settings.minChangedFraction, iteration },
      inputHashes: inputs,
      compute: async (w) => {
        await initBackend();
        const data = await loadTrainingSet(trainingInputs(p).paths, 'train');
        const model = loadModel(artifact(trained, 'model').path);
        const stars = loadStars(artifact(trained, 'stars').path, data.sourceId);
        const prev = previous ? loadOutliers(artifact(previous, 'outliers').path) : undefined;
        const r = flagOutliers(data, spectraFromTrainingSet(data), model, stars, settings, prev, iteration);
        w.progress.heartbeat({ stage: `clean_${iteration}`, done: 1, total: 1, unit: 'passes' });
        return {
          artifacts: [{ name: 'outliers', file: saveOutliers(w.outDir, data.sourceId, r.outliers, r.reasons), rows: data.n }],
          metrics: [
            { name: 'outliers', value: r.counts.nOutliers, unit: 'stars' },
            { name: 'param_outliers', value: r.counts.nParamOutliers, unit: 'stars' },
            { name: 'flux_outliers', value: r.counts.nFluxOutliers, unit: 'stars' },
          ],
          detail: { counts: r.counts, done: cleaningDone(r.counts, settings) },
        };
      },
    },
    progress,
  );
}
