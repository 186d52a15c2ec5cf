/**
 * infer: inference for every star with an XP spectrum (docs/method.md §7) as a child of
 * reprocess, after the training: plan the shards (infer_plan), run each shard's stage
 * (infer_<n>) as an activity, at most maxInFlight at once (any worker on the queue takes
 * them), then the catalogue stage that checks and lists them. A long shard list goes on
 * in a new execution (continue-as-new) every shardsPerExecution shards, carrying the plan
 * (shard references) and the finished shards' summaries, never bulk data.
 */
import { continueAsNew, defineQuery, setHandler, workflowInfo } from '@temporalio/workflow';
import type { InferenceSources } from '../pipeline/infer-shard.js';
import type { InferPlanOutcome } from '../pipeline/infer-shards.js';
import type { RunRef, StageName, StageOutcome } from '../pipeline/types.js';
import { stageActivities, stageRecorder, type StageProgressView } from './stage-recorder.js';

// ---- types ----

/** A finished shard as the workflow keeps it. */
export interface ShardDone {
  stage: StageName;
  reused: boolean;
  durationMs: number;
  rowsOut: number | null;
}

export interface InferInput {
  run: RunRef;
  sources: InferenceSources;
  heartbeatTimeout?: string;
  /** Shards started per execution before continue-as-new (default 200). */
  shardsPerExecution?: number;
  /** Shard activities in flight at once (default 4). */
  maxInFlight?: number;
  /** Set by continue-as-new: the plan, and the shards finished before. */
  plan?: InferPlanOutcome;
  done?: ShardDone[];
}

export interface InferSummary {
  plan: StageOutcome;
  shards: ShardDone[];
  catalogue: StageOutcome;
}

// ---- queries ----

export const inferProgressQuery = defineQuery<StageProgressView[]>('inferProgress');

// ---- workflows ----

export async function infer(input: InferInput): Promise<InferSummary> {
  const { run, sources } = input;
  const acts = stageActivities(input.heartbeatTimeout ?? '60 seconds');
  const views: StageProgressView[] = [];
  setHandler(inferProgressQuery, () => views);
  const stage = stageRecorder(run.runId, run.dataDir, views);

  const plan = input.plan ?? (await stage('infer_plan', () => acts.planInference(run, sources.ingest)));
  const done = [...(input.done ?? [])];
  const finished = new Set(done.map((d) => d.stage));
  const remaining = plan.detail.shards.filter((s) => !finished.has(s.stage));
  for (const s of remaining) views.push({ stage: s.stage, status: 'pending' });

  const budget = Math.max(1, input.shardsPerExecution ?? 200);
  const maxInFlight = Math.max(1, input.maxInFlight ?? 4);
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  let started = 0;
  for (const shard of remaining) {
    if (started >= budget || (started > 0 && workflowInfo().continueAsNewSuggested)) break;
    while (inFlight.size >= maxInFlight && !failure) await Promise.race(inFlight);
    if (failure) break;
    started++;
    const task: Promise<void> = stage(shard.stage, () => acts.inferShard(run, sources, shard))
      .then(
        (o) => void done.push({ stage: o.stage, reused: o.reused, durationMs: o.durationMs, rowsOut: o.rowsOut }),
        (error: unknown) => void (failure ??= { error }),
      )
      .finally(() => inFlight.delete(task));
    inFlight.add(task);
  }
  await Promise.all(inFlight);
  if (failure) throw failure.error;
  if (done.length < plan.detail.shards.length) return continueAsNew<typeof infer>({ ...input, plan, done });

  const catalogue = await stage('catalogue', () => acts.buildCatalogue(run, sources, plan));
  done.sort((a, b) => (a.stage < b.stage ? -1 : a.stage > b.stage ? 1 : 0));
  return { plan, shards: done, catalogue };
}
