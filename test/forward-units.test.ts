/** Small pieces of the forward model: priors, L2, whitening σ, standardisation, PRNG, recipe, model file. */
import { describe, expect, it } from 'vitest';
import { MODEL_WAVELENGTHS_NM, N_FLUX } from '../models/forward/config.js';
import {
  l2Penalty,
  parallaxPriorSlope,
  softenChi2,
  softenChi2Slope,
  starPrior,
  type PriorData,
} from '../models/forward/loss.js';
import { lnNormalCdf } from '../models/stats/normal-cdf.js';
import { ForwardModel } from '../models/forward/model.js';
import { Prng } from '../models/forward/prng.js';
import { DEFAULT_RECIPE, parallaxCutOf } from '../models/forward/recipe.js';
import { parseRecipe, RecipeError } from '../models/forward/recipe-validate.js';
import { RECIPES } from '../models/forward/recipes.js';
import { modelFromJson, modelToJson } from '../models/forward/serialize.js';
import { selectStars } from '../models/forward/selection.js';
import { StarParams } from '../models/forward/stars.js';
import { computeStandardisation } from '../models/forward/standardise.js';
import { fluxSigmaFromWhitening } from '../models/forward/whitening.js';

const priors: PriorData = {
  labels: Float32Array.of(5.5, -0.3, 4.2),
  labelErr: Float32Array.of(0.1, 0.05, 0.2),
  parallax: Float32Array.of(1.7),
  parallaxErr: Float32Array.of(0.2),
  ePrior: Float32Array.of(0.3),
  ePriorErr: Float32Array.of(0.05),
};

