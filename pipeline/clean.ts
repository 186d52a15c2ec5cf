/**
 * Self-cleaning (docs/method.md §5): flags the training stars that the current model and
 * their fitted parameters do not explain, by the seed's two criteria. Flags, never
 * deletes; the counts of each iteration go to the catalogue (clean_iterations). Each
 * flagging also states how well the stars that trained the model pin its R(λ)
 * (extinction_curve.json, models/forward/extinction-uncertainty.ts).
 */
import { join } from 'node:path';
import { initBackend } from '../models/forward/backend.js';
import { MODEL_WAVELENGTHS_NM } from '../models/forward/config.js';
import { spectraFromTrainingSet } from '../models/forward/data.js';
import { extinctionUncertainty } from '../models/forward/extinction-uncertainty.js';
import { nonOutliers } from '../models/forward/selection.js';
import { cleaningDone, flagOutliers } from '../models/forward/self-clean.js';
import { artifact, runStage } from './stage-runner.js';
import { trainingInputs, trainingSetOptions, type Prepared } from './train.js';
import { loadTrainingSet } from './training-data.js';
import { loadModel, loadOutliers, loadStars, saveOutliers, writeJsonAtomic } from './train-state.js';
import type { CleanOutcome, RunRef, StageOutcome, StageProgress } from './types.js';

export function runCleanStep(
  run: RunRef,
  p: Prepared,
  iteration: number,
  trained: StageOutcome,
  previous: StageOutcome | null,
  progress: StageProgress,
): Promise<CleanOutcome> {
  const inputs = {
    ...trainingInputs(p).hashes,
    model: artifact(trained, 'model').sha256,
    stars: artifact(trained, 'stars').sha256,
  };
  if (previous) Object.assign(inputs, { previous: artifact(previous, 'outliers').sha256 });
  const recipe = run.config.training.recipe;
  const settings = recipe.selfClean;
  // The star fits being flagged come from the last step before this flagging.
  const fittedBy = (iteration === 1 ? recipe.stages : settings.stages).at(-1)!;
  const loadOptions = trainingSetOptions(run);
  return runStage(
    run,
    {
      stage: `clean_${iteration}`,
      config: {
        paramSigma: settings.paramSigma,
        fluxSigma: settings.fluxSigma,
        maxIterations: settings.maxIterations,
        minChangedFraction: settings.minChangedFraction,
        iteration,
        extinctionUncertainty: {
          logJacobian: fittedBy.logJacobian,
          ...(loadOptions.parallaxCut !== undefined ? { parallaxCut: loadOptions.parallaxCut } : {}),
        },
      },
      inputHashes: inputs,
      compute: async (w) => {
        await initBackend();
        const data = await loadTrainingSet(trainingInputs(p).paths, 'train', loadOptions);
        const model = loadModel(artifact(trained, 'model').path);
        const stars = loadStars(artifact(trained, 'stars').path, data.sourceId);
        const prev = previous ? loadOutliers(artifact(previous, 'outliers').path) : undefined;
        const r = flagOutliers(data, spectraFromTrainingSet(data), model, stars, settings, prev, iteration);
        w.progress.heartbeat({ stage: `clean_${iteration}`, done: 1, total: 2, unit: 'passes' });
        const extinction = extinctionUncertainty(model, data, stars, nonOutliers(data, prev), fittedBy.logJacobian);
        writeJsonAtomic(join(w.outDir, 'extinction_curve.json'), {
          wavelengthsNm: Array.from(MODEL_WAVELENGTHS_NM),
          ...extinction,
        });
        w.progress.heartbeat({ stage: `clean_${iteration}`, done: 2, total: 2, unit: 'passes' });
        const worst = Math.max(...extinction.sigma.map((s, j) => s / extinction.extinctionCurve[j]));
        return {
          artifacts: [
            { name: 'outliers', file: saveOutliers(w.outDir, data.sourceId, r.outliers, r.reasons), rows: data.n },
            { name: 'extinction_curve', file: 'extinction_curve.json', rows: extinction.sigma.length },
          ],
          metrics: [
            { name: 'outliers', value: r.counts.nOutliers, unit: 'stars' },
            { name: 'param_outliers', value: r.counts.nParamOutliers, unit: 'stars' },
            { name: 'flux_outliers', value: r.counts.nFluxOutliers, unit: 'stars' },
            // Where the stars do not pin a direction at all (σ not finite), its metrics are left out.
            ...[
              { name: 'r_max_relative_sigma', value: worst, unit: 'σ_R/R' },
              { name: 'r_grey_offset_sigma', value: extinction.greyOffset.sigma, unit: 'R' },
              {
                name: 'r_grey_offset_optimum',
                value: extinction.greyOffset.optimum / extinction.greyOffset.sigma,
                unit: 'σ',
              },
              { name: 'r_scale_sigma', value: extinction.scale.sigma, unit: 'ln R' },
              { name: 'r_scale_optimum', value: extinction.scale.optimum / extinction.scale.sigma, unit: 'σ' },
            ].filter((m) => Number.isFinite(m.value)),
          ],
          detail: { counts: r.counts, done: cleaningDone(r.counts, settings) },
        };
      },
    },
    progress,
  );
}
