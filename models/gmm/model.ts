/**
 * Building GmmModel values: from a fit's working state, or from raw parameters with
 * every field checked (shapes, finite values, weights summing to 1, symmetric
 * positive-definite covariances); errors name the offending field.
 */
import { GmmFormatError } from './errors.js';
import { defaultLabels } from './options.js';
import { createState, precisionCholeskyOf, refreshComponent, type MixtureState } from './state.js';
import type { GmmFitInfo, GmmModel } from './types.js';

export interface ModelMeta {
  readonly labels: readonly string[];
  readonly logLikelihood: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly lnPriorClip: number | null;
  readonly fit: GmmFitInfo | null;
}

/** A model holding copies of s's parameters. */
export function modelFromState(s: MixtureState, meta: ModelMeta): GmmModel {
  return {
    components: s.k,
    dimensions: s.d,
    labels: [...meta.labels],
    weights: s.weights.slice(),
    means: s.means.slice(),
    covariances: s.covariances.slice(),
    precisionCholesky: precisionCholeskyOf(s),
    logLikelihood: meta.logLikelihood,
    iterations: meta.iterations,
    converged: meta.converged,
    lnPriorClip: meta.lnPriorClip,
    fit: meta.fit,
  };
}

export interface GmmParameters extends Partial<ModelMeta> {
  readonly dimensions: number;
  /** K values. */
  readonly weights: ArrayLike<number>;
  /** K×D values, row-major. */
  readonly means: ArrayLike<number>;
  /** K×D×D values, row-major. */
  readonly covariances: ArrayLike<number>;
}

function checkFinite(field: string, v: ArrayLike<number>, expected: number): void {
  if (v.length !== expected) throw new GmmFormatError(field, `expected ${expected} values, got ${v.length}`);
  for (let i = 0; i < v.length; i++) {
    if (typeof v[i] !== 'number' || !Number.isFinite(v[i]))
      throw new GmmFormatError(`${field}[${i}]`, `not a finite number (${String(v[i])})`);
  }
}

function checkWeights(w: ArrayLike<number>): void {
  let sum = 0;
  for (let i = 0; i < w.length; i++) {
    if (w[i] < 0) throw new GmmFormatError(`weights[${i}]`, `negative (${w[i]})`);
    sum += w[i];
  }
  if (Math.abs(sum - 1) > 1e-6) throw new GmmFormatError('weights', `sum to ${sum}, not 1`);
}

/** Symmetric to 1e-9 relative, then positive definite (by Cholesky); fills the state's derived values. */
function checkCovariances(s: MixtureState): void {
  const { d, k } = s;
  const work = new Float64Array(d * d);
  for (let c = 0; c < k; c++) {
    const o = c * d * d;
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < a; b++) {
        const scale = Math.sqrt(Math.abs(s.covariances[o + a * d + a] * s.covariances[o + b * d + b]));
        if (Math.abs(s.covariances[o + a * d + b] - s.covariances[o + b * d + a]) > 1e-9 * scale) {
          throw new GmmFormatError(`covariances[${c}]`, `not symmetric at (${a}, ${b})`);
        }
      }
    }
    if (!refreshComponent(s, c, work)) throw new GmmFormatError(`covariances[${c}]`, 'not positive definite');
  }
}

/** A validated model from raw parameters (precisionCholesky is derived, never read). */
export function gmmFromParameters(p: GmmParameters): GmmModel {
  const d = p.dimensions;
  if (!Number.isInteger(d) || d < 1)
    throw new GmmFormatError('dimensions', `must be a positive integer, got ${String(d)}`);
  const k = p.weights.length;
  if (k < 1) throw new GmmFormatError('weights', 'no components');
  checkFinite('weights', p.weights, k);
  checkWeights(p.weights);
  checkFinite('means', p.means, k * d);
  checkFinite('covariances', p.covariances, k * d * d);
  const labels = p.labels ?? defaultLabels(d);
  if (labels.length !== d) throw new GmmFormatError('labels', `${labels.length} names for ${d} dimensions`);
  const clip = p.lnPriorClip ?? null;
  if (clip !== null && !Number.isFinite(clip)) throw new GmmFormatError('lnPriorClip', `not a finite number (${clip})`);
  const s = createState(k, d);
  s.weights.set(Array.from(p.weights));
  s.means.set(Array.from(p.means));
  s.covariances.set(Array.from(p.covariances));
  checkCovariances(s);
  return modelFromState(s, {
    labels,
    logLikelihood: p.logLikelihood ?? NaN,
    iterations: p.iterations ?? 0,
    converged: p.converged ?? false,
    lnPriorClip: clip,
    fit: p.fit ?? null,
  });
}
