/** Inference for every star as activities: thin wrappers around pipeline/infer-shards, infer-shard, infer-catalogue. */
import { runCatalogue } from '../pipeline/infer-catalogue.js';
import { runInferShard, type InferenceSources, type InferShardOutcome } from '../pipeline/infer-shard.js';
import { readShard, runInferPlan, type InferPlanOutcome } from '../pipeline/infer-shards.js';
import type { RunRef, StageOutcome } from '../pipeline/types.js';
import { asStageActivity } from './temporal-progress.js';

export const planInference = (run: RunRef, ingest: StageOutcome): Promise<InferPlanOutcome> =>
  asStageActivity((p) => runInferPlan(run, ingest, p));

/** Shard `index` of the plan: its bounds come from the plan's file, not the workflow. */
export const inferShard = (
  run: RunRef,
  sources: InferenceSources,
  plan: InferPlanOutcome,
  index: number,
): Promise<InferShardOutcome> =>
  asStageActivity(async (p) => runInferShard(run, sources, await readShard(plan, index), p));

export const buildCatalogue = (run: RunRef, sources: InferenceSources, plan: InferPlanOutcome): Promise<StageOutcome> =>
  asStageActivity((p) => runCatalogue(run, sources, plan, p));
