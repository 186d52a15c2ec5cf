/**
 * Streams Gaia DR3 XP rows (xp_continuous_mean_spectrum) from CSV or Parquet through
 * DuckDB, checked into XpRecords. Errors name the file, the 1-based data row, the
 * source_id and the column.
 */
import { existsSync } from 'node:fs';
import { DuckDBInstance, type DuckDBDataChunk, type DuckDBVector } from '@duckdb/node-api';
import { type RawXpRow, type XpRecord, XpInputError, toXpRecord } from '../models/xp/record.js';
import { parseNumberArray } from '../models/xp/parse-array.js';
import { sqlModel } from './sql-files.js';

export const XP_COLUMNS = [
  'source_id',
  'bp_n_parameters',
  'bp_coefficients',
  'bp_coefficient_errors',
  'bp_coefficient_correlations',
  'bp_standard_deviation',
  'rp_n_parameters',
  'rp_coefficients',
  'rp_coefficient_errors',
  'rp_coefficient_correlations',
  'rp_standard_deviation',
] as const satisfies readonly (keyof RawXpRow)[];

export type XpFileFormat = 'csv' | 'parquet';

export function formatOf(path: string): XpFileFormat {
  const lower = path.toLowerCase();
  if (lower.endsWith('.parquet') || lower.endsWith('.pq')) return 'parquet';
  if (lower.endsWith('.csv') || lower.endsWith('.csv.gz')) return 'csv';
  throw new XpInputError({ file: path }, 'unknown format: expected .csv, .csv.gz or .parquet');
}

export interface XpBatch {
  records: XpRecord[];
  /** 1-based data row of records[0]. */
  firstRow: number;
}

/** Yields checked records in file order, one DuckDB chunk (≤ 2048 rows) at a time. */
export async function* readXpFile(path: string, expectedCoefficients: number): AsyncGenerator<XpBatch> {
  const format = formatOf(path);
  if (!/[*?[]/.test(path) && !existsSync(path)) throw new XpInputError({ file: path }, 'file not found');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    let result;
    try {
      result = await connection.stream(sqlModel(`xp_spectra_${format}`), { path });
    } catch (e) {
      throw new XpInputError({ file: path }, `cannot be read as ${format}: ${(e as Error).message}`);
    }
    const names = result.columnNames();
    const index = new Map(names.map((n, i) => [n, i]));
    for (const c of XP_COLUMNS) {
      if (!index.has(c)) throw new XpInputError({ file: path, column: c }, 'required column is missing');
    }
    let row = 1;
    for (;;) {
      let chunk: DuckDBDataChunk | null;
      try {
        chunk = await result.fetchChunk();
      } catch (e) {
        throw new XpInputError({ file: path, row }, `read failed: ${(e as Error).message}`);
      }
      if (!chunk || chunk.rowCount === 0) break;
      const vectors = Object.fromEntries(XP_COLUMNS.map((c) => [c, chunk.getColumnVector(index.get(c)!)])) as Record<
        (typeof XP_COLUMNS)[number],
        DuckDBVector
      >;
      const records: XpRecord[] = [];
      for (let i = 0; i < chunk.rowCount; i++) {
        const at = { file: path, row: row + i };
        records.push(toXpRecord(rawRow(vectors, i, at), expectedCoefficients, at));
      }
      yield { records, firstRow: row };
      row += chunk.rowCount;
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

type Loc = { file: string; row: number };

function rawRow(v: Record<(typeof XP_COLUMNS)[number], DuckDBVector>, i: number, at: Loc): RawXpRow {
  const sourceId = bigintOf(v.source_id.getItem(i), { ...at, column: 'source_id' });
  const sid = sourceId?.toString();
  const num = (c: (typeof XP_COLUMNS)[number]) => numberOf(v[c].getItem(i), { ...at, sourceId: sid, column: c });
  const arr = (c: (typeof XP_COLUMNS)[number]) => arrayOf(v[c], i, { ...at, sourceId: sid, column: c });
  return {
    source_id: sourceId,
    bp_n_parameters: num('bp_n_parameters'),
    bp_coefficients: arr('bp_coefficients'),
    bp_coefficient_errors: arr('bp_coefficient_errors'),
    bp_coefficient_correlations: arr('bp_coefficient_correlations'),
    bp_standard_deviation: num('bp_standard_deviation'),
    rp_n_parameters: num('rp_n_parameters'),
    rp_coefficients: arr('rp_coefficients'),
    rp_coefficient_errors: arr('rp_coefficient_errors'),
    rp_coefficient_correlations: arr('rp_coefficient_correlations'),
    rp_standard_deviation: num('rp_standard_deviation'),
  };
}

type Where = Loc & { sourceId?: string; column: string };

function bigintOf(value: unknown, at: Where): bigint | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return BigInt(value.trim());
  throw new XpInputError(at, `expected an integer, got ${JSON.stringify(String(value))}`);
}

function numberOf(value: unknown, at: Where): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string') {
    const s = value.trim();
    if (s === '') return null;
    const x = Number(s);
    if (!Number.isNaN(x) || /^[+-]?nan$/i.test(s)) return x;
  }
  throw new XpInputError(at, `expected a number, got ${JSON.stringify(String(value))}`);
}

function arrayOf(vector: DuckDBVector, i: number, at: Where): Float64Array | null {
  const value = vector.getItem(i);
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') {
    const parsed = parseNumberArray(value);
    if (!parsed) throw new XpInputError(at, `not an array of numbers: ${JSON.stringify(value.slice(0, 60))}…`);
    return parsed;
  }
  const items = (value as { items?: unknown[] }).items;
  if (!Array.isArray(items)) throw new XpInputError(at, `expected a list of numbers, got ${typeof value}`);
  const out = new Float64Array(items.length);
  for (let k = 0; k < items.length; k++) {
    const x = items[k];
    if (typeof x !== 'number') throw new XpInputError(at, `element ${k} is ${x === null ? 'null' : typeof x}`);
    out[k] = x;
  }
  return out;
}
