/** The data-preparation stages as activities: thin wrappers around pipeline/. */
import { runCrossmatch } from '../pipeline/crossmatch.js';
import { runFluxes } from '../pipeline/fluxes.js';
import { runIngest } from '../pipeline/ingest.js';
import { runQualityCuts } from '../pipeline/quality-cuts.js';
import { runSplit } from '../pipeline/split.js';
import type { FluxesOutcome, IngestOutcome, RunRef, StageOutcome } from '../pipeline/types.js';
import { asStageActivity } from './temporal-progress.js';

export const ingest = (run: RunRef): Promise<IngestOutcome> => asStageActivity((p) => runIngest(run, p));

export const crossmatch = (run: RunRef, ingested: StageOutcome): Promise<StageOutcome> =>
  asStageActivity((p) => runCrossmatch(run, ingested, p));

export const qualityCuts = (run: RunRef, ingested: StageOutcome, matched: StageOutcome): Promise<StageOutcome> =>
  asStageActivity((p) => runQualityCuts(run, ingested, matched, p));

export const fluxes = (run: RunRef, ingested: StageOutcome, matched: StageOutcome): Promise<FluxesOutcome> =>
  asStageActivity((p) => runFluxes(run, ingested, matched, p));

export const split = (run: RunRef, cut: StageOutcome): Promise<StageOutcome> =>
  asStageActivity((p) => runSplit(run, cut, p));
