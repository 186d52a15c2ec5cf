/** R(λ)'s uncertainty along the directions χ² cannot see (models/forward/extinction-uncertainty.ts). */
import { describe, expect, it } from 'vitest';
import { N_FLUX } from '../models/forward/config.js';
import { extinctionUncertainty } from '../models/forward/extinction-uncertainty.js';
import type { PriorData } from '../models/forward/loss.js';
import { ForwardModel } from '../models/forward/model.js';
import { Prng } from '../models/forward/prng.js';
import { settleReddening } from '../models/forward/reddening-settle.js';
import { StarParams } from '../models/forward/stars.js';

/** A small model with every parameter (skip path included) away from its start, and stars around it. */
function randomModelAndStars(n: number, seed: number): { model: ForwardModel; stars: StarParams; rng: Prng } {
  const rng = new Prng(seed);
  const labels = Float32Array.from(
    { length: n * 3 },
    (_, k) => [5.5, -0.2, 4.2][k % 3] + [0.8, 0.3, 0.6][k % 3] * rng.normal(),
  );
  const model = ForwardModel.create(labels, { hidden: [8, 8], linearSkip: [2], seed });
  for (let k = 0; k < model.params.length; k++) model.params[k] += 0.3 * rng.normal();
  const stars = StarParams.zeros(n);
  stars.theta.set(labels);
  for (let i = 0; i < n; i++) {
    stars.lnE[i] = Math.log(0.05 + 0.1 * Math.abs(labels[i * 3] - 5.5) + 0.4 * rng.uniform());
    stars.lnPlx[i] = Math.log(0.3 + 2.7 * rng.uniform());
  }
  return { model, stars, rng };
}

describe('the grey offset of R(λ)', () => {
  it('R + c, every band of the output layers + γ·x(Θ), ln ϖ + (c·E − γ·x)/2 leaves every flux unchanged', () => {
    const n = 60;
    const { model, stars, rng } = randomModelAndStars(n, 5);
    const before = model.predictHost(stars.theta, stars.lnE, stars.lnPlx, n);
    const x = model.outputLayerInputsHost(stars.theta, n);
    const last = model.layout.layers.filter((l) => !l.skip).at(-1)!;
    const skip = model.layout.layers.find((l) => l.skip)!;
    expect(x.width).toBe(last.nIn + 1 + skip.nIn);

    const c = 0.05;
    const gamma = Array.from({ length: x.width }, () => 0.2 * rng.normal());
    const lnR = model.lnR();
    for (let j = 0; j < N_FLUX; j++) {
      lnR[j] = Math.log(Math.exp(lnR[j]) + c);
      for (let k = 0; k < last.nIn; k++) model.params[last.wOffset + k * N_FLUX + j] += gamma[k];
      model.params[last.bOffset + j] += gamma[last.nIn];
      for (let k = 0; k < skip.nIn; k++) model.params[skip.wOffset + k * N_FLUX + j] += gamma[last.nIn + 1 + k];
    }
    for (let i = 0; i < n; i++) {
      let brightness = 0;
      for (let q = 0; q < x.width; q++) brightness += gamma[q] * x.values[i * x.width + q];
      stars.lnPlx[i] += (c * Math.exp(stars.lnE[i]) - brightness) / 2;
    }
    const after = model.predictHost(stars.theta, stars.lnE, stars.lnPlx, n);
    let worst = 0;
    for (let k = 0; k < before.length; k++) worst = Math.max(worst, Math.abs(after[k] / before[k] - 1));
    expect(worst).toBeLessThan(2e-5);
  });
});

describe('the uncertainty of R(λ)', () => {
  it('its σ of the grey offset and of the scale are the scatter of the priors’ optima over noise draws, centred on the truth', () => {
    // Stars fitted at their true ϖ and E; each draw re-measures Gaia's ϖ and the
    // reddening prior. The optimum along each direction should scatter about 0 by σ.
    const n = 2000;
    const draws = 150;
    const { model, stars, rng } = randomModelAndStars(n, 9);
    const plx = Float32Array.from(stars.lnPlx, Math.exp);
    const plxErr = Float32Array.from(plx, (p) => p / (5 + 25 * rng.uniform()));
    const e = Float32Array.from(stars.lnE, Math.exp);
    const eErr = new Float32Array(n).fill(0.03);
    const all = Int32Array.from({ length: n }, (_, i) => i);
    const grey: number[] = [];
    const scale: number[] = [];
    const greySigma: number[] = [];
    const scaleSigma: number[] = [];
    for (let d = 0; d < draws; d++) {
      const priors: PriorData = {
        labels: stars.theta,
        labelErr: new Float32Array(n * 3).fill(0.1),
        parallax: plx.map((p, i) => p + plxErr[i] * rng.normal()),
        parallaxErr: plxErr,
        ePrior: e.map((v, i) => v + eErr[i] * rng.normal()),
        ePriorErr: eErr,
      };
      const u = extinctionUncertainty(model, priors, stars, all, false);
      grey.push(u.greyOffset.optimum);
      scale.push(u.scale.optimum);
      greySigma.push(u.greyOffset.sigma);
      scaleSigma.push(u.scale.sigma);
      if (d === 0) {
        const R = model.extinctionCurve();
        u.sigma.forEach((s, j) => expect(s).toBeCloseTo(Math.hypot(u.greyOffset.sigma, u.scale.sigma * R[j]), 12));
      }
    }
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    const std = (a: number[]) => Math.sqrt(mean(a.map((v) => (v - mean(a)) ** 2)));
    for (const [optima, sigmas] of [
      [grey, greySigma],
      [scale, scaleSigma],
    ]) {
      const sigma = mean(sigmas);
      // 150 draws: the sample std is good to ~6 %, the mean to ~0.08 σ.
      expect(std(optima) / sigma).toBeGreaterThan(0.8);
      expect(std(optima) / sigma).toBeLessThan(1.2);
      expect(Math.abs(mean(optima))).toBeLessThan((4 * sigma) / Math.sqrt(draws));
    }
  });
});

