/**
 * A reprocessing run's configuration: what the user may set, validation with messages
 * that name the field, and the canonical JSON whose hash, with the inputs' fingerprints,
 * is the run id. Its defaults come from the science constants
 * (models/config/run-defaults.ts); the recipe is a type parameter because its type lives
 * above this layer: pipeline/types.ts binds it to the resolved Recipe (RunConfig), and a
 * config as the user wrote it holds a name, a file or an inline object (RequestedRunConfig
 * in pipeline/prepare-run.ts).
 */
import { createHash } from 'node:crypto';
import { XpflowInputError } from './errors.js';

export type LamostSnrBand = 'g' | 'r' | 'i' | 'z';

export interface RunConfigOf<TRecipe> {
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
    /**
     * The recipe. As the user writes it: a name ("quick", "paper"), a JSON file or an
     * inline object; resolved once, when the run is prepared, to the full checked recipe
     * (whose canonical JSON is what the run id hashes).
     */
    recipe: TRecipe;
    /** GMM prior components and seed. */
    priorComponents: number;
  };
  fluxes: {
    /** Stars per checkpointed part of the flux stage. */
    chunkRows: number;
    /** Pause after each part (ms): for fault-injection tests and polite sharing; 0 in production. */
    throttleMs: number;
  };
  /** Inference for every star with an XP spectrum (docs/method.md §7): the catalogue. */
  inference: {
    /** Run it after the training (it needs the trained model and prior). */
    enabled: boolean;
    /** The most stars a shard (one stage, a contiguous source_id range of whole HEALPix-8 pixels) holds. */
    shardStars: number;
    /** The per-star solver (models/infer/solver.ts). */
    solver: InferenceSolverName;
  };
}

/** The per-star solvers a run may name (models/infer/solver.ts's SolverName). */
export type InferenceSolverName = 'default' | 'adam-reference';
export const INFERENCE_SOLVERS: readonly InferenceSolverName[] = ['default', 'adam-reference'];

/** A config field (or the config file) that is wrong: names the field. */
export class ConfigError extends XpflowInputError {}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Overlays a partial config (from a JSON file) on the defaults, rejecting unknown keys. */
export function mergeConfig<TRecipe>(
  base: RunConfigOf<TRecipe>,
  overlay: Record<string, unknown>,
  path = '',
): RunConfigOf<unknown> {
  const merged = structuredClone(base) as unknown as Record<string, Json>;
  for (const [key, value] of Object.entries(overlay)) {
    const where = path ? `${path}.${key}` : key;
    if (!(key in merged)) throw new ConfigError(`config: unknown field "${where}"`);
    const current = merged[key];
    if (current !== null && typeof current === 'object' && !Array.isArray(current)) {
      if (value === null || typeof value !== 'object' || Array.isArray(value))
        throw new ConfigError(`config: "${where}" must be an object`);
      merged[key] = mergeConfig(
        current as unknown as RunConfigOf<unknown>,
        value as Record<string, unknown>,
        where,
      ) as unknown as Json;
    } else {
      merged[key] = value as Json;
    }
  }
  const result = merged as unknown as RunConfigOf<unknown>;
  if (!path) validateConfig(result);
  return result;
}

export function validateConfig(config: RunConfigOf<unknown>): void {
  const positive = (value: unknown, field: string) => {
    if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value))
      throw new ConfigError(`config: "${field}" must be a positive number, got ${JSON.stringify(value)}`);
  };
  if (typeof config.input !== 'string' || config.input === '')
    throw new ConfigError('config: "input" must name a folder');
  if (!Number.isInteger(config.seed))
    throw new ConfigError(`config: "seed" must be an integer, got ${JSON.stringify(config.seed)}`);
  for (const [field, value] of Object.entries(config.crossmatch)) positive(value, `crossmatch.${field}`);
  if (config.crossmatch.unwiseKeepArcsec > config.crossmatch.unwiseArcsec)
    throw new ConfigError('config: crossmatch.unwiseKeepArcsec must not exceed crossmatch.unwiseArcsec');
  if (
    !Array.isArray(config.cuts.lamostSnrBands) ||
    config.cuts.lamostSnrBands.length === 0 ||
    config.cuts.lamostSnrBands.some((band) => !['g', 'r', 'i', 'z'].includes(band))
  ) {
    throw new ConfigError('config: "cuts.lamostSnrBands" must be a non-empty list of g, r, i, z');
  }
  for (const field of [
    'minLamostSnr',
    'maxTeffErrK',
    'maxFehErrDex',
    'maxLoggErrDex',
    'minParallaxOverError',
    'maxBpRpExcessFactor',
  ] as const)
    positive(config.cuts[field], `cuts.${field}`);
  if (typeof config.cuts.minFidelityV2 !== 'number' || config.cuts.minFidelityV2 < 0 || config.cuts.minFidelityV2 > 1)
    throw new ConfigError('config: "cuts.minFidelityV2" must be in [0, 1]');
  if (!(config.split.trainFraction > 0 && config.split.trainFraction < 1))
    throw new ConfigError('config: "split.trainFraction" must be in (0, 1)');
  if (!Number.isInteger(config.fluxes.chunkRows) || config.fluxes.chunkRows < 1)
    throw new ConfigError('config: "fluxes.chunkRows" must be a positive integer');
  if (!(config.fluxes.throttleMs >= 0)) throw new ConfigError('config: "fluxes.throttleMs" must be ≥ 0');
  if (typeof config.training.enabled !== 'boolean')
    throw new ConfigError('config: "training.enabled" must be true or false');
  if (!Number.isInteger(config.training.priorComponents) || config.training.priorComponents < 1)
    throw new ConfigError('config: "training.priorComponents" must be a positive integer');
  if (typeof config.inference.enabled !== 'boolean')
    throw new ConfigError('config: "inference.enabled" must be true or false');
  if (!Number.isInteger(config.inference.shardStars) || config.inference.shardStars < 1)
    throw new ConfigError('config: "inference.shardStars" must be a positive integer');
  if (!INFERENCE_SOLVERS.includes(config.inference.solver))
    throw new ConfigError(
      `config: "inference.solver" must be one of ${INFERENCE_SOLVERS.join(', ')}, got ${JSON.stringify(config.inference.solver)}`,
    );
}

/** JSON with sorted keys: equal configs give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
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
export function runIdFor<TRecipe>(config: RunConfigOf<TRecipe>, inputFingerprint: string): string {
  const { input: _where, fluxes, ...what } = config;
  // Chunking and throttling change how a stage runs, not what it produces.
  void fluxes;
  return `r${sha256Hex(canonicalJson({ what, inputFingerprint })).slice(0, 12)}`;
}
