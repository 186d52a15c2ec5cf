/**
 * Self-cleaning (docs/method.md §5): a star is an outlier when (Δlog g/σ)² + (Δϖ/σ)² >
 * paramSigma² (Δ = fitted − catalogue) or when any present flux has |f_pred − f_obs| >
 * fluxSigma·σ. Outliers leave model training ('non_outliers' selection); they are
 * flagged, never deleted. Each iteration's counts go to the audit; the loop stops when
 * the outlier set changes by less than minChangedFraction of its previous size, or after
 * maxIterations retraining rounds, and always with a flagging (cleaningDone).
 */
import { LOGG_INDEX, N_LABELS } from './config.js';
import type { SpectraSource, TrainingSet } from './data.js';
import { fitDiagnostics, type FitDiagnostics } from './diagnostics.js';
import type { PriorData } from './loss.js';
import type { ForwardModel } from './model.js';
import type { StarParams } from './stars.js';

export interface CleanThresholds {
  paramSigma: number;
  fluxSigma: number;
}

export interface CleanCounts {
  iteration: number;
  /** Stars evaluated. */
  nTrain: number;
  nOutliers: number;
  /** By criterion (a star may meet both). */
  nParamOutliers: number;
  nFluxOutliers: number;
  /** Flagged now but not before, and flagged before but not now. */
  nNew: number;
  nReturned: number;
  /** (nNew + nReturned) / max(1, previous nOutliers); 1 on the first iteration. */
  changedFraction: number;
  paramSigma: number;
  fluxSigma: number;
}

export interface CleanResult {
  /** 1 = outlier, per star of the set. */
  outliers: Uint8Array;
  /** Why: bit 0 (1) the parameter criterion, bit 1 (2) the flux criterion. */
  reasons: Uint8Array;
  counts: CleanCounts;
  /** The fit diagnostics the flags came from, per star of the set. */
  diagnostics: FitDiagnostics;
  /** The criterion's two statistics, per star of the set. */
  statistics: CriterionStatistics;
}

/** (Δlog g/σ)² + (Δϖ/σ)² of one star; a non-finite σ or catalogue value drops its term. */
export function paramDeviation2(d: PriorData, stars: StarParams, i: number): number {
  const term = (fit: number, obs: number, sigma: number) => {
    if (!Number.isFinite(obs) || !Number.isFinite(sigma) || !(sigma > 0)) return 0;
    const z = (fit - obs) / sigma;
    return z * z;
  };
  const g = i * N_LABELS + LOGG_INDEX;
  return (
    term(stars.theta[g], d.labels[g], d.labelErr[g]) + term(Math.exp(stars.lnPlx[i]), d.parallax[i], d.parallaxErr[i])
  );
}

/** The criterion for one star: bit 0 (1) when paramDeviation2 > paramSigma², bit 1 (2) when max |Δf/σ| > fluxSigma. */
export function criterionReasons(deviation2: number, maxAbsResidual: number, t: CleanThresholds): number {
  return (deviation2 > t.paramSigma * t.paramSigma ? 1 : 0) | (maxAbsResidual > t.fluxSigma ? 2 : 0);
}

/**
 * The two numbers the criterion compares with its thresholds, per star: with them it can
 * be re-thresholded without refitting (xpflow evaluate's precision–recall trade-off).
 */
export interface CriterionStatistics {
  /** (Δlog g/σ)² + (Δϖ/σ)². */
  paramDeviation2: Float64Array;
  /** max |Δf/σ| over the star's present fluxes. */
  maxFluxResidual: Float32Array;
}

/** Both statistics for every star of the set at this model and these fits, with the fit diagnostics they come from. */
export function criterionStatistics(
  data: TrainingSet,
  spectra: SpectraSource,
  model: ForwardModel,
  stars: StarParams,
): CriterionStatistics & { diagnostics: FitDiagnostics } {
  const all = Int32Array.from({ length: data.n }, (_, i) => i);
  const diagnostics = fitDiagnostics(model, spectra, stars, all);
  return {
    paramDeviation2: Float64Array.from(all, (i) => paramDeviation2(data, stars, i)),
    maxFluxResidual: diagnostics.maxAbsResidual,
    diagnostics,
  };
}

/** The criterion's reasons (criterionReasons' bits) for every star at thresholds `t`. */
export function reasonsAt(s: CriterionStatistics, t: CleanThresholds): Uint8Array {
  return Uint8Array.from(s.paramDeviation2, (p2, i) => criterionReasons(p2, s.maxFluxResidual[i], t));
}

/** 1 where either statistic exceeds its threshold. */
export function flagsAt(s: CriterionStatistics, t: CleanThresholds): Uint8Array {
  return Uint8Array.from(reasonsAt(s, t), (r) => (r ? 1 : 0));
}

/** Flags outliers among all stars; `previous` (the last iteration's flags) sets nNew/nReturned. */
export function flagOutliers(
  data: TrainingSet,
  spectra: SpectraSource,
  model: ForwardModel,
  stars: StarParams,
  t: CleanThresholds,
  previous?: Uint8Array,
  iteration = 1,
): CleanResult {
  const { diagnostics, ...statistics } = criterionStatistics(data, spectra, model, stars);
  const reasons = reasonsAt(statistics, t);
  const outliers = Uint8Array.from(reasons, (r) => (r ? 1 : 0));
  let nParam = 0;
  let nFlux = 0;
  for (const r of reasons) {
    nParam += r & 1;
    nFlux += r >> 1;
  }
  return {
    outliers,
    reasons,
    counts: compareFlags(outliers, previous, { iteration, nParam, nFlux, t }),
    diagnostics,
    statistics,
  };
}

function compareFlags(
  now: Uint8Array,
  before: Uint8Array | undefined,
  c: { iteration: number; nParam: number; nFlux: number; t: CleanThresholds },
): CleanCounts {
  let nOutliers = 0;
  let nNew = 0;
  let nReturned = 0;
  let nBefore = 0;
  for (let i = 0; i < now.length; i++) {
    nOutliers += now[i];
    if (!before) continue;
    nBefore += before[i] ? 1 : 0;
    if (now[i] && !before[i]) nNew++;
    if (!now[i] && before[i]) nReturned++;
  }
  return {
    iteration: c.iteration,
    nTrain: now.length,
    nOutliers,
    nParamOutliers: c.nParam,
    nFluxOutliers: c.nFlux,
    nNew: before ? nNew : nOutliers,
    nReturned,
    changedFraction: before ? (nNew + nReturned) / Math.max(1, nBefore) : 1,
    paramSigma: c.t.paramSigma,
    fluxSigma: c.t.fluxSigma,
  };
}

/**
 * True when this flagging is the last: the set has settled, or maxIterations retraining
 * rounds have been run. The loop flags once more after its last retraining, so the
 * flags a run reports are those of its final model and star fits: anyone can recompute
 * them from the published model and stars.
 */
export function cleaningDone(
  counts: CleanCounts,
  settings: { maxIterations: number; minChangedFraction: number },
): boolean {
  return counts.changedFraction < settings.minChangedFraction || counts.iteration > settings.maxIterations;
}