describe('loss terms', () => {
  it('the star prior gradient matches finite differences, Jacobian terms included', () => {
    const x = [5.6, -0.2, 4.0, Math.log(0.25), Math.log(1.9)];
    const f = (v: number[]) => starPrior(priors, 0, v, 0, v[3], v[4]);
    const g = new Float64Array(5);
    starPrior(priors, 0, x, 0, x[3], x[4], g, 0);
    for (let k = 0; k < 5; k++) {
      const h = 1e-6;
      const up = [...x];
      const dn = [...x];
      up[k] += h;
      dn[k] -= h;
      expect(g[k]).toBeCloseTo((f(up) - f(dn)) / (2 * h), 4);
    }
    // The Jacobian: a flat prior still contributes −2 ln E − 2 ln ϖ.
    const flat: PriorData = { ...priors, ePrior: Float32Array.of(NaN), parallaxErr: Float32Array.of(Infinity) };
    expect(starPrior(flat, 0, priors.labels, 0, 1, 2)).toBeCloseTo(-2 - 4, 10);
  });

  it('without the Jacobians (logJacobian false) a flat prior is flat, and the gradient still matches', () => {
    const flat: PriorData = { ...priors, ePrior: Float32Array.of(NaN), parallaxErr: Float32Array.of(Infinity) };
    const g0 = new Float64Array(5);
    expect(starPrior(flat, 0, priors.labels, 0, 1, 2, g0, 0, false)).toBe(0);
    expect(Array.from(g0)).toEqual([0, 0, 0, 0, 0]);
    const x = [5.6, -0.2, 4.0, Math.log(0.25), Math.log(1.9)];
    const f = (v: number[]) => starPrior(priors, 0, v, 0, v[3], v[4], undefined, 0, false);
    const g = new Float64Array(5);
    starPrior(priors, 0, x, 0, x[3], x[4], g, 0, false);
    for (let k = 3; k < 5; k++) {
      const up = [...x];
      const dn = [...x];
      up[k] += 1e-6;
      dn[k] -= 1e-6;
      expect(g[k]).toBeCloseTo((f(up) - f(dn)) / 2e-6, 4);
    }
  });

  it('a parallax floor divides the Gaia likelihood by Φ((ϖ − floor)/σ), and the gradient still matches', () => {
    const cut: PriorData = { ...priors, parallaxFloor: Float32Array.of(0.6) };
    const x = [5.6, -0.2, 4.0, Math.log(0.25), Math.log(1.1)];
    const f = (d: PriorData, v: number[]) => starPrior(d, 0, v, 0, v[3], v[4]);
    expect(f(cut, x) - f(priors, x)).toBeCloseTo(2 * lnNormalCdf((1.1 - 0.6) / 0.2), 5);
    const g = new Float64Array(5);
    starPrior(cut, 0, x, 0, x[3], x[4], g, 0);
    const up = [...x];
    const dn = [...x];
    up[4] += 1e-6;
    dn[4] -= 1e-6;
    expect(g[4]).toBeCloseTo((f(cut, up) - f(cut, dn)) / 2e-6, 4);
    expect(parallaxPriorSlope(cut, 0, x[4])).toBeCloseTo(g[4], 10);
  });

  it('on a sample cut at ϖ/σ > 3, the truncated likelihood recovers a common distance scale the Gaussian overestimates', () => {
    // Stars whose relative distances are known (as the fluxes fix them) and whose common
    // scale only the Gaia parallaxes fix (as they fix the model's brightness).
    const prng = new Prng(11, 0);
    const trueScale = 1;
    const kept: Array<{ u: number; obs: number }> = [];
    for (let i = 0; i < 40_000; i++) {
      const u = Math.exp(prng.uniform() * Math.log(8)); // true ϖ/σ from 1 to 8, σ = 1
      const obs = trueScale * u + prng.normal();
      if (obs > 3) kept.push({ u, obs });
    }
    const data = (floor: boolean): PriorData => ({
      labels: new Float32Array(3 * kept.length).fill(NaN),
      labelErr: new Float32Array(3 * kept.length).fill(NaN),
      parallax: Float32Array.from(kept, (k) => k.obs),
      parallaxErr: new Float32Array(kept.length).fill(1),
      ePrior: new Float32Array(kept.length).fill(NaN),
      ePriorErr: new Float32Array(kept.length).fill(NaN),
      ...(floor ? { parallaxFloor: new Float32Array(kept.length).fill(3) } : {}),
    });
    const bestScale = (d: PriorData) => {
      const loss = (lnK: number) =>
        kept.reduce((s, k, i) => s + starPrior(d, i, d.labels, 3 * i, 0, lnK + Math.log(k.u), undefined, 0, false), 0);
      let [a, b] = [-0.5, 0.5];
      for (let it = 0; it < 40; it++) {
        const m1 = a + (b - a) * 0.382;
        const m2 = a + (b - a) * 0.618;
        if (loss(m1) < loss(m2)) b = m2;
        else a = m1;
      }
      return Math.exp((a + b) / 2);
    };
    expect(bestScale(data(false)) / trueScale - 1).toBeGreaterThan(0.02);
    expect(Math.abs(bestScale(data(true)) / trueScale - 1)).toBeLessThan(0.005);
  });

  it('softened χ² is χ² when small and K·asinh beyond K = 20 × 66', () => {
    expect(softenChi2(10)).toBeCloseTo(10, 3);
    expect(softenChi2(1e6)).toBeCloseTo(1320 * Math.asinh(1e6 / 1320), 6);
    expect(softenChi2Slope(1320)).toBeCloseTo(1 / Math.SQRT2, 12);
  });

  it('L2 covers the weights only, normalised by their count', () => {
    const m = ForwardModel.create(Float32Array.of(5, 0, 4, 6, -1, 3, 4, 0.2, 2), { hidden: [4], seed: 3 });
    m.params.fill(1);
    const g = new Float32Array(m.layout.size);
    expect(l2Penalty(m.params, m.layout, 5, g)).toBeCloseTo(5, 6);
    expect(m.layout.nWeights).toBe(3 * 4 + 4 * 66);
    const l = m.layout.layers[0];
    expect(g[l.wOffset] / (10 / m.layout.nWeights)).toBeCloseTo(1, 6);
    expect(g[l.bOffset]).toBe(0);
    expect(g[m.layout.lnROffset]).toBe(0);
  });
});

