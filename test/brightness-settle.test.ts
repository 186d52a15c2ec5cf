/**
 * The brightness settlement on the toy problem: a model made 21 % too faint, with every
 * star's ϖ 10 % high to match it (what the training's slow co-adaptation leaves, in
 * miniature). The line search must find the offset from the joint objective alone,
 * leave the fluxes of a shifted model and stars untouched, and resume from the trials it
 * already scored with the same result.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../models/forward/backend.js';
import {
  BRIGHTNESS_MAX_TRIALS,
  jointObjective,
  searchBrightness,
  settleBrightness,
  shiftBrightness,
  type BrightnessTrial,
} from '../models/forward/brightness-settle.js';
import { spectraFromTrainingSet, type TrainingSet } from '../models/forward/data.js';
import { parallaxPrior } from '../models/forward/loss.js';
import { ForwardModel } from '../models/forward/model.js';
import { initOutputBias } from '../models/forward/output-bias.js';
import { applyPhotometricParallax } from '../models/forward/photometric-parallax.js';
import { stage, type StageDefaults } from '../models/forward/recipe.js';
import { selectStars } from '../models/forward/selection.js';
import { StarParams } from '../models/forward/stars.js';
import { makeToySet, type ToyTruth } from '../models/forward/toy.js';
import { StageTrainer } from '../models/forward/trainer.js';

const fast: Partial<StageDefaults> = {
  algorithm: 'adam',
  batchSize: 256,
  l2: 0,
  lrDrops: { factor: 0.1, at: [0.6, 0.85] },
};
const refit = stage('brightness_refit', 'all', 'stars', { ...fast, epochs: 30, lrStars: 1e-2 });
const median = (a: ArrayLike<number>) => Float64Array.from(a).sort()[a.length >> 1];

/** Photometric ϖ at the true Θ and E over the true ϖ, less 1: 0 when the model's brightness is right. */
function brightnessError(data: TrainingSet, truth: ToyTruth, model: ForwardModel): number {
  const probe = StarParams.fromPriors(data).stars;
  probe.theta.set(truth.theta);
  probe.lnE.set(Array.from(truth.e, Math.log));
  applyPhotometricParallax(model, spectraFromTrainingSet(data), probe, selectStars(data, 'all'));
  return median(Array.from({ length: data.n }, (_, i) => Math.exp(probe.lnPlx[i]) / truth.parallax[i])) - 1;
}

