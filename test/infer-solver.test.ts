import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../models/forward/backend.js';
import { N_FLUX } from '../models/forward/config.js';
import { ForwardModel } from '../models/forward/model.js';
import { Prng } from '../models/forward/prng.js';
import { gmmFromParameters, sampleGmm, withPriorClip, type GmmModel } from '../models/gmm/index.js';
import { choleskyInPlace, invertLowerTriangular } from '../models/linalg/cholesky.js';
import { GmmPrior } from '../models/infer/gmm-prior.js';
import { HostMlp } from '../models/infer/host-mlp.js';
import { N_PARAMS, StarPosterior } from '../models/infer/posterior.js';
import { invertSymmetricFloored } from '../models/infer/small-linalg.js';
import { InferenceSolver, SECOND_SOLUTION_DELTA } from '../models/infer/solver.js';
import { QUALITY_FLAG, type InferenceStar, type StarSolution } from '../models/infer/types.js';

const M = N_FLUX;

/** A three-population prior on Θ = (Teff/kK, [Fe/H], log g): dwarfs, giants, hot stars. */
function makePrior(): GmmModel {
  const cov = (s: number[], r01: number, r02: number, r12: number) => [
    s[0] * s[0],
    r01 * s[0] * s[1],
    r02 * s[0] * s[2],
    r01 * s[0] * s[1],
    s[1] * s[1],
    r12 * s[1] * s[2],
    r02 * s[0] * s[2],
    r12 * s[1] * s[2],
    s[2] * s[2],
  ];
  const gmm = gmmFromParameters({
    dimensions: 3,
    weights: [0.6, 0.3, 0.1],
    means: [5.6, -0.1, 4.4, 4.7, -0.3, 2.6, 7.5, -0.1, 4.0],
    covariances: [
      ...cov([0.7, 0.3, 0.25], 0.1, -0.5, 0),
      ...cov([0.3, 0.35, 0.5], 0.2, 0.7, 0.1),
      ...cov([0.8, 0.3, 0.3], 0, -0.3, 0),
    ],
  });
  return withPriorClip(gmm, 3, 20_000);
}

/**
 * A trained-like model: 2 hidden tanh layers of 32, a linear log g skip path, output biases
 * a smooth spectrum, output weights scaled so ln f_abs varies by a few tenths over the prior.
 */
function makeModel(prior: GmmModel, seed = 5): ForwardModel {
  const labels = Float32Array.from(sampleGmm(prior, 4000, 11));
  const model = ForwardModel.create(labels, { hidden: [32, 32], linearSkip: [2], seed });
  const prng = new Prng(seed, 3);
  const out = model.outputLayer;
  for (let i = 0; i < out.nIn * out.nOut; i++) model.params[out.wOffset + i] *= 0.6;
  const skip = model.layout.layers.find((l) => l.skip)!;
  for (let i = 0; i < skip.nIn * skip.nOut; i++) model.params[skip.wOffset + i] = 0.15 * prng.normal();
  model.setOutputBias(Float32Array.from(model.wavelengthsNm, (l) => 3 - 1.2 * Math.log(l / 600) ** 2));
  return model;
}

interface Truth {
  p: Float64Array;
  e: number;
  plx: number;
}

/** f_pred from the host MLP (Float64). */
function predictFlux(mlp: HostMlp, r: Float64Array, th: ArrayLike<number>, e: number, plx: number): Float64Array {
  const lnf = new Float64Array(M);
  mlp.evaluate(th, 0, lnf, 0);
  return Float64Array.from(lnf, (v, j) => Math.exp(v + 2 * Math.log(plx) - e * r[j]));
}

/**
 * A star simulated from the model: correlated noise (AR(1) ρ = 0.5 over the XP pixels,
 * σ = fracErr · f + floor), Gaia ϖ ± 10 % (NaN for some), an E prior for half of the stars.
 */
