/**
 * What the pipeline writes into the catalogue: a run's start and end, each stage's
 * outcome (status, times, hashes, row counts, artifacts, cut counts, metrics) and a view
 * per artifact, "run_<id>"."<stage>__<name>", over its Parquet file; a parquet_set
 * artifact (a JSON file whose `files` name Parquet files relative to its folder, e.g. the
 * catalogue's manifest over its shards) is one view over them all, "run_<id>"."<name>".
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { sql } from 'kysely';
import type { StageName, StageOutcome } from '../../core/stage.js';
import { quoteIdent, quoteLiteral } from '../sql-quote.js';
import { withCatalogue, type Catalogue } from './catalogue.js';

export interface RunStart {
  runId: string;
  dataDir: string;
  workflowId: string;
  configJson: string;
  inputDir: string;
  inputFingerprintJson: string;
}

const now = () => new Date().toISOString();

export function runSchema(runId: string): string {
  return `run_${runId}`;
}

export async function recordRunStart(r: RunStart): Promise<void> {
  await withCatalogue(r.dataDir, 'write', async ({ db }) => {
    const t = now();
    await db
      .insertInto('runs')
      .values({
        run_id: r.runId,
        workflow_id: r.workflowId,
        config_json: r.configJson,
        input_dir: r.inputDir,
        input_fingerprint_json: r.inputFingerprintJson,
        status: 'running',
        message: null,
        created_at: t,
        updated_at: t,
      })
      .onConflict((oc) =>
        oc.column('run_id').doUpdateSet({ status: 'running', message: null, updated_at: t, workflow_id: r.workflowId }),
      )
      .execute();
  });
}

export async function recordRunEnd(
  dataDir: string,
  runId: string,
  status: 'completed' | 'failed',
  message: string | null,
): Promise<void> {
  await withCatalogue(dataDir, 'write', ({ db }) =>
    db
      .updateTable('runs')
      .set({ status, message, updated_at: now() })
      .where('run_id', '=', runId)
      .execute()
      .then(() => undefined),
  );
}

async function artifactViews(c: Catalogue, o: StageOutcome): Promise<void> {
  const schema = quoteIdent(runSchema(o.runId));
  await sql.raw(`CREATE SCHEMA IF NOT EXISTS ${schema}`).execute(c.db);
  for (const a of o.artifacts) {
    if (a.format === 'parquet_set') {
      const { files } = JSON.parse(readFileSync(a.path, 'utf8')) as { files: string[] };
      const paths = files.map((f) => quoteLiteral(resolve(dirname(a.path), f)));
      if (paths.length === 0) continue; // read_parquet([]) is an error: no table, no view
      await sql
        .raw(
          `CREATE OR REPLACE VIEW ${schema}.${quoteIdent(a.name)} AS SELECT * FROM read_parquet([${paths.join(', ')}])`,
        )
        .execute(c.db);
      continue;
    }
    if (a.format !== 'parquet') continue;
    await sql
      .raw(
        `CREATE OR REPLACE VIEW ${schema}.${quoteIdent(`${o.stage}__${a.name}`)} AS SELECT * FROM read_parquet(${quoteLiteral(a.path)})`,
      )
      .execute(c.db);
  }
}

export async function recordStageOutcome(dataDir: string, o: StageOutcome): Promise<void> {
  await withCatalogue(dataDir, 'write', async (c) => {
    await c.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('stages').where('run_id', '=', o.runId).where('stage', '=', o.stage).execute();
      await tx.deleteFrom('artifacts').where('run_id', '=', o.runId).where('stage', '=', o.stage).execute();
      await tx.deleteFrom('cut_counts').where('run_id', '=', o.runId).where('stage', '=', o.stage).execute();
      await tx.deleteFrom('metrics').where('run_id', '=', o.runId).where('stage', '=', o.stage).execute();
      await tx
        .insertInto('stages')
        .values({
          run_id: o.runId,
          stage: o.stage,
          status: 'completed',
          stage_key: o.stageKey,
          reused: o.reused,
          attempt: o.attempt,
          started_at: o.startedAt,
          finished_at: o.finishedAt,
          duration_ms: o.durationMs,
          rows_out: o.rowsOut,
          input_hashes_json: JSON.stringify(o.inputHashes),
          detail_json: JSON.stringify({ ...o.detail, reusedFrom: o.reusedFrom }),
          message: null,
        })
        .execute();
      if (o.artifacts.length) {
        await tx
          .insertInto('artifacts')
          .values(
            o.artifacts.map((a) => ({
              run_id: o.runId,
              stage: o.stage,
              name: a.name,
              path: a.path,
              format: a.format,
              rows: a.rows,
              bytes: a.bytes,
              sha256: a.sha256,
            })),
          )
          .execute();
      }
      if (o.cutCounts.length) {
        await tx
          .insertInto('cut_counts')
          .values(
            o.cutCounts.map((k) => ({
              run_id: o.runId,
              stage: o.stage,
              cut_order: k.order,
              cut: k.cut,
              description: k.description,
              rows_before: k.rowsBefore,
              removed: k.removed,
              failing_alone: k.failingAlone,
              rows_after: k.rowsAfter,
            })),
          )
          .execute();
      }
      if (o.metrics.length) {
        await tx
          .insertInto('metrics')
          .values(
            o.metrics.map((m) => ({ run_id: o.runId, stage: o.stage, name: m.name, value: m.value, unit: m.unit })),
          )
          .execute();
      }
    });
    await artifactViews(c, o);
  });
}

export async function recordStageFailure(
  dataDir: string,
  runId: string,
  stage: StageName,
  message: string,
): Promise<void> {
  await withCatalogue(dataDir, 'write', ({ db }) =>
    db
      .insertInto('stages')
      .values({
        run_id: runId,
        stage,
        status: 'failed',
        stage_key: '',
        reused: false,
        attempt: 0,
        started_at: null,
        finished_at: now(),
        duration_ms: null,
        rows_out: null,
        input_hashes_json: '{}',
        detail_json: '{}',
        message,
      })
      .onConflict((oc) =>
        oc.columns(['run_id', 'stage']).doUpdateSet({ status: 'failed', message, finished_at: now() }),
      )
      .execute()
      .then(() => undefined),
  );
}

export interface CleanIterationCounts {
  iteration: number;
  nTrain: number;
  nOutliers: number;
  nNew: number;
  nReturned: number;
  changedFraction: number;
  paramSigma: number;
  fluxSigma: number;
}

export async function recordCleanIteration(dataDir: string, runId: string, c: CleanIterationCounts): Promise<void> {
  await withCatalogue(dataDir, 'write', async ({ db }) => {
    await db.deleteFrom('clean_iterations').where('run_id', '=', runId).where('iteration', '=', c.iteration).execute();
    await db
      .insertInto('clean_iterations')
      .values({
        run_id: runId,
        iteration: c.iteration,
        n_train: c.nTrain,
        n_outliers: c.nOutliers,
        n_new_outliers: c.nNew,
        n_returned: c.nReturned,
        changed_fraction: c.changedFraction,
        chi2_threshold: c.fluxSigma,
        label_threshold: c.paramSigma,
      })
      .execute();
  });
}
