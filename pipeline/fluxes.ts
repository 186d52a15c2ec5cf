/**
 * Stage 4, fluxes: every Gaia source with an XP spectrum → 61 XP fluxes on the
 * pipeline grid + 5 NIR fluxes, with errors (model units, 1e-18 W m⁻² nm⁻¹). Works in
 * parts of config.fluxes.chunkRows stars; each finished part is a file in the work
 * folder, so a killed attempt resumes at the first missing part.
 * The 66×66 covariance and its whitening factor are not stored: training and inference
 * recompute them per batch from the XP coefficients (7,000 stars/s/core; storing them
 * would take 8.7–35 KB a star).
 */
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { rowOf, vectorsOf } from './star-rows.js';
import { DataVectorBuilder } from '../models/flux/data-vector.js';
import { toXpRecord } from '../models/xp/record.js';
import { asNumber, queryRows } from '../io/duckdb-query.js';
import { createParquetViews, withMemoryDuckDB } from '../io/duckdb.js';
import { quoteIdent, quoteLiteral } from '../io/sql-quote.js';
import { sqlModel } from '../io/sql-files.js';
import { artifact, resolveInputs, runStage, splitRefs, type ComputedStage, type StageWork } from './stage-runner.js';
import type { FluxesDetail, FluxesOutcome, RunRef, StageOutcome, StageProgress } from './types.js';

const XP_N_COEFFICIENTS = 55;

/** source_id ranges of about chunkRows stars each, in order. */
async function partBounds(c: DuckDBConnection, chunkRows: number): Promise<[bigint, bigint][]> {
  const rows = await queryRows<{ lo: bigint; hi: bigint }>(
    c,
    `SELECT min(source_id) AS lo, max(source_id) AS hi FROM (
       SELECT x.source_id, (row_number() OVER (ORDER BY x.source_id) - 1) // $n AS part FROM xp AS x SEMI JOIN gaia AS g USING (source_id))
     GROUP BY part ORDER BY part`,
    { n: chunkRows },
  );
  return rows.map((r) => [r.lo, r.hi]);
}

/** The part table: scalar columns, because the appender boxes list values (9× slower). */
const N_FLUX = 66;
const fluxCols = Array.from({ length: N_FLUX }, (_, k) => quoteIdent(`f${k}`));
const errorCols = Array.from({ length: N_FLUX }, (_, k) => quoteIdent(`e${k}`));
const PART_TABLE = `CREATE OR REPLACE TEMP TABLE part (source_id BIGINT, ${[...fluxCols, ...errorCols].map((c) => `${c} DOUBLE`).join(', ')}, nir_used UTINYINT, has_bp BOOLEAN, has_rp BOOLEAN)`;
const PART_SELECT = `SELECT source_id, [${fluxCols.join(', ')}] AS flux, [${errorCols.join(', ')}] AS flux_error, nir_used, has_bp, has_rp FROM part ORDER BY source_id`;

async function writePart(c: DuckDBConnection, bounds: [bigint, bigint], file: string, xpPath: string): Promise<number> {
  const builder = new DataVectorBuilder({ covariance: false, whitening: false });
  const out = builder.allocate();
  await c.run(PART_TABLE);
  const appender = await c.createAppender('part');
  const result = await c.stream('SELECT * FROM flux_inputs WHERE source_id BETWEEN $lo AND $hi ORDER BY source_id', {
    lo: bounds[0],
    hi: bounds[1],
  });
  const names = result.columnNames();
  let rows = 0;
  for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    const vectors = vectorsOf(chunk, names);
    for (let i = 0; i < chunk.rowCount; i++) {
      const { raw, nir } = rowOf(vectors, i);
      // A malformed spectrum throws XpInputError (non-retryable), naming source_id and column.
      const record = toXpRecord(raw, XP_N_COEFFICIENTS, { file: xpPath });
      if (!record.bp && !record.rp) continue;
      builder.build(record, nir, out);
      appender.appendBigInt(record.sourceId);
      for (let k = 0; k < N_FLUX; k++) appender.appendDouble(out.flux[k]);
      for (let k = 0; k < N_FLUX; k++) appender.appendDouble(out.fluxError[k]);
      appender.appendUTinyInt(out.nirUsed);
      appender.appendBoolean(record.bp !== null);
      appender.appendBoolean(record.rp !== null);
      appender.endRow();
      rows++;
    }
  }
  appender.closeSync();
  const tmp = `${file}.tmp`;
  await c.run(`COPY (${PART_SELECT}) TO ${quoteLiteral(tmp)} (FORMAT parquet, COMPRESSION zstd)`);
  renameSync(tmp, file);
  return rows;
}

