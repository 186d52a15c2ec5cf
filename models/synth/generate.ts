/**
 * generateSky: the synthetic sky, streamed. Stars are made one at a time from their
 * own random streams and appended, a chunk at a time, to staging tables in a
 * temporary DuckDB file in the output folder (memory-limited, one thread); then each
 * table is written sorted by its key, the generator's extinction law is saved, and
 * manifest.json records the parameters, row counts and checksums. Same options,
 * same bytes. The temporary database is removed at the end, also on failure.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, version as duckdbVersion, type DuckDBConnection } from '@duckdb/node-api';
import { INPUT_TABLES, INPUT_TABLE_NAMES, TRUTH_TABLE, type TableSpec } from '../catalogue/input-tables.js';
import { atomicWriter } from '../../core/atomic-file.js';
import { log } from '../../core/log.js';
import { pipelineExtinctionLaw } from './extinction.js';
import { observeStar } from './observe/observe-star.js';
import { resolveSkyOptions, type SkyOptions, type SkyOptionsInput } from './options.js';
import { StarFactory } from './star.js';
import { ChunkAppender } from './tables/chunk-appender.js';
import { exportTable, sha256, type WrittenFile } from './tables/export.js';
import type { StarRows } from './tables/row.js';
import { createStageSql, stagingTable, type StagingTable } from './tables/staging.js';

/** Bumped whenever the same options would give different files. */
export const SYNTH_VERSION = '1';

export interface SkyManifest {
  generator: string;
  generatorVersion: string;
  duckdbVersion: string;
  seed: number;
  stars: number;
  format: SkyOptions['format'];
  lamostFraction: number;
  rates: SkyOptions['rates'];
  parallaxZeroPoint: SkyOptions['parallaxZeroPoint'];
  tables: Record<string, WrittenFile>;
  extinctionLaw: { file: string; sha256: string };
}

export interface SkyRunStats {
  manifest: SkyManifest;
  /** Seconds spent making and appending stars, and writing the files. */
  generateSeconds: number;
  writeSeconds: number;
}

/** Stars between checkpoints of the staging database (bounds its memory). */
const CHECKPOINT_EVERY_STARS = 32_768;

const TABLES: TableSpec[] = [...INPUT_TABLE_NAMES.map((n) => INPUT_TABLES[n]), TRUTH_TABLE];

export async function generateSky(input: SkyOptionsInput): Promise<SkyManifest> {
  return (await runSky(input)).manifest;
}

/** generateSky with timings (for the benchmark). */
export async function runSky(input: SkyOptionsInput): Promise<SkyRunStats> {
  const o = resolveSkyOptions(input);
  mkdirSync(o.out, { recursive: true });
  const dbPath = join(o.out, '.synth.duckdb');
  const tempDir = join(o.out, '.synth-tmp');
  const cleanup = () => {
    for (const p of [dbPath, `${dbPath}.wal`, tempDir]) rmSync(p, { recursive: true, force: true });
  };
  cleanup();
  const instance = await DuckDBInstance.create(dbPath, {
    threads: '1',
    memory_limit: o.memoryLimit,
    temp_directory: tempDir,
    preserve_insertion_order: 'true',
  });
  const connection = await instance.connect();
  try {
    const staged = TABLES.map(stagingTable);
    const t0 = performance.now();
    const counts = await stageStars(connection, staged, o);
    const t1 = performance.now();
    const tables: Record<string, WrittenFile> = {};
    for (const t of staged) {
      tables[t.spec.name] = await exportTable(connection, t, o.out, o.format, counts[t.spec.name]);
      log.debug('synth: wrote table', { table: t.spec.name, rows: counts[t.spec.name] });
    }
    const manifest = await finish(o, tables);
    const t2 = performance.now();
    log.verbose('synth: sky written', { out: o.out, stars: o.stars, seconds: Number(((t2 - t0) / 1000).toFixed(1)) });
    return { manifest, generateSeconds: (t1 - t0) / 1000, writeSeconds: (t2 - t1) / 1000 };
  } finally {
    connection.closeSync();
    instance.closeSync();
    cleanup();
  }
}

async function stageStars(
  connection: DuckDBConnection,
  staged: StagingTable[],
  o: SkyOptions,
): Promise<Record<string, number>> {
  for (const t of staged) await connection.run(createStageSql(t));
  const appenders: Record<string, ChunkAppender> = {};
  for (const t of staged) appenders[t.spec.name] = await ChunkAppender.open(connection, t, o.chunkSize);
  const factory = new StarFactory({ seed: o.seed, binaryRate: o.rates.unresolvedBinary });
  const step = Math.max(1, Math.ceil(o.stars / 10));
  for (let i = 0; i < o.stars; i++) {
    const rows: StarRows = observeStar(factory.make(i), o);
    for (const [name, value] of Object.entries(rows)) {
      const a = appenders[name];
      if (Array.isArray(value)) for (const r of value) a.add(r);
      else a.add(value);
    }
    if ((i + 1) % CHECKPOINT_EVERY_STARS === 0) {
      // Committed rows stay in memory until checkpointed: write them to the file regularly.
      for (const a of Object.values(appenders)) a.flushAll();
      await connection.run('CHECKPOINT');
    }
    if ((i + 1) % step === 0) log.verbose('synth: stars made', { done: i + 1, of: o.stars });
  }
  const counts: Record<string, number> = {};
  for (const [name, a] of Object.entries(appenders)) {
    a.close();
    counts[name] = a.rowCount;
  }
  return counts;
}

async function finish(o: SkyOptions, tables: Record<string, WrittenFile>): Promise<SkyManifest> {
  const lawFile = 'extinction_law.json';
  await writeJson(join(o.out, lawFile), pipelineExtinctionLaw());
  const manifest: SkyManifest = {
    generator: 'xpflow synth',
    generatorVersion: SYNTH_VERSION,
    duckdbVersion: duckdbVersion(),
    seed: o.seed,
    stars: o.stars,
    format: o.format,
    lamostFraction: o.lamostFraction,
    rates: o.rates,
    parallaxZeroPoint: o.parallaxZeroPoint,
    tables,
    extinctionLaw: { file: lawFile, sha256: await sha256(join(o.out, lawFile)) },
  };
  await writeJson(join(o.out, 'manifest.json'), manifest);
  return manifest;
}

async function writeJson(path: string, value: unknown): Promise<void> {
  const w = atomicWriter(path);
  try {
    await w.write(`${JSON.stringify(value, null, 2)}\n`);
    await w.commit();
  } catch (e) {
    await w.abort();
    throw e;
  }
}