function simulateStar(
  model: ForwardModel,
  mlp: HostMlp,
  th: ArrayLike<number>,
  prng: Prng,
  opts: { fracErr?: number; e?: number; plx?: number; noPlx?: boolean; noEPrior?: boolean } = {},
): { star: InferenceStar; truth: Truth } {
  const r = model.extinctionCurve();
  const e = opts.e ?? 0.05 + 0.9 * prng.uniform();
  const plx = opts.plx ?? 0.3 + 2.7 * prng.uniform();
  const f = predictFlux(mlp, r, th, e, plx);
  const sigma = Float64Array.from(f, (v) => (opts.fracErr ?? 0.02) * v + 0.002);
  const cov = new Float64Array(M * M);
  const nXp = 61;
  for (let i = 0; i < M; i++)
    for (let j = 0; j < M; j++) {
      const rho = i === j ? 1 : i < nXp && j < nXp ? 0.5 ** Math.abs(i - j) : 0;
      cov[i * M + j] = rho * sigma[i] * sigma[j];
    }
  choleskyInPlace(cov, M, 0);
  const w = invertLowerTriangular(cov, M, new Float64Array(M * M));
  const z = Float64Array.from({ length: M }, () => prng.normal());
  const flux = new Float32Array(M);
  for (let i = 0; i < M; i++) {
    let n = 0;
    for (let k = 0; k <= i; k++) n += cov[i * M + k] * z[k];
    flux[i] = f[i] + n;
  }
  const plxErr = 0.1 * plx;
  const hasE = !opts.noEPrior && prng.uniform() < 0.5;
  const star: InferenceStar = {
    sourceId: 1n,
    flux,
    whitening: Float32Array.from(w),
    parallax: opts.noPlx ? NaN : plx + plxErr * prng.normal(),
    parallaxErr: opts.noPlx ? NaN : plxErr,
    ePrior: hasE ? e + 0.05 * prng.normal() : NaN,
    ePriorErr: hasE ? 0.05 : NaN,
  };
  return { star, truth: { p: Float64Array.of(th[0], th[1], th[2], Math.log(e), Math.log(plx)), e, plx } };
}

