import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStats, resetStats } from '../models/gmm/suff-stats.js';
import { mStep } from '../models/gmm/em-step.js';
import {
  fitGmm,
  fitGmmAsync,
  fromJson,
  gmmFromParameters,
  GmmInputError,
  lnPriorClip,
  logPdf,
  meanLogLikelihood,
  percentile,
  sampleGmm,
  scoreSamples,
  toJson,
  withPriorClip,
  type GmmModel,
} from '../models/gmm/index.js';
import { createState } from '../models/gmm/state.js';
import { FIXTURES } from './helpers/paths.js';

const DIR = join(FIXTURES, 'gmm');

/** A CSV of D numeric columns with a header row → n×D row-major values. */
function readCsv(name: string): { data: Float64Array; n: number } {
  const lines = readFileSync(join(DIR, name), 'utf8').trim().split('\n').slice(1);
  const d = lines[0].split(',').length;
  const data = new Float64Array(lines.length * d);
  lines.forEach((l, i) => l.split(',').forEach((v, j) => (data[i * d + j] = Number(v))));
  return { data, n: lines.length };
}

interface SklearnFixture {
  sklearn_version: string;
  train_score: number;
  heldout_score: number;
  weights: number[];
  means: number[][];
  covariances: number[][][];
  heldout_score_samples_head: number[];
}

const sk = JSON.parse(readFileSync(join(DIR, 'sklearn.json'), 'utf8')) as SklearnFixture;
const train = readCsv('train.csv');
const heldout = readCsv('heldout.csv');

/** The known 3-component mixture of the recovery test. */
const TRUTH = gmmFromParameters({
  dimensions: 3,
  weights: [0.5, 0.3, 0.2],
  means: [5.5, -0.1, 4.3, 4.7, -0.2, 2.4, 4.2, -0.5, 1.6],
  covariances: [
    [0.36, 0.02, -0.12, 0.02, 0.06, 0.01, -0.12, 0.01, 0.09],
    [0.01, -0.003, 0, -0.003, 0.04, 0, 0, 0, 0.0064],
    [0.04, -0.02, 0.05, -0.02, 0.1, -0.01, 0.05, -0.01, 0.25],
  ].flat(),
});

/** For each true component, the fitted component with the nearest mean. */
function matchComponents(fit: GmmModel, truth: GmmModel): number[] {
  return Array.from({ length: truth.components }, (_, t) => {
    let best = 0;
    let bestD = Infinity;
    for (let c = 0; c < fit.components; c++) {
      let s = 0;
      for (let a = 0; a < 3; a++) s += (fit.means[c * 3 + a] - truth.means[t * 3 + a]) ** 2;
      if (s < bestD) [best, bestD] = [c, s];
    }
    return best;
  });
}

