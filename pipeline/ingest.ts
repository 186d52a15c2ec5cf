/**
 * Stage 1, ingest: reads the eight input tables (Parquet or the archives' CSV) from the
 * input folder, checks each against its spec (columns, types, non-null keys, unique
 * keys, finite positions, at least one row) and writes them as typed Parquet.
 * Any violation is an InputError naming file, column and row.
 */
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { INPUT_TABLES, INPUT_TABLE_NAMES, type TableSpec } from '../models/catalogue/input-tables.js';
import { fingerprint } from '../io/file-hash.js';
import { asNumber, queryRows, queryValue } from '../io/duckdb-query.js';
import { withMemoryDuckDB } from '../io/duckdb.js';
import { quoteIdent, quoteLiteral } from '../io/sql-quote.js';
import { InputError } from './input-error.js';
import { conversionFailed, selectConverted, sourceRelation, type SourceFormat } from './ingest-sql.js';
import { runStage, type ComputedStage } from './stage-runner.js';
import type { IngestDetail, IngestOutcome, RunRef, StageProgress } from './types.js';

export interface InputFile {
  table: string;
  path: string;
  format: SourceFormat;
}

/** Finds <table>.parquet, .csv or .csv.gz for every input table. */
export function locateInputs(dir: string): InputFile[] {
  return INPUT_TABLE_NAMES.map((table) => {
    for (const [ext, format] of [
      ['parquet', 'parquet'],
      ['csv', 'csv'],
      ['csv.gz', 'csv'],
    ] as const) {
      const path = join(dir, `${table}.${ext}`);
      if (existsSync(path)) return { table, path, format };
    }
    throw new InputError(
      { file: join(dir, `${table}.parquet`) },
      `input table ${table} not found (looked for .parquet, .csv, .csv.gz)`,
    );
  });
}

/** Content hashes of the input files: the run id and the ingest stage key depend on them. */
export async function inputFingerprints(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of locateInputs(dir)) out[f.table] = (await fingerprint(f.path, f.table)).sha256;
  return out;
}

async function sourceTypes(c: DuckDBConnection, f: InputFile): Promise<Map<string, string>> {
  try {
    const rows = await queryRows<{ column_name: string; column_type: string }>(
      c,
      `DESCRIBE SELECT * FROM ${sourceRelation(f.path, f.format)}`,
    );
    return new Map(rows.map((r) => [r.column_name, r.column_type]));
  } catch (e) {
    throw new InputError(
      { file: f.path },
      `cannot be read as ${f.format === 'parquet' ? 'Parquet' : 'CSV'}: ${(e as Error).message.split('\n')[0]}`,
    );
  }
}

async function checkTable(
  c: DuckDBConnection,
  f: InputFile,
  spec: TableSpec,
  types: Map<string, string>,
): Promise<number> {
  for (const col of spec.columns)
    if (!types.has(col.name)) throw new InputError({ file: f.path, column: col.name }, 'required column is missing');
  const src = sourceRelation(f.path, f.format);
  const rows = asNumber(
    await queryValue(c, `SELECT count(*) FROM ${src}`).catch((e: Error) => {
      throw new InputError({ file: f.path }, `read failed: ${e.message.split('\n')[0]}`);
    }),
  );
  if (rows === 0) throw new InputError({ file: f.path }, 'the table has no rows');
  const checks = spec.columns.flatMap((col) => {
    const t = types.get(col.name)!;
    const out = [
      { col: col.name, test: conversionFailed(col, f.format, t), why: `value does not convert to ${col.type}` },
    ];
    if (!col.nullable) out.push({ col: col.name, test: `(${quoteIdent(col.name)} IS NULL)`, why: 'value is missing' });
    if (col.name === 'ra' || col.name === 'dec') {
      const v = `TRY_CAST(${quoteIdent(col.name)} AS DOUBLE)`;
      const range = col.name === 'ra' ? `${v} >= 0 AND ${v} <= 360` : `${v} >= -90 AND ${v} <= 90`;
      out.push({
        col: col.name,
        test: `(${quoteIdent(col.name)} IS NOT NULL AND NOT coalesce(isfinite(${v}) AND ${range}, false))`,
        why: 'position is NaN, infinite or out of range',
      });
    }
    return out;
  });
  const failing = await queryRows<Record<string, unknown>>(
    c,
    `SELECT __row, ${checks.map((k, i) => `${k.test} AS ${quoteIdent(`f${i}`)}, CAST(${quoteIdent(k.col)} AS VARCHAR)[1:60] AS ${quoteIdent(`v${i}`)}`).join(', ')}
     FROM ${src} WHERE ${checks.map((k) => k.test).join(' OR ')} ORDER BY __row LIMIT 1`,
  );
  if (failing.length) {
    const r = failing[0];
    const i = checks.findIndex((_, j) => r[`f${j}`] === true);
    const value = r[`v${i}`];
    throw new InputError(
      { file: f.path, column: checks[i].col, row: asNumber(r.__row) },
      `${checks[i].why}${value === null ? '' : ` (got ${JSON.stringify(value)})`}`,
    );
  }
  const key = quoteIdent(spec.key);
  const dup = await queryRows<{ k: string; n: bigint; r: bigint }>(
    c,
    `SELECT CAST(${key} AS VARCHAR) AS k, count(*) AS n, max(__row) AS r FROM ${src} GROUP BY ${key} HAVING count(*) > 1 ORDER BY r LIMIT 1`,
  );
  if (dup.length)
    throw new InputError(
      { file: f.path, column: spec.key, row: asNumber(dup[0].r) },
      `duplicate ${spec.key} ${dup[0].k} (${dup[0].n} rows)`,
    );
  return rows;
}

function alreadyTyped(f: InputFile, spec: TableSpec, types: Map<string, string>): boolean {
  if (f.format !== 'parquet' || types.size !== spec.columns.length + 2) return false; // + file_row_number, __row
  return spec.columns.every((col) => types.get(col.name) === col.type);
}

export async function ingestTables(
  inputDir: string,
  outDir: string,
  progress: StageProgress,
): Promise<ComputedStage<IngestDetail>> {
  const files = locateInputs(inputDir);
  const artifacts: ComputedStage['artifacts'] = [];
  await withMemoryDuckDB(async (c) => {
    for (const [i, f] of files.entries()) {
      const spec = INPUT_TABLES[f.table as keyof typeof INPUT_TABLES];
      const types = await sourceTypes(c, f);
      const rows = await checkTable(c, f, spec, types);
      const out = join(outDir, `${f.table}.parquet`);
      if (alreadyTyped(f, spec, types)) {
        // Parquet with exactly the spec's columns and types: rewriting would only cost time.
        copyFileSync(f.path, out);
      } else {
        await c.run(
          `COPY (SELECT ${selectConverted(spec.columns, f.format, types)} FROM ${sourceRelation(f.path, f.format)} ORDER BY __row)
         TO ${quoteLiteral(out)} (FORMAT parquet, COMPRESSION zstd)`,
        );
      }
      artifacts.push({ name: f.table, file: `${f.table}.parquet`, rows });
      progress.heartbeat({ stage: 'ingest', done: i + 1, total: files.length, unit: 'tables' });
    }
  });
  return { artifacts, detail: { inputs: Object.fromEntries(files.map((f) => [f.table, f.path])) } };
}

export async function runIngest(run: RunRef, progress: StageProgress): Promise<IngestOutcome> {
  const inputHashes = await inputFingerprints(run.config.input);
  return runStage(
    run,
    { stage: 'ingest', config: {}, inputHashes, compute: (w) => ingestTables(run.config.input, w.outDir, w.progress) },
    progress,
  );
}
