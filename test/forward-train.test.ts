/**
 * The forward model learns a toy problem with a known answer: data from a small teacher
 * MLP, a known R(λ), per-star E and ϖ, 2 % flux noise and diagonal whitening (some NIR
 * bands missing). The learned R(λ) must come back within a few per cent and held-out
 * stars, fitted with the model fixed, must reach reduced χ² ≈ 1.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../models/forward/backend.js';
import { spectraFromTrainingSet } from '../models/forward/data.js';
import { fitDiagnostics } from '../models/forward/diagnostics.js';
import { ForwardModel } from '../models/forward/model.js';
import { initOutputBias } from '../models/forward/output-bias.js';
import { applyPhotometricParallax } from '../models/forward/photometric-parallax.js';
import { stage, type StageRecipe } from '../models/forward/recipe.js';
import { selectStars } from '../models/forward/selection.js';
import { StarParams } from '../models/forward/stars.js';
import { makeToySet, sliceSet } from '../models/forward/toy.js';
import { StageTrainer } from '../models/forward/trainer.js';
import type { TrainingSet } from '../models/forward/data.js';

const drops = { factor: 0.1, at: [0.6, 0.85] };
const fast = { algorithm: 'adam', batchSize: 256, l2: 0, lrDrops: drops } as const;

async function train(data: TrainingSet, model: ForwardModel, stars: StarParams, s: StageRecipe) {
  const t = new StageTrainer({ data, model, stars, stage: s, seed: 17 });
  return t.run();
}

const median = (a: Float32Array) => Float64Array.from(a).sort()[a.length >> 1];

describe('learning a toy problem', () => {
  beforeAll(() => useBackend('wasm'));

  it('recovers R(λ) within a few % and reaches reduced χ² ≈ 1 on held-out stars', async () => {
    const { data: all, truth } = makeToySet({ n: 2500, seed: 3, missingNirFrac: 0.1 });
    const data = sliceSet(all, 0, 2000);
    const held = sliceSet(all, 2000, 2500);
    expect(selectStars(data, 'hq').length).toBe(2000);

    const model = ForwardModel.create(data.labels, { seed: 1 });
    const { stars } = StarParams.fromPriors(data);
    initOutputBias(model, spectraFromTrainingSet(data), stars, selectStars(data, 'hq'));
    const r0 = model.extinctionCurve();

    const m = await train(data, model, stars, stage('model_hq', 'hq', 'model', { ...fast, epochs: 40, lrModel: 3e-3 }));
    const j = await train(
      data,
      model,
      stars,
      stage('joint', 'all', 'both', { ...fast, epochs: 200, lrModel: 3e-3, lrStars: 1e-2 }),
    );
    const firstChi2 = m.epochs[0].meanChi2 / 66;
    const trainChi2 = j.epochs[j.epochs.length - 1].meanChi2 / 66;

    const r = model.extinctionCurve();
    const rErr = Array.from(r, (v, i) => Math.abs(v / truth.r[i] - 1));
    const r0Err = Array.from(r0, (v, i) => Math.abs(v / truth.r[i] - 1));

    const heldStars = StarParams.fromPriors(held).stars;
    await train(
      held,
      model,
      heldStars,
      stage('held_out', 'all', 'stars', { ...fast, epochs: 100, batchSize: 500, lrStars: 1e-2 }),
    );
    const diag = fitDiagnostics(model, spectraFromTrainingSet(held), heldStars, selectStars(held, 'all'));
    const heldChi2 = median(diag.reducedChi2);
    // Fitted E of held-out stars against the truth (their prior σ is 0.02).
    let eErr2 = 0;
    for (let i = 0; i < held.n; i++) eErr2 += (Math.exp(heldStars.lnE[i]) - truth.e[2000 + i]) ** 2;
    const eRms = Math.sqrt(eErr2 / held.n);

    // The photometric parallax guess (for stars whose Gaia ϖ/σ is poor) from the trained model.
    const guess = StarParams.fromPriors(held).stars;
    applyPhotometricParallax(model, spectraFromTrainingSet(held), guess, selectStars(held, 'all'));
    const plxErr = Float32Array.from({ length: held.n }, (_, i) =>
      Math.abs(Math.exp(guess.lnPlx[i]) / truth.parallax[2000 + i] - 1),
    );

    console.info(
      `toy: photometric ϖ median |Δϖ/ϖ| ${median(plxErr).toFixed(4)}; χ²/66 first epoch ${firstChi2.toFixed(1)}, end of joint ${trainChi2.toFixed(3)}; ` +
        `R(λ) max |ΔR/R| ${Math.max(...rErr).toFixed(4)} (initial ${Math.max(...r0Err).toFixed(3)}), median ${median(Float32Array.from(rErr)).toFixed(4)}; ` +
        `held-out median reduced χ² ${heldChi2.toFixed(3)}; held-out E rms error ${eRms.toFixed(4)}; tensors ${tf.memory().numTensors}`,
    );
    expect(Math.max(...r0Err)).toBeGreaterThan(0.3);
    expect(Math.max(...rErr)).toBeLessThan(0.05);
    expect(trainChi2).toBeLessThan(1.1);
    expect(heldChi2).toBeGreaterThan(0.8);
    expect(heldChi2).toBeLessThan(1.25);
    expect(eRms).toBeLessThan(0.02);
    expect(median(plxErr)).toBeLessThan(0.05);
  });

  it("a model stage with parallaxFromGaia pulls back a model whose error the stars' ϖ had absorbed", async () => {
    const { data, truth } = makeToySet({ n: 1500, seed: 5 });
    const model = ForwardModel.create(data.labels, { seed: 2 });
    const { stars } = StarParams.fromPriors(data);
    const all = selectStars(data, 'all');
    initOutputBias(model, spectraFromTrainingSet(data), stars, all);
    const modelStage = (name: string, parallaxFromGaia: boolean) =>
      stage(name, 'all', 'model', { ...fast, epochs: 40, lrModel: 3e-3, parallaxFromGaia });
    // Photometric ϖ at the true Θ and E over the true ϖ: 1 when the model's brightness is right.
    const brightnessError = () => {
      const probe = StarParams.fromPriors(data).stars;
      probe.theta.set(truth.theta);
      probe.lnE.set(Array.from(truth.e, Math.log));
      applyPhotometricParallax(model, spectraFromTrainingSet(data), probe, all);
      return median(Float32Array.from({ length: data.n }, (_, i) => Math.exp(probe.lnPlx[i]) / truth.parallax[i])) - 1;
    };
    await train(data, model, stars, modelStage('model', false));
    const fitted = brightnessError();
    // Every star's ϖ 10 % high, as after a stars-only fit to a model 21 % too faint; a model
    // stage on those parallaxes keeps the model that faint.
    for (let i = 0; i < data.n; i++) stars.lnPlx[i] += Math.log(1.1);
    await train(data, model, stars, modelStage('on_fitted_parallaxes', false));
    const faint = brightnessError();
    await train(data, model, stars, modelStage('on_gaia_parallaxes', true));
    const anchored = brightnessError();
    console.info(
      `toy: model brightness as a ϖ ratio − 1: fitted ${fitted.toFixed(4)}, on ϖ 10 % high ${faint.toFixed(4)}, re-anchored ${anchored.toFixed(4)}`,
    );
    expect(Math.abs(fitted)).toBeLessThan(0.015);
    expect(faint).toBeGreaterThan(0.08);
    expect(Math.abs(anchored)).toBeLessThan(0.015);
    expect(Array.from(stars.lnPlx.slice(0, 5))).toEqual(
      Array.from(data.parallax.slice(0, 5), (p) => Math.fround(Math.log(p))),
    );
  });

  it('a joint stage in apparent-scale coordinates undoes a model error that the ϖ had absorbed; in ln ϖ it keeps it', async () => {
    const { data, truth } = makeToySet({ n: 1500, seed: 5 });
    const all = selectStars(data, 'all');
    const spectra = spectraFromTrainingSet(data);
    const brightnessError = (model: ForwardModel) => {
      const probe = StarParams.fromPriors(data).stars;
      probe.theta.set(truth.theta);
      probe.lnE.set(Array.from(truth.e, Math.log));
      applyPhotometricParallax(model, spectra, probe, all);
      return median(Float32Array.from({ length: data.n }, (_, i) => Math.exp(probe.lnPlx[i]) / truth.parallax[i])) - 1;
    };
    const base = ForwardModel.create(data.labels, { seed: 2 });
    const { stars: start } = StarParams.fromPriors(data);
    initOutputBias(base, spectra, start, all);
    // A model 21 % too faint, and every star's ϖ 10 % high to match it.
    for (let i = 0; i < data.n; i++) start.lnPlx[i] += Math.log(1.1);
    await train(data, base, start, stage('faint', 'all', 'model', { ...fast, epochs: 40, lrModel: 3e-3 }));
    const faint = brightnessError(base);
    const joint = async (apparentScale: boolean) => {
      const model = base.clone();
      const stars = start.clone();
      await train(
        data,
        model,
        stars,
        stage('joint', 'all', 'both', { ...fast, epochs: 80, lrModel: 3e-3, lrStars: 1e-2, apparentScale }),
      );
      const plx =
        median(Float32Array.from({ length: data.n }, (_, i) => Math.exp(stars.lnPlx[i]) / truth.parallax[i])) - 1;
      return { model: brightnessError(model), plx };
    };
    const inLnPlx = await joint(false);
    const inPsi = await joint(true);
    console.info(
      `toy: model brightness as a ϖ ratio − 1: start ${faint.toFixed(4)}; joint in ln ϖ ${inLnPlx.model.toFixed(4)} (stars' ϖ ${inLnPlx.plx.toFixed(4)}), ` +
        `in ψ ${inPsi.model.toFixed(4)} (stars' ϖ ${inPsi.plx.toFixed(4)})`,
    );
    // Same stage, same steps: in ln ϖ none of the error goes (measured: 0.106 → 0.112), in ψ
    // two thirds of it (→ 0.037), and the stars' ϖ follow the model.
    expect(faint).toBeGreaterThan(0.08);
    expect(inLnPlx.model).toBeGreaterThan(0.9 * faint);
    expect(inPsi.model).toBeLessThan(0.5 * faint);
    expect(inPsi.plx).toBeLessThan(0.5 * inLnPlx.plx);
  });
});
