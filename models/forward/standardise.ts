/**
 * Input standardisation of the MLP (docs/method.md §4; code FluxModel input_zp/input_scale):
 * x = (Θ − median) / (½ (p84 − p16)), per label, computed once from the training
 * labels and stored with the model.
 */
import { N_LABELS } from './config.js';
import { TrainingSetError } from './data.js';

export interface Standardisation {
  median: number[];
  scale: number[];
}

/** numpy-style percentile (linear interpolation) of sorted finite values. */
function percentile(sorted: Float64Array, q: number): number {
  const pos = (q / 100) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
}

/** Median and ½(p84 − p16) of each label column (NaNs ignored; scale 0 → 1). */
export function computeStandardisation(labels: Float32Array, nLabels = N_LABELS): Standardisation {
  const n = labels.length / nLabels;
  const median: number[] = [];
  const scale: number[] = [];
  for (let k = 0; k < nLabels; k++) {
    const col: number[] = [];
    for (let i = 0; i < n; i++) {
      const v = labels[i * nLabels + k];
      if (Number.isFinite(v)) col.push(v);
    }
    if (col.length === 0) throw new TrainingSetError(`standardisation: label column ${k} has no finite value`);
    const sorted = Float64Array.from(col).sort();
    const s = 0.5 * (percentile(sorted, 84) - percentile(sorted, 16));
    median.push(percentile(sorted, 50));
    scale.push(s > 0 ? s : 1);
  }
  return { median, scale };
}
