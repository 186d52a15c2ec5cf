/**
 * What stages hand each other and the workflow: small references (paths, hashes,
 * counts), never bulk data. Shared by every layer: the pipeline, the catalogue (io/),
 * activities and workflows (type-only there). pipeline/types.ts binds the run's recipe
 * type and names each stage kind's detail.
 */
import type { RunConfigOf } from './run-config.js';

/** The preparation stages by name; training steps are named train_<n>_<recipe stage>, clean_<n>, prior, validation. */
export type PreparationStage = 'ingest' | 'crossmatch' | 'quality_cuts' | 'fluxes' | 'split';
export type StageName = PreparationStage | (string & {});

export const PREPARATION_STAGES: readonly PreparationStage[] = [
  'ingest',
  'crossmatch',
  'quality_cuts',
  'fluxes',
  'split',
];

export interface RunRefOf<TRecipe> {
  runId: string;
  dataDir: string;
  config: RunConfigOf<TRecipe>;
}

/**
 * 'parquet_set': a JSON list of Parquet files read as one table (one view); 'parquet_part':
 * a Parquet file that is one part of such a set (an inference shard's), with no view of its
 * own, so a catalogue of thousands of shards is one view, not thousands.
 */
export type ArtifactFormat = 'parquet' | 'json' | 'parquet_set' | 'parquet_part';

export interface ArtifactRef {
  /** Name within the stage, e.g. "gaia_source". */
  name: string;
  /** Absolute path. */
  path: string;
  /**
   * parquet_set: a JSON file whose `files` name Parquet files (relative to its folder)
   * that together make one table, e.g. the catalogue over its shards (io/catalogue/record.ts
   * makes one view over them all).
   */
  format: ArtifactFormat;
  rows: number | null;
  bytes: number;
  sha256: string;
}

export interface CutCount {
  order: number;
  cut: string;
  description: string;
  rowsBefore: number;
  removed: number;
  /** Rows failing this cut whatever the others say. */
  failingAlone: number;
  rowsAfter: number;
}

export interface Metric {
  name: string;
  value: number;
  unit: string;
}

/** What a stage kind adds to its outcome (pipeline/types.ts names each kind's). */
export type StageDetail = object;

export interface StageOutcome<TDetail extends StageDetail = StageDetail> {
  runId: string;
  stage: StageName;
  stageKey: string;
  /** True when outputs with the same key already existed (this run or another). */
  reused: boolean;
  reusedFrom: string | null;
  attempt: number;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  inputHashes: Record<string, string>;
  artifacts: ArtifactRef[];
  rowsOut: number | null;
  cutCounts: CutCount[];
  metrics: Metric[];
  detail: TDetail;
}

/** Progress reporting, so the core runs with or without Temporal. */
export interface StageProgress {
  attempt: number;
  heartbeat(details: ProgressDetails): void;
  /** The details of the last heartbeat of a previous attempt, if any. */
  lastDetails(): ProgressDetails | undefined;
}

export interface ProgressDetails {
  stage: StageName;
  done: number;
  total: number;
  unit: string;
}

export const NO_PROGRESS: StageProgress = { attempt: 1, heartbeat: () => undefined, lastDetails: () => undefined };

/** The stage name of inference shard `index`: infer_<5-digit index>. */
export const shardStageName = (index: number): string => `infer_${String(index).padStart(5, '0')}`;
