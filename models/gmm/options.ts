/**
 * Fills in and checks the GMM fit options (defaults mirror scikit-learn's
 * GaussianMixture: reg_covar 1e-6, tol 1e-3, max_iter 500, n_init 1) and checks the
 * data they will be applied to.
 */
import { GmmInputError } from './errors.js';
import { checkSeed } from './random.js';
import { STELLAR_LABELS, type GmmFitOptions, type ResolvedFitOptions } from './types.js';

export const GMM_DEFAULTS = {
  components: 16,
  dimensions: 3,
  regCovar: 1e-6,
  tol: 1e-3,
  maxIter: 500,
  nInit: 1,
  seed: 0,
  kmeansIterations: 20,
} as const;

function positiveInteger(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new GmmInputError(`${name} must be a positive integer, got ${v}`);
  return v;
}

/** Default names of D dimensions. */
export function defaultLabels(d: number): readonly string[] {
  return d === STELLAR_LABELS.length ? STELLAR_LABELS : Array.from({ length: d }, (_, i) => `x${i}`);
}

export function resolveOptions(o: GmmFitOptions): ResolvedFitOptions {
  const components = positiveInteger('components', o.components ?? GMM_DEFAULTS.components);
  const dimensions = positiveInteger('dimensions', o.dimensions ?? GMM_DEFAULTS.dimensions);
  const labels = o.labels ?? defaultLabels(dimensions);
  if (labels.length !== dimensions)
    throw new GmmInputError(`labels has ${labels.length} names for ${dimensions} dimensions`);
  const regCovar = o.regCovar ?? GMM_DEFAULTS.regCovar;
  if (!(regCovar >= 0 && Number.isFinite(regCovar)))
    throw new GmmInputError(`regCovar must be finite and ≥ 0, got ${regCovar}`);
  const tol = o.tol ?? GMM_DEFAULTS.tol;
  if (!(tol >= 0)) throw new GmmInputError(`tol must be ≥ 0, got ${tol}`);
  const seed = o.seed ?? GMM_DEFAULTS.seed;
  checkSeed(seed);
  const kmeansIterations = o.kmeansIterations ?? GMM_DEFAULTS.kmeansIterations;
  if (!Number.isInteger(kmeansIterations) || kmeansIterations < 0)
    throw new GmmInputError(`kmeansIterations must be an integer ≥ 0, got ${kmeansIterations}`);
  const minComponentCount = o.minComponentCount ?? dimensions + 1;
  if (!(minComponentCount >= 0)) throw new GmmInputError(`minComponentCount must be ≥ 0, got ${minComponentCount}`);
  const maxSplits = o.maxSplits ?? components;
  if (!Number.isInteger(maxSplits) || maxSplits < 0)
    throw new GmmInputError(`maxSplits must be an integer ≥ 0, got ${maxSplits}`);
  const emptyComponents = o.emptyComponents ?? 'split';
  if (emptyComponents !== 'split' && emptyComponents !== 'floor')
    throw new GmmInputError(`emptyComponents must be 'split' or 'floor', got ${String(emptyComponents)}`);
  return {
    components,
    dimensions,
    labels: [...labels],
    regCovar,
    tol,
    maxIter: positiveInteger('maxIter', o.maxIter ?? GMM_DEFAULTS.maxIter),
    nInit: positiveInteger('nInit', o.nInit ?? GMM_DEFAULTS.nInit),
    seed,
    kmeansIterations,
    emptyComponents,
    minComponentCount,
    maxSplits,
  };
}

/** Throws unless data holds n finite rows of d values and n ≥ k (the first bad value is named). */
export function checkData(data: Float64Array, n: number, d: number, k: number): void {
  if (!Number.isInteger(n) || n < 1) throw new GmmInputError(`n must be a positive integer, got ${n}`);
  if (data.length < n * d) throw new GmmInputError(`data holds ${data.length} values, fewer than n×D = ${n}×${d}`);
  if (n < k) throw new GmmInputError(`n = ${n} points cannot seed ${k} components`);
  for (let i = 0; i < n * d; i++) {
    if (!Number.isFinite(data[i]))
      throw new GmmInputError(`data[${Math.floor(i / d)}][${i % d}] is not finite (${data[i]})`);
  }
}