describe('the brightness settlement', () => {
  let data: TrainingSet;
  let truth: ToyTruth;
  let model: ForwardModel;
  let stars: StarParams;
  const all = () => selectStars(data, 'all');

  beforeAll(async () => {
    await useBackend('wasm');
    ({ data, truth } = makeToySet({ n: 1200, seed: 5 }));
    model = ForwardModel.create(data.labels, { seed: 2 });
    stars = StarParams.fromPriors(data).stars;
    initOutputBias(model, spectraFromTrainingSet(data), stars, all());
    for (let i = 0; i < data.n; i++) stars.lnPlx[i] += Math.log(1.1);
    await new StageTrainer({
      data,
      model,
      stars,
      stage: stage('faint', 'all', 'model', { ...fast, epochs: 40, lrModel: 3e-3 }),
      seed: 17,
    }).run();
    await new StageTrainer({ data, model, stars, stage: refit, seed: 18 }).run();
  }, 120_000);

  it('moves no flux: the shift changes the objective through the parallax priors alone', () => {
    const m = model.clone();
    const s = stars.clone();
    shiftBrightness(m, s, 0.1);
    const which = all();
    const spectra = spectraFromTrainingSet(data);
    const before = model.predictHost(...gathered(stars, which));
    const after = m.predictHost(...gathered(s, which));
    let worst = 0;
    for (let k = 0; k < before.length; k++)
      worst = Math.max(worst, Math.abs(after[k] - before[k]) / Math.abs(before[k]));
    expect(worst).toBeLessThan(2e-5);
    // With Θ and E unchanged, the objective's change is the Gaia terms' change.
    let gaia = 0;
    for (const i of which) gaia += parallaxPrior(data, i, s.lnPlx[i]) - parallaxPrior(data, i, stars.lnPlx[i]);
    const change =
      jointObjective(m, data, spectra, s, which, true) - jointObjective(model, data, spectra, stars, which, true);
    expect(Math.abs(gaia)).toBeGreaterThan(100);
    expect(change).toBeCloseTo(gaia, -1);
  });

  it('finds the offset from the joint objective, and a resumed search ends the same', async () => {
    const faint = brightnessError(data, truth, model);
    const order: BrightnessTrial[] = [];
    const settled = await settleBrightness({
      data,
      model,
      stars,
      refit,
      seed: 3,
      clean: all(),
      onTrial: (t) => void order.push(t),
    });
    const after = brightnessError(data, truth, settled.model);
    console.info(
      `toy brightness settlement: error ${faint.toFixed(4)} → ${after.toFixed(4)}, offset ${settled.offset.toFixed(4)} ± ${settled.sigma.toFixed(4)}, ` +
        `objective ${settled.objectiveChange.toFixed(1)}, trials ${settled.trials.map((t) => t.offset.toFixed(3)).join(' ')}`,
    );
    expect(faint).toBeGreaterThan(0.08);
    expect(Math.abs(after)).toBeLessThan(0.02);
    expect(settled.bracketed).toBe(true);
    expect(settled.objectiveChange).toBeLessThan(0);
    // 21 % in flux is 0.19 in ln f_abs.
    expect(settled.offset).toBeGreaterThan(0.15);
    expect(settled.offset).toBeLessThan(0.23);
    expect(settled.sigma).toBeGreaterThan(0);
    expect(settled.sigma).toBeLessThan(0.02);
    // The inputs are left as they were.
    expect(brightnessError(data, truth, model)).toBe(faint);

    // An attempt that died after its third trial was scored.
    const resumed = await settleBrightness({
      data,
      model,
      stars,
      refit,
      seed: 3,
      clean: all(),
      known: order.slice(0, 3),
    });
    expect(resumed.trials).toEqual(settled.trials);
    expect(resumed.offset).toBe(settled.offset);
    expect(Array.from(resumed.stars.lnPlx)).toEqual(Array.from(settled.stars.lnPlx));
    expect(Array.from(resumed.model.params)).toEqual(Array.from(settled.model.params));
  }, 300_000);

  it('brackets and solves a parabola wherever its minimum lies, and a resumed search scores the same points', async () => {
    for (const minimum of [0.7, -0.5, 0.013, 0]) {
      const objective = (g: number) => 1000 * (g - minimum) ** 2;
      const scored: number[] = [];
      const result = await searchBrightness(async (g) => (scored.includes(g) ? 0 : scored.push(g), objective(g)));
      expect(result.bracketed).toBe(true);
      // J'' = 2000 for J = −2 ln L: σ² = 2 / 2000.
      expect(result.sigma).toBeCloseTo(Math.sqrt(2 / 2000), 10);
      expect(Math.min(...scored.map((g) => Math.abs(g - minimum)))).toBeLessThan(1e-9);
      expect(scored.length).toBeLessThanOrEqual(BRIGHTNESS_MAX_TRIALS);
      // Resumed from every prefix of its scores (an attempt killed after each), it asks for the rest in the same order.
      for (let k = 0; k <= scored.length; k++) {
        const known = new Map(scored.slice(0, k).map((g) => [g, objective(g)]));
        const asked: number[] = [];
        await searchBrightness(async (g) => {
          if (!known.has(g)) {
            asked.push(g);
            known.set(g, objective(g));
          }
          return known.get(g)!;
        });
        expect(asked).toEqual(scored.slice(k));
      }
    }
    // A minimum beyond the walk's reach: not bracketed, σ unknown, the walk bounded.
    const scored: number[] = [];
    const far = await searchBrightness(async (g) => (scored.push(g), -g));
    expect(far).toEqual({ sigma: NaN, bracketed: false });
    expect(Math.max(...scored)).toBeLessThanOrEqual(1);
  });

  it('refuses a refit stage that trains the model', async () => {
    const joint = stage('joint', 'all', 'both', { ...fast, epochs: 1 });
    await expect(settleBrightness({ data, model, stars, refit: joint, seed: 3, clean: all() })).rejects.toMatchObject({
      name: 'BrightnessSettlementError',
      nonRetryable: true,
    });
  });
});

function gathered(s: StarParams, which: Int32Array): [Float32Array, Float32Array, Float32Array, number] {
  const theta = new Float32Array(which.length * 3);
  const lnE = new Float32Array(which.length);
  const lnPlx = new Float32Array(which.length);
  s.gather(which, which.length, theta, lnE, lnPlx);
  return [theta, lnE, lnPlx, which.length];
}
