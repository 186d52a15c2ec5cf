/**
 * Starting and following runs from a client. The workflow id derives from the run id,
 * so starting a run that is already going attaches to it, and starting a finished one
 * again runs a new execution whose stages are all reused.
 */
import {
  type Client,
  type WorkflowExecutionDescription,
  type WorkflowHandle,
  type WorkflowHandleWithFirstExecutionRunId,
  WorkflowNotFoundError,
} from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { PreparedRun } from '../pipeline/prepare-run.js';
import { progressQuery, type RunProgress, type RunSummary } from '../workflows/reprocess.js';
import { inferProgressQuery } from '../workflows/infer.js';
import { trainProgressQuery } from '../workflows/train.js';
import type { StageProgressView } from '../workflows/stage-recorder.js';
import type { TemporalSettings } from './config.js';

export const workflowIdFor = (runId: string): string => `xpflow-run-${runId}`;
/** The train child workflow of a run (workflows/reprocess.ts names it so). */
export const trainWorkflowIdFor = (runId: string): string => `${workflowIdFor(runId)}/train`;
/** The infer child workflow of a run (workflows/reprocess.ts names it so). */
export const inferWorkflowIdFor = (runId: string): string => `${workflowIdFor(runId)}/infer`;

export interface StartOptions {
  heartbeatTimeout?: string;
  /** The infer child's shards per execution before continue-as-new (tests). */
  inferShardsPerExecution?: number;
}

export async function startRun(
  client: Client,
  settings: TemporalSettings,
  prepared: PreparedRun,
  options: StartOptions = {},
): Promise<WorkflowHandleWithFirstExecutionRunId> {
  return client.workflow.start('reprocess', {
    taskQueue: settings.taskQueue,
    workflowId: workflowIdFor(prepared.run.runId),
    args: [
      {
        run: prepared.run,
        inputFingerprint: prepared.inputFingerprint,
        heartbeatTimeout: options.heartbeatTimeout,
        inferShardsPerExecution: options.inferShardsPerExecution,
      },
    ],
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
  });
}

export function runHandle(client: Client, runId: string): WorkflowHandle {
  return client.workflow.getHandle(workflowIdFor(runId));
}

/** The run's stages: the preparation's, then the training steps and the inference of its child workflows. */
export async function queryProgress(client: Client, runId: string): Promise<RunProgress | undefined> {
  let progress: RunProgress;
  try {
    progress = await runHandle(client, runId).query(progressQuery);
  } catch (e) {
    if (e instanceof WorkflowNotFoundError) return undefined;
    throw e;
  }
  const { train: child, infer } = await describeRun(client, runId);
  const training = child
    ? await client.workflow
        .getHandle(child.workflowId, child.runId)
        .query(trainProgressQuery)
        .catch((): StageProgressView[] => [])
    : [];
  const inference = infer
    ? await client.workflow
        .getHandle(infer.workflowId, infer.runId)
        .query(inferProgressQuery)
        .catch((): StageProgressView[] => [])
    : [];
  // The run's own list repeats the child's stages once it has finished: keep the first of each name.
  const seen = new Set<string>();
  const stages = [...progress.stages, ...training, ...inference].filter((s) => !seen.has(s.stage) && seen.add(s.stage));
  return { ...progress, stages };
}

/**
 * The run's latest execution and, once that execution has started it, its train child.
 * A run started again after it finished reuses the workflow ids, so until then the
 * child's id names the previous execution's child: its stages are not this execution's,
 * and querying it makes the worker replay an old history.
 */
async function describeRun(
  client: Client,
  runId: string,
): Promise<{
  run?: WorkflowExecutionDescription;
  train?: WorkflowExecutionDescription;
  infer?: WorkflowExecutionDescription;
}> {
  const describe = (id: string) =>
    client.workflow
      .getHandle(id)
      .describe()
      .catch(() => undefined);
  const [run, child, infer] = await Promise.all([
    describe(workflowIdFor(runId)),
    describe(trainWorkflowIdFor(runId)),
    describe(inferWorkflowIdFor(runId)),
  ]);
  const ours = (c: WorkflowExecutionDescription | undefined) =>
    run && c && c.parentExecution?.runId === run.runId ? c : undefined;
  return { run, train: ours(child), infer: ours(infer) };
}

/** The train child of the run's latest execution, or undefined until that execution has started it (see describeRun). */
export async function currentTrainExecution(
  client: Client,
  runId: string,
): Promise<WorkflowExecutionDescription | undefined> {
  return (await describeRun(client, runId)).train;
}

export interface PendingStage {
  activity: string;
  attempt: number;
  heartbeat: unknown;
  lastFailure?: string;
}

/** The stage activities in flight, with their last heartbeat (live progress). */
export async function pendingStages(client: Client, runId: string): Promise<PendingStage[]> {
  const { run, train, infer } = await describeRun(client, runId);
  const pending = [
    ...(run?.raw.pendingActivities ?? []),
    ...(train?.raw.pendingActivities ?? []),
    ...(infer?.raw.pendingActivities ?? []),
  ];
  return pending.map((p) => ({
    activity: p.activityType?.name ?? '?',
    attempt: p.attempt ?? 0,
    heartbeat: p.heartbeatDetails?.payloads?.[0]
      ? defaultPayloadConverter.fromPayload(p.heartbeatDetails.payloads[0])
      : undefined,
    lastFailure: p.lastFailure?.message ?? undefined,
  }));
}

export async function waitForRun(handle: WorkflowHandle): Promise<RunSummary> {
  return (await handle.result()) as RunSummary;
}
