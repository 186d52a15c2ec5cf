/**
 * Stage 2, cross-match: Gaia × LAMOST and the Hot Payne (by gaia_source_id, else
 * position), × 2MASS and × unWISE (nearest by position), all in DuckDB SQL (sql/).
 * Writes one match table per catalogue and counts matched, unmatched and ambiguous.
 */
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { asNumber, queryRows } from '../io/duckdb-query.js';
import { withMemoryDuckDB } from '../io/duckdb.js';
import { quoteLiteral } from '../io/sql-quote.js';
import { sqlModel } from '../io/sql-files.js';
import { runStage, artifact, type ComputedStage } from './stage-runner.js';
import type { Metric, RunRef, StageOutcome, StageProgress } from './types.js';

type Catalogue = 'lamost_dr8' | 'hot_payne' | 'tmass_psc' | 'unwise';

interface MatchSpec {
  catalogue: Catalogue;
  output: string;
  model: string;
  /** Sets up xm_cat (and xm_spec) for the model. */
  views(path: string): string[];
  keyColumn: string;
  params(c: RunRef['config']): Record<string, number>;
}

const spectroscopic = (catalogue: Catalogue, output: string): MatchSpec => ({
  catalogue,
  output,
  model: 'crossmatch_spectroscopic',
  keyColumn: 'obsid',
  views: (path) => [
    `CREATE OR REPLACE TEMP VIEW xm_spec AS SELECT obsid, ra, dec, gaia_source_id,
       coalesce(snrg, 0) + coalesce(snrr, 0) + coalesce(snri, 0) + coalesce(snrz, 0) AS snr
     FROM read_parquet(${quoteLiteral(path)})`,
    `CREATE OR REPLACE TEMP VIEW xm_cat AS SELECT obsid AS cat_id, ra, dec FROM xm_spec
     WHERE gaia_source_id IS NULL OR gaia_source_id NOT IN (SELECT source_id FROM xm_gaia)`,
  ],
  params: (c) => ({ radius_arcsec: c.crossmatch.lamostArcsec }),
});

export const MATCHES: MatchSpec[] = [
  spectroscopic('lamost_dr8', 'lamost_match'),
  spectroscopic('hot_payne', 'hot_payne_match'),
  {
    catalogue: 'tmass_psc',
    output: 'tmass_match',
    model: 'crossmatch_tmass',
    keyColumn: 'pts_key',
    views: (path) => [
      `CREATE OR REPLACE TEMP VIEW xm_cat AS SELECT pts_key AS cat_id, ra, dec FROM read_parquet(${quoteLiteral(path)})`,
    ],
    params: (c) => ({ radius_arcsec: c.crossmatch.tmassArcsec }),
  },
  {
    catalogue: 'unwise',
    output: 'unwise_match',
    model: 'crossmatch_unwise',
    keyColumn: 'unwise_objid',
    views: (path) => [
      `CREATE OR REPLACE TEMP VIEW xm_cat AS SELECT unwise_objid AS cat_id, ra, dec FROM read_parquet(${quoteLiteral(path)})`,
    ],
    params: (c) => ({ radius_arcsec: c.crossmatch.unwiseArcsec, keep_arcsec: c.crossmatch.unwiseKeepArcsec }),
  },
];

async function matchOne(
  c: DuckDBConnection,
  m: MatchSpec,
  catPath: string,
  outPath: string,
  config: RunRef['config'],
): Promise<Metric[]> {
  for (const v of m.views(catPath)) await c.run(v);
  // The macro binds xm_gaia and xm_cat when it is created: after the views exist.
  await c.run(sqlModel('positional_candidates'));
  await c.run(`CREATE OR REPLACE TEMP TABLE xm_result AS ${sqlModel(m.model)}`, m.params(config));
  await c.run(
    `COPY (SELECT * FROM xm_result ORDER BY source_id) TO ${quoteLiteral(outPath)} (FORMAT parquet, COMPRESSION zstd)`,
  );
  const [counts] = await queryRows<Record<string, bigint>>(
    c,
    `SELECT
       (SELECT count(*) FROM read_parquet(${quoteLiteral(catPath)})) AS catalogue_rows,
       (SELECT count(*) FROM xm_result) AS matched_gaia,
       (SELECT count(DISTINCT ${m.keyColumn}) FROM xm_result) AS matched_catalogue,
       (SELECT count(*) FROM xm_result WHERE n_candidates > 1) AS ambiguous,
       (SELECT count(*) FROM xm_gaia) AS gaia_rows`,
  );
  const n = (k: string) => asNumber(counts[k]);
  const p = m.catalogue;
  return [
    { name: `${p}.catalogue_rows`, value: n('catalogue_rows'), unit: 'rows' },
    { name: `${p}.matched`, value: n('matched_gaia'), unit: 'gaia sources' },
    { name: `${p}.unmatched_gaia`, value: n('gaia_rows') - n('matched_gaia'), unit: 'gaia sources' },
    { name: `${p}.unmatched_catalogue`, value: n('catalogue_rows') - n('matched_catalogue'), unit: 'rows' },
    { name: `${p}.ambiguous`, value: n('ambiguous'), unit: 'gaia sources' },
  ];
}

export async function crossmatchTables(
  tables: Record<string, string>,
  config: RunRef['config'],
  outDir: string,
  progress: StageProgress,
): Promise<ComputedStage> {
  const artifacts: ComputedStage['artifacts'] = [];
  const metrics: Metric[] = [];
  await withMemoryDuckDB(async (c) => {
    await c.run(
      `CREATE OR REPLACE TEMP TABLE xm_gaia AS SELECT source_id, ra, dec FROM read_parquet(${quoteLiteral(tables.gaia_source)})`,
    );
    for (const [i, m] of MATCHES.entries()) {
      const file = `${m.output}.parquet`;
      const ms = await matchOne(c, m, tables[m.catalogue], join(outDir, file), config);
      metrics.push(...ms);
      artifacts.push({ name: m.output, file, rows: ms[1].value });
      progress.heartbeat({ stage: 'crossmatch', done: i + 1, total: MATCHES.length, unit: 'catalogues' });
    }
  });
  return { artifacts, metrics };
}

export async function runCrossmatch(run: RunRef, ingest: StageOutcome, progress: StageProgress): Promise<StageOutcome> {
  const names = ['gaia_source', ...MATCHES.map((m) => m.catalogue)];
  const tables = Object.fromEntries(names.map((n) => [n, artifact(ingest, n).path]));
  const inputHashes = Object.fromEntries(names.map((n) => [n, artifact(ingest, n).sha256]));
  return runStage(
    run,
    {
      stage: 'crossmatch',
      config: run.config.crossmatch,
      inputHashes,
      compute: (w) => crossmatchTables(tables, run.config, w.outDir, w.progress),
    },
    progress,
  );
}