describe('whitening and standardisation', () => {
  it('σ from a lower-triangular W equals √diag((WᵀW)⁻¹), missing pixels NaN', () => {
    const M = N_FLUX;
    const prng = new Prng(2);
    const l = new Float64Array(M * M); // Σ = L Lᵀ
    for (let i = 0; i < M; i++)
      for (let j = 0; j <= i; j++) l[i * M + j] = i === j ? 1 + prng.uniform() : 0.3 * prng.normal();
    // W = L⁻¹ by forward substitution.
    const w = new Float32Array(M * M);
    for (let c = 0; c < M; c++) {
      for (let i = 0; i < M; i++) {
        let s = i === c ? 1 : 0;
        for (let k = 0; k < i; k++) s -= l[i * M + k] * w[k * M + c];
        w[i * M + c] = s / l[i * M + i];
      }
    }
    const sigma = fluxSigmaFromWhitening(w);
    for (let i = 0; i < M; i++) {
      let s2 = 0;
      for (let k = 0; k <= i; k++) s2 += l[i * M + k] ** 2;
      expect(sigma[i] / Math.sqrt(s2)).toBeCloseTo(1, 4);
    }
    const d = new Float32Array(M * M);
    d[0] = 2;
    expect(fluxSigmaFromWhitening(d)[0]).toBeCloseTo(0.5, 7);
    expect(Number.isNaN(fluxSigmaFromWhitening(d)[1])).toBe(true);
  });

  it('standardisation is the median and half the 16–84 range', () => {
    const labels = new Float32Array(101 * 3);
    for (let i = 0; i <= 100; i++) labels.set([i, 2 * i, 7], i * 3);
    const s = computeStandardisation(labels);
    expect(s.median).toEqual([50, 100, 7]);
    expect(s.scale[0]).toBeCloseTo(34, 5);
    expect(s.scale[1]).toBeCloseTo(68, 5);
    expect(s.scale[2]).toBe(1); // a constant label: scale 1, not 0
  });

  it('the PRNG resumes from a saved state', () => {
    const a = new Prng(9);
    a.uniform();
    const b = Prng.fromState(a.state());
    expect([a.nextUint32(), a.uniform()]).toEqual([b.nextUint32(), b.uniform()]);
  });
});

