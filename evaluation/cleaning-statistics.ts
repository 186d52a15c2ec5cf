/**
 * The two numbers the self-cleaning criterion compares with its thresholds, for every
 * training star at a run's final model and star fits: (Δlog g/σ)² + (Δϖ/σ)² and
 * max_λ |Δf/σ|. With them the criterion can be re-thresholded without refitting
 * (the precision–recall trade-off `xpflow evaluate` prints). The same model and fits
 * gave the run's last flagging, so at the run's own thresholds these reproduce its
 * flags; evaluate checks that.
 */
import { initBackend } from '../models/forward/backend.js';
import { spectraFromTrainingSet, type TrainingSet } from '../models/forward/data.js';
import { fitDiagnostics } from '../models/forward/diagnostics.js';
import { criterionReasons, paramDeviation2, type CleanThresholds } from '../models/forward/self-clean.js';
import type { ForwardModel } from '../models/forward/model.js';
import type { StarParams } from '../models/forward/stars.js';

export interface CleaningStatistics {
  /** (Δlog g/σ)² + (Δϖ/σ)², per star of the training set. */
  paramDeviation2: Float64Array;
  /** max_λ |Δf/σ| over the star's present fluxes. */
  maxFluxResidual: Float32Array;
}

/** The statistics of the training set `data` under `model`, with its stars fitted as `stars`. */
export async function cleaningStatistics(data: TrainingSet, model: ForwardModel, stars: StarParams): Promise<CleaningStatistics> {
  await initBackend();
  const all = Int32Array.from({ length: data.n }, (_, i) => i);
  const { maxAbsResidual } = fitDiagnostics(model, spectraFromTrainingSet(data), stars, all);
  return { paramDeviation2: Float64Array.from(all, (i) => paramDeviation2(data, stars, i)), maxFluxResidual: maxAbsResidual };
}

/** The criterion at other thresholds: 1 where either statistic exceeds its threshold. */
export function flagsAt(s: CleaningStatistics, t: CleanThresholds): Uint8Array {
  return Uint8Array.from(s.paramDeviation2, (p2, i) => (criterionReasons(p2, s.maxFluxResidual[i], t) ? 1 : 0));
}
