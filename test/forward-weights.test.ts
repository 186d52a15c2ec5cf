/**
 * Inverse-label-density weights (density-weights.ts): rare labels weigh more, within
 * (0, 5]; and a weight multiplies a star's share of the model's gradient while its own
 * parameters' gradient is left alone. Also which star parameters a stage moves.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../models/forward/backend.js';
import { BatchStepper } from '../models/forward/batch-step.js';
import { spectraFromTrainingSet } from '../models/forward/data.js';
import { DENSITY_WEIGHTING, labelDensityWeights } from '../models/forward/density-weights.js';
import { ForwardModel } from '../models/forward/model.js';
import { Prng } from '../models/forward/prng.js';
import { stage, type StarParamName } from '../models/forward/recipe.js';
import { StarParams } from '../models/forward/stars.js';
import { makeToySet } from '../models/forward/toy.js';

describe('label-density weights', () => {
  it('weigh the rare stars up to the cap, the crowded ones near 1, and are reproducible', async () => {
    // 1,900 dwarfs in a tight clump, 100 giants spread widely, one star without labels.
    const prng = new Prng(4, 1);
    const n = 2001;
    const labels = new Float32Array(n * 3);
    for (let i = 0; i < n - 1; i++) {
      const giant = i >= 1900;
      labels.set(
        [
          giant ? 4 + prng.uniform() : 5.8 + 0.05 * prng.normal(),
          -0.2 + 0.3 * prng.normal(),
          giant ? 1 + 2 * prng.uniform() : 4.4 + 0.05 * prng.normal(),
        ],
        i * 3,
      );
    }
    labels.set([NaN, 0, 4], (n - 1) * 3);
    const w = await labelDensityWeights(labels, n, 7);
    const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, x) => s + x, 0) / a.length;
    expect(mean(w.subarray(1900, 2000))).toBeGreaterThan(4);
    expect(mean(w.subarray(0, 1900))).toBeLessThan(3);
    expect(Math.min(...w.subarray(0, n - 1))).toBeGreaterThan(0.8);
    expect(Math.max(...w)).toBeLessThanOrEqual(DENSITY_WEIGHTING.maxUpsampling);
    expect(w[n - 1]).toBe(1);
    expect(Array.from(await labelDensityWeights(labels, n, 7))).toEqual(Array.from(w));
  });
});

/** A toy set of n stars with a fresh model, its stars at their priors, all in one batch. */
function toyBatch(n: number, seed: number) {
  const { data } = makeToySet({ n, seed });
  const model = ForwardModel.create(data.labels, { seed: 1 });
  const { stars } = StarParams.fromPriors(data);
  return {
    data,
    model,
    stars,
    spectra: spectraFromTrainingSet(data),
    idx: Int32Array.from({ length: n }, (_, i) => i),
  };
}

describe('weighted model loss', () => {
  beforeAll(() => useBackend('wasm'));

  it("a weight scales the star's model gradient, not its own", () => {
    const { data, model, stars, spectra, idx } = toyBatch(8, 2);
    const s = stage('joint', 'all', 'both', { batchSize: 8, clipModel: 1e30, clipStars: 1e30 });
    const one = new BatchStepper(model, spectra, data, 'host', 8).step(stars, idx, 8, s);
    const twice = new BatchStepper(model, spectra, data, 'host', 8, new Float32Array(8).fill(2)).step(stars, idx, 8, s);
    // float32 sums: agreement to 1e-5 of the largest component.
    const close = (a: Float32Array, b: Float32Array, f: number) => {
      const scale = Math.max(...Array.from(b, Math.abs));
      for (let j = 0; j < a.length; j++) expect(Math.abs(a[j] - f * b[j])).toBeLessThanOrEqual(1e-5 * f * scale);
    };
    close(twice.modelGrad!, one.modelGrad!, 2);
    close(twice.starGrad!, one.starGrad!, 1);
    expect(twice.modelLoss / one.modelLoss).toBeCloseTo(2, 4);
  });
});

describe('star parameters a stage moves', () => {
  beforeAll(() => useBackend('wasm'));

  it('starParams names all of Θ, or Teff, [Fe/H] and log g one by one', () => {
    const { data, model, stars, spectra, idx } = toyBatch(6, 3);
    const moved = (starParams: StarParamName[]) => {
      const g = new BatchStepper(model, spectra, data, 'host', 6).step(
        stars,
        idx,
        6,
        stage('s', 'all', 'stars', { batchSize: 6, starParams }),
      ).starGrad!;
      return [0, 1, 2, 3, 4].map((j) => [0, 1, 2, 3, 4, 5].some((k) => g[k * 5 + j] !== 0));
    };
    expect(moved(['theta', 'lnE', 'lnPlx'])).toEqual([true, true, true, true, true]);
    expect(moved(['teff', 'lnE', 'lnPlx'])).toEqual([true, false, false, true, true]);
    expect(moved(['feh', 'logg'])).toEqual([false, true, true, false, false]);
  });
});
