import { cpSync, existsSync, readdirSync, readFileSync, truncateSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { withMemoryDuckDB } from '../io/duckdb.js';
import { quoteLiteral } from '../io/sql-quote.js';
import { auditRun } from '../io/catalogue/queries.js';
import { runIngest } from '../pipeline/ingest.js';
import { prepareRun } from '../pipeline/prepare-run.js';
import { NO_PROGRESS } from '../pipeline/types.js';
import { connectClient } from '../temporal/connection.js';
import { startRun } from '../temporal/runs.js';
import { createWorker } from '../temporal/worker.js';
import { isolatedSettings, makeSky, tempDir } from './helpers/pipeline.js';

let parquetSky: string;
let csvSky: string;

/** A copy of the sky with gaia_source rewritten by a SQL select over it (alias g). */
async function brokenSky(base: string, select: string): Promise<string> {
  const dir = tempDir('broken');
  cpSync(base, dir, { recursive: true });
  const path = join(dir, 'gaia_source.parquet');
  await withMemoryDuckDB(async (c) => {
    await c.run(`CREATE TABLE g AS SELECT * FROM read_parquet(${quoteLiteral(join(base, 'gaia_source.parquet'))})`);
    await c.run(`COPY (${select}) TO ${quoteLiteral(path)} (FORMAT parquet)`);
  });
  return dir;
}

async function ingestError(inputDir: string): Promise<{ message: string; dataDir: string; runId: string }> {
  const dataDir = tempDir('data-err');
  const prepared = await prepareRun({ inputDir, dataDir });
  const err = (await runIngest(prepared.run, NO_PROGRESS).then(
    () => undefined,
    (e: unknown) => e,
  )) as (Error & { nonRetryable?: boolean }) | undefined;
  expect(err, 'ingest should fail').toBeDefined();
  expect(err!.nonRetryable).toBe(true);
  // Nothing half-written: no stage folder, no temporary folder.
  const runDir = join(dataDir, 'runs', prepared.run.runId);
  expect(existsSync(join(runDir, 'ingest'))).toBe(false);
  expect(existsSync(runDir) ? readdirSync(runDir) : []).toEqual([]);
  return { message: err!.message, dataDir, runId: prepared.run.runId };
}

describe('bad input fails ingest with file, column and row, and leaves nothing behind', () => {
  beforeAll(async () => {
    parquetSky = await makeSky({ stars: 1000, seed: 5, lamostFraction: 0.3 });
    csvSky = await makeSky({ stars: 1000, seed: 5, lamostFraction: 0.3, format: 'csv' });
  }, 120_000);

  it('a missing column', async () => {
    const dir = await brokenSky(parquetSky, 'SELECT * EXCLUDE (parallax) FROM g');
    const { message } = await ingestError(dir);
    expect(message).toMatch(/gaia_source\.parquet, column parallax: required column is missing/);
  });

  it('a wrong type (text in a numeric CSV column)', async () => {
    const dir = tempDir('broken-csv');
    cpSync(csvSky, dir, { recursive: true });
    const path = join(dir, 'gaia_source.csv');
    const lines = readFileSync(path, 'utf8').split('\n');
    const header = lines[0].split(',');
    const col = header.indexOf('parallax');
    const fields = lines[7].split(',');
    fields[col] = 'abc';
    lines[7] = fields.join(',');
    writeFileSync(path, lines.join('\n'));
    const { message } = await ingestError(dir);
    expect(message).toMatch(/gaia_source\.csv, column parallax, row 7: value does not convert to DOUBLE \(got "abc"\)/);
  });

  it('an empty file', async () => {
    const dir = await brokenSky(parquetSky, 'SELECT * FROM g WHERE false');
    expect((await ingestError(dir)).message).toMatch(/gaia_source\.parquet: the table has no rows/);
  });

  it('a truncated Parquet file', async () => {
    const dir = tempDir('truncated');
    cpSync(parquetSky, dir, { recursive: true });
    const path = join(dir, 'gaiaedr3_spurious.parquet');
    truncateSync(path, Math.floor(statSync(path).size / 2));
    expect((await ingestError(dir)).message).toMatch(/gaiaedr3_spurious\.parquet: cannot be read as Parquet/);
  });

  it('duplicate source_ids', async () => {
    const dir = await brokenSky(parquetSky, 'SELECT * FROM g UNION ALL SELECT * FROM (SELECT * FROM g LIMIT 1)');
    expect((await ingestError(dir)).message).toMatch(
      /gaia_source\.parquet, column source_id, row \d+: duplicate source_id \d+ \(2 rows\)/,
    );
  });

  it('NaN positions', async () => {
    const dir = await brokenSky(
      parquetSky,
      "SELECT * REPLACE (CASE WHEN row_number() OVER () = 42 THEN 'NaN'::DOUBLE ELSE ra END AS ra) FROM g",
    );
    expect((await ingestError(dir)).message).toMatch(
      /gaia_source\.parquet, column ra, row 42: position is NaN, infinite or out of range/,
    );
  });

  it('through Temporal: the stage fails once (not retried), the run fails, and the catalogue says why', async () => {
    const dir = await brokenSky(parquetSky, 'SELECT * EXCLUDE (dec) FROM g');
    const dataDir = tempDir('data-err-temporal');
    const prepared = await prepareRun({ inputDir: dir, dataDir });
    const settings = isolatedSettings('bad-input');
    const worker = await createWorker({ settings });
    const client = await connectClient(settings);
    try {
      await worker.runUntil(async () => {
        const handle = await startRun(client, settings, prepared);
        await expect(handle.result()).rejects.toThrow();
        const history = await handle.fetchHistory();
        const started = (history.events ?? []).filter((e) => e.activityTaskStartedEventAttributes);
        const ingestStarts = started.filter((e) => e.activityTaskStartedEventAttributes!.attempt === 1);
        expect(ingestStarts.length).toBeGreaterThan(0);
        expect(started.every((e) => (e.activityTaskStartedEventAttributes!.attempt ?? 1) === 1)).toBe(true);
      });
    } finally {
      await client.connection.close();
    }
    const audit = (await auditRun(dataDir, prepared.run.runId))!;
    expect(audit.run.status).toBe('failed');
    const ingest = audit.stages.find((s) => s.stage === 'ingest')!;
    expect(ingest.status).toBe('failed');
    expect(ingest.message).toMatch(/column dec: required column is missing/);
  });
});
