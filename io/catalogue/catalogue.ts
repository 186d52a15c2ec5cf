/**
 * The DuckDB audit catalogue (xpflow-data/xpflow.duckdb): opened for one unit of work
 * and closed again, so that workers and the CLI take turns at DuckDB's one-writer lock.
 * Writers apply pending migrations on open.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Dialect, Kysely, sql } from 'kysely';
import { DuckDbDialect } from 'kysely-duckdb';
import { openDuckDB } from '../duckdb.js';
import { MIGRATIONS } from './migrations.js';
import type { CatalogueDB } from './schema.js';

export const CATALOGUE_FILE = 'xpflow.duckdb';

export function cataloguePath(dataDir: string): string {
  return join(dataDir, CATALOGUE_FILE);
}

export interface Catalogue {
  db: Kysely<CatalogueDB>;
  path: string;
}

/**
 * The writes in flight per catalogue file in this process. DuckDB's lock keeps other
 * processes out, but not a second instance of the same process (the lock is the
 * process's): two at once would each write the file from their own buffers and lose
 * one's rows. Writers of one process (a worker running two activities) take turns here.
 */
const writeTurns = new Map<string, Promise<unknown>>();

/** Runs fn with the catalogue open; read-only unless write is set. */
export async function withCatalogue<T>(
  dataDir: string,
  mode: 'read' | 'write',
  fn: (c: Catalogue) => Promise<T>,
): Promise<T> {
  const path = cataloguePath(dataDir);
  if (mode === 'read') return openCatalogue(path, dataDir, mode, fn);
  const previous = writeTurns.get(path) ?? Promise.resolve();
  const mine = previous.catch(() => undefined).then(() => openCatalogue(path, dataDir, mode, fn));
  const turn = mine.catch(() => undefined);
  writeTurns.set(path, turn);
  try {
    return await mine;
  } finally {
    if (writeTurns.get(path) === turn) writeTurns.delete(path);
  }
}

async function openCatalogue<T>(
  path: string,
  dataDir: string,
  mode: 'read' | 'write',
  fn: (c: Catalogue) => Promise<T>,
): Promise<T> {
  if (mode === 'write') mkdirSync(dataDir, { recursive: true });
  const handle = await openDuckDB(path, { readOnly: mode === 'read', lockTimeoutMs: 60_000 });
  // kysely-duckdb's types resolve to kysely's CommonJS build; the dialect itself is compatible.
  const dialect = new DuckDbDialect({ database: handle.instance, tableMappings: {} }) as unknown as Dialect;
  const db = new Kysely<CatalogueDB>({ dialect });
  try {
    if (mode === 'write') await migrate(db);
    return await fn({ db, path });
  } finally {
    await db.destroy();
    handle.close();
  }
}

async function migrate(db: Kysely<CatalogueDB>): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, description VARCHAR NOT NULL, applied_at VARCHAR NOT NULL)`.execute(
    db,
  );
  const applied = new Set(
    (await db.selectFrom('schema_migrations').select('version').execute()).map((r) => Number(r.version)),
  );
  for (const m of MIGRATIONS) {
    if (applied.has(m.version)) continue;
    await db.transaction().execute(async (tx) => {
      for (const statement of m.sql
        .split(';')
        .map((s) => s.trim())
        .filter(Boolean))
        await sql.raw(statement).execute(tx);
      await tx
        .insertInto('schema_migrations')
        .values({ version: m.version, description: m.description, applied_at: new Date().toISOString() })
        .execute();
    });
  }
}
