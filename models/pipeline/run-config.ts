/**
 * A reprocessing run's configuration: what the user may set, its defaults (from the
 * science constants), validation with messages that name the field, and the
 * canonical JSON whose hash, with the inputs' fingerprints, is the run id.
 */
import { createHash } from 'node:crypto';
import { CROSSMATCH_RADII_ARCSEC, TRAIN_FRACTION, TRAINING_CUTS } from '../config/science.js';
import type { Recipe } from '../forward/recipe.js';

export type LamostSnrBand = 'g' | 'r' | 'i' | 'z';

export interface RunConfig {
  /** Folder holding the eight input tables as <table>.parquet or <table>.csv. */
  input: string;
  /** Seed for every random choice of the run (the split, training). */
  seed: number;
  crossmatch: { lamostArcsec: number; tmassArcsec: number; unwiseArcsec: number; unwiseKeepArcsec: number };
  cuts: {
    lamostSnrBands: LamostSnrBand[];
    minLamostSnr: number;
    maxTeffErrK: number;
    maxFehErrDex: number;
    maxLoggErrDex: number;
    minParallaxOverError: number;
    minFidelityV2: number;
    maxBpRpExcessFactor: number;
  };
  split: { trainFraction: number };
  training: {
    /** Run the forward-model training after the split. */
    enabled: boolean;
    /** The recipe: a name ("quick", "paper") resolved to its full JSON when the run is prepared. */
    recipe: string | Recipe;
    /** GMM prior components and seed. */
    priorComponents: number;
  };
  fluxes: {
    /** Stars per checkpointed part of the flux stage. */
    chunkRows: number;
    /** Pause after each part (ms): for fault-injection tests and polite sharing; 0 in production. */
    throttleMs: number;
  };
}

export function defaultRunConfig(input: string): RunConfig {
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
  };
}

export class ConfigError extends Error {
  readonly nonRetryable = true;
  override name = 'ConfigError';
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Overlays a partial config (from a JSON file) on the defaults, rejecting unknown keys. */
export function mergeConfig(base: RunConfig, overlay: Record<string, unknown>, path = ''): RunConfig {
  const merged = structuredClone(base) as unknown as Record<string, Json>;
  for (const [key, value] of Object.entries(overlay)) {
    const where = path ? `${path}.${key}` : key;
    if (!(key in merged)) throw new ConfigError(`config: unknown field "${where}"`);
    const current = merged[key];
    if (current !== null && typeof current === 'object' && !Array.isArray(current)) {
      if (value === null || typeof value !== 'object' || Array.isArray(value))
        throw new ConfigError(`config: "${where}" must be an object`);
      merged[key] = mergeConfig(
        current as unknown as RunConfig,
        value as Record<string, unknown>,
        where,
      ) as unknown as Json;
    } else {
      merged[key] = value as Json;
    }
  }
  const result = merged as unknown as RunConfig;
  if (!path) validateConfig(result);
  return result;
}

export function validateConfig(c: RunConfig): void {
  const positive = (v: unknown, name: string) => {
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v))
      throw new ConfigError(`config: "${name}" must be a positive number, got ${JSON.stringify(v)}`);
  };
  if (typeof c.input !== 'string' || c.input === '') throw new ConfigError('config: "input" must name a folder');
  if (!Number.isInteger(c.seed))
    throw new ConfigError(`config: "seed" must be an integer, got ${JSON.stringify(c.seed)}`);
  for (const [k, v] of Object.entries(c.crossmatch)) positive(v, `crossmatch.${k}`);
  if (c.crossmatch.unwiseKeepArcsec > c.crossmatch.unwiseArcsec)
    throw new ConfigError('config: crossmatch.unwiseKeepArcsec must not exceed crossmatch.unwiseArcsec');
  if (
    !Array.isArray(c.cuts.lamostSnrBands) ||
    c.cuts.lamostSnrBands.length === 0 ||
    c.cuts.lamostSnrBands.some((b) => !['g', 'r', 'i', 'z'].includes(b))
  ) {
    throw new ConfigError('config: "cuts.lamostSnrBands" must be a non-empty list of g, r, i, z');
  }
  for (const k of [
    'minLamostSnr',
    'maxTeffErrK',
    'maxFehErrDex',
    'maxLoggErrDex',
    'minParallaxOverError',
    'maxBpRpExcessFactor',
  ] as const)
    positive(c.cuts[k], `cuts.${k}`);
  if (typeof c.cuts.minFidelityV2 !== 'number' || c.cuts.minFidelityV2 < 0 || c.cuts.minFidelityV2 > 1)
    throw new ConfigError('config: "cuts.minFidelityV2" must be in [0, 1]');
  if (!(c.split.trainFraction > 0 && c.split.trainFraction < 1))
    throw new ConfigError('config: "split.trainFraction" must be in (0, 1)');
  if (!Number.isInteger(c.fluxes.chunkRows) || c.fluxes.chunkRows < 1)
    throw new ConfigError('config: "fluxes.chunkRows" must be a positive integer');
  if (!(c.fluxes.throttleMs >= 0)) throw new ConfigError('config: "fluxes.throttleMs" must be ≥ 0');
  if (typeof c.training.enabled !== 'boolean')
    throw new ConfigError('config: "training.enabled" must be true or false');
  if (!Number.isInteger(c.training.priorComponents) || c.training.priorComponents < 1)
    throw new ConfigError('config: "training.priorComponents" must be a positive integer');
}

/** JSON with sorted keys: equal configs give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The run id: a hash of the config (without the input folder's path, which says where,
 * not what) and the inputs' content fingerprints, plus an optional user label.
 */
export function runIdFor(config: RunConfig, inputFingerprint: string): string {
  const { input: _where, fluxes, ...what } = config;
  // Chunking and throttling change how a stage runs, not what it produces.
  void fluxes;
  return `r${sha256Hex(canonicalJson({ what, inputFingerprint })).slice(0, 12)}`;
}