/** 1.4826 × median absolute deviation from the median. */
function robustSd(x: number[]): number {
  const med = (a: number[]) => {
    const s = [...a].sort((p, q) => p - q);
    const n = s.length;
    return n % 2 ? s[(n - 1) / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
  };
  const m = med(x);
  return 1.4826 * med(x.map((v) => Math.abs(v - m)));
}

function finiteOrFlagged(s: StarSolution): boolean {
  const vals = [s.teff, s.feh, s.logg, s.E, s.parallax, s.teffErr, s.fehErr, s.loggErr, s.EErr, s.parallaxErr];
  const all = [...vals, ...s.covariance, s.chi2, s.lnPrior, s.minus2LnPosterior];
  return all.every(Number.isFinite) || (s.qualityFlags & QUALITY_FLAG.notConverged) !== 0;
}

describe('infer solver', () => {
  let prior: GmmModel;
  let model: ForwardModel;
  let mlp: HostMlp;

  beforeAll(async () => {
    await initBackend('cpu');
    prior = makePrior();
    model = makeModel(prior);
    mlp = new HostMlp(model);
  });

  it('host MLP matches the tfjs lnFluxAbs and its Jacobian matches finite differences', () => {
    const theta = sampleGmm(prior, 16, 21);
    const host = new Float64Array(16 * M);
    const jac = new Float64Array(16 * 3 * M);
    for (let i = 0; i < 16; i++) mlp.evaluate(theta, i * 3, host, i * M, jac, i * 3 * M);
    const prng = new Prng(9, 1);
    const c = Float32Array.from({ length: M }, () => prng.normal());
    const { tfVals, tfGrad } = tf.tidy(() => {
      const b = model.bind();
      const th = tf.tensor2d(Float32Array.from(theta), [16, 3]);
      const vals = model.lnFluxAbs(b.params, b.weightsT, th).dataSync() as Float32Array;
      // Vector–Jacobian product cᵀ ∂lnf/∂Θ for every row.
      const g = tf.grad((t: tf.Tensor) =>
        tf.sum(tf.mul(model.lnFluxAbs(b.params, b.weightsT, t as tf.Tensor2D), tf.tensor2d(c, [1, M]))),
      )(th);
      return { tfVals: vals.slice(), tfGrad: (g.dataSync() as Float32Array).slice() };
    });
    let maxRel = 0;
    for (let i = 0; i < 16 * M; i++)
      maxRel = Math.max(maxRel, Math.abs(host[i] - tfVals[i]) / Math.max(1, Math.abs(host[i])));
    expect(maxRel).toBeLessThan(1e-4);
    for (let i = 0; i < 16; i++)
      for (let k = 0; k < 3; k++) {
        let vjp = 0;
        let norm = 0;
        for (let j = 0; j < M; j++) {
          vjp += c[j] * jac[i * 3 * M + k * M + j];
          norm += Math.abs(c[j] * jac[i * 3 * M + k * M + j]);
        }
        expect(Math.abs(vjp - tfGrad[i * 3 + k])).toBeLessThan(1e-4 * Math.max(1, norm));
      }
    // Central differences of the host MLP.
    const lo = new Float64Array(M);
    const hi = new Float64Array(M);
    const t = new Float64Array(3);
    let worst = 0;
    for (let i = 0; i < 16; i++)
      for (let k = 0; k < 3; k++) {
        const h = 1e-5;
        t.set(theta.subarray(i * 3, i * 3 + 3));
        t[k] += h;
        mlp.evaluate(t, 0, hi, 0);
        t[k] -= 2 * h;
        mlp.evaluate(t, 0, lo, 0);
        for (let j = 0; j < M; j++) {
          const fd = (hi[j] - lo[j]) / (2 * h);
          worst = Math.max(worst, Math.abs(fd - jac[i * 3 * M + k * M + j]) / Math.max(1, Math.abs(fd)));
        }
      }
    expect(worst).toBeLessThan(1e-6);
  });

  it('the −2 ln posterior gradient matches finite differences (with and without E/ϖ priors)', () => {
    const post = new StarPosterior(model, new GmmPrior(prior));
    const prng = new Prng(4, 2);
    const theta = sampleGmm(prior, 6, 5);
    const g = new Float64Array(N_PARAMS);
    const g2 = new Float64Array(N_PARAMS);
    const h = new Float64Array(N_PARAMS * N_PARAMS);
    for (let s = 0; s < 6; s++) {
      const { star, truth } = simulateStar(model, mlp, theta.subarray(s * 3, s * 3 + 3), prng, {
        noPlx: s % 3 === 0,
      });
      if (s % 2 === 0) {
        star.ePrior = truth.e + 0.03;
        star.ePriorErr = 0.05;
      }
      post.setStar(star);
      const p = truth.p.map((v, k) => v + 0.05 * (k + 1) * (s % 2 ? 1 : -1));
      const f = post.linearise(p, g, h);
      const f2 = post.gradient(p, g2);
      expect(f2).toBeCloseTo(f, 8);
      expect(post.value(p)).toBeCloseTo(f, 8);
      for (let k = 0; k < N_PARAMS; k++) {
        const d = 1e-6;
        const q = p.slice();
        q[k] += d;
        const up = post.value(q);
        q[k] -= 2 * d;
        const dn = post.value(q);
        const fd = (up - dn) / (2 * d);
        const tol = 1e-5 * Math.max(1, Math.abs(fd)) + 1e-7 * Math.abs(f);
        expect(Math.abs(g[k] - fd)).toBeLessThan(tol);
        expect(Math.abs(g2[k] - fd)).toBeLessThan(tol);
      }
    }
  });

  it('the floored symmetric inverse inverts a positive-definite matrix', () => {
    const a = Float64Array.of(4, 1, 0.5, 1, 3, 0.2, 0.5, 0.2, 2);
    const inv = new Float64Array(9);
    invertSymmetricFloored(a, 3, inv, 1e-14, new Float64Array(40));
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let k = 0; k < 3; k++) s += a[i * 3 + k] * inv[k * 3 + j];
        expect(s).toBeCloseTo(i === j ? 1 : 0, 10);
      }
  });

  it('recovers simulated stars with calibrated Laplace errors (pulls ≈ N(0, 1))', () => {
    const solver = new InferenceSolver(model, prior);
    const n = 450;
    const theta = sampleGmm(prior, n, 77);
    const prng = new Prng(12, 4);
    const pulls: number[][] = [[], [], [], [], []];
    let notConverged = 0;
    const t0 = performance.now();
    const stars = Array.from({ length: n }, (_, s) => {
      const th = theta.subarray(s * 3, s * 3 + 3);
      return simulateStar(model, mlp, th, prng, { noPlx: s % 10 === 0, fracErr: [0.02, 0.05, 0.1][s % 3] });
    });
    const tStart = performance.now();
    for (const { star, truth } of stars) {
      const sol = solver.solve(star);
      expect(finiteOrFlagged(sol)).toBe(true);
      if (sol.qualityFlags & QUALITY_FLAG.notConverged) {
        notConverged++;
        continue;
      }
      const fit = [sol.teff, sol.feh, sol.logg, sol.E, sol.parallax];
      const tru = [1000 * truth.p[0], truth.p[1], truth.p[2], truth.e, truth.plx];
      const err = [sol.teffErr, sol.fehErr, sol.loggErr, sol.EErr, sol.parallaxErr];
      for (let k = 0; k < 5; k++) pulls[k].push((fit[k] - tru[k]) / err[k]);
    }
    const perStar = (performance.now() - tStart) / n;
    console.log(
      `default solver: ${perStar.toFixed(2)} ms/star (${(1000 / perStar).toFixed(0)} stars/s), sim ${(tStart - t0).toFixed(0)} ms`,
    );
    const sds = pulls.map(robustSd);
    console.log('pull robust σ (Teff, [Fe/H], log g, E, ϖ):', sds.map((v) => v.toFixed(3)).join(' '));
    expect(notConverged).toBeLessThanOrEqual(n * 0.01);
    for (const sd of sds) {
      expect(sd).toBeGreaterThan(0.8);
      expect(sd).toBeLessThan(1.2);
    }
  });

  it('the default solver reaches the Adam reference optimum (≤ reference + 0.01)', () => {
    const def = new InferenceSolver(model, prior);
    const ref = new InferenceSolver(model, prior, { solver: 'adam-reference' });
    const n = 30;
    const theta = sampleGmm(prior, n, 99);
    const otherMlp = new HostMlp(makeModel(prior, 17));
    const prng = new Prng(31, 5);
    let ok = 0;
    let tDef = 0;
    let tRef = 0;
    const worse: string[] = [];
    for (let s = 0; s < n; s++) {
      // Noise from 2 % to 30 % of the flux, some stars without a parallax, and every fifth
      // star's spectrum from another model (a poor fit, χ²/n ≫ 1, where Gauss–Newton is weakest).
      const { star } = simulateStar(model, s % 5 === 4 ? otherMlp : mlp, theta.subarray(s * 3, s * 3 + 3), prng, {
        fracErr: [0.02, 0.05, 0.3][s % 3],
        noPlx: s % 4 === 0,
      });
      let t = performance.now();
      const a = def.solve(star);
      tDef += performance.now() - t;
      t = performance.now();
      const b = ref.solve(star);
      tRef += performance.now() - t;
      expect(finiteOrFlagged(a)).toBe(true);
      expect(finiteOrFlagged(b)).toBe(true);
      if (a.minus2LnPosterior <= b.minus2LnPosterior + 0.01) ok++;
      else worse.push(`star ${s}: default ${a.minus2LnPosterior} reference ${b.minus2LnPosterior}`);
    }
    console.log(
      `default ${(tDef / n).toFixed(2)} ms/star, reference ${(tRef / n).toFixed(0)} ms/star; ${ok}/${n} within 0.01`,
      worse,
    );
    expect(ok).toBeGreaterThanOrEqual(Math.ceil(0.995 * n));
  });

  it('a star with no usable flux, and one with no parallax and no E prior: finite or flagged', () => {
    const solver = new InferenceSolver(model, prior);
    const prng = new Prng(2, 2);
    const { star } = simulateStar(model, mlp, [5.5, 0, 4.4], prng, { noPlx: true, noEPrior: true });
    const a = solver.solve(star);
    expect(finiteOrFlagged(a)).toBe(true);
    expect(a.qualityFlags & QUALITY_FLAG.notConverged).toBe(0);
    expect(Math.abs(a.teff - 5500)).toBeLessThan(5 * a.teffErr + 50);

    const empty: InferenceStar = {
      ...star,
      flux: new Float32Array(M).fill(NaN),
      whitening: new Float32Array(M * M),
    };
    const b = solver.solve(empty);
    expect(b.qualityFlags & QUALITY_FLAG.notConverged).toBeTruthy();
    expect(b.nFlux).toBe(0);
    expect(Number.isFinite(b.teff) && Number.isFinite(b.logg) && Number.isFinite(b.feh)).toBe(true);
    const c = solver.solve({ ...empty, parallax: 1.2, parallaxErr: 0.1, ePrior: 0.3, ePriorErr: 0.05 });
    expect(c.qualityFlags & QUALITY_FLAG.notConverged).toBeTruthy();
    expect([c.teff, c.E, c.parallax, c.EErr, c.parallaxErr, ...c.covariance].every(Number.isFinite)).toBe(true);
    // Only the NIR bands (E and ϖ degenerate without priors), all-zero fluxes, a non-finite whitening.
    const nirOnly = { ...star, flux: star.flux.slice(), whitening: star.whitening.slice() };
    for (let i = 0; i < 61; i++) {
      nirOnly.flux[i] = NaN;
      for (let j = 0; j < M; j++) nirOnly.whitening[i * M + j] = nirOnly.whitening[j * M + i] = 0;
    }
    for (const odd of [
      nirOnly,
      { ...nirOnly, parallax: 1.2, parallaxErr: 0.1, ePrior: 0.3, ePriorErr: 0.05 },
      { ...star, flux: new Float32Array(M) },
      { ...star, whitening: star.whitening.map((v, i) => (i === 5 * M + 2 ? Infinity : v)) },
    ]) {
      const o = solver.solve(odd);
      expect(finiteOrFlagged(o)).toBe(true);
    }
    // Garbage arrays: never throws.
    const d = solver.solve({ ...star, flux: new Float32Array(3), whitening: new Float32Array(5) });
    expect(d.qualityFlags & QUALITY_FLAG.notConverged).toBeTruthy();
  });

  it('flags a second solution when the data cannot tell a dwarf from a giant', () => {
    // Two equal, well separated populations in log g and uninformative fluxes (σ = 30× f):
    // the posterior is the prior, with two modes of nearly equal height.
    const bimodal = gmmFromParameters({
      dimensions: 3,
      weights: [0.5, 0.5],
      means: [5, -0.2, 4.4, 5, -0.2, 2.4],
      covariances: [0.09, 0, 0, 0, 0.04, 0, 0, 0, 0.04, 0.09, 0, 0, 0, 0.04, 0, 0, 0, 0.04],
    });
    const solver = new InferenceSolver(model, bimodal);
    const prng = new Prng(8, 8);
    const { star } = simulateStar(model, mlp, [5, -0.2, 4.4], prng, { fracErr: 30, e: 0.3, plx: 1 });
    star.parallax = 1;
    star.parallaxErr = 0.05;
    star.ePrior = 0.3;
    star.ePriorErr = 0.05;
    const s = solver.solve(star);
    expect(finiteOrFlagged(s)).toBe(true);
    expect(s.secondSolutionDelta).toBeLessThan(SECOND_SOLUTION_DELTA);
    expect(s.qualityFlags & QUALITY_FLAG.secondSolution).toBeTruthy();
  });
});
