/**
 * ln p(x) under a GmmModel (scikit-learn's score_samples): per component
 * ln w + ln N(x | μ, Σ) from the precision Cholesky factor, combined by log-sum-exp.
 * The per-component constants are prepared once per model (models are immutable) and
 * the batched form allocates nothing per point.
 */
import { GmmInputError } from './errors.js';
import type { GmmModel } from './types.js';

const HALF_LN_2PI = 0.5 * Math.log(2 * Math.PI);

interface Prepared {
  /** W = Pᵀ (lower triangular) per component. */
  readonly whitening: Float64Array;
  /** ln w + ln det P − (D/2) ln 2π per component. */
  readonly logNorm: Float64Array;
  /** Scratch of K values. */
  readonly lp: Float64Array;
}

const prepared = new WeakMap<GmmModel, Prepared>();

function prepare(model: GmmModel): Prepared {
  const cached = prepared.get(model);
  if (cached) return cached;
  const { components: k, dimensions: d, precisionCholesky: p } = model;
  const whitening = new Float64Array(k * d * d);
  const logNorm = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    const o = c * d * d;
    let logDet = 0;
    for (let a = 0; a < d; a++) {
      logDet += Math.log(p[o + a * d + a]);
      for (let b = 0; b < d; b++) whitening[o + a * d + b] = p[o + b * d + a];
    }
    logNorm[c] = Math.log(model.weights[c]) + logDet - d * HALF_LN_2PI;
  }
  const made = { whitening, logNorm, lp: new Float64Array(k) };
  prepared.set(model, made);
  return made;
}

/** ln p of the point at data[xo … xo + D). */
function logPdfAt(model: GmmModel, pre: Prepared, data: ArrayLike<number>, xo: number): number {
  const { components: k, dimensions: d, means } = model;
  const { whitening: w, logNorm, lp } = pre;
  const dd = d * d;
  let max = -Infinity;
  for (let c = 0; c < k; c++) {
    const mo = c * d;
    const wo = c * dd;
    let q = 0;
    for (let a = 0; a < d; a++) {
      let y = 0;
      for (let b = 0; b <= a; b++) y += w[wo + a * d + b] * (data[xo + b] - means[mo + b]);
      q += y * y;
    }
    const v = logNorm[c] - 0.5 * q;
    lp[c] = v;
    if (v > max) max = v;
  }
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (let c = 0; c < k; c++) sum += Math.exp(lp[c] - max);
  return max + Math.log(sum);
}

/** ln p(x) for one point x of D values. */
export function logPdf(model: GmmModel, x: ArrayLike<number>): number {
  if (x.length !== model.dimensions)
    throw new GmmInputError(`x has ${x.length} values, the model ${model.dimensions} dimensions`);
  return logPdfAt(model, prepare(model), x, 0);
}

/** ln p for n points (data: n×D row-major) into out (allocated when omitted). */
export function scoreSamples(
  model: GmmModel,
  data: Float64Array,
  n: number,
  out: Float64Array = new Float64Array(n),
): Float64Array {
  const d = model.dimensions;
  if (data.length < n * d) throw new GmmInputError(`data holds ${data.length} values, fewer than n×D = ${n}×${d}`);
  if (out.length < n) throw new GmmInputError(`out holds ${out.length} values, fewer than n = ${n}`);
  const pre = prepare(model);
  for (let i = 0; i < n; i++) out[i] = logPdfAt(model, pre, data, i * d);
  return out;
}

/** Mean ln p over n points (scikit-learn's score). */
export function meanLogLikelihood(model: GmmModel, data: Float64Array, n: number): number {
  const lp = scoreSamples(model, data, n);
  let s = 0;
  for (let i = 0; i < n; i++) s += lp[i];
  return s / n;
}
