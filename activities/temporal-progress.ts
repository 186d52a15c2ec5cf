/**
 * Runs a pipeline stage as a Temporal activity: heartbeats its progress (and keeps
 * heartbeating while a long DuckDB query runs), hands the previous attempt's last
 * heartbeat to the stage for resuming, and turns input errors into non-retryable
 * failures so bad input fails the stage once, with a message a person can act on.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { ProgressDetails, StageProgress } from '../pipeline/types.js';

export async function asStageActivity<T>(run: (progress: StageProgress) => Promise<T>): Promise<T> {
  const ctx = Context.current();
  let latest: ProgressDetails | undefined;
  const beat = () => ctx.heartbeat(latest);
  const progress: StageProgress = {
    attempt: ctx.info.attempt,
    heartbeat(details) {
      latest = details;
      beat();
    },
    lastDetails: () => ctx.info.heartbeatDetails as ProgressDetails | undefined,
  };
  const periodMs = Math.max(1000, Math.min(10_000, (ctx.info.heartbeatTimeoutMs ?? 30_000) / 3));
  const timer = setInterval(beat, periodMs);
  try {
    return await run(progress);
  } catch (e) {
    const err = e as Error & { nonRetryable?: boolean };
    if (err?.nonRetryable) throw ApplicationFailure.nonRetryable(err.message, err.name);
    throw e;
  } finally {
    clearInterval(timer);
  }
}
