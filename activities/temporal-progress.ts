/**
 * Runs a pipeline stage as a Temporal activity: heartbeats its progress (and keeps
 * heartbeating while a long DuckDB query runs), hands the previous attempt's last
 * heartbeat to the stage for resuming, and turns input errors into non-retryable
 * failures so bad input fails the stage once, with a message a person can act on.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { INPUT_FAILURE_TYPE, isInputError, type InputFailureDetails } from '../core/errors.js';
import type { ProgressDetails, StageProgress } from '../pipeline/types.js';

/**
 * The one place an XpflowInputError becomes a Temporal failure: non-retryable, of the
 * single type INPUT_FAILURE_TYPE (which the workflows' retry policy also lists), with the
 * error's own one-line message and its subclass's name in the details. Other errors pass
 * through and are retried.
 */
export function asTemporalFailure(err: unknown): unknown {
  if (!isInputError(err)) return err;
  const details: InputFailureDetails = { errorName: err.name };
  return ApplicationFailure.create({
    message: err.message,
    type: INPUT_FAILURE_TYPE,
    nonRetryable: true,
    details: [details],
  });
}

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
  } catch (err) {
    throw asTemporalFailure(err);
  } finally {
    clearInterval(timer);
  }
}
