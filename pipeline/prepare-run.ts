/**
 * Turns what the user asked for (an input folder, an optional config file, a data
 * folder) into a RunRef: the validated config, the inputs' fingerprints and the run id
 * derived from both.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, defaultRunConfig, mergeConfig, runIdFor, canonicalJson, sha256Hex, type RunConfig } from '../models/pipeline/run-config.js';
import { inputFingerprints } from './ingest.js';
import type { RunRef } from './types.js';

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
  let config = mergeConfig(defaultRunConfig(resolve(input)), { ...overlay, input: resolve(input) });
  if (request.overrides) config = mergeConfig(config, request.overrides);
  if (!existsSync(config.input) || !statSync(config.input).isDirectory()) throw new ConfigError(`input folder ${config.input} does not exist`);
  return config;
}

export async function prepareRun(request: RunRequest): Promise<PreparedRun> {
  const config = loadConfig(request);
  const inputFingerprint = await inputFingerprints(config.input);
  const runId = runIdFor(config, sha256Hex(canonicalJson(inputFingerprint)));
  return { run: { runId, dataDir: resolve(request.dataDir), config }, inputFingerprint };
}