describe('GMM prior: fitting', () => {
  it('recovers the parameters of a known 3-component mixture', () => {
    const n = 30_000;
    const x = sampleGmm(TRUTH, n, 11);
    const fit = fitGmm(x, n, { components: 3, nInit: 2, seed: 3 });
    expect(fit.converged).toBe(true);
    const match = matchComponents(fit, TRUTH);
    expect(new Set(match).size).toBe(3);
    match.forEach((c, t) => {
      expect(Math.abs(fit.weights[c] - TRUTH.weights[t])).toBeLessThan(0.01);
      for (let a = 0; a < 3; a++) expect(Math.abs(fit.means[c * 3 + a] - TRUTH.means[t * 3 + a])).toBeLessThan(0.02);
      let err = 0;
      let norm = 0;
      for (let i = 0; i < 9; i++) {
        err += (fit.covariances[c * 9 + i] - TRUTH.covariances[t * 9 + i]) ** 2;
        norm += TRUTH.covariances[t * 9 + i] ** 2;
      }
      expect(Math.sqrt(err / norm)).toBeLessThan(0.05);
    });
    // The fitted mixture explains the data at least as well as the truth (it maximises the likelihood).
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(meanLogLikelihood(TRUTH, x, n) - 1e-9);
  });

  it("matches scikit-learn's held-out log-likelihood within 1 % (K = 16, n_init = 5)", () => {
    const fit = fitGmm(train.data, train.n, { components: 16, nInit: 5, seed: 0 });
    const ours = meanLogLikelihood(fit, heldout.data, heldout.n);
    const relative = Math.abs(ours - sk.heldout_score) / Math.abs(sk.heldout_score);
    console.info(
      `GMM vs scikit-learn ${sk.sklearn_version}: held-out ${ours.toFixed(5)} vs ${sk.heldout_score.toFixed(5)} ` +
        `(|Δ| ${Math.abs(ours - sk.heldout_score).toFixed(5)} nat/point, ${(100 * relative).toFixed(3)} %); ` +
        `train ${fit.logLikelihood.toFixed(5)} vs ${sk.train_score.toFixed(5)}; ${fit.iterations} iterations`,
    );
    expect(relative).toBeLessThan(0.01);
    expect(Math.abs(fit.logLikelihood - sk.train_score) / Math.abs(sk.train_score)).toBeLessThan(0.01);
    expect(fit.converged).toBe(true);
  });

  it("scores scikit-learn's own parameters exactly as score_samples does", () => {
    const model = gmmFromParameters({
      dimensions: 3,
      weights: sk.weights,
      means: sk.means.flat(),
      covariances: sk.covariances.flat(2),
    });
    const head = scoreSamples(model, heldout.data, sk.heldout_score_samples_head.length);
    head.forEach((v, i) => expect(v).toBeCloseTo(sk.heldout_score_samples_head[i], 10));
    expect(meanLogLikelihood(model, heldout.data, heldout.n)).toBeCloseTo(sk.heldout_score, 10);
    expect(logPdf(model, heldout.data.subarray(0, 3))).toBe(head[0]);
  });

  it('is deterministic in its seed', () => {
    const opts = { components: 16, seed: 42 };
    const a = fitGmm(train.data, train.n, opts);
    const b = fitGmm(train.data, train.n, opts);
    expect(b).toEqual(a);
    expect(JSON.stringify(toJson(b))).toBe(JSON.stringify(toJson(a)));
  });

  it('fits other dimensions with the generic kernels (D = 2)', () => {
    const truth = gmmFromParameters({
      dimensions: 2,
      weights: [0.7, 0.3],
      means: [0, 0, 3, 1],
      covariances: [1, 0.3, 0.3, 0.5, 0.2, 0, 0, 0.1],
    });
    const x = sampleGmm(truth, 20_000, 2);
    const fit = fitGmm(x, 20_000, { components: 2, dimensions: 2 });
    expect(fit.labels).toEqual(['x0', 'x1']);
    const heavy = fit.weights[0] > fit.weights[1] ? 0 : 1;
    expect(Math.abs(fit.weights[heavy] - 0.7)).toBeLessThan(0.015); // sampling noise ≈ 0.003
    expect(fit.means[2 * (1 - heavy)]).toBeCloseTo(3, 1);
    expect(fit.covariances[4 * heavy + 1]).toBeCloseTo(0.3, 1);
  });

  it('rejects bad input, naming it', () => {
    const x = sampleGmm(TRUTH, 100, 1);
    x[3 * 7 + 2] = NaN;
    expect(() => fitGmm(x, 100, { components: 3 })).toThrow(/data\[7\]\[2\]/);
    expect(() => fitGmm(x, 2, { components: 3 })).toThrow(/cannot seed 3 components/);
    expect(() => fitGmm(x, 100, { regCovar: -1 })).toThrow(/regCovar/);
    expect(() => fitGmm(x, 100, { seed: 1.5 })).toThrow(GmmInputError);
    expect(new GmmInputError('x').nonRetryable).toBe(true);
  });
});

describe('GMM prior: empty components', () => {
  /** Two distinct labels, 150 copies each (quantised catalogue values): k-means++ must repeat a centre. */
  const n = 300;
  const x = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) x.set(i < 150 ? [5, 0, 4.4] : [4.8, -0.1, 2.5], 3 * i);

  it("'floor' keeps scikit-learn's behaviour: the empty component stays, with weight ≈ 0", () => {
    const m = fitGmm(x, n, { components: 3, emptyComponents: 'floor' });
    expect(Math.min(...m.weights)).toBeLessThan(1e-15);
    expect(m.fit?.splits).toBe(0);
  });

  it("'split' (default) re-creates it from half of the heaviest component", () => {
    const m = fitGmm(x, n, { components: 3 });
    expect(m.fit?.splits).toBe(1);
    expect(Array.from(m.weights).sort((a, b) => a - b)).toEqual([0.25, 0.25, 0.5].map((w) => expect.closeTo(w, 6)));
    expect(m.converged).toBe(true);
  });

  it('the M-step splits an empty component along the principal axis, keeping the total weight', () => {
    const st = createStats(2, 2);
    const s = createState(2, 2);
    resetStats(st, new Float64Array([1, 2, 0, 0]));
    st.count.set([100, 0]);
    st.second.set([400, 0, 0, 25, 0, 0, 0, 0]); // component 0: Σ = diag(4, 0.25) about (1, 2)
    expect(mStep(st, s, { regCovar: 0, minCount: 3, policy: 'split', splitsLeft: 1 })).toBe(1);
    const shift = Math.sqrt((2 / Math.PI) * 4);
    expect(Array.from(s.weights)).toEqual([0.5, 0.5]);
    expect(s.means[0] - 1).toBeCloseTo(shift, 9);
    expect(s.means[2] - 1).toBeCloseTo(-shift, 9);
    expect(s.covariances[0]).toBeCloseTo(4 * (1 - 2 / Math.PI), 9);
    expect(s.covariances[4 + 3]).toBeCloseTo(0.25, 12);
  });
});

