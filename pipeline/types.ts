/**
 * The pipeline's view of the shared stage types (core/stage.ts): a run's config and
 * reference with the resolved Recipe, and each stage kind's detail, so that the workflow
 * reads a stage's detail without casts. Type-only in workflows.
 */
import type { RunConfigOf } from '../core/run-config.js';
import type { RunRefOf, StageOutcome } from '../core/stage.js';
import type { BrightnessTrial } from '../models/forward/brightness-settle.js';
import type { Recipe } from '../models/forward/recipe.js';
import type { CleanCounts } from '../models/forward/self-clean.js';

export {
  NO_PROGRESS,
  PREPARATION_STAGES,
  type ArtifactFormat,
  type ArtifactRef,
  type CutCount,
  type Metric,
  type PreparationStage,
  type ProgressDetails,
  type StageDetail,
  type StageName,
  type StageOutcome,
  type StageProgress,
} from '../core/stage.js';

/** A run's config once prepared: its recipe resolved to the full, checked Recipe. */
export type RunConfig = RunConfigOf<Recipe>;
export type RunRef = RunRefOf<Recipe>;

/** ingest: where each input table was read from. */
export interface IngestDetail {
  inputs: Record<string, string>;
}

/** fluxes: how many checkpointed parts, and the last part a previous attempt finished (−1: none). */
export interface FluxesDetail {
  parts: number;
  resumedAfterPart: number;
}

/** train_<n>_<stage>: epochs run, and whether the step went on from a previous attempt's checkpoint. */
export interface TrainDetail {
  epochs: number;
  resumedFromCheckpoint: boolean;
}

/** clean_<n>: the flagging's counts, and whether the outlier set has settled (the loop ends). */
export interface CleanDetail {
  counts: CleanCounts;
  done: boolean;
}

/** settle_brightness: every trial offset of the line search, and whether it bracketed a minimum. */
export interface BrightnessDetail {
  trials: BrightnessTrial[];
  bracketed: boolean;
}

/** A stage with nothing to add (crossmatch, quality_cuts, split, settle_reddening, prior, validation). */
export type NoDetail = Record<string, never>;

export type IngestOutcome = StageOutcome<IngestDetail>;
export type FluxesOutcome = StageOutcome<FluxesDetail>;
export type TrainOutcome = StageOutcome<TrainDetail>;
export type CleanOutcome = StageOutcome<CleanDetail>;
export type BrightnessOutcome = StageOutcome<BrightnessDetail>;
