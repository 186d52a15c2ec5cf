/**
 * reprocess: the whole reprocessing DAG of one run. Each stage is an activity that
 * returns a small outcome (paths, hashes, counts); the workflow records it in the
 * catalogue and hands it to the stages that need it. Bad input fails its stage once
 * (non-retryable) and the run with it; anything else is retried.
 */
import { ApplicationFailure, defineQuery, executeChild, setHandler, workflowInfo } from '@temporalio/workflow';
import type { RunRef, StageName } from '../pipeline/types.js';
import { catalogue, failureMessage, stageActivities, stageRecorder, type StageProgressView } from './stage-recorder.js';
import { train, type TrainSummary } from './train.js';

// ---- types ----

export interface ReprocessInput {
  run: RunRef;
  inputFingerprint: Record<string, string>;
  /** Activity heartbeat timeout: how soon a killed worker's stage is retried elsewhere. */
  heartbeatTimeout?: string;
}

export interface RunProgress {
  runId: string;
  status: 'running' | 'completed' | 'failed';
  stages: StageProgressView[];
}

export interface RunSummary {
  runId: string;
  outputs: Record<string, string>;
  stages: { stage: StageName; reused: boolean; durationMs: number; rowsOut: number | null }[];
}

// ---- queries ----

export const progressQuery = defineQuery<RunProgress>('progress');

// ---- workflows ----

/** Runs ingest → crossmatch → quality cuts → fluxes → split, then the train child workflow. */
export async function reprocess(input: ReprocessInput): Promise<RunSummary> {
  const { run } = input;
  const acts = stageActivities(input.heartbeatTimeout ?? '30 seconds');
  const order: StageName[] = ['ingest', 'crossmatch', 'quality_cuts', 'fluxes', 'split'];
  const progress: RunProgress = {
    runId: run.runId,
    status: 'running',
    stages: order.map((stage) => ({ stage, status: 'pending' })),
  };
  setHandler(progressQuery, () => progress);
  const stage = stageRecorder(run.runId, run.dataDir, progress.stages);

  await catalogue.catalogueRunStarted({
    runId: run.runId,
    dataDir: run.dataDir,
    workflowId: workflowInfo().workflowId,
    configJson: JSON.stringify(run.config),
    inputDir: run.config.input,
    inputFingerprintJson: JSON.stringify(input.inputFingerprint),
  });
  try {
    const ingested = await stage('ingest', () => acts.ingest(run));
    const matched = await stage('crossmatch', () => acts.crossmatch(run, ingested));
    const cut = await stage('quality_cuts', () => acts.qualityCuts(run, ingested, matched));
    const fluxes = await stage('fluxes', () => acts.fluxes(run, ingested, matched));
    const split = await stage('split', () => acts.split(run, cut));
    const outcomes = [ingested, matched, cut, fluxes, split];
    if (run.config.training.enabled) {
      const trained: TrainSummary = await executeChild(train, {
        workflowId: `${workflowInfo().workflowId}/train`,
        args: [
          {
            run,
            prepared: { ingest: ingested, crossmatch: matched, cuts: cut, split },
            heartbeatTimeout: input.heartbeatTimeout,
          },
        ],
      });
      outcomes.push(...trained.steps);
    }
    await catalogue.catalogueRunEnded(run.dataDir, run.runId, 'completed', null);
    progress.status = 'completed';
    return {
      runId: run.runId,
      outputs: Object.fromEntries(outcomes.flatMap((o) => o.artifacts.map((a) => [`${o.stage}/${a.name}`, a.path]))),
      stages: outcomes.map((o) => ({ stage: o.stage, reused: o.reused, durationMs: o.durationMs, rowsOut: o.rowsOut })),
    };
  } catch (err) {
    progress.status = 'failed';
    await catalogue.catalogueRunEnded(run.dataDir, run.runId, 'failed', failureMessage(err));
    if (err instanceof ApplicationFailure) throw err;
    throw ApplicationFailure.nonRetryable(`run ${run.runId} failed: ${failureMessage(err)}`, 'RunFailed');
  }
}
