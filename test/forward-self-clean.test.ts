/**
 * Self-cleaning on the toy problem: stars given a wrong log g label (±1 dex, 50σ) or a
 * Gaia parallax 20σ off are flagged with high recall and precision, and a second
 * iteration (retrain on the clean set, refit every star, flag again) reports its counts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../models/forward/backend.js';
import { spectraFromTrainingSet, type TrainingSet } from '../models/forward/data.js';
import { ForwardModel } from '../models/forward/model.js';
import { initOutputBias } from '../models/forward/output-bias.js';
import { DEFAULT_RECIPE, stage, type StageDefaults, type StageRecipe } from '../models/forward/recipe.js';
import { selectStars } from '../models/forward/selection.js';
import {
  cleaningDone,
  criterionReasons,
  flagOutliers,
  flagsAt,
  paramDeviation2,
} from '../models/forward/self-clean.js';
import { StarParams } from '../models/forward/stars.js';
import { makeToySet } from '../models/forward/toy.js';
import { StageTrainer } from '../models/forward/trainer.js';

const fast: Partial<StageDefaults> = {
  algorithm: 'adam',
  batchSize: 256,
  l2: 0,
  lrDrops: { factor: 0.1, at: [0.6, 0.85] },
  lrModel: 3e-3,
  lrStars: 1e-2,
};

async function train(data: TrainingSet, model: ForwardModel, stars: StarParams, s: StageRecipe, outliers?: Uint8Array) {
  await new StageTrainer({ data, model, stars, stage: s, seed: 5, outliers }).run();
}

describe('self-cleaning', () => {
  beforeAll(() => useBackend('wasm'));

  it('flags injected outliers with high recall and precision', async () => {
    const { data, truth } = makeToySet({
      n: 1500,
      seed: 21,
      badLoggFrac: 0.05,
      badLoggShift: 1,
      badParallaxFrac: 0.05,
      badParallaxSigma: 20,
    });
    const spectra = spectraFromTrainingSet(data);
    const model = ForwardModel.create(data.labels, { seed: 1 });
    const { stars } = StarParams.fromPriors(data);
    initOutputBias(model, spectra, stars, selectStars(data, 'hq'));
    await train(data, model, stars, stage('model_hq', 'hq', 'model', { ...fast, epochs: 40 }));
    await train(data, model, stars, stage('joint', 'all', 'both', { ...fast, epochs: 150 }));

    const t = DEFAULT_RECIPE.selfClean;
    const first = flagOutliers(data, spectra, model, stars, t);
    const score = (flags: Uint8Array) => {
      let tp = 0;
      let fp = 0;
      let fn = 0;
      for (let i = 0; i < data.n; i++) {
        if (flags[i] && truth.corrupted[i]) tp++;
        else if (flags[i]) fp++;
        else if (truth.corrupted[i]) fn++;
      }
      return { recall: tp / (tp + fn), precision: tp / (tp + fp), tp, fp, fn };
    };
    const s1 = score(first.outliers);
    // False positives by reason (1 parameters, 2 fluxes, 3 both).
    const fpWhy = [0, 0, 0, 0];
    for (let i = 0; i < data.n; i++) if (first.outliers[i] && !truth.corrupted[i]) fpWhy[first.reasons[i]]++;

    // Second iteration: retrain on the clean set, refit every star, flag again.
    await train(
      data,
      model,
      stars,
      stage('joint_clean', 'non_outliers', 'both', { ...fast, epochs: 60 }),
      first.outliers,
    );
    await train(data, model, stars, stage('stars_refit', 'all', 'stars', { ...fast, epochs: 60 }));
    const second = flagOutliers(data, spectra, model, stars, t, first.outliers, 2);
    const s2 = score(second.outliers);
    console.info(
      `self-clean: injected ${truth.corrupted.reduce((a, b) => a + (b ? 1 : 0), 0)}; iteration 1 ${JSON.stringify(s1)} false positives by reason ${fpWhy} ${JSON.stringify(first.counts)}; iteration 2 ${JSON.stringify(s2)} ${JSON.stringify(second.counts)}`,
    );

    // Iteration 1's model was trained with the outliers in; iteration 2's without.
    expect(s1.recall).toBeGreaterThan(0.95);
    expect(s1.precision).toBeGreaterThan(0.85);
    expect(s2.recall).toBeGreaterThan(0.95);
    expect(s2.precision).toBeGreaterThan(0.9);
    const c = second.counts;
    expect(c.iteration).toBe(2);
    expect(c.nTrain).toBe(data.n);
    expect(c.nOutliers).toBe(second.outliers.reduce((a, b) => a + b, 0));
    expect(c.nOutliers - c.nNew + c.nReturned).toBe(first.counts.nOutliers);
    expect(c.changedFraction).toBeCloseTo((c.nNew + c.nReturned) / first.counts.nOutliers, 12);
    expect(cleaningDone({ ...c, changedFraction: 0 }, t)).toBe(true);
    // Out of rounds: the flagging after the last retraining is the last.
    expect(cleaningDone({ ...c, changedFraction: 1, iteration: t.maxIterations }, t)).toBe(false);
    expect(cleaningDone({ ...c, changedFraction: 1, iteration: t.maxIterations + 1 }, t)).toBe(true);
    // Flags are flags: the stars and their data are all still there.
    expect(stars.n).toBe(data.n);
    // Both criteria contribute: wrong labels / parallaxes show up in the parameter criterion.
    let paramFlagged = 0;
    for (let i = 0; i < data.n; i++)
      if (truth.corrupted[i] && paramDeviation2(data, stars, i) > 3.5 ** 2) paramFlagged++;
    expect(paramFlagged).toBeGreaterThan(0);

    // Re-thresholding (xpflow evaluate's trade-off) from the two statistics gives the same flags,
    // and stricter thresholds a subset of them.
    const statistics = second.statistics;
    expect(flagsAt(statistics, t)).toEqual(second.outliers);
    const strict = flagsAt(statistics, { paramSigma: t.paramSigma + 1, fluxSigma: t.fluxSigma + 1 });
    expect(strict.some((f, i) => f && !second.outliers[i])).toBe(false);
    expect(strict.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(c.nOutliers);
  });

  it('the criterion: strictly beyond either threshold, with the reason in its bits', () => {
    const t = { paramSigma: 3.5, fluxSigma: 4 };
    expect(criterionReasons(3.5 ** 2, 4, t)).toBe(0);
    expect(criterionReasons(3.5 ** 2 + 1e-9, 4, t)).toBe(1);
    expect(criterionReasons(0, 4 + 1e-6, t)).toBe(2);
    expect(criterionReasons(13, 5, t)).toBe(3);
    expect(criterionReasons(NaN, NaN, t)).toBe(0);
  });
});