export async function computeFluxes(
  paths: Record<string, string>,
  config: RunRef['config'],
  work: StageWork,
): Promise<ComputedStage<FluxesDetail>> {
  return withMemoryDuckDB(async (c) => {
    await createParquetViews(c, paths);
    await c.run(`CREATE TEMP VIEW flux_inputs AS ${sqlModel('flux_inputs')}`);
    const parts = await partBounds(c, config.fluxes.chunkRows);
    let resumedAt = -1;
    for (const [p, bounds] of parts.entries()) {
      const file = join(work.workDir, `part-${String(p).padStart(5, '0')}.parquet`);
      if (existsSync(file)) {
        resumedAt = p;
        continue;
      }
      await writePart(c, bounds, file, paths.xp);
      work.progress.heartbeat({ stage: 'fluxes', done: p + 1, total: parts.length, unit: 'parts' });
      if (config.fluxes.throttleMs > 0) await sleep(config.fluxes.throttleMs);
    }
    const out = join(work.outDir, 'fluxes.parquet');
    const glob = join(work.workDir, 'part-*.parquet');
    await c.run(
      `COPY (SELECT * FROM read_parquet(${quoteLiteral(glob)}) ORDER BY source_id) TO ${quoteLiteral(out)} (FORMAT parquet, COMPRESSION zstd)`,
    );
    const [stats] = await queryRows<Record<string, bigint>>(
      c,
      `SELECT count(*) AS n, count(*) FILTER (WHERE NOT has_bp) AS no_bp, count(*) FILTER (WHERE NOT has_rp) AS no_rp,
         count(*) FILTER (WHERE nir_used & 7 = 7) AS all_2mass, count(*) FILTER (WHERE nir_used & 24 = 24) AS both_wise
       FROM read_parquet(${quoteLiteral(out)})`,
    );
    const n = asNumber(stats.n);
    return {
      artifacts: [{ name: 'fluxes', file: 'fluxes.parquet', rows: n }],
      metrics: [
        { name: 'stars', value: n, unit: 'stars' },
        { name: 'missing_bp', value: asNumber(stats.no_bp), unit: 'stars' },
        { name: 'missing_rp', value: asNumber(stats.no_rp), unit: 'stars' },
        { name: 'all_2mass_bands', value: asNumber(stats.all_2mass), unit: 'stars' },
        { name: 'both_unwise_bands', value: asNumber(stats.both_wise), unit: 'stars' },
      ],
      detail: { parts: parts.length, resumedAfterPart: resumedAt },
    };
  });
}

/** What a star's data vector is built from: the views sql/flux_inputs.sql reads, by [stage, artifact]. */
export const FLUX_INPUTS = {
  gaia: ['ingest', 'gaia_source'],
  xp: ['ingest', 'xp_continuous_mean_spectrum'],
  spurious: ['ingest', 'gaiaedr3_spurious'],
  tmass: ['ingest', 'tmass_psc'],
  unwise: ['ingest', 'unwise'],
  tmass_match: ['crossmatch', 'tmass_match'],
  unwise_match: ['crossmatch', 'unwise_match'],
} as const;

export async function runFluxes(
  run: RunRef,
  ingest: StageOutcome,
  crossmatch: StageOutcome,
  progress: StageProgress,
): Promise<FluxesOutcome> {
  const outcomes: Record<string, StageOutcome> = { ingest, crossmatch };
  const { paths, hashes: inputHashes } = splitRefs(
    resolveInputs(FLUX_INPUTS, (stage, name) => artifact(outcomes[stage], name)),
  );
  return runStage(
    run,
    { stage: 'fluxes', config: {}, inputHashes, compute: (w) => computeFluxes(paths, run.config, w) },
    progress,
  );
}
