/**
 * reprocess: the whole reprocessing DAG of one run. Each stage is an activity that
 * returns a small outcome (paths, hashes, counts); the workflow records it in the
 * catalogue and hands it to the stages that need it. Bad input fails its stage once
 * (non-retryable) and the run with it; anything else is retried.
 */
import { ApplicationFailure, defineQuery, log, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type * as activities from '../activities/index.js';
import type { RunRef, StageName, StageOutcome } from '../pipeline/types.js';

// ---- types ----

export interface ReprocessInput {
  run: RunRef;
  inputFingerprint: Record<string, string>;
  /** Activity heartbeat timeout: how soon a killed worker's stage is retried elsewhere. */
  heartbeatTimeout?: string;
}

export type StageStatus = 'pending' | 'running' | 'completed' | 'reused' | 'failed';

export interface StageProgressView {
  stage: StageName;
  status: StageStatus;
  durationMs?: number;
  rowsOut?: number | null;
  message?: string;
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

// ---- helpers ----

const NON_RETRYABLE = ['InputError', 'XpInputError', 'ConfigError'];

function stageActivities(heartbeatTimeout: string) {
  return proxyActivities<typeof activities>({
    startToCloseTimeout: '12 hours',
    heartbeatTimeout,
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 20, nonRetryableErrorTypes: NON_RETRYABLE },
  });
}

const catalogue = proxyActivities<typeof activities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds', maximumAttempts: 30 },
});

const failureMessage = (err: unknown): string => {
  const e = err as { cause?: { message?: string }; message?: string };
  return e.cause?.message ?? e.message ?? String(err);
};

// ---- workflows ----

/** Runs ingest → crossmatch → quality cuts → fluxes → split for one run. */
export async function reprocess(input: ReprocessInput): Promise<RunSummary> {
  const { run } = input;
  const acts = stageActivities(input.heartbeatTimeout ?? '30 seconds');
  const order: StageName[] = ['ingest', 'crossmatch', 'quality_cuts', 'fluxes', 'split'];
  const progress: RunProgress = { runId: run.runId, status: 'running', stages: order.map((stage) => ({ stage, status: 'pending' })) };
  setHandler(progressQuery, () => progress);
  const view = (stage: StageName) => progress.stages.find((s) => s.stage === stage)!;

  async function stage(name: StageName, call: () => Promise<StageOutcome>): Promise<StageOutcome> {
    view(name).status = 'running';
    try {
      const outcome = await call();
      await catalogue.catalogueStageDone(run.dataDir, outcome);
      Object.assign(view(name), { status: outcome.reused ? 'reused' : 'completed', durationMs: outcome.durationMs, rowsOut: outcome.rowsOut });
      log.info('stage finished', { runId: run.runId, stage: name, reused: outcome.reused, rows: outcome.rowsOut });
      return outcome;
    } catch (err) {
      const message = failureMessage(err);
      Object.assign(view(name), { status: 'failed', message });
      await catalogue.catalogueStageFailed(run.dataDir, run.runId, name, message);
      throw err;
    }
  }

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
