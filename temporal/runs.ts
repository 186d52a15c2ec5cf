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
import { trainProgressQuery } from '../workflows/train.js';
import type { StageProgressView } from '../workflows/stage-recorder.js';
import type { TemporalSettings } from './config.js';

export const workflowIdFor = (runId: string): string => `xpflow-run-${runId}`;
/** The train child workflow of a run (workflows/reprocess.ts names it so). */
export const trainWorkflowIdFor = (runId: string): string => `${workflowIdFor(runId)}/train`;

export interface StartOptions {
  heartbeatTimeout?: string;
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
      { run: prepared.run, inputFingerprint: prepared.inputFingerprint, heartbeatTimeout: options.heartbeatTimeout },
    ],
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
  });
}

export function runHandle(client: Client, runId: string): WorkflowHandle {
  return client.workflow.getHandle(workflowIdFor(runId));
}

/** The run's stages: the preparation's, then the training steps of its child workflow. */
export async function queryProgress(client: Client, runId: string): Promise<RunProgress | undefined> {
  let progress: RunProgress;
  try {
    progress = await runHandle(client, runId).query(progressQuery);
  } catch (e) {
    if (e instanceof WorkflowNotFoundError) return undefined;
    throw e;
  }
  const child = await currentTrainExecution(client, runId);
  const training = child
    ? await client.workflow
        .getHandle(child.workflowId, child.runId)
        .query(trainProgressQuery)
        .catch((): StageProgressView[] => [])
    : [];
  return { ...progress, stages: [...progress.stages, ...training] };
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
): Promise<{ run?: WorkflowExecutionDescription; train?: WorkflowExecutionDescription }> {
  const describe = (id: string) =>
    client.workflow
      .getHandle(id)
      .describe()
      .catch(() => undefined);
  const [run, child] = await Promise.all([describe(workflowIdFor(runId)), describe(trainWorkflowIdFor(runId))]);
  return { run, train: run && child && child.parentExecution?.runId === run.runId ? child : undefined };
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
  const { run, train } = await describeRun(client, runId);
  const pending = [...(run?.raw.pendingActivities ?? []), ...(train?.raw.pendingActivities ?? [])];
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
