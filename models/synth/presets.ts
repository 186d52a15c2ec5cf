/**
 * Named synthetic skies. DEFAULT_SKY is what `npm start` runs on: big enough for the
 * pipeline's stages to mean something (40,000 XP stars, half of them with LAMOST
 * labels, far above LAMOST's real ~1 %, so training has tens of thousands of
 * labelled stars) and quick to generate (a few seconds). Larger skies are generated
 * on demand, never committed.
 */
import type { SkyOptionsInput } from './options.js';

export type SkyPreset = Omit<SkyOptionsInput, 'out'>;

export const DEFAULT_SKY: SkyPreset = {
  stars: 40_000,
  seed: 20230303,
  lamostFraction: 0.5,
  format: 'parquet',
};

/** A realistic LAMOST share, for experiments on how few labels suffice. */
export const REALISTIC_SKY: SkyPreset = {
  stars: 1_000_000,
  seed: 20230303,
  lamostFraction: 0.01,
  format: 'parquet',
};

export const SKY_PRESETS: Record<string, SkyPreset> = { default: DEFAULT_SKY, realistic: REALISTIC_SKY };
