/**
 * infer_plan: the inference's shards, laid out as the Gaia archive is (docs/method.md §7).
 * A Gaia DR3 source_id carries its HEALPix nested index in its top bits: source_id >> 35
 * is the level-12 pixel, source_id >> 43 the level-8 one. A shard is a contiguous
 * source_id range of whole level-8 pixels, consecutive pixels grouped in source_id order
 * while the shard holds at most inference.shardStars stars. A single level-8 pixel with
 * more stars than that is split the same way at level 12 (whole level-12 pixels), and a
 * level-12 pixel with more still into runs of consecutive source_ids of at most
 * shardStars stars each. The stars counted are those the fluxes stage keeps: Gaia
 * sources with an XP spectrum that has BP or RP (models/xp/record.ts's test, in SQL).
 * Writes shards.parquet: shard, stage, lo, hi, stars, healpix8_first, healpix8_last,
 * split_level ('healpix8', 'healpix12' or 'source_id').
 */
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { shardStageName } from '../core/stage.js';
import { asNumber, queryRows } from '../io/duckdb-query.js';
import { createParquetViews, withMemoryDuckDB } from '../io/duckdb.js';
import { quoteLiteral } from '../io/sql-quote.js';
import { artifact, runStage, splitRefs, StageOutputError, type ComputedStage } from './stage-runner.js';
import type { RunRef, StageOutcome, StageProgress } from './types.js';

/** One shard as the workflow hands it around: bounds as decimal strings (bigint is not JSON). */
export interface ShardRef {
  index: number;
  /** Its stage name, infer_<5-digit index>. */
  stage: string;
  /** Inclusive source_id bounds. */
  lo: string;
  hi: string;
  /** Stars with an XP spectrum (BP or RP) in [lo, hi]. */
  stars: number;
  healpix8First: string;
  healpix8Last: string;
  splitLevel: SplitLevel;
}

export type SplitLevel = 'healpix8' | 'healpix12' | 'source_id';

/**
 * infer_plan: how many shards and stars. The shards themselves are in its shards.parquet
 * (readShards, readShard), never in the workflow: a sky of 220 million stars has tens of
 * thousands of them, beyond what a Temporal payload may hold.
 */
export interface InferPlanDetail {
  shardCount: number;
  stars: number;
}

export type InferPlanOutcome = StageOutcome<InferPlanDetail>;

export const HEALPIX8_SHIFT = 43n;
export const HEALPIX12_SHIFT = 35n;

/** A star count over a contiguous source_id range (a pixel, or a run of source ids). */
export interface Cell {
  lo: bigint;
  hi: bigint;
  stars: number;
}

/**
 * Consecutive cells grouped greedily in order: a group takes the next cell while its
 * stars stay at most `max`. A cell with more than `max` stars is returned alone, marked
 * `oversize`, for the caller to split finer.
 */
export function groupCells(
  cells: readonly Cell[],
  max: number,
): { lo: bigint; hi: bigint; stars: number; oversize: boolean }[] {
  const groups: { lo: bigint; hi: bigint; stars: number; oversize: boolean }[] = [];
  let open: { lo: bigint; hi: bigint; stars: number; oversize: boolean } | null = null;
  for (const cell of cells) {
    if (cell.stars > max) {
      if (open) groups.push(open);
      open = null;
      groups.push({ ...cell, oversize: true });
    } else if (open && open.stars + cell.stars <= max) {
      open.hi = cell.hi;
      open.stars += cell.stars;
    } else {
      if (open) groups.push(open);
      open = { ...cell, oversize: false };
    }
  }
  if (open) groups.push(open);
  return groups;
}

/** The XP stars the fluxes stage keeps (a band is absent when its three arrays are all empty). */
const STARS = `(SELECT x.source_id FROM xp AS x SEMI JOIN gaia AS g ON g.source_id = x.source_id
  WHERE coalesce(len(x.bp_coefficients), 0) + coalesce(len(x.bp_coefficient_errors), 0) + coalesce(len(x.bp_coefficient_correlations), 0) > 0
     OR coalesce(len(x.rp_coefficients), 0) + coalesce(len(x.rp_coefficient_errors), 0) + coalesce(len(x.rp_coefficient_correlations), 0) > 0)`;

/** Star counts per pixel at a HEALPix level (by its source_id shift), within [lo, hi]. */
async function pixelCells(c: DuckDBConnection, shift: bigint, lo: bigint, hi: bigint): Promise<Cell[]> {
  const rows = await queryRows<{ pixel: bigint; stars: bigint }>(
    c,
    `SELECT source_id >> ${shift} AS pixel, count(*) AS stars FROM ${STARS}
     WHERE source_id BETWEEN $lo AND $hi GROUP BY pixel ORDER BY pixel`,
    { lo, hi },
  );
  return rows.map((r) => ({
    lo: BigInt(r.pixel) << shift,
    hi: ((BigInt(r.pixel) + 1n) << shift) - 1n,
    stars: asNumber(r.stars),
  }));
}

/** Runs of at most `max` consecutive stars within [lo, hi], bounded by their first and last source_id. */
async function sourceIdRuns(c: DuckDBConnection, lo: bigint, hi: bigint, max: number): Promise<Cell[]> {
  const rows = await queryRows<{ lo: bigint; hi: bigint; stars: bigint }>(
    c,
    `SELECT min(source_id) AS lo, max(source_id) AS hi, count(*) AS stars FROM (
       SELECT source_id, (row_number() OVER (ORDER BY source_id) - 1) // $max AS run FROM ${STARS}
       WHERE source_id BETWEEN $lo AND $hi)
     GROUP BY run ORDER BY run`,
    { lo, hi, max },
  );
  return rows.map((r) => ({ lo: BigInt(r.lo), hi: BigInt(r.hi), stars: asNumber(r.stars) }));
}

