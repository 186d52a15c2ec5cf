/** Inference for every star as activities: thin wrappers around pipeline/infer-shards, infer-shard, infer-catalogue. */
import { runCatalogue } from '../pipeline/infer-catalogue.js';
import { runInferShard, type InferenceSources, type InferShardOutcome } from '../pipeline/infer-shard.js';
import { runInferPlan, type InferPlanOutcome, type ShardRef } from '../pipeline/infer-shards.js';
import type { RunRef, StageOutcome } from '../pipeline/types.js';
import { asStageActivity } from './temporal-progress.js';

export const planInference = (run: RunRef, ingest: StageOutcome): Promise<InferPlanOutcome> =>
  asStageActivity((p) => runInferPlan(run, ingest, p));

export const inferShard = (run: RunRef, sources: InferenceSources, shard: ShardRef): Promise<InferShardOutcome> =>
  asStageActivity((p) => runInferShard(run, sources, shard, p));

export const buildCatalogue = (run: RunRef, sources: InferenceSources, plan: InferPlanOutcome): Promise<StageOutcome> =>
  asStageActivity((p) => runCatalogue(run, sources, plan, p));
