/**
 * A synthetic TrainingSet from a known forward model, for tests and benchmarks:
 * Θ drawn in a box, a small random teacher MLP (3 → hidden → 66, tanh) for
 * ln f_abs, a known R(λ), independent E and ϖ, Gaussian flux noise of a fixed
 * fraction of the flux with diagonal whitening, and noisy labels, parallaxes and E
 * priors. Optional corruptions (wrong log g labels, parallaxes many σ off) make
 * known outliers for the self-cleaning test. Not science: a controlled problem.
 */
import { MODEL_WAVELENGTHS_NM, N_FLUX, N_LABELS } from './config.js';
import type { TrainingSet } from './data.js';
import { Prng } from './prng.js';

export interface ToyOptions {
  n: number;
  seed?: number;
  teacherHidden?: number;
  /** Relative flux error (σ = frac · f_true). */
  fluxErrFrac?: number;
  labelErr?: number;
  parallaxRelErr?: number;
  eErr?: number;
  /** Fraction of stars missing W1 and W2 (NaN, zero whitening rows/columns). */
  missingNirFrac?: number;
  /** Stars whose catalogue log g is shifted by ±logg shift (label outliers). */
  badLoggFrac?: number;
  badLoggShift?: number;
  /** Stars whose Gaia parallax is off by ±this many σ. */
  badParallaxFrac?: number;
  badParallaxSigma?: number;
}

export interface ToyTruth {
  theta: Float32Array;
  e: Float32Array;
  parallax: Float32Array;
  /** The true R(λ). */
  r: Float64Array;
  /** 0 good, 1 wrong log g label, 2 parallax off. */
  corrupted: Uint8Array;
  lnFluxAbs: (theta: ArrayLike<number>) => Float64Array;
}

/** The true extinction curve: a shape the initial power law must learn its way to. */
export function toyExtinctionCurve(): Float64Array {
  return Float64Array.from(MODEL_WAVELENGTHS_NM, (l) => 2.6 * (l / 550) ** -1.3 * (1 + 0.08 * Math.sin(l / 90)));
}

/** A random tanh MLP Θ → ln f_abs with a smooth base spectrum in its output bias. */
function teacher(prng: Prng, hidden: number): (theta: ArrayLike<number>) => Float64Array {
  const w1 = Float64Array.from({ length: N_LABELS * hidden }, () => prng.normal() * 0.8);
  const b1 = Float64Array.from({ length: hidden }, () => prng.normal() * 0.3);
  const w2 = Float64Array.from({ length: hidden * N_FLUX }, () => prng.normal() * 0.25);
  const base = Float64Array.from(MODEL_WAVELENGTHS_NM, (l) => 3 - 1.2 * Math.log(l / 600) ** 2);
  const zp = [5.5, -0.2, 3.5];
  const sc = [1, 0.4, 1];
  return (theta) => {
    const h = new Float64Array(hidden);
    for (let j = 0; j < hidden; j++) {
      let a = b1[j];
      for (let i = 0; i < N_LABELS; i++) a += ((theta[i] - zp[i]) / sc[i]) * w1[i * hidden + j];
      h[j] = Math.tanh(a);
    }
    const out = Float64Array.from(base);
    for (let j = 0; j < hidden; j++) for (let k = 0; k < N_FLUX; k++) out[k] += h[j] * w2[j * N_FLUX + k];
    return out;
  };
}

function allocate(n: number): TrainingSet {
  return {
    n,
    nFlux: 66,
    sourceId: BigInt64Array.from({ length: n }, (_, i) => BigInt(i + 1)),
    flux: new Float32Array(n * N_FLUX),
    whitening: new Float32Array(n * N_FLUX * N_FLUX),
    labels: new Float32Array(n * N_LABELS),
    labelErr: new Float32Array(n * N_LABELS),
    parallax: new Float32Array(n),
    parallaxErr: new Float32Array(n),
    ePrior: new Float32Array(n),
    ePriorErr: new Float32Array(n),
    fluxErr: new Float32Array(n * N_FLUX),
  };
}

