/**
 * The state training steps hand each other through files: the model (model.json), every
 * star's fitted parameters (stars.json) and the outlier flags (outliers.json), written
 * atomically in a step's output folder.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeStars, encodeStars, type TrainerCheckpoint } from '../models/forward/checkpoint.js';
import { ModelFileError, modelFromJson, modelToJson } from '../models/forward/serialize.js';
import type { ForwardModel } from '../models/forward/model.js';
import type { StarParams } from '../models/forward/stars.js';

export function writeJsonAtomic(path: string, value: unknown): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, JSON.stringify(value));
  renameSync(tmp, path);
}

export const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

export function saveModel(dir: string, model: ForwardModel): string {
  writeJsonAtomic(join(dir, 'model.json'), modelToJson(model));
  return 'model.json';
}

export function loadModel(path: string): ForwardModel {
  let json: unknown;
  try {
    json = readJson(path);
  } catch (e) {
    if (e instanceof SyntaxError) throw new ModelFileError(`model file ${path}: not JSON (${e.message})`);
    throw e;
  }
  return modelFromJson(json);
}

interface StarsFile {
  n: number;
  sourceId: string[];
  stars: TrainerCheckpoint['stars'];
}

export function saveStars(dir: string, stars: StarParams, sourceId: BigInt64Array): string {
  writeJsonAtomic(join(dir, 'stars.json'), {
    n: stars.n,
    sourceId: Array.from(sourceId, String),
    stars: encodeStars(stars),
  } satisfies StarsFile);
  return 'stars.json';
}

/** A stars.json as written: the source ids (as strings) and their parameters, in that order. */
export function readStarsFile(path: string): { sourceId: string[]; stars: StarParams } {
  const f = readJson<StarsFile>(path);
  return { sourceId: f.sourceId, stars: decodeStars(f.stars, f.n) };
}

/** The stars of a stars.json, checked to be the given training set's, in its order. */
export function loadStars(path: string, sourceId: BigInt64Array): StarParams {
  const f = readStarsFile(path);
  if (f.stars.n !== sourceId.length || f.sourceId.some((s, i) => s !== String(sourceId[i]))) {
    throw new Error(`${path}: the stars differ from the training set's (${f.stars.n} vs ${sourceId.length})`);
  }
  return f.stars;
}

interface OutliersFile {
  sourceId: string[];
  outliers: number[];
  reasons: number[];
}

export function saveOutliers(dir: string, sourceId: BigInt64Array, outliers: Uint8Array, reasons: Uint8Array): string {
  writeJsonAtomic(join(dir, 'outliers.json'), {
    sourceId: Array.from(sourceId, String),
    outliers: Array.from(outliers),
    reasons: Array.from(reasons),
  } satisfies OutliersFile);
  return 'outliers.json';
}

export function loadOutliers(path: string): Uint8Array {
  return Uint8Array.from(readJson<OutliersFile>(path).outliers);
}