describe('recipe', () => {
  it('the default recipe follows docs/method.md §5 and round-trips through JSON', () => {
    const r = parseRecipe(JSON.parse(JSON.stringify(DEFAULT_RECIPE)));
    expect(r).toEqual(DEFAULT_RECIPE);
    const s = r.stages[0];
    expect([s.selection, s.optimise, s.epochs, s.batchSize, s.lrModel, s.momentum]).toEqual([
      'hq',
      'model',
      512,
      512,
      1e-4,
      0.5,
    ]);
    expect(s.lrDrops).toEqual({ factor: 0.1, at: [0.25, 0.5, 0.75] });
    expect([r.selfClean.paramSigma, r.selfClean.fluxSigma]).toEqual([3.5, 4]);
  });

  it('fills defaults for omitted stage fields', () => {
    const r = parseRecipe({ version: 1, stages: [{ name: 'a', selection: 'all', optimise: 'both', epochs: 3 }] });
    expect(r.stages[0].epochs).toBe(3);
    expect(r.stages[0].batchSize).toBe(512);
    expect(r.stages[0].logJacobian).toBe(true);
    expect(r.model.hidden).toEqual([32, 32, 32]);
  });

  const bad: [string, unknown, string][] = [
    [
      'negative lr',
      { version: 1, stages: [{ name: 'a', selection: 'hq', optimise: 'model', lrModel: -1 }] },
      'recipe.stages[0].lrModel',
    ],
    [
      'unknown selection',
      { version: 1, stages: [{ name: 'a', selection: 'best', optimise: 'model' }] },
      'recipe.stages[0].selection',
    ],
    [
      'typo',
      { version: 1, stages: [{ name: 'a', selection: 'hq', optimise: 'model', epoch: 3 }] },
      'recipe.stages[0].epoch',
    ],
    [
      'bad drop',
      { version: 1, stages: [{ name: 'a', selection: 'hq', optimise: 'model', lrDrops: { factor: 0.1, at: [1.5] } }] },
      'recipe.stages[0].lrDrops.at[0]',
    ],
    ['no stages', { version: 1, stages: [] }, 'recipe.stages'],
    ['version', { version: 2, stages: [] }, 'recipe.version'],
    [
      'self-clean',
      { version: 1, stages: [{ name: 'a', selection: 'hq', optimise: 'model' }], selfClean: { fluxSigma: 0 } },
      'recipe.selfClean.fluxSigma',
    ],
    [
      'activation',
      { version: 1, model: { activation: 'gelu' }, stages: [{ name: 'a', selection: 'hq', optimise: 'model' }] },
      'recipe.model.activation',
    ],
    [
      'logJacobian',
      { version: 1, stages: [{ name: 'a', selection: 'hq', optimise: 'both', logJacobian: 'yes' }] },
      'recipe.stages[0].logJacobian',
    ],
    [
      'duplicate',
      {
        version: 1,
        stages: [
          { name: 'a', selection: 'hq', optimise: 'model' },
          { name: 'a', selection: 'all', optimise: 'stars' },
        ],
      },
      'recipe.stages',
    ],
    [
      'parallaxFromGaia on a joint stage',
      { version: 1, stages: [{ name: 'a', selection: 'hq', optimise: 'both', parallaxFromGaia: true }] },
      'recipe.stages[0].parallaxFromGaia',
    ],
    [
      'apparentScale with softened star χ²',
      {
        version: 1,
        stages: [{ name: 'a', selection: 'all', optimise: 'both', apparentScale: true, softenStars: true }],
      },
      'recipe.stages[0].apparentScale',
    ],
    [
      'linearSkip on an unknown label',
      { version: 1, model: { linearSkip: ['mass'] }, stages: [{ name: 'a', selection: 'hq', optimise: 'model' }] },
      'recipe.model.linearSkip[0]',
    ],
    [
      'a Teff error fraction of 1',
      {
        version: 1,
        highQuality: { teffErrorFraction: 1 },
        stages: [{ name: 'a', selection: 'hq', optimise: 'model' }],
      },
      'recipe.highQuality.teffErrorFraction',
    ],
    [
      'a typo in the high-quality cut',
      {
        version: 1,
        highQuality: { minParallaxOverErr: 5 },
        stages: [{ name: 'a', selection: 'hq', optimise: 'model' }],
      },
      'recipe.highQuality.minParallaxOverErr',
    ],
    [
      'an unknown parallax likelihood',
      { version: 1, parallaxLikelihood: 'lutz-kelker', stages: [{ name: 'a', selection: 'hq', optimise: 'model' }] },
      'recipe.parallaxLikelihood',
    ],
    [
      'a settlement that is not a boolean',
      { version: 1, settleReddening: 'yes', stages: [{ name: 'a', selection: 'hq', optimise: 'model' }] },
      'recipe.settleReddening',
    ],
    [
      'a brightness refit that trains the model',
      {
        version: 1,
        settleBrightness: { name: 'b', selection: 'all', optimise: 'both' },
        stages: [{ name: 'a', selection: 'hq', optimise: 'model' }],
      },
      'recipe.settleBrightness.optimise',
    ],
    [
      'a brightness refit named like a stage',
      {
        version: 1,
        settleBrightness: { name: 'a', selection: 'all', optimise: 'stars' },
        stages: [{ name: 'a', selection: 'hq', optimise: 'model' }],
      },
      'recipe.stages',
    ],
  ];

  it.each(Object.keys(RECIPES))('the named recipe "%s" passes its own validation unchanged', (name) => {
    expect(parseRecipe(JSON.parse(JSON.stringify(RECIPES[name])))).toEqual(RECIPES[name]);
  });

  it("takes a high-quality cut, filling docs/method.md's values, and leaves it out where the recipe does", () => {
    const stages = [{ name: 'a', selection: 'hq', optimise: 'model' }];
    expect(parseRecipe({ version: 1, highQuality: { teffErrorFraction: 0.04 }, stages }).highQuality).toEqual({
      minParallaxOverError: 10,
      maxLabelError: 0.2,
      teffErrorFraction: 0.04,
    });
    expect(parseRecipe({ version: 1, stages })).not.toHaveProperty('highQuality');
  });

  it('truncates the parallax likelihood at the sample cut only where the recipe asks', () => {
    const stages = [{ name: 'a', selection: 'hq', optimise: 'model' }];
    expect(parallaxCutOf(parseRecipe({ version: 1, parallaxLikelihood: 'truncated', stages }), 3)).toBe(3);
    expect(parallaxCutOf(parseRecipe({ version: 1, parallaxLikelihood: 'gaussian', stages }), 3)).toBeUndefined();
    expect(parseRecipe({ version: 1, stages })).not.toHaveProperty('parallaxLikelihood');
    expect(parallaxCutOf(DEFAULT_RECIPE, 3)).toBeUndefined();
  });

  it('settles the brightness and the reddening only where the recipe asks (the quick recipe), and leaves the fields out otherwise', () => {
    const stages = [{ name: 'a', selection: 'hq', optimise: 'model' }];
    expect(parseRecipe({ version: 1, settleReddening: true, stages }).settleReddening).toBe(true);
    expect(parseRecipe({ version: 1, stages })).not.toHaveProperty('settleReddening');
    expect(DEFAULT_RECIPE).not.toHaveProperty('settleReddening');
    expect(RECIPES.quick.settleReddening).toBe(true);
    expect(
      parseRecipe({
        version: 1,
        settleBrightness: { name: 'b', selection: 'all', optimise: 'stars', epochs: 7 },
        stages,
      }).settleBrightness,
    ).toMatchObject({ name: 'b', optimise: 'stars', epochs: 7 });
    expect(parseRecipe({ version: 1, stages })).not.toHaveProperty('settleBrightness');
    expect(DEFAULT_RECIPE).not.toHaveProperty('settleBrightness');
    expect(RECIPES.quick.settleBrightness).toMatchObject({ optimise: 'stars', selection: 'all' });
  });
  it.each(bad)('rejects %s, naming the field', (_, json, field) => {
    try {
      parseRecipe(json);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(RecipeError);
      expect((e as RecipeError).field).toBe(field);
      expect((e as Error).message.startsWith(`${field}:`)).toBe(true);
    }
  });
});

