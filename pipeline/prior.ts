/**
 * The prior on stellar type (docs/method.md §6): a 16-component full-covariance Gaussian
 * mixture fitted by EM to (Teff/kK, [Fe/H], log g) of the cleaned training stars, with
 * its ln p clip (0.1st percentile of ln p over samples), saved as gmm.json.
 */
import { join } from 'node:path';
import { fitGmmAsync, toJson, withPriorClip } from '../models/gmm/index.js';
import { artifact, runStage } from './stage-runner.js';
import { trainingInputs, type Prepared } from './train.js';
import { loadTrainingSet } from './training-data.js';
import { loadOutliers, writeJsonAtomic } from './train-state.js';
import type { RunRef, StageOutcome, StageProgress } from './types.js';

export function runFitPrior(
  run: RunRef,
  p: Prepared,
  outliers: StageOutcome | null,
  progress: StageProgress,
): Promise<StageOutcome> {
  const inputs = {
    ...trainingInputs(p).hashes,
    ...(outliers ? { outliers: artifact(outliers, 'outliers').sha256 } : {}),
  };
  return runStage(
    run,
    {
      stage: 'prior',
      config: { components: run.config.training.priorComponents, seed: run.config.seed },
      inputHashes: inputs,
      compute: async (w) => {
        const data = await loadTrainingSet(trainingInputs(p).paths, 'train', { spectra: false });
        const flags = outliers ? loadOutliers(artifact(outliers, 'outliers').path) : new Uint8Array(data.n);
        const keep: number[] = [];
        for (let i = 0; i < data.n; i++)
          if (!flags[i] && [0, 1, 2].every((k) => Number.isFinite(data.labels[i * 3 + k]))) keep.push(i);
        const labels = new Float64Array(keep.length * 3);
        keep.forEach((i, j) => labels.set(data.labels.subarray(i * 3, i * 3 + 3), j * 3));
        const fitted = await fitGmmAsync(labels, keep.length, {
          components: run.config.training.priorComponents,
          seed: run.config.seed,
          nInit: 3,
          onIteration: (it) => w.progress.heartbeat({ stage: 'prior', done: it, total: 500, unit: 'EM iterations' }),
        });
        const model = withPriorClip(fitted, run.config.seed);
        writeJsonAtomic(join(w.outDir, 'gmm.json'), toJson(model));
        return {
          artifacts: [{ name: 'gmm', file: 'gmm.json', rows: keep.length }],
          metrics: [
            { name: 'mean_log_likelihood', value: model.logLikelihood, unit: 'nat/star' },
            { name: 'ln_prior_clip', value: model.lnPriorClip ?? NaN, unit: 'ln p' },
            { name: 'stars', value: keep.length, unit: 'stars' },
          ],
        };
      },
    },
    progress,
  );
}
