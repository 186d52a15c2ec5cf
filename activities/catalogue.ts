/** Catalogue bookkeeping as activities: the workflow records each run and stage here. */
import {
  recordCleanIteration,
  recordRunEnd,
  recordRunStart,
  recordStageFailure,
  recordStageOutcome,
  type CleanIterationCounts,
  type RunStart,
} from '../io/catalogue/record.js';
import type { StageName, StageOutcome } from '../pipeline/types.js';

export const catalogueRunStarted = (r: RunStart): Promise<void> => recordRunStart(r);

export const catalogueStageDone = (dataDir: string, outcome: StageOutcome): Promise<void> =>
  recordStageOutcome(dataDir, outcome);

export const catalogueStageFailed = (
  dataDir: string,
  runId: string,
  stage: StageName,
  message: string,
): Promise<void> => recordStageFailure(dataDir, runId, stage, message);

export const catalogueRunEnded = (
  dataDir: string,
  runId: string,
  status: 'completed' | 'failed',
  message: string | null,
): Promise<void> => recordRunEnd(dataDir, runId, status, message);

export const catalogueCleanIteration = (dataDir: string, runId: string, counts: CleanIterationCounts): Promise<void> =>
  recordCleanIteration(dataDir, runId, counts);
