/**
 * Draws from a GmmModel and the prior's ln-p clip (docs/method.md §6): the 0.1st
 * percentile of ln p over points drawn from the mixture itself (≈ −7.43 in the
 * authors' release); a star whose ln_prior falls below it is flagged (bit 4).
 */
import { GmmInputError } from './errors.js';
import { choleskyInPlace } from '../linalg/cholesky.js';
import { GmmRandom } from './random.js';
import { scoreSamples } from './score.js';
import type { GmmModel } from './types.js';

/** Percentile of the clip, in per cent. */
export const PRIOR_CLIP_PERCENTILE = 0.1;
/** Samples behind the clip. */
export const PRIOR_CLIP_SAMPLES = 100_000;

/** count points (count×D row-major) drawn from the mixture with the given seed. */
export function sampleGmm(model: GmmModel, count: number, seed: number): Float64Array {
  const { components: k, dimensions: d } = model;
  if (!Number.isInteger(count) || count < 0) throw new GmmInputError(`count must be an integer ≥ 0, got ${count}`);
  const rng = new GmmRandom(seed);
  const chol = model.covariances.slice();
  for (let c = 0; c < k; c++) choleskyInPlace(chol.subarray(c * d * d, (c + 1) * d * d), d, 0);
  const cumulative = new Float64Array(k);
  let acc = 0;
  for (let c = 0; c < k; c++) cumulative[c] = acc += model.weights[c];
  const out = new Float64Array(count * d);
  const z = new Float64Array(d);
  for (let i = 0; i < count; i++) {
    const u = rng.uniform() * acc;
    let c = 0;
    while (c < k - 1 && cumulative[c] <= u) c++;
    for (let a = 0; a < d; a++) z[a] = rng.normal();
    const lo = c * d * d;
    for (let a = 0; a < d; a++) {
      let v = model.means[c * d + a];
      for (let b = 0; b <= a; b++) v += chol[lo + a * d + b] * z[b];
      out[i * d + a] = v;
    }
  }
  return out;
}

/** The q-th percentile of values (numpy's default linear interpolation); sorts a copy. */
export function percentile(values: Float64Array, q: number): number {
  if (values.length === 0) throw new GmmInputError('percentile of no values');
  const sorted = values.slice().sort();
  const pos = (q / 100) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
}

/** The 0.1st percentile of ln p over nSamples points drawn from the model. */
export function lnPriorClip(model: GmmModel, seed: number, nSamples = PRIOR_CLIP_SAMPLES): number {
  if (!Number.isInteger(nSamples) || nSamples < 1)
    throw new GmmInputError(`nSamples must be a positive integer, got ${nSamples}`);
  const x = sampleGmm(model, nSamples, seed);
  return percentile(scoreSamples(model, x, nSamples), PRIOR_CLIP_PERCENTILE);
}

/** The model with its ln-p clip computed and stored. */
export function withPriorClip(model: GmmModel, seed: number, nSamples = PRIOR_CLIP_SAMPLES): GmmModel {
  return { ...model, lnPriorClip: lnPriorClip(model, seed, nSamples) };
}
