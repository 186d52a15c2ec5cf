/**
 * infer: inference for every star with an XP spectrum (docs/method.md §7) as a child of
 * reprocess, after the training: plan the shards (infer_plan), run each shard's stage
 * (infer_<n>) as an activity, at most maxInFlight at once (any worker on the queue takes
 * them), then the catalogue stage that checks and lists them. A long shard list goes on
 * in a new execution (continue-as-new) every shardsPerExecution shards, carrying the plan's
 * outcome (a reference to its file), the next shard's index and running totals: nothing
 * that grows with the number of shards.
 */
import { continueAsNew, defineQuery, setHandler, workflowInfo } from '@temporalio/workflow';
import type { InferenceSources } from '../pipeline/infer-shard.js';
import type { InferPlanOutcome } from '../pipeline/infer-shards.js';
import { shardStageName } from '../core/stage.js';
import type { RunRef, StageOutcome } from '../pipeline/types.js';
import { stageActivities, stageRecorder, type StageProgressView } from './stage-recorder.js';

// ---- types ----

/** The finished shards, as totals: what the workflow keeps of them, whatever their number. */
export interface ShardTotals {
  shards: number;
  reused: number;
  durationMs: number;
  rows: number;
}

export interface InferInput {
  run: RunRef;
  sources: InferenceSources;
  heartbeatTimeout?: string;
  /** Shards started per execution before continue-as-new (default 200). */
  shardsPerExecution?: number;
  /** Shard activities in flight at once (default 4). */
  maxInFlight?: number;
  /** Set by continue-as-new: the plan, the first shard not yet started, the totals so far. */
  plan?: InferPlanOutcome;
  next?: number;
  totals?: ShardTotals;
}

export interface InferSummary {
  plan: StageOutcome;
  shards: ShardTotals;
  catalogue: StageOutcome;
}

// ---- queries ----

export const inferProgressQuery = defineQuery<StageProgressView[]>('inferProgress');

// ---- workflows ----

/**
 * Runs shards next … next + shardsPerExecution − 1 (each reads its bounds from the plan's
 * file), then continues as new with the totals, or builds the catalogue after the last.
 * Every shard below `next` has finished: an execution drains its shards before it hands over.
 */
export async function infer(input: InferInput): Promise<InferSummary> {
  const { run, sources } = input;
  const acts = stageActivities(input.heartbeatTimeout ?? '60 seconds');
  const views: StageProgressView[] = [];
  setHandler(inferProgressQuery, () => views);
  const stage = stageRecorder(run.runId, run.dataDir, views);

  const plan = input.plan ?? (await stage('infer_plan', () => acts.planInference(run, sources.ingest)));
  const totals: ShardTotals = { ...(input.totals ?? { shards: 0, reused: 0, durationMs: 0, rows: 0 }) };
  const count = plan.detail.shardCount;
  const budget = Math.max(1, input.shardsPerExecution ?? 200);
  const maxInFlight = Math.max(1, input.maxInFlight ?? 4);
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  let next = input.next ?? 0;
  for (let started = 0; next < count; next++, started++) {
    if (started >= budget || (started > 0 && workflowInfo().continueAsNewSuggested)) break;
    while (inFlight.size >= maxInFlight && !failure) await Promise.race(inFlight);
    if (failure) break;
    const index = next;
    const task: Promise<void> = stage(shardStageName(index), () => acts.inferShard(run, sources, plan, index))
      .then(
        (o) => {
          totals.shards++;
          totals.reused += o.reused ? 1 : 0;
          totals.durationMs += o.durationMs;
          totals.rows += o.rowsOut ?? 0;
        },
        (error: unknown) => void (failure ??= { error }),
      )
      .finally(() => inFlight.delete(task));
    inFlight.add(task);
  }
  await Promise.all(inFlight);
  if (failure) throw failure.error;
  if (next < count) return continueAsNew<typeof infer>({ ...input, plan, next, totals });

  const catalogue = await stage('catalogue', () => acts.buildCatalogue(run, sources, plan));
  return { plan, shards: totals, catalogue };
}
