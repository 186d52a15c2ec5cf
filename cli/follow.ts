/**
 * Follows a run live: polls the workflow's progress query and the running stage's
 * heartbeat, prints each stage as it finishes, and returns the result.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { pendingStages, queryProgress } from '../temporal/runs.js';
import type { RunProgress, RunSummary } from '../workflows/reprocess.js';

const out = (line: string) => process.stdout.write(`${line}\n`);

export function describeStage(s: RunProgress['stages'][number]): string {
  const time = s.durationMs !== undefined ? ` ${(s.durationMs / 1000).toFixed(1)} s` : '';
  const rows = s.rowsOut !== undefined && s.rowsOut !== null ? `, ${s.rowsOut} rows` : '';
  const why = s.message ? `: ${s.message}` : '';
  return `${s.stage.padEnd(24)} ${s.status}${time}${rows}${why}`;
}

/** Where a run's catalogue is: its rows, its DuckDB view and its manifest (which lists the shards' Parquet files). */
export function describeCatalogue(c: NonNullable<RunSummary['catalogue']>, dataDir: string): string {
  return [
    `catalogue: ${c.rows} stars`,
    `  SQL:      SELECT * FROM ${c.view}   -- duckdb -readonly ${join(dataDir, 'xpflow.duckdb')}`,
    `  manifest: ${c.manifest} (the shards' Parquet files)`,
  ].join('\n');
}

export async function followRun(
  client: Client,
  runId: string,
  handle: WorkflowHandle,
  quiet = false,
): Promise<RunSummary> {
  const printed = new Set<string>();
  let lastLive = '';
  const result = handle.result() as Promise<RunSummary>;
  let done = false;
  result.then(
    () => (done = true),
    () => (done = true),
  );
  while (!done) {
    const progress = await queryProgress(client, runId).catch(() => undefined);
    for (const s of progress?.stages ?? []) {
      if (['completed', 'reused', 'failed'].includes(s.status) && !printed.has(s.stage)) {
        printed.add(s.stage);
        if (!quiet) out(`  ${describeStage(s)}`);
      }
    }
    const pending = await pendingStages(client, runId).catch(() => []);
    const live = pending
      .map((p) => {
        const h = p.heartbeat as { stage?: string; done?: number; total?: number; unit?: string } | undefined;
        const retry = p.attempt > 1 ? ` (attempt ${p.attempt}${p.lastFailure ? `, last: ${p.lastFailure}` : ''})` : '';
        return h?.total ? `  … ${h.stage}: ${h.done}/${h.total} ${h.unit}${retry}` : `  … ${p.activity}${retry}`;
      })
      .join('\n');
    if (live && live !== lastLive && !quiet) out(live);
    lastLive = live;
    await Promise.race([sleep(1000), result.catch(() => undefined)]);
  }
  const summary = await result;
  const final = await queryProgress(client, runId).catch(() => undefined);
  for (const s of final?.stages ?? []) if (!printed.has(s.stage) && !quiet) out(`  ${describeStage(s)}`);
  return summary;
}
