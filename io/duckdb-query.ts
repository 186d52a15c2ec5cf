/** Small helpers over @duckdb/node-api results: rows as plain JS objects, one value. */
import type { DuckDBConnection } from '@duckdb/node-api';

type Params = Record<string, string | number | boolean | bigint | null>;

export async function queryRows<T = Record<string, unknown>>(
  c: DuckDBConnection,
  sql: string,
  params?: Params,
): Promise<T[]> {
  const reader = await c.runAndReadAll(sql, params as never);
  return reader.getRowObjectsJS() as T[];
}

export async function queryValue<T>(c: DuckDBConnection, sql: string, params?: Params): Promise<T> {
  const rows = await queryRows<Record<string, T>>(c, sql, params);
  const first = rows[0];
  if (!first) throw new Error(`query returned no rows: ${sql.slice(0, 80)}`);
  return Object.values(first)[0];
}

/** BIGINT counts come back as bigint: make them numbers (counts stay below 2^53). */
export function asNumber(v: unknown): number {
  return typeof v === 'bigint' ? Number(v) : (v as number);
}
