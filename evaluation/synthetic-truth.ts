/**
 * How well a run recovered a synthetic sky's truth (which the pipeline never reads):
 * the learned extinction curve against the generator's mean law, self-cleaning recall
 * and precision on the injected defects, and the validation statistics.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { auditRun } from '../io/catalogue/queries.js';
import { queryRows } from '../io/duckdb-query.js';
import { withMemoryDuckDB } from '../io/duckdb.js';
import { quoteLiteral } from '../io/sql-quote.js';

export interface DefectScore {
  injected: number;
  flagged: number;
  recall: number;
}

export interface TruthEvaluation {
  runId: string;
  extinction: { maxRelativeError: number; medianRelativeError: number; worstWavelengthNm: number };
  cleaning: {
    trainingStars: number;
    flagged: number;
    precision: number;
    byDefect: Record<string, DefectScore>;
  };
  validation: { medianReducedChi2: number; maxAbsMeanResidual: number; worstWavelengthNm: number };
}

const DEFECTS = ['unresolved_binary', 'wrong_lamost_logg', 'spurious_parallax', 'contaminated_nir'] as const;

const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];

export async function evaluateAgainstTruth(dataDir: string, runId: string, skyDir: string): Promise<TruthEvaluation> {
  const audit = await auditRun(dataDir, runId);
  if (!audit) throw new Error(`no run ${runId} in ${dataDir}`);
  const path = (stage: string, name: string) => audit.artifacts.find((a) => a.stage === stage && a.name === name)?.path;
  const validationPath = path('validation', 'validation');
  const cleanStages = audit.stages.map((s) => s.stage).filter((s) => s.startsWith('clean_')).sort((a, b) => Number(a.slice(6)) - Number(b.slice(6)));
  const outliersPath = cleanStages.length ? path(cleanStages[cleanStages.length - 1], 'outliers') : undefined;
  if (!validationPath || !outliersPath) throw new Error(`run ${runId} has no training results (validation, clean_N)`);
  const validation = JSON.parse(readFileSync(validationPath, 'utf8')) as {
    medianReducedChi2: number;
    wavelengthsNm: number[];
    meanResidualPerWavelength: number[];
    extinctionCurve: number[];
  };
  const lawFile = join(skyDir, 'extinction_law.json');
  if (!existsSync(lawFile)) throw new Error(`${lawFile} not found: is ${skyDir} a synthetic sky?`);
  const law = JSON.parse(readFileSync(lawFile, 'utf8')) as { R: number[]; wavelengthsNm: number[] };
  const rel = validation.extinctionCurve.map((r, i) => Math.abs(r / law.R[i] - 1));
  const worstR = rel.indexOf(Math.max(...rel));
  const absResidual = validation.meanResidualPerWavelength.map((v) => (Number.isFinite(v) ? Math.abs(v) : 0));
  const worstRes = absResidual.indexOf(Math.max(...absResidual));

  const flags = JSON.parse(readFileSync(outliersPath, 'utf8')) as { sourceId: string[]; outliers: number[] };
  const cleaning = await withMemoryDuckDB(async (c) => {
    await c.run('CREATE TABLE flags (source_id BIGINT, outlier BOOLEAN)');
    await c.run(`INSERT INTO flags SELECT unnest($ids::BIGINT[]), unnest($f::BOOLEAN[])`, { ids: `[${flags.sourceId.join(',')}]`, f: `[${flags.outliers.map((o) => (o ? 'true' : 'false')).join(',')}]` });
    const rows = await queryRows<Record<string, bigint>>(
      c,
      `SELECT count(*) AS n, count(*) FILTER (WHERE outlier) AS flagged,
         count(*) FILTER (WHERE outlier AND (${DEFECTS.join(' OR ')})) AS flagged_defective,
         ${DEFECTS.map((d) => `count(*) FILTER (WHERE ${d}) AS ${d}_n, count(*) FILTER (WHERE ${d} AND outlier) AS ${d}_hit`).join(', ')}
       FROM flags JOIN read_parquet(${quoteLiteral(join(skyDir, 'truth.parquet'))}) USING (source_id)`,
    );
    return rows[0];
  });
  const n = (k: string) => Number(cleaning[k]);
  return {
    runId,
    extinction: { maxRelativeError: rel[worstR], medianRelativeError: median(rel), worstWavelengthNm: validation.wavelengthsNm[worstR] },
    cleaning: {
      trainingStars: n('n'),
      flagged: n('flagged'),
      precision: n('flagged') ? n('flagged_defective') / n('flagged') : NaN,
      byDefect: Object.fromEntries(DEFECTS.map((d) => [d, { injected: n(`${d}_n`), flagged: n(`${d}_hit`), recall: n(`${d}_n`) ? n(`${d}_hit`) / n(`${d}_n`) : NaN }])),
    },
    validation: { medianReducedChi2: validation.medianReducedChi2, maxAbsMeanResidual: absResidual[worstRes], worstWavelengthNm: validation.wavelengthsNm[worstRes] },
  };
}
