/** Read-side questions the CLI asks the catalogue (typed by Kysely). */
import { existsSync } from 'node:fs';
import { cataloguePath, withCatalogue } from './catalogue.js';
import type { ArtifactsTable, CutCountsTable, MetricsTable, RunsTable, StagesTable } from './schema.js';

export async function listRuns(dataDir: string): Promise<RunsTable[]> {
  if (!existsSync(cataloguePath(dataDir))) return [];
  return withCatalogue(dataDir, 'read', ({ db }) =>
    db.selectFrom('runs').selectAll().orderBy('created_at', 'desc').execute(),
  );
}

export async function findRun(dataDir: string, runId: string): Promise<RunsTable | undefined> {
  if (!existsSync(cataloguePath(dataDir))) return undefined;
  return withCatalogue(dataDir, 'read', ({ db }) =>
    db.selectFrom('runs').selectAll().where('run_id', '=', runId).executeTakeFirst(),
  );
}

export interface RunAudit {
  run: RunsTable;
  stages: StagesTable[];
  artifacts: ArtifactsTable[];
  cuts: CutCountsTable[];
  metrics: MetricsTable[];
}

export async function auditRun(dataDir: string, runId: string, stage?: string): Promise<RunAudit | undefined> {
  if (!existsSync(cataloguePath(dataDir))) return undefined;
  return withCatalogue(dataDir, 'read', async ({ db }) => {
    const run = await db.selectFrom('runs').selectAll().where('run_id', '=', runId).executeTakeFirst();
    if (!run) return undefined;
    const stages = await db
      .selectFrom('stages')
      .selectAll()
      .where('run_id', '=', runId)
      .$if(stage !== undefined, (q) => q.where('stage', '=', stage!))
      .execute();
    const artifacts = await db
      .selectFrom('artifacts')
      .selectAll()
      .where('run_id', '=', runId)
      .$if(stage !== undefined, (q) => q.where('stage', '=', stage!))
      .orderBy('stage')
      .orderBy('name')
      .execute();
    const cuts = await db
      .selectFrom('cut_counts')
      .selectAll()
      .where('run_id', '=', runId)
      .$if(stage !== undefined, (q) => q.where('stage', '=', stage!))
      .orderBy('cut_order')
      .execute();
    const metrics = await db
      .selectFrom('metrics')
      .selectAll()
      .where('run_id', '=', runId)
      .$if(stage !== undefined, (q) => q.where('stage', '=', stage!))
      .orderBy('stage')
      .orderBy('name')
      .execute();
    return { run, stages, artifacts, cuts, metrics };
  });
}