export function makeToySet(o: ToyOptions): { data: TrainingSet; truth: ToyTruth } {
  const prng = new Prng(o.seed ?? 1, 7);
  const lnFluxAbs = teacher(prng, o.teacherHidden ?? 8);
  const r = toyExtinctionCurve();
  const d = allocate(o.n);
  const truth: ToyTruth = {
    theta: new Float32Array(o.n * N_LABELS),
    e: new Float32Array(o.n),
    parallax: new Float32Array(o.n),
    r,
    corrupted: new Uint8Array(o.n),
    lnFluxAbs,
  };
  for (let s = 0; s < o.n; s++) drawStar(d, truth, s, prng, o);
  return { data: d, truth };
}

function drawStar(d: TrainingSet, truth: ToyTruth, s: number, prng: Prng, o: ToyOptions): void {
  const th = [4 + 3 * prng.uniform(), -1 + 1.4 * prng.uniform(), 1.5 + 3.3 * prng.uniform()];
  const e = 0.02 + 0.8 * prng.uniform();
  const plx = 0.5 + 2.5 * prng.uniform();
  truth.theta.set(th, s * N_LABELS);
  truth.e[s] = e;
  truth.parallax[s] = plx;
  const lnf = truth.lnFluxAbs(th);
  const frac = o.fluxErrFrac ?? 0.02;
  const missingNir = prng.uniform() < (o.missingNirFrac ?? 0);
  for (let j = 0; j < N_FLUX; j++) {
    const f = Math.exp(lnf[j] - e * truth.r[j]) * plx * plx;
    const sigma = frac * f;
    const missing = missingNir && j >= N_FLUX - 2;
    d.flux[s * N_FLUX + j] = missing ? NaN : f + sigma * prng.normal();
    d.fluxErr![s * N_FLUX + j] = missing ? NaN : sigma;
    d.whitening[s * N_FLUX * N_FLUX + j * N_FLUX + j] = missing ? 0 : 1 / sigma;
  }
  const le = o.labelErr ?? 0.02;
  for (let k = 0; k < N_LABELS; k++) {
    d.labels[s * N_LABELS + k] = th[k] + le * prng.normal();
    d.labelErr[s * N_LABELS + k] = le;
  }
  const pe = (o.parallaxRelErr ?? 0.05) * plx;
  d.parallax[s] = plx + pe * prng.normal();
  d.parallaxErr[s] = pe;
  d.ePrior[s] = e + (o.eErr ?? 0.02) * prng.normal();
  d.ePriorErr[s] = o.eErr ?? 0.02;
  corrupt(d, truth, s, prng, o);
}

function corrupt(d: TrainingSet, truth: ToyTruth, s: number, prng: Prng, o: ToyOptions): void {
  const u = prng.uniform();
  const sign = prng.uniform() < 0.5 ? -1 : 1;
  if (u < (o.badLoggFrac ?? 0)) {
    d.labels[s * N_LABELS + 2] += sign * (o.badLoggShift ?? 1);
    truth.corrupted[s] = 1;
  } else if (u < (o.badLoggFrac ?? 0) + (o.badParallaxFrac ?? 0)) {
    d.parallax[s] += sign * (o.badParallaxSigma ?? 20) * d.parallaxErr[s];
    truth.corrupted[s] = 2;
  }
}

/** The first `count` stars of a set, or the rest (views where possible; copies of typed arrays). */
export function sliceSet(d: TrainingSet, start: number, end: number): TrainingSet {
  const per = (a: Float32Array, k: number) => a.slice(start * k, end * k);
  return {
    n: end - start,
    nFlux: 66,
    sourceId: d.sourceId.slice(start, end),
    flux: per(d.flux, N_FLUX),
    whitening: per(d.whitening, N_FLUX * N_FLUX),
    labels: per(d.labels, N_LABELS),
    labelErr: per(d.labelErr, N_LABELS),
    parallax: per(d.parallax, 1),
    parallaxErr: per(d.parallaxErr, 1),
    ePrior: per(d.ePrior, 1),
    ePriorErr: per(d.ePriorErr, 1),
    fluxErr: d.fluxErr ? per(d.fluxErr, N_FLUX) : undefined,
  };
}