describe('the uncertainty of R(λ) where the prior terms curve the wrong way', () => {
  it('stays finite: with fewer stars than brightness directions, and with stars fitted below half their Gaia parallax', () => {
    // In ln ϖ, ((ϖ − ϖ_obs)/σ)² curves downwards where ϖ < ϖ_obs/2.
    const n = 6;
    const { model, stars } = randomModelAndStars(n, 21);
    const plx = Float32Array.from(stars.lnPlx, Math.exp);
    const priors: PriorData = {
      labels: stars.theta,
      labelErr: new Float32Array(n * 3).fill(0.1),
      parallax: plx.map((p, i) => (i < 2 ? 3 * p : p)),
      parallaxErr: plx.map((p, i) => (i < 2 ? p / 20 : p / 4)),
      ePrior: Float32Array.from(stars.lnE, Math.exp),
      ePriorErr: new Float32Array(n).fill(0.03),
    };
    const u = extinctionUncertainty(
      model,
      priors,
      stars,
      Int32Array.from({ length: n }, (_, i) => i),
      true,
    );
    expect(model.outputLayerInputsHost(stars.theta, n).width + 1).toBeGreaterThan(n);
    for (const v of [u.greyOffset.sigma, u.greyOffset.optimum, u.scale.sigma, u.scale.optimum, ...u.sigma])
      expect(Number.isFinite(v)).toBe(true);
    expect(u.greyOffset.sigma).toBeGreaterThan(0);
  });
});

describe('the reddening settlement', () => {
  it('puts E in the units of its prior along directions no flux sees: the scale and the model’s colours against Θ', () => {
    const n = 1500;
    const { model, stars, rng } = randomModelAndStars(n, 17);
    const x = model.outputLayerInputsHost(stars.theta, n);
    // Fitted E 5 % high and offset by a smooth function of Θ (a hidden unit's output), against unbiased priors.
    const trueE = Float32Array.from(stars.lnE, Math.exp);
    for (let i = 0; i < n; i++) stars.lnE[i] = Math.log(1.05 * trueE[i] + 0.02 * (1 + x.values[i * x.width]));
    const priors = { ePrior: trueE.map((e) => e + 0.02 * rng.normal()), ePriorErr: new Float32Array(n).fill(0.02) };
    const before = model.predictHost(stars.theta, stars.lnE, stars.lnPlx, n);
    const R = model.extinctionCurve();
    const all = Int32Array.from({ length: n }, (_, i) => i);
    const settled = settleReddening(model, priors, stars, all);
    expect(settled.held).toBe(0);
    expect(settled.scale).toBeGreaterThan(1 / 1.05 - 0.01);
    expect(settled.scale).toBeLessThan(1 / 1.05 + 0.01);
    model.extinctionCurve().forEach((r, j) => expect(r / R[j]).toBeCloseTo(1 / settled.scale, 6));
    const after = model.predictHost(stars.theta, stars.lnE, stars.lnPlx, n);
    let worst = 0;
    for (let k = 0; k < before.length; k++) worst = Math.max(worst, Math.abs(after[k] / before[k] - 1));
    expect(worst).toBeLessThan(2e-5);
    // The fitted E now match the truth to the priors' noise over the sample, not 5 % and 0.02 off.
    let bias = 0;
    for (let i = 0; i < n; i++) bias += Math.exp(stars.lnE[i]) - trueE[i];
    expect(Math.abs(bias / n)).toBeLessThan(0.003);
    // Settled again, it stays (scale 1; the ridge leaves ~1e-4).
    expect(settleReddening(model, priors, stars, all).scale).toBeCloseTo(1, 3);
  });
});

describe('the reddening settlement without priors', () => {
  it('fails, not retried, where no star has a reddening prior', () => {
    const { model, stars } = randomModelAndStars(20, 3);
    const priors = { ePrior: new Float32Array(20).fill(Number.NaN), ePriorErr: new Float32Array(20).fill(0.02) };
    expect(() =>
      settleReddening(
        model,
        priors,
        stars,
        Int32Array.from({ length: 20 }, (_, i) => i),
      ),
    ).toThrow(expect.objectContaining({ nonRetryable: true, name: 'ReddeningSettlementError' }));
  });
});