describe('GMM prior: async fit', () => {
  it('gives the same model as fitGmm, reports every iteration and lets the event loop run', async () => {
    const iterations: [number, number][] = [];
    let turns = 0;
    let yields = 0;
    const timer = setInterval(() => turns++, 0);
    const model = await fitGmmAsync(train.data, train.n, {
      seed: 7,
      yieldEveryMs: 1,
      onIteration: (it, ll) => void iterations.push([it, ll]),
      onYield: () => yields++,
    });
    clearInterval(timer);
    expect(model).toEqual(fitGmm(train.data, train.n, { seed: 7 }));
    expect(iterations.map(([it]) => it)).toEqual(Array.from({ length: model.iterations }, (_, i) => i + 1));
    for (let i = 1; i < iterations.length; i++)
      expect(iterations[i][1]).toBeGreaterThanOrEqual(iterations[i - 1][1] - 1e-9); // EM never lowers it
    expect(turns).toBeGreaterThan(3);
    expect(yields).toBeGreaterThan(3);
  });

  it('stops at the next yield when aborted', async () => {
    const controller = new AbortController();
    const fit = fitGmmAsync(train.data, train.n, {
      yieldEveryMs: 0,
      signal: controller.signal,
      onIteration: () => controller.abort(),
    });
    await expect(fit).rejects.toThrow(/abort/i);
  });
});

describe('GMM prior: ln-p clip and JSON', () => {
  const model = fitGmm(train.data, train.n, { seed: 1 });

  it('matches the χ² quantile for a single Gaussian', () => {
    const g = gmmFromParameters({
      dimensions: 3,
      weights: [1],
      means: [5, 0, 4],
      covariances: [0.25, 0, 0, 0, 0.09, 0.01, 0, 0.01, 0.04],
    });
    const det = 0.25 * (0.09 * 0.04 - 0.01 * 0.01);
    const chi2q999 = 16.266236196238129; // χ²₃ 99.9 % quantile
    expect(lnPriorClip(g, 3)).toBeCloseTo(-1.5 * Math.log(2 * Math.PI) - 0.5 * Math.log(det) - 0.5 * chi2q999, 0);
  });

  it('is a low, reproducible percentile of ln p', () => {
    const clip = lnPriorClip(model, 0);
    expect(lnPriorClip(model, 0)).toBe(clip);
    const lp = scoreSamples(model, heldout.data, heldout.n);
    expect(clip).toBeLessThan(percentile(lp, 5));
    const below = lp.filter((v) => v < clip).length / heldout.n;
    expect(below).toBeLessThan(0.01); // ≈ 0.1 % if the mixture fits the held-out stars
    expect(percentile(new Float64Array([3, 1, 2, 4]), 50)).toBe(2.5);
  });

  it('round-trips through JSON text exactly', () => {
    const clipped = withPriorClip(model, 0, 20_000);
    const back = fromJson(JSON.stringify(toJson(clipped)));
    expect(back).toEqual(clipped);
    expect(back.lnPriorClip).toBe(clipped.lnPriorClip);
    expect(logPdf(back, [5, -0.2, 4.4])).toBe(logPdf(clipped, [5, -0.2, 4.4]));
  });

  it('validates on load and names the field', () => {
    const good = toJson(model);
    const load = (patch: Record<string, unknown>) => () => fromJson({ ...good, ...patch });
    expect(load({ version: 2 })).toThrow(/version 2 is not supported/);
    expect(load({ format: 'other' })).toThrow(/GMM format/);
    expect(load({ means: good.means.map((m, i) => (i === 2 ? m.slice(0, 2) : m)) })).toThrow(
      /means\[2\]: expected an array of 3/,
    );
    const cov = good.covariances.map((c) => c.map((r) => [...r]));
    cov[1][1][1] = -cov[1][1][1];
    expect(load({ covariances: cov })).toThrow(/covariances\[1\]: not positive definite/);
    cov[1][1][1] = -cov[1][1][1];
    cov[4][0][2] += 0.5;
    expect(load({ covariances: cov })).toThrow(/covariances\[4\]: not symmetric/);
    expect(load({ weights: good.weights.map((w) => 2 * w) })).toThrow(/weights: sum to 2/);
    expect(load({ iterations: undefined })).toThrow(/GMM iterations: expected an integer/);
    expect(load({ fit: { ...good.fit, regCovar: 'x' } })).toThrow(/fit\.regCovar/);
    expect(load({ labels: ['a', 'b'] })).toThrow(/labels/);
  });
});