/** The shards of the stars in the views gaia and xp, in source_id order. */
export async function planShards(c: DuckDBConnection, maxStars: number): Promise<ShardRef[]> {
  const pieces: (Cell & { level: SplitLevel })[] = [];
  const all = await pixelCells(c, HEALPIX8_SHIFT, 0n, (1n << 63n) - 1n);
  for (const g8 of groupCells(all, maxStars)) {
    if (!g8.oversize) {
      pieces.push({ ...g8, level: 'healpix8' });
      continue;
    }
    for (const g12 of groupCells(await pixelCells(c, HEALPIX12_SHIFT, g8.lo, g8.hi), maxStars)) {
      if (!g12.oversize) pieces.push({ ...g12, level: 'healpix12' });
      else
        for (const run of await sourceIdRuns(c, g12.lo, g12.hi, maxStars)) pieces.push({ ...run, level: 'source_id' });
    }
  }
  return pieces.map((p, index) => ({
    index,
    stage: shardStageName(index),
    lo: p.lo.toString(),
    hi: p.hi.toString(),
    stars: p.stars,
    healpix8First: (p.lo >> HEALPIX8_SHIFT).toString(),
    healpix8Last: (p.hi >> HEALPIX8_SHIFT).toString(),
    splitLevel: p.level,
  }));
}

async function writeShards(c: DuckDBConnection, shards: ShardRef[], file: string): Promise<void> {
  await c.run(`CREATE OR REPLACE TEMP TABLE shards (shard INTEGER, stage VARCHAR, lo BIGINT, hi BIGINT, stars BIGINT,
    healpix8_first BIGINT, healpix8_last BIGINT, split_level VARCHAR)`);
  const appender = await c.createAppender('shards');
  for (const s of shards) {
    appender.appendInteger(s.index);
    appender.appendVarchar(s.stage);
    appender.appendBigInt(BigInt(s.lo));
    appender.appendBigInt(BigInt(s.hi));
    appender.appendBigInt(BigInt(s.stars));
    appender.appendBigInt(BigInt(s.healpix8First));
    appender.appendBigInt(BigInt(s.healpix8Last));
    appender.appendVarchar(s.splitLevel);
    appender.endRow();
  }
  appender.closeSync();
  await c.run(`COPY (SELECT * FROM shards ORDER BY shard) TO ${quoteLiteral(file)} (FORMAT parquet, COMPRESSION zstd)`);
}

export async function runInferPlan(
  run: RunRef,
  ingest: StageOutcome,
  progress: StageProgress,
): Promise<InferPlanOutcome> {
  const { paths, hashes } = splitRefs({
    gaia: artifact(ingest, 'gaia_source'),
    xp: artifact(ingest, 'xp_continuous_mean_spectrum'),
  });
  return runStage<InferPlanDetail>(
    run,
    {
      stage: 'infer_plan',
      config: { shardStars: run.config.inference.shardStars },
      inputHashes: hashes,
      compute: (w): Promise<ComputedStage<InferPlanDetail>> =>
        withMemoryDuckDB(async (c) => {
          await createParquetViews(c, paths);
          const shards = await planShards(c, run.config.inference.shardStars);
          await writeShards(c, shards, join(w.outDir, 'shards.parquet'));
          const stars = shards.reduce((n, s) => n + s.stars, 0);
          w.progress.heartbeat({ stage: 'infer_plan', done: shards.length, total: shards.length, unit: 'shards' });
          return {
            artifacts: [{ name: 'shards', file: 'shards.parquet', rows: shards.length }],
            metrics: [
              { name: 'shards', value: shards.length, unit: 'shards' },
              { name: 'stars', value: stars, unit: 'stars' },
              { name: 'largest_shard', value: Math.max(0, ...shards.map((s) => s.stars)), unit: 'stars' },
              {
                name: 'split_shards',
                value: shards.filter((s) => s.splitLevel !== 'healpix8').length,
                unit: 'shards',
              },
            ],
            detail: { shardCount: shards.length, stars },
          };
        }),
    },
    progress,
  );
}

/** The plan's shards (its shards.parquet), in order, or only the one of the given index. */
export async function readShards(plan: StageOutcome, index?: number): Promise<ShardRef[]> {
  const file = artifact(plan, 'shards').path;
  return withMemoryDuckDB(async (c) => {
    const rows = await queryRows<Record<string, bigint | number | string>>(
      c,
      `SELECT shard, stage, lo, hi, stars, healpix8_first, healpix8_last, split_level
       FROM read_parquet(${quoteLiteral(file)}) ${index === undefined ? '' : `WHERE shard = ${Number(index)}`} ORDER BY shard`,
    );
    return rows.map((r) => ({
      index: Number(r.shard),
      stage: String(r.stage),
      lo: String(r.lo),
      hi: String(r.hi),
      stars: Number(r.stars),
      healpix8First: String(r.healpix8_first),
      healpix8Last: String(r.healpix8_last),
      splitLevel: r.split_level as SplitLevel,
    }));
  });
}

/** The plan's shard of this index; a StageOutputError where the plan has none. */
export async function readShard(plan: StageOutcome, index: number): Promise<ShardRef> {
  const [shard] = await readShards(plan, index);
  if (!shard) throw new StageOutputError(`infer_plan: no shard ${index} in ${artifact(plan, 'shards').path}`);
  return shard;
}
