/**
 * Which stars a recipe stage trains on (docs/method.md §5): 'hq' (ϖ/σ > 10 and every label
 * σ < 0.2, or the recipe's highQuality cut), 'all', or 'non_outliers' (all but the
 * self-cleaning outliers).
 */
import { HQ_SELECTION, N_LABELS, TEFF_INDEX, type HighQualityCut } from './config.js';
import type { PriorData } from './loss.js';

export type Selection = 'hq' | 'all' | 'non_outliers';
export const SELECTIONS: readonly Selection[] = ['hq', 'all', 'non_outliers'];

export function isHighQuality(d: PriorData, i: number, cut: HighQualityCut = HQ_SELECTION): boolean {
  if (!(d.parallax[i] / d.parallaxErr[i] > cut.minParallaxOverError)) return false;
  for (let k = 0; k < N_LABELS; k++) {
    const max =
      k === TEFF_INDEX
        ? Math.max(cut.maxLabelError, cut.teffErrorFraction * d.labels[i * N_LABELS + k])
        : cut.maxLabelError;
    if (!(d.labelErr[i * N_LABELS + k] < max)) return false;
  }
  return true;
}

/** The stars that train the model after a flagging: all but its outliers (all, before any). */
export function nonOutliers(d: PriorData & { n: number }, outliers: Uint8Array | undefined): Int32Array {
  return selectStars(d, outliers ? 'non_outliers' : 'all', outliers);
}

/**
 * The selected stars' indices, ascending. `outliers` (n flags) is needed for
 * 'non_outliers'; `highQuality` is the cut 'hq' applies.
 */
export function selectStars(
  d: PriorData & { n: number },
  selection: Selection,
  outliers?: Uint8Array,
  highQuality: HighQualityCut = HQ_SELECTION,
): Int32Array {
  if (selection === 'non_outliers' && (!outliers || outliers.length !== d.n)) {
    throw new Error(`selection 'non_outliers' needs the outlier flags of all ${d.n} stars`);
  }
  const out: number[] = [];
  for (let i = 0; i < d.n; i++) {
    if (selection === 'hq' && !isHighQuality(d, i, highQuality)) continue;
    if (selection === 'non_outliers' && outliers && outliers[i]) continue;
    out.push(i);
  }
  return Int32Array.from(out);
}
