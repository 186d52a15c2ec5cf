/**
 * The catalogue (inference for every star, docs/method.md §7) against a synthetic sky's
 * truth: bias, robust scatter and pull width of each parameter by G bin, for the stars
 * without an injected defect, the run's training stars apart from all others
 * (sql/truth_catalogue_recovery.sql). Real data has no truth; this is the synthetic
 * check of the catalogue's values and of its uncertainties (a pull width near 1).
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { auditRun } from '../io/catalogue/queries.js';
import { queryRows } from '../io/duckdb-query.js';
import { withMemoryDuckDB } from '../io/duckdb.js';
import { sqlModel } from '../io/sql-files.js';
import { quoteLiteral } from '../io/sql-quote.js';
import type { CatalogueManifest } from '../pipeline/infer-catalogue.js';
import { EvaluationError } from './evaluation-error.js';

export const CATALOGUE_PARAMETERS = ['teff', 'feh', 'logg', 'E', 'parallax'] as const;
export type CatalogueParameter = (typeof CATALOGUE_PARAMETERS)[number];

/** One parameter's fit − true: median, 1.4826 × MAD, and the same of (fit − true)/σ. */
export interface ParameterScatter {
  bias: number;
  sd: number;
  pullSd: number;
}

export interface CatalogueRecoveryRow {
  /** 'training': the run's training split; 'others': every other star. */
  starSet: 'training' | 'others';
  /** A G-magnitude bin, or 'G < 16' over all of them below 16. */
  gBin: string;
  stars: number;
  /** quality_flags ≥ 8, and of those not converged (bit 7: left out of the statistics). */
  flagged: number;
  notConverged: number;
  parameters: Record<CatalogueParameter, ParameterScatter>;
}

/** The Parquet files the run's finished catalogue stage lists (its manifest); empty when it has none. */
export function catalogueFiles(artifacts: { stage: string; name: string; path: string }[]): string[] {
  const manifest = artifacts.find((a) => a.stage === 'catalogue' && a.name === 'catalogue');
  if (!manifest) return [];
  const { files } = JSON.parse(readFileSync(manifest.path, 'utf8')) as Pick<CatalogueManifest, 'files'>;
  return files.map((f) => resolve(dirname(manifest.path), f));
}

/** Undefined when the run has no catalogue. */
export async function catalogueAgainstTruth(
  dataDir: string,
  runId: string,
  skyDir: string,
): Promise<CatalogueRecoveryRow[] | undefined> {
  const audit = await auditRun(dataDir, runId);
  if (!audit) throw new EvaluationError(`no run ${runId} in ${dataDir}`);
  const files = catalogueFiles(audit.artifacts);
  if (files.length === 0) return undefined;
  const split = audit.artifacts.find((a) => a.stage === 'split' && a.name === 'split');
  if (!split) throw new EvaluationError(`run ${runId} has no split`);
  return withMemoryDuckDB(async (c) => {
    await c.run(
      `CREATE TEMP VIEW catalogue AS SELECT * FROM read_parquet([${files.map((f) => quoteLiteral(f)).join(', ')}])`,
    );
    await c.run(`CREATE TEMP VIEW truth AS SELECT * FROM read_parquet(${quoteLiteral(join(skyDir, 'truth.parquet'))})`);
    await c.run(
      `CREATE TEMP VIEW training AS SELECT source_id FROM read_parquet(${quoteLiteral(split.path)}) WHERE split = 'train'`,
    );
    const rows = await queryRows<Record<string, unknown>>(c, sqlModel('truth_catalogue_recovery'));
    return rows.map((r) => ({
      starSet: r.star_set as CatalogueRecoveryRow['starSet'],
      gBin: String(r.g_bin),
      stars: Number(r.stars),
      flagged: Number(r.flagged),
      notConverged: Number(r.not_converged),
      parameters: Object.fromEntries(
        CATALOGUE_PARAMETERS.map((p) => [
          p,
          { bias: Number(r[`${p}_bias`]), sd: Number(r[`${p}_sd`]), pullSd: Number(r[`${p}_pull_sd`]) },
        ]),
      ) as Record<CatalogueParameter, ParameterScatter>,
    }));
  });
}
