/**
 * Runs a stage activity inside a workflow and keeps the books: the progress view the
 * `progress` query returns, and the catalogue record of the outcome or the failure.
 */
import { log, proxyActivities } from '@temporalio/workflow';
import { INPUT_FAILURE_TYPE } from '../core/errors.js';
import type * as activities from '../activities/index.js';
import type { StageName, StageOutcome } from '../pipeline/types.js';

export type StageStatus = 'pending' | 'running' | 'completed' | 'reused' | 'failed';

export interface StageProgressView {
  stage: StageName;
  status: StageStatus;
  durationMs?: number;
  rowsOut?: number | null;
  message?: string;
}

/**
 * Every input error surfaces as one failure type (activities/temporal-progress.ts), so
 * this list names that type and nothing else: no list of subclass names to keep in step.
 */
export const NON_RETRYABLE = [INPUT_FAILURE_TYPE];

export const catalogue = proxyActivities<typeof activities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds', maximumAttempts: 30 },
});

export function stageActivities(heartbeatTimeout: string) {
  return proxyActivities<typeof activities>({
    startToCloseTimeout: '24 hours',
    heartbeatTimeout,
    retry: {
      initialInterval: '1 second',
      backoffCoefficient: 2,
      maximumInterval: '30 seconds',
      maximumAttempts: 20,
      nonRetryableErrorTypes: NON_RETRYABLE,
    },
  });
}

/**
 * The message of the innermost cause: what went wrong, not the wrapping of it (an
 * activity failure inside a child workflow failure says only "Activity task failed").
 */
export const failureMessage = (err: unknown): string => {
  let failure = err as { cause?: unknown; message?: string } | undefined;
  while (failure?.cause) failure = failure.cause as { cause?: unknown; message?: string };
  return failure?.message ?? String(err);
};

/** A stage runner bound to one run's progress list and catalogue. */
export function stageRecorder(runId: string, dataDir: string, stages: StageProgressView[]) {
  const view = (stage: StageName): StageProgressView => {
    let v = stages.find((s) => s.stage === stage);
    if (!v) stages.push((v = { stage, status: 'pending' }));
    return v;
  };
  return async function stage<TOutcome extends StageOutcome>(
    name: StageName,
    call: () => Promise<TOutcome>,
  ): Promise<TOutcome> {
    view(name).status = 'running';
    try {
      const outcome = await call();
      await catalogue.catalogueStageDone(dataDir, outcome);
      Object.assign(view(name), {
        status: outcome.reused ? 'reused' : 'completed',
        durationMs: outcome.durationMs,
        rowsOut: outcome.rowsOut,
      });
      log.info('stage finished', { runId, stage: name, reused: outcome.reused, rows: outcome.rowsOut });
      return outcome;
    } catch (err) {
      const message = failureMessage(err);
      Object.assign(view(name), { status: 'failed', message });
      await catalogue.catalogueStageFailed(dataDir, runId, name, message);
      throw err;
    }
  };
}
