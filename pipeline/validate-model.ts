/**
 * Validation on the held-out split: the trained model fixed, each validation star's
 * parameters fitted from its priors; the validation stars are then flagged by the same
 * self-cleaning criteria as the training stars, and the reduced χ² per star and the
 * mean Δf/σ per wavelength (docs/method.md §8) are given over the clean ones (the median χ²
 * over all stars too), with the learned R(λ), in validation.json.
 */
import { join } from 'node:path';
import { initBackend } from '../models/forward/backend.js';
import { MODEL_WAVELENGTHS_NM } from '../models/forward/config.js';
import { spectraFromTrainingSet } from '../models/forward/data.js';
import { residualMatrix } from '../models/forward/diagnostics.js';
import { selectStars } from '../models/forward/selection.js';
import { flagOutliers } from '../models/forward/self-clean.js';
import { StarParams } from '../models/forward/stars.js';
import { StageTrainer } from '../models/forward/trainer.js';
import { artifact, runStage } from './stage-runner.js';
import { trainingInputs, trainingSetOptions, type Prepared } from './train.js';
import { loadTrainingSet } from './training-data.js';
import { loadModel, writeJsonAtomic } from './train-state.js';
import type { RunRef, StageOutcome, StageProgress } from './types.js';

const median = (a: ArrayLike<number>) => {
  const s = Float64Array.from(a).filter(Number.isFinite).sort();
  return s.length ? s[s.length >> 1] : NaN;
};

function meanPerWavelength(residuals: Float32Array, count: number, n: number): number[] {
  return Array.from({ length: n }, (_, j) => {
    let sum = 0;
    let used = 0;
    for (let k = 0; k < count; k++) {
      const v = residuals[k * n + j];
      if (Number.isFinite(v)) {
        sum += v;
        used++;
      }
    }
    return used ? sum / used : NaN;
  });
}

export function runValidation(
  run: RunRef,
  p: Prepared,
  trained: StageOutcome,
  progress: StageProgress,
): Promise<StageOutcome> {
  const { selfClean } = run.config.training.recipe;
  const refit = selfClean.stages[selfClean.stages.length - 1];
  const loadOptions = trainingSetOptions(run);
  return runStage(
    run,
    {
      stage: 'validation',
      config: {
        refit,
        seed: run.config.seed,
        paramSigma: selfClean.paramSigma,
        fluxSigma: selfClean.fluxSigma,
        ...(loadOptions.parallaxCut !== undefined ? { parallaxCut: loadOptions.parallaxCut } : {}),
      },
      inputHashes: { ...trainingInputs(p).hashes, model: artifact(trained, 'model').sha256 },
      compute: async (w) => {
        await initBackend();
        const data = await loadTrainingSet(trainingInputs(p).paths, 'validation', loadOptions);
        const model = loadModel(artifact(trained, 'model').path);
        const { stars } = StarParams.fromPriors(data);
        const trainer = new StageTrainer({
          data,
          model,
          stars,
          stage: { ...refit, name: 'validation_fit', selection: 'all', optimise: 'stars' },
          seed: run.config.seed,
        });
        await trainer.run({
          progressEvery: 10,
          onProgress: (pr) =>
            w.progress.heartbeat({ stage: 'validation', done: pr.step, total: pr.totalSteps, unit: 'batches' }),
        });
        const spectra = spectraFromTrainingSet(data);
        const { outliers, diagnostics } = flagOutliers(data, spectra, model, stars, selfClean);
        const clean = selectStars(data, 'non_outliers', outliers);
        const medianClean = median(Array.from(clean, (i) => diagnostics.reducedChi2[i]));
        const medianAll = median(diagnostics.reducedChi2);
        const meanResidual = meanPerWavelength(residualMatrix(model, spectra, stars, clean), clean.length, 66);
        const worst = Math.max(...meanResidual.filter(Number.isFinite).map(Math.abs));
        writeJsonAtomic(join(w.outDir, 'validation.json'), {
          stars: data.n,
          cleanStars: clean.length,
          medianReducedChi2: medianClean,
          medianReducedChi2AllStars: medianAll,
          wavelengthsNm: Array.from(MODEL_WAVELENGTHS_NM),
          meanResidualPerWavelength: meanResidual,
          extinctionCurve: Array.from(model.extinctionCurve()),
          sourceId: Array.from(data.sourceId, String),
          outliers: Array.from(outliers),
          fitted: { theta: Array.from(stars.theta), lnE: Array.from(stars.lnE), lnPlx: Array.from(stars.lnPlx) },
        });
        return {
          artifacts: [{ name: 'validation', file: 'validation.json', rows: data.n }],
          metrics: [
            { name: 'median_reduced_chi2', value: medianClean, unit: 'χ²/dof' },
            { name: 'median_reduced_chi2_all_stars', value: medianAll, unit: 'χ²/dof' },
            { name: 'clean_stars', value: clean.length, unit: 'stars' },
            { name: 'max_abs_mean_residual', value: worst, unit: 'σ' },
            { name: 'stars', value: data.n, unit: 'stars' },
          ],
        };
      },
    },
    progress,
  );
}
