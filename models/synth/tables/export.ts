/**
 * Writes a staged table to its file, ordered by the table's key: Parquet (zstd) or
 * the Gaia archive's CSV layout, first under a temporary name, then renamed. The XP
 * table is sorted into a copy first, so the sort never carries the expanded
 * correlation arrays; with one DuckDB thread and insertion order preserved, the same
 * input gives the same bytes.
 */
import { createHash } from 'node:crypto';
import { createReadStream, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { SkyFormat } from '../options.js';
import { exportSelectSql, hasArrays, type StagingTable } from './staging.js';

export interface WrittenFile {
  file: string;
  rows: number;
  bytes: number;
  sha256: string;
}

/** Rows per Parquet row group of the XP table: the writer buffers a whole group, ~45 kB per XP row. */
export const XP_ROW_GROUP_ROWS = 2048;

const quote = (path: string) => `'${path.replaceAll("'", "''")}'`;

export async function exportTable(
  connection: DuckDBConnection,
  t: StagingTable,
  dir: string,
  format: SkyFormat,
  rows: number,
): Promise<WrittenFile> {
  const file = `${t.spec.name}.${format}`;
  const target = join(dir, file);
  const temp = join(dirname(target), `.${basename(target)}.tmp`);
  const csv = format === 'csv';
  // XP rows expand to ~13 kB each (correlations): small row groups bound the writer's memory.
  const rowGroup = hasArrays(t) ? `, ROW_GROUP_SIZE ${XP_ROW_GROUP_ROWS}` : '';
  const options = csv ? 'FORMAT csv, HEADER true' : `FORMAT parquet, COMPRESSION zstd${rowGroup}`;
  const key = `"${t.spec.key}"`;
  try {
    if (hasArrays(t)) {
      const sorted = `${t.stage}_sorted`;
      await connection.run(`CREATE TABLE ${sorted} AS SELECT * FROM ${t.stage} ORDER BY ${key}`);
      await connection.run(`DROP TABLE ${t.stage}`);
      await connection.run(`COPY (${exportSelectSql(t, sorted, csv)}) TO ${quote(temp)} (${options})`);
      await connection.run(`DROP TABLE ${sorted}`);
    } else {
      await connection.run(`COPY (${exportSelectSql(t, t.stage, csv)} ORDER BY ${key}) TO ${quote(temp)} (${options})`);
      await connection.run(`DROP TABLE ${t.stage}`);
    }
    renameSync(temp, target);
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
  return { file, rows, bytes: statSync(target).size, sha256: await sha256(target) };
}

export async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
