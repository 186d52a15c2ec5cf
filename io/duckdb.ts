/**
 * Opening DuckDB files. One process may hold a file read-write; others wait: opening
 * retries while the file is locked, so short-lived writers (the catalogue is opened
 * per write) and readers (the CLI) take turns.
 */
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { setTimeout as sleep } from 'node:timers/promises';
import { quoteIdent, quoteLiteral } from './sql-quote.js';

export interface OpenOptions {
  readOnly?: boolean;
  /** How long to keep retrying while another process holds the lock (ms). */
  lockTimeoutMs?: number;
  /** DuckDB settings, e.g. { threads: '2', memory_limit: '4GB' }. */
  settings?: Record<string, string>;
}

export interface DuckDBHandle {
  instance: DuckDBInstance;
  connection: DuckDBConnection;
  close(): void;
}

const isLockError = (e: unknown) => /lock|Conflicting lock|already open/i.test(String((e as Error)?.message ?? e));

export async function openDuckDB(path: string, options: OpenOptions = {}): Promise<DuckDBHandle> {
  const deadline = Date.now() + (options.lockTimeoutMs ?? 30_000);
  const config: Record<string, string> = { ...(options.settings ?? {}) };
  if (options.readOnly) config.access_mode = 'READ_ONLY';
  for (let wait = 20; ; wait = Math.min(wait * 2, 500)) {
    try {
      const instance = await DuckDBInstance.create(path, config);
      const connection = await instance.connect();
      return {
        instance,
        connection,
        close() {
          connection.closeSync();
          instance.closeSync();
        },
      };
    } catch (e) {
      if (!isLockError(e) || Date.now() > deadline) throw e;
      await sleep(wait);
    }
  }
}

export async function withDuckDB<T>(
  path: string,
  options: OpenOptions,
  fn: (c: DuckDBConnection) => Promise<T>,
): Promise<T> {
  const db = await openDuckDB(path, options);
  try {
    return await fn(db.connection);
  } finally {
    db.close();
  }
}

/** A throw-away in-memory database for one stage's transforms. */
export function withMemoryDuckDB<T>(
  fn: (c: DuckDBConnection) => Promise<T>,
  settings?: Record<string, string>,
): Promise<T> {
  return withDuckDB(':memory:', { settings }, fn);
}

/** A temporary view per name over its Parquet file, for the SQL models of sql/ to read. */
export async function createParquetViews(c: DuckDBConnection, paths: Record<string, string>): Promise<void> {
  for (const [view, path] of Object.entries(paths))
    await c.run(`CREATE TEMP VIEW ${quoteIdent(view)} AS SELECT * FROM read_parquet(${quoteLiteral(path)})`);
}
