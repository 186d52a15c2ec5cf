/**
 * Turns what the user asked for (an input folder, an optional config file, a data
 * folder) into a RunRef: the validated config, the inputs' fingerprints and the run id
 * derived from both.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { isInputError } from '../core/errors.js';
import { ConfigError, mergeConfig, runIdFor, canonicalJson, sha256Hex, type RunConfigOf } from '../core/run-config.js';
import { defaultRunConfig } from '../models/config/run-defaults.js';
import { parseRecipe } from '../models/forward/recipe-validate.js';
import type { Recipe } from '../models/forward/recipe.js';
import { RECIPES } from '../models/forward/recipes.js';
import { inputFingerprints } from './ingest.js';
import type { RunConfig, RunRef } from './types.js';

/**
 * A config as the user wrote it (defaults, config file, overrides): its recipe is a name,
 * a JSON file or an inline object, not yet checked.
 */
export type RequestedRunConfig = RunConfigOf<unknown>;

export interface RunRequest {
  inputDir?: string;
  configFile?: string;
  dataDir: string;
  /** Extra overrides, e.g. from tests. */
  overrides?: Record<string, unknown>;
}

export interface PreparedRun {
  run: RunRef;
  inputFingerprint: Record<string, string>;
}

/** The config of a request, validated, with its recipe resolved (once, here) to the full Recipe. */
export function loadConfig(request: RunRequest): RunConfig {
  let overlay: Record<string, unknown> = {};
  if (request.configFile) {
    try {
      overlay = JSON.parse(readFileSync(request.configFile, 'utf8')) as Record<string, unknown>;
    } catch (e) {
      throw new ConfigError(`${request.configFile}: ${(e as Error).message}`);
    }
  }
  const input = request.inputDir ?? (overlay.input as string | undefined);
  if (!input) throw new ConfigError('no input folder: give --input DIR or "input" in the config file');
  const fromFile = <T>(read: () => T): T => (request.configFile ? namingFile(request.configFile, read) : read());
  let config: RequestedRunConfig = fromFile(() =>
    mergeConfig(defaultRunConfig(resolve(input)), { ...overlay, input: resolve(input) }),
  );
  if (request.overrides) config = mergeConfig(config, request.overrides);
  if (!existsSync(config.input) || !statSync(config.input).isDirectory())
    throw new ConfigError(`input folder ${config.input} does not exist`);
  const recipe = fromFile(() => resolveRecipe(config.training.recipe));
  return { ...config, training: { ...config.training, recipe } };
}

/** Runs read, and puts the config file's path before the message of an input error it throws. */
function namingFile<T>(file: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (isInputError(e) && !e.message.startsWith(file)) e.message = `${file}: ${e.message}`;
    throw e;
  }
}

/**
 * A recipe name, a JSON file, or an inline recipe → the validated full recipe. A bad
 * inline recipe throws the RecipeError naming its field; a bad file, a ConfigError naming
 * the file and the field.
 */
export function resolveRecipe(recipe: unknown): Recipe {
  if (typeof recipe !== 'string') return parseRecipe(recipe);
  if (RECIPES[recipe]) return structuredClone(RECIPES[recipe]);
  if (!existsSync(recipe))
    throw new ConfigError(`training.recipe: "${recipe}" is neither ${Object.keys(RECIPES).join(' nor ')} nor a file`);
  try {
    return parseRecipe(JSON.parse(readFileSync(recipe, 'utf8')));
  } catch (e) {
    throw new ConfigError(`training.recipe ${recipe}: ${(e as Error).message}`);
  }
}

export async function prepareRun(request: RunRequest): Promise<PreparedRun> {
  const config = loadConfig(request);
  const inputFingerprint = await inputFingerprints(config.input);
  const runId = runIdFor(config, sha256Hex(canonicalJson(inputFingerprint)));
  return { run: { runId, dataDir: resolve(request.dataDir), config }, inputFingerprint };
}
