/**
 * A trainer checkpoint as a JSON-safe object: the model (serialize.ts format), every
 * star's parameters, both optimisers' state, the position in the stage (epoch, batch
 * cursor, the PRNG state that drew this epoch's shuffle) and the epoch's running sums.
 * Float32 arrays are base64 (exact). For a million stars it is tens of MB: write it to
 * a file and heartbeat its path, not the object.
 */
import { base64ToF32, f32ToBase64 } from './codec.js';
import { N_LABELS } from './config.js';
import type { OptimiserState } from './optimiser.js';
import type { PrngState } from './prng.js';
import type { Algorithm, StageRecipe } from './recipe.js';
import type { ModelFile } from './serialize.js';
import { StarParams } from './stars.js';

export const CHECKPOINT_FORMAT = 'xpflow-forward-checkpoint';

export interface EpochSums {
  stars: number;
  modelLoss: number;
  starLoss: number;
  chi2: number;
  nonFinite: number;
  skippedSteps: number;
}

export interface EncodedOptimiser {
  algorithm: Algorithm;
  m: string;
  v: string;
  t: string;
}

export interface TrainerCheckpoint {
  format: typeof CHECKPOINT_FORMAT;
  version: 1;
  stage: string;
  /** The stage's full recipe: a resume under a changed recipe is refused. */
  stageRecipe: StageRecipe;
  seed: number;
  nStars: number;
  nSelected: number;
  epoch: number;
  /** Stars of this epoch's permutation already done. */
  cursor: number;
  /** Batches done in this stage (the learning-rate schedule's clock). */
  step: number;
  prngEpochStart: PrngState;
  sums: EpochSums;
  model: ModelFile;
  stars: { theta: string; lnE: string; lnPlx: string };
  /** The selected stars' lnPlx holds their apparent scale ψ (a checkpoint taken inside an apparent-scale stage). */
  starsApparent?: boolean;
  modelOptimiser: EncodedOptimiser;
  starOptimiser: EncodedOptimiser;
}

export function encodeOptimiser(s: OptimiserState): EncodedOptimiser {
  return { algorithm: s.algorithm, m: f32ToBase64(s.m), v: f32ToBase64(s.v), t: f32ToBase64(s.t) };
}

/** Copies an encoded state into `into` (same algorithm and sizes, else throws). */
export function decodeOptimiserInto(e: EncodedOptimiser, into: OptimiserState, field: string): void {
  if (e.algorithm !== into.algorithm)
    throw new Error(`checkpoint ${field}.algorithm: ${e.algorithm}, the stage uses ${into.algorithm}`);
  into.m.set(base64ToF32(e.m, into.m.length, `checkpoint ${field}.m`));
  into.v.set(base64ToF32(e.v, into.v.length, `checkpoint ${field}.v`));
  into.t.set(base64ToF32(e.t, into.t.length, `checkpoint ${field}.t`));
}

export function encodeStars(s: StarParams): TrainerCheckpoint['stars'] {
  return { theta: f32ToBase64(s.theta), lnE: f32ToBase64(s.lnE), lnPlx: f32ToBase64(s.lnPlx) };
}

export function decodeStars(e: TrainerCheckpoint['stars'], n: number): StarParams {
  return new StarParams(
    n,
    base64ToF32(e.theta, n * N_LABELS, 'checkpoint stars.theta'),
    base64ToF32(e.lnE, n, 'checkpoint stars.lnE'),
    base64ToF32(e.lnPlx, n, 'checkpoint stars.lnPlx'),
  );
}
