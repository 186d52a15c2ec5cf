/**
 * Stage 3, quality cuts: builds the star table (astrometry, quality, reddening prior,
 * labels with the Hot Payne over LAMOST and the label error floor) and the training
 * sample (stars passing every cut of docs/method.md §2). Each cut is counted in order:
 * rows before, removed, failing alone, rows after.
 */
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { LABEL_ERROR_FLOOR } from '../models/config/science.js';
import { asNumber, queryRows } from '../io/duckdb-query.js';
import { createParquetViews, withMemoryDuckDB } from '../io/duckdb.js';
import { quoteIdent, quoteLiteral } from '../io/sql-quote.js';
import { sqlModel } from '../io/sql-files.js';
import { artifact, runStage, splitRefs, type ComputedStage } from './stage-runner.js';
import type { CutCount, RunRef, StageOutcome, StageProgress } from './types.js';

/** The cuts in the order they are applied (column pass_<name> of sql/training_cuts.sql). */
export const TRAINING_CUT_ORDER: { name: string; describe(c: RunRef['config']['cuts']): string }[] = [
  { name: 'has_labels', describe: () => 'matched to LAMOST DR8 or the Hot Payne' },
  { name: 'labels_finite', describe: () => 'Teff, [Fe/H] and log g all present' },
  { name: 'lamost_snr', describe: (c) => `S/N > ${c.minLamostSnr} in ${c.lamostSnrBands.join(', ')}` },
  { name: 'teff_err', describe: (c) => `Teff error < ${c.maxTeffErrK} K` },
  { name: 'feh_err', describe: (c) => `[Fe/H] error < ${c.maxFehErrDex} dex` },
  { name: 'logg_err', describe: (c) => `log g error < ${c.maxLoggErrDex} dex` },
  { name: 'parallax_snr', describe: (c) => `parallax_over_error > ${c.minParallaxOverError}` },
  { name: 'fidelity', describe: (c) => `fidelity_v2 > ${c.minFidelityV2}` },
  { name: 'bp_rp_excess', describe: (c) => `phot_bp_rp_excess_factor < ${c.maxBpRpExcessFactor}` },
];

async function countCuts(c: DuckDBConnection, total: number, cuts: RunRef['config']['cuts']): Promise<CutCount[]> {
  const cols = TRAINING_CUT_ORDER.map((k) => quoteIdent(`pass_${k.name}`));
  const selects = TRAINING_CUT_ORDER.flatMap((_, i) => [
    `count(*) FILTER (WHERE ${cols.slice(0, i + 1).join(' AND ')}) AS ${quoteIdent(`after_${i}`)}`,
    `count(*) FILTER (WHERE pass_has_labels AND NOT ${cols[i]}) AS ${quoteIdent(`alone_${i}`)}`,
  ]);
  const [row] = await queryRows<Record<string, bigint>>(c, `SELECT ${selects.join(', ')} FROM cuts`);
  let before = total;
  return TRAINING_CUT_ORDER.map((k, i) => {
    const after = asNumber(row[`after_${i}`]);
    const count: CutCount = {
      order: i + 1,
      cut: k.name,
      description: k.describe(cuts),
      rowsBefore: before,
      removed: before - after,
      failingAlone: i === 0 ? total - after : asNumber(row[`alone_${i}`]),
      rowsAfter: after,
    };
    before = after;
    return count;
  });
}

export async function applyQualityCuts(
  paths: Record<string, string>,
  config: RunRef['config'],
  outDir: string,
): Promise<ComputedStage> {
  return withMemoryDuckDB(async (c) => {
    await createParquetViews(c, paths);
    await c.run(`CREATE TEMP TABLE stars AS ${sqlModel('star_table')}`, { label_floor: LABEL_ERROR_FLOOR });
    const cuts = config.cuts;
    const band = (b: string) => (cuts.lamostSnrBands as string[]).includes(b);
    await c.run(`CREATE TEMP TABLE cuts AS ${sqlModel('training_cuts')}`, {
      snr_g: band('g'),
      snr_r: band('r'),
      snr_i: band('i'),
      snr_z: band('z'),
      min_snr: cuts.minLamostSnr,
      max_teff_err: cuts.maxTeffErrK,
      max_feh_err: cuts.maxFehErrDex,
      max_logg_err: cuts.maxLoggErrDex,
      min_parallax_over_error: cuts.minParallaxOverError,
      min_fidelity: cuts.minFidelityV2,
      max_excess: cuts.maxBpRpExcessFactor,
    });
    const total = asNumber((await queryRows<{ n: bigint }>(c, 'SELECT count(*) AS n FROM stars'))[0].n);
    const cutCounts = await countCuts(c, total, cuts);
    const all = TRAINING_CUT_ORDER.map((k) => `cuts.${quoteIdent(`pass_${k.name}`)}`).join(' AND ');
    await c.run(
      `COPY (SELECT * FROM stars ORDER BY source_id) TO ${quoteLiteral(join(outDir, 'stars.parquet'))} (FORMAT parquet, COMPRESSION zstd)`,
    );
    await c.run(
      `COPY (SELECT stars.* FROM stars JOIN cuts USING (source_id) WHERE ${all} ORDER BY source_id)
       TO ${quoteLiteral(join(outDir, 'training_sample.parquet'))} (FORMAT parquet, COMPRESSION zstd)`,
    );
    const kept = cutCounts[cutCounts.length - 1].rowsAfter;
    return {
      artifacts: [
        { name: 'stars', file: 'stars.parquet', rows: total },
        { name: 'training_sample', file: 'training_sample.parquet', rows: kept },
      ],
      cutCounts,
      metrics: [{ name: 'training_sample.rows', value: kept, unit: 'stars' }],
    };
  });
}

export async function runQualityCuts(
  run: RunRef,
  ingest: StageOutcome,
  crossmatch: StageOutcome,
  progress: StageProgress,
): Promise<StageOutcome> {
  const refs = {
    gaia: artifact(ingest, 'gaia_source'),
    spurious: artifact(ingest, 'gaiaedr3_spurious'),
    lamost: artifact(ingest, 'lamost_dr8'),
    hot_payne: artifact(ingest, 'hot_payne'),
    reddening: artifact(ingest, 'reddening_prior'),
    lamost_match: artifact(crossmatch, 'lamost_match'),
    hot_payne_match: artifact(crossmatch, 'hot_payne_match'),
  };
  const { paths, hashes: inputHashes } = splitRefs(refs);
  return runStage(
    run,
    {
      stage: 'quality_cuts',
      config: { cuts: run.config.cuts, labelFloor: LABEL_ERROR_FLOOR },
      inputHashes,
      compute: async (w) => {
        const out = await applyQualityCuts(paths, run.config, w.outDir);
        w.progress.heartbeat({ stage: 'quality_cuts', done: 1, total: 1, unit: 'steps' });
        return out;
      },
    },
    progress,
  );
}