describe('model file', () => {
  const model = ForwardModel.create(Float32Array.of(5, 0, 4, 6, -1, 3, 4, 0.2, 2), { seed: 7 });

  it('round-trips exactly through JSON', () => {
    const back = modelFromJson(JSON.parse(JSON.stringify(modelToJson(model))));
    expect(back.params).toEqual(model.params);
    expect(back.standardisation).toEqual(model.standardisation);
    expect(back.wavelengthsNm).toEqual([...MODEL_WAVELENGTHS_NM]);
    expect(back.architecture).toEqual(model.architecture);
  });

  it('a linear skip path starts at zero, adds a term linear in the chosen standardised labels, and round-trips', () => {
    const labels = Float32Array.of(5, 0, 4, 6, -1, 3, 4, 0.2, 2);
    const plain = ForwardModel.create(labels, { seed: 7 });
    const skip = ForwardModel.create(labels, { seed: 7, linearSkip: [1, 2] });
    const layer = skip.layout.layers[skip.layout.layers.length - 1];
    expect(layer.skip).toBe(true);
    expect([layer.nIn, layer.nOut]).toEqual([2, 66]);
    expect(skip.layout.nWeights).toBe(plain.layout.nWeights + 2 * 66);
    const theta = Float32Array.of(5.5, -0.5, 3.5, 4.5, 0.1, 2.5);
    const lnE = Float32Array.of(Math.log(0.1), Math.log(0.2));
    const lnPlx = Float32Array.of(0, 0.5);
    // Same MLP weights, the skip at zero: the same prediction.
    expect(skip.predictHost(theta, lnE, lnPlx, 2)).toEqual(plain.predictHost(theta, lnE, lnPlx, 2));
    // Skip weight 0.3 from log g (its second input) to output 5: ln f_pred[5] moves by 0.3 × the standardised log g.
    skip.params[layer.wOffset + 66 + 5] = 0.3;
    const before = plain.predictHost(theta, lnE, lnPlx, 2);
    const after = skip.predictHost(theta, lnE, lnPlx, 2);
    const { median, scale } = skip.standardisation;
    for (let s = 0; s < 2; s++) {
      const x = (theta[s * 3 + 2] - median[2]) / scale[2];
      expect(Math.log(after[s * 66 + 5] / before[s * 66 + 5])).toBeCloseTo(0.3 * x, 5);
      expect(after[s * 66 + 6]).toBeCloseTo(before[s * 66 + 6], 6);
    }
    // The output bias is the MLP's last layer's, not the skip path's.
    skip.setOutputBias(new Float32Array(66).fill(2));
    const out = skip.layout.layers[skip.layout.layers.length - 2];
    expect([out.skip, skip.params[out.bOffset + 65], skip.params[layer.bOffset + 65]]).toEqual([undefined, 2, 0]);
    const back = modelFromJson(JSON.parse(JSON.stringify(modelToJson(skip))));
    expect(back.architecture.linearSkip).toEqual([1, 2]);
    expect(back.params).toEqual(skip.params);
    expect(modelToJson(plain).architecture).not.toHaveProperty('linearSkip');
  });

  it.each([
    ['format', (j: Record<string, unknown>) => (j.format = 'other')],
    ['version', (j: Record<string, unknown>) => (j.version = 99)],
    ['lnR', (j: Record<string, unknown>) => (j.lnR = [1, 2])],
    ['layers[1].weights', (j: Record<string, unknown>) => ((j.layers as { weights: string }[])[1].weights = 'AAAA')],
    ['extinctionCurve[0]', (j: Record<string, unknown>) => ((j.extinctionCurve as number[])[0] = 99)],
    [
      'standardisation.scale',
      (j: Record<string, unknown>) => ((j.standardisation as { scale: number[] }).scale = [1, 0, 1]),
    ],
  ])('names the bad field: %s', (field, spoil) => {
    const j = JSON.parse(JSON.stringify(modelToJson(model))) as Record<string, unknown>;
    spoil(j);
    expect(() => modelFromJson(j)).toThrow(field);
  });
});

