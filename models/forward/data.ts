/**
 * The training data the pipeline hands to the forward model, its validation, and the
 * per-batch access to the large arrays (fluxes and 66×66 whitening factors). At
 * 17 KB of whitening per star a million stars do not fit one Float32Array (nor
 * memory), so the trainer reads spectra through a SpectraSource; the default one
 * reads a TrainingSet, others may page from disk or tile a pool (the benchmark).
 */
import { XpflowInputError } from '../../core/errors.js';
import { N_FLUX, N_LABELS } from './config.js';

export interface TrainingSet {
  n: number;
  nFlux: 66;
  sourceId: BigInt64Array;
  /** n×66, model units (1e-18 W m⁻² nm⁻¹); NaN where missing. */
  flux: Float32Array;
  /**
   * n×66×66 row-major, lower-triangular W with WᵀW = Σ⁻¹; rows and columns are 0
   * where the flux is missing, so χ² = |W (f_pred − f_obs)|² with missing f_obs → 0.
   */
  whitening: Float32Array;
  /** n×3: Teff/1000 K, [Fe/H], log g, and their errors. */
  labels: Float32Array;
  labelErr: Float32Array;
  /** mas, Gaia, zero-point corrected. */
  parallax: Float32Array;
  parallaxErr: Float32Array;
  /**
   * Optional: the lowest corrected parallax that passed the sample's parallax cut
   * (ϖ_raw/σ > c, so c·σ − zero point), per star. Stars near such a cut are there
   * more often when their noise was upward: on the default sky the training stars'
   * Gaia ϖ lie 60 % above the truth at true ϖ/σ < 3 and 20 % at 3–4. Where given, the
   * parallax likelihood is truncated there (loss.ts).
   */
  parallaxFloor?: Float32Array;
  /** Reddening prior E ± σ (NaN → 0 ± ∞). */
  ePrior: Float32Array;
  ePriorErr: Float32Array;
  /** Optional n×66 flux σ (self-cleaning); derived from the whitening when absent. */
  fluxErr?: Float32Array;
}

/** Per-batch access to fluxes and whitening factors. */
export interface SpectraSource {
  readonly n: number;
  /**
   * Writes the stars' fluxes (NaN → 0; count×66) and whitening (count×66×66) into the
   * outputs, or, with whitening omitted, only the fluxes.
   */
  gather(stars: Int32Array, count: number, flux: Float32Array, whitening?: Float32Array): void;
  /** A read-only view of one star's 66×66 whitening factor (host χ² kernel). */
  whiteningOf(star: number): Float32Array;
  /** One star's fluxes as stored (NaN where missing). */
  fluxOf(star: number): Float32Array;
  /** One star's flux σ, or undefined when only the whitening is known. */
  fluxErrOf?(star: number): Float32Array;
}

/** A training set whose arrays disagree in size or hold labels a fit cannot use. */
export class TrainingSetError extends XpflowInputError {}

const SQ = N_FLUX * N_FLUX;

/** Checks sizes and the lower-triangular whitening (on up to `sample` stars). */
export function validateTrainingSet(d: TrainingSet, opts: { spectra?: boolean; sample?: number } = {}): void {
  const need = (field: string, arr: ArrayLike<number> | BigInt64Array, per: number) => {
    if (arr.length !== d.n * per) {
      throw new TrainingSetError(`TrainingSet.${field}: length ${arr.length}, expected n×${per} = ${d.n * per}`);
    }
  };
  if (!Number.isInteger(d.n) || d.n < 0) throw new TrainingSetError(`TrainingSet.n: ${d.n} is not a count`);
  if (d.nFlux !== N_FLUX) throw new TrainingSetError(`TrainingSet.nFlux: ${d.nFlux}, expected ${N_FLUX}`);
  need('sourceId', d.sourceId, 1);
  need('labels', d.labels, N_LABELS);
  need('labelErr', d.labelErr, N_LABELS);
  for (const f of ['parallax', 'parallaxErr', 'ePrior', 'ePriorErr'] as const) need(f, d[f], 1);
  for (let i = 0; i < d.n * N_LABELS; i++) {
    if (!Number.isFinite(d.labels[i]) || !(d.labelErr[i] > 0)) {
      const s = Math.floor(i / N_LABELS);
      throw new TrainingSetError(
        `TrainingSet.labels: star ${s} (source_id ${d.sourceId[s]}) has label ${i % N_LABELS} = ${d.labels[i]} ± ${d.labelErr[i]}; labels must be finite with errors > 0`,
      );
    }
  }
  if (opts.spectra === false) return;
  need('flux', d.flux, N_FLUX);
  need('whitening', d.whitening, SQ);
  if (d.fluxErr) need('fluxErr', d.fluxErr, N_FLUX);
  checkLowerTriangular(d, opts.sample ?? 1000);
}

function checkLowerTriangular(d: TrainingSet, sample: number): void {
  const step = Math.max(1, Math.floor(d.n / Math.max(1, sample)));
  for (let s = 0; s < d.n; s += step) {
    const base = s * SQ;
    for (let i = 0; i < N_FLUX; i++) {
      for (let j = i + 1; j < N_FLUX; j++) {
        if (d.whitening[base + i * N_FLUX + j] !== 0) {
          throw new TrainingSetError(
            `TrainingSet.whitening: star ${s} (source_id ${d.sourceId[s]}) has W[${i}][${j}] ≠ 0 above the diagonal; a lower-triangular factor is required`,
          );
        }
      }
    }
  }
}

/** The default SpectraSource: reads the TrainingSet's own arrays. */
export function spectraFromTrainingSet(d: TrainingSet): SpectraSource {
  return {
    n: d.n,
    gather(stars, count, flux, whitening) {
      for (let k = 0; k < count; k++) {
        const s = stars[k];
        const src = s * N_FLUX;
        const dst = k * N_FLUX;
        for (let j = 0; j < N_FLUX; j++) {
          const v = d.flux[src + j];
          flux[dst + j] = Number.isNaN(v) ? 0 : v;
        }
        if (whitening) whitening.set(d.whitening.subarray(s * SQ, (s + 1) * SQ), k * SQ);
      }
    },
    whiteningOf: (s) => d.whitening.subarray(s * SQ, (s + 1) * SQ),
    fluxOf: (s) => d.flux.subarray(s * N_FLUX, (s + 1) * N_FLUX),
    fluxErrOf: d.fluxErr ? (s) => (d.fluxErr as Float32Array).subarray(s * N_FLUX, (s + 1) * N_FLUX) : undefined,
  };
}
