/**
 * A run's default configuration, from the science constants; the config's shape,
 * validation and hashing are in core/run-config.ts.
 */
import type { RunConfigOf } from '../../core/run-config.js';
import { CROSSMATCH_RADII_ARCSEC, TRAIN_FRACTION, TRAINING_CUTS } from './science.js';

/** The defaults, with the recipe by name ("quick"): it is resolved when the run is prepared. */
export function defaultRunConfig(input: string): RunConfigOf<string> {
  return {
    input,
    seed: 20230307,
    crossmatch: {
      lamostArcsec: CROSSMATCH_RADII_ARCSEC.lamost,
      tmassArcsec: CROSSMATCH_RADII_ARCSEC.tmass,
      unwiseArcsec: CROSSMATCH_RADII_ARCSEC.unwise,
      unwiseKeepArcsec: CROSSMATCH_RADII_ARCSEC.unwiseKeep,
    },
    cuts: { ...TRAINING_CUTS, lamostSnrBands: [...TRAINING_CUTS.lamostSnrBands] },
    split: { trainFraction: TRAIN_FRACTION },
    training: { enabled: true, recipe: 'quick', priorComponents: 16 },
    fluxes: { chunkRows: 20_000, throttleMs: 0 },
    inference: { enabled: true, shardStars: 10_000, solver: 'default' },
  };
}
