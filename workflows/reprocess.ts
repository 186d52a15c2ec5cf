/**
 * reprocess: the whole reprocessing DAG of one run. Each stage is an activity that
 * returns a small outcome (paths, hashes, counts); the workflow records it in the
 * catalogue and hands it to the stages that need it. Bad input fails its stage once
 * (non-retryable) and the run with it; anything else is retried.
 */
import { ApplicationFailure, defineQuery, executeChild, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import type { RunConfig, RunRef, StageName } from '../pipeline/types.js';
import { infer, type InferSummary } from './infer.js';
import { catalogue, failureMessage, stageActivities, stageRecorder, type StageProgressView } from './stage-recorder.js';
import { train, type TrainSummary } from './train.js';

// ---- types ----

export interface ReprocessInput {
  run: RunRef;
  inputFingerprint: Record<string, string>;
  /** Activity heartbeat timeout: how soon a killed worker's stage is retried elsewhere. */
  heartbeatTimeout?: string;
  /** The infer child's shards per execution before continue-as-new (workflows/infer.ts; tests make it small). */
  inferShardsPerExecution?: number;
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
  /** The catalogue of every XP star, where inference ran: its manifest, its DuckDB view and its rows. */
  catalogue?: { manifest: string; view: string; rows: number };
}

// ---- queries ----

export const progressQuery = defineQuery<RunProgress>('progress');

// ---- workflows ----

/** Runs ingest → crossmatch → quality cuts → fluxes → split, then the train child workflow, then the infer child. */
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
    const stages: RunSummary['stages'] = [];
    let trained: TrainSummary | null = null;
    if (run.config.training.enabled) {
      trained = await executeChild(train, {
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
    const summarise = (o: (typeof outcomes)[number]) => ({
      stage: o.stage,
      reused: o.reused,
      durationMs: o.durationMs,
      rowsOut: o.rowsOut,
    });
    stages.push(...outcomes.map(summarise));
    // Inference for every star needs the trained model and prior. Histories recorded before
    // it (whose configs have no inference section) replay without it.
    let inferred: InferSummary | null = null;
    const inference = run.config.inference as RunConfig['inference'] | undefined;
    if (trained && patched('infer') && inference?.enabled) {
      const model = trained.model;
      inferred = await executeChild(infer, {
        workflowId: `${workflowInfo().workflowId}/infer`,
        args: [
          {
            run,
            sources: { ingest: ingested, crossmatch: matched, fluxes, model, prior: trained.prior },
            heartbeatTimeout: input.heartbeatTimeout,
            shardsPerExecution: input.inferShardsPerExecution,
          },
        ],
      });
      outcomes.push(inferred.plan, inferred.catalogue);
      const { shards } = inferred;
      // One line for all the shards (there may be tens of thousands; each has its row in the catalogue's stages).
      const shardLine = {
        stage: 'infer_shards',
        reused: shards.reused === shards.shards,
        durationMs: shards.durationMs,
        rowsOut: shards.rows,
      };
      stages.push(summarise(inferred.plan), shardLine, summarise(inferred.catalogue));
    }
    await catalogue.catalogueRunEnded(run.dataDir, run.runId, 'completed', null);
    progress.status = 'completed';
    const manifest = inferred?.catalogue.artifacts.find((a) => a.name === 'catalogue');
    return {
      runId: run.runId,
      outputs: Object.fromEntries(outcomes.flatMap((o) => o.artifacts.map((a) => [`${o.stage}/${a.name}`, a.path]))),
      stages,
      ...(manifest
        ? { catalogue: { manifest: manifest.path, view: `"run_${run.runId}".catalogue`, rows: manifest.rows ?? 0 } }
        : {}),
    };
  } catch (err) {
    progress.status = 'failed';
    await catalogue.catalogueRunEnded(run.dataDir, run.runId, 'failed', failureMessage(err));
    if (err instanceof ApplicationFailure) throw err;
    throw ApplicationFailure.nonRetryable(`run ${run.runId} failed: ${failureMessage(err)}`, 'RunFailed');
  }
}
