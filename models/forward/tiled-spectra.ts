/**
 * A SpectraSource that serves n stars from a smaller pool (star i reads pool star
 * i mod pool.n), and a TrainingSet of n stars whose per-star arrays are tiled from the
 * pool: for benchmarks at sizes whose whitening (17 KB a star) will not fit in memory.
 */
import { N_LABELS } from './config.js';
import { spectraFromTrainingSet, type SpectraSource, type TrainingSet } from './data.js';

export function tiledSpectra(pool: TrainingSet, n: number): SpectraSource {
  const base = spectraFromTrainingSet(pool);
  let scratch = new Int32Array(0);
  return {
    n,
    gather(stars, count, flux, whitening) {
      if (scratch.length < count) scratch = new Int32Array(count);
      for (let k = 0; k < count; k++) scratch[k] = stars[k] % pool.n;
      base.gather(scratch, count, flux, whitening);
    },
    whiteningOf: (s) => base.whiteningOf(s % pool.n),
    fluxOf: (s) => base.fluxOf(s % pool.n),
    fluxErrOf: base.fluxErrOf ? (s) => base.fluxErrOf!(s % pool.n) : undefined,
  };
}

/** The pool's per-star arrays repeated to n stars; flux and whitening left empty. */
export function tiledPriors(pool: TrainingSet, n: number): TrainingSet {
  const tile = (a: Float32Array, k: number) => {
    const out = new Float32Array(n * k);
    for (let i = 0; i < n; i++) out.set(a.subarray((i % pool.n) * k, ((i % pool.n) + 1) * k), i * k);
    return out;
  };
  return {
    n,
    nFlux: 66,
    sourceId: BigInt64Array.from({ length: n }, (_, i) => BigInt(i + 1)),
    flux: new Float32Array(0),
    whitening: new Float32Array(0),
    labels: tile(pool.labels, N_LABELS),
    labelErr: tile(pool.labelErr, N_LABELS),
    parallax: tile(pool.parallax, 1),
    parallaxErr: tile(pool.parallaxErr, 1),
    ePrior: tile(pool.ePrior, 1),
    ePriorErr: tile(pool.ePriorErr, 1),
    ...(pool.parallaxFloor ? { parallaxFloor: tile(pool.parallaxFloor, 1) } : {}),
  };
}