describe('training-set validation', () => {
  it('names the field and the star at fault', async () => {
    const { makeToySet } = await import('../models/forward/toy.js');
    const { validateTrainingSet } = await import('../models/forward/data.js');
    const { data } = makeToySet({ n: 5, seed: 1 });
    expect(() => validateTrainingSet(data)).not.toThrow();
    const upper = { ...data, whitening: data.whitening.slice() };
    upper.whitening[3 * 66 * 66 + 1] = 0.5; // star 3, W[0][1]
    expect(() => validateTrainingSet(upper, { sample: 5 })).toThrow(
      'TrainingSet.whitening: star 3 (source_id 4) has W[0][1]',
    );
    expect(() => validateTrainingSet({ ...data, parallax: new Float32Array(4) })).toThrow(
      'TrainingSet.parallax: length 4',
    );
    const labels = data.labels.slice();
    labels[7] = NaN;
    expect(() => validateTrainingSet({ ...data, labels })).toThrow('TrainingSet.labels: star 2');
  });
});

describe('star selections', () => {
  // Star 0: high quality; 1: poor parallax; 2: high quality but an outlier; 3: large label error.
  const d = {
    n: 4,
    labels: new Float32Array(12),
    labelErr: Float32Array.of(0.05, 0.05, 0.1, 0.05, 0.05, 0.1, 0.05, 0.05, 0.1, 0.05, 0.3, 0.1),
    parallax: Float32Array.of(2, 0.5, 3, 2),
    parallaxErr: Float32Array.of(0.1, 0.1, 0.1, 0.1),
    ePrior: new Float32Array(4),
    ePriorErr: new Float32Array(4),
  };
  const outliers = Uint8Array.of(0, 0, 1, 0);
  it.each([
    ['all', [0, 1, 2, 3]],
    ['hq', [0, 2]],
    ['non_outliers', [0, 1, 3]],
  ] as const)('%s', (selection, expected) => {
    expect(Array.from(selectStars(d, selection, outliers))).toEqual(expected);
  });
  it('the outlier selection needs the flags', () => {
    expect(() => selectStars(d, 'non_outliers')).toThrow(/needs the outlier flags/);
  });
  it('a Teff error fraction admits hot stars whose Teff error grows with Teff, and only Teff', () => {
    // Star 0: 15,000 K ± 450 K; 1: 5,000 K ± 250 K; 2: 15,000 K ± 700 K; 3: 15,000 K ± 450 K with a log g error of 0.3.
    const hot = {
      ...d,
      parallax: Float32Array.of(2, 2, 2, 2),
      labels: Float32Array.of(15, 0, 4, 5, 0, 4, 15, 0, 4, 15, 0, 4),
      labelErr: Float32Array.of(0.45, 0.05, 0.1, 0.25, 0.05, 0.1, 0.7, 0.05, 0.1, 0.45, 0.05, 0.3),
    };
    expect(Array.from(selectStars(hot, 'hq'))).toEqual([]);
    expect(
      Array.from(
        selectStars(hot, 'hq', undefined, { minParallaxOverError: 10, maxLabelError: 0.2, teffErrorFraction: 0.04 }),
      ),
    ).toEqual([0]);
  });
  it("resetting to Gaia's parallax touches only the listed stars whose ϖ/σ is good", () => {
    const withPoor = { ...d, parallax: Float32Array.of(2, 0.4, 3, 2) }; // star 1: ϖ/σ = 4
    const s = StarParams.zeros(4);
    s.lnPlx.fill(1);
    expect(s.resetParallaxToGaia(withPoor, Int32Array.of(0, 1, 2))).toBe(2);
    expect(Array.from(s.lnPlx)).toEqual([Math.fround(Math.log(2)), 1, Math.fround(Math.log(3)), 1]);
  });
});
