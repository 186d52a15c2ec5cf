/**
 * infer_<5-digit shard>: the catalogue rows of one shard (docs/method.md §7). Every star
 * of the shard's source_id range with an XP spectrum (BP or RP, as the fluxes stage
 * counts them) is solved for Teff, [Fe/H], log g, E and ϖ with the run's final model and
 * the GMM prior: its 66 fluxes and their whitening are rebuilt from the XP coefficients
 * on the fly (never stored), the Gaia parallax corrected for the Lindegren et al. (2021)
 * zero point as for the training stars, the reddening prior from the input table; no
 * spectroscopic label is read. The shard works in parts of PART_STARS stars in
 * source_id order, each a Parquet file in the work folder once finished, so a retried
 * attempt resumes at the first missing part; the parts are then written, in source_id
 * order, as one catalogue.parquet with each column's unit and description in its
 * key-value metadata. Parts are fixed by the shard's stars alone and each holds a
 * disjoint source_id range, so a retry, a resumed attempt or two attempts at once write
 * the same rows once each.
 */
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import { DataVectorBuilder } from '../models/flux/data-vector.js';
import { QUALITY_FLAG, solutionNumbers, type InferenceStar, type StarSolution } from '../models/infer/types.js';
import { asNumber, queryRows } from '../io/duckdb-query.js';
import { numberAt } from '../io/duckdb-vectors.js';
import { createParquetViews, withMemoryDuckDB } from '../io/duckdb.js';
import { quoteIdent, quoteLiteral } from '../io/sql-quote.js';
import { sqlModel } from '../io/sql-files.js';
import { FLUX_INPUTS } from './fluxes.js';
import type { ShardRef } from './infer-shards.js';
import {
  artifact,
  resolveInputs,
  runStage,
  splitRefs,
  StageOutputError,
  type ComputedStage,
  type StageSpec,
  type StageWork,
} from './stage-runner.js';
import { inferenceStarAt } from './inference-star.js';
import { vectorsOf } from './star-rows.js';
import { SolverPool } from './solver-pool.js';
import type { FluxesOutcome, RunRef, StageOutcome, StageProgress } from './types.js';

/** What inference reads: the views of sql/inference_stars.sql, by [stage, artifact]. */
export const INFERENCE_INPUTS = {
  ...FLUX_INPUTS,
  reddening: ['ingest', 'reddening_prior'],
} as const;

/** The earlier stages inference starts from (small references, as the workflow holds them). */
export interface InferenceSources {
  ingest: StageOutcome;
  crossmatch: StageOutcome;
  /** The fluxes stage: the catalogue is checked against its stars. */
  fluxes: FluxesOutcome;
  /** The run's final model: the last stage that wrote model.json (settle_reddening in the quick recipe). */
  model: StageOutcome;
  /** The prior stage (gmm.json). */
  prior: StageOutcome;
}

/** infer_<n>: how many parts, and how many a previous attempt had finished. */
export interface InferShardDetail {
  parts: number;
  resumedParts: number;
  skippedNoSpectrum: number;
}

export type InferShardOutcome = StageOutcome<InferShardDetail>;

/** Stars per checkpointed part of a shard. */
export const PART_STARS = 500;

/** The catalogue's columns, in order: name, DuckDB type, unit, description. */
const PARAMS = ['teff', 'feh', 'logg', 'E', 'parallax'] as const;
const PARAM_UNITS = { teff: 'K', feh: 'dex', logg: 'dex', E: 'mag', parallax: 'mas' } as const;
const PARAM_WORDS = {
  teff: 'effective temperature',
  feh: 'metallicity [Fe/H]',
  logg: 'surface gravity log10(g / cm s^-2)',
  E: 'extinction E, in the units of the reddening prior (Bayestar19 / SFD)',
  parallax: 'parallax, the fitted value (not Gaia’s)',
} as const;
const unitProduct = (a: string, b: string) => (a === b ? `${a}^2` : `${a} ${b}`);
/** Upper triangle, row by row: models/infer/types.ts StarSolution.covariance's order. */
const COVARIANCE_PAIRS = PARAMS.flatMap((a, i) => PARAMS.slice(i).map((b) => [a, b] as const));

interface Column {
  name: string;
  type: string;
  unit: string;
  description: string;
}

export const CATALOGUE_COLUMNS: Column[] = [
  { name: 'source_id', type: 'BIGINT', unit: '', description: 'Gaia DR3 source_id' },
  { name: 'ra', type: 'DOUBLE', unit: 'deg', description: 'right ascension (Gaia DR3, ICRS, epoch 2016.0)' },
  { name: 'dec', type: 'DOUBLE', unit: 'deg', description: 'declination (Gaia DR3, ICRS, epoch 2016.0)' },
  { name: 'phot_g_mean_mag', type: 'DOUBLE', unit: 'mag', description: 'Gaia G magnitude (Gaia DR3)' },
  ...PARAMS.map((p) => ({
    name: p,
    type: 'DOUBLE',
    unit: PARAM_UNITS[p],
    description: `${PARAM_WORDS[p]}: maximum a posteriori`,
  })),
  ...PARAMS.map((p) => ({
    name: `${p}_error`,
    type: 'DOUBLE',
    unit: PARAM_UNITS[p],
    description: `σ of ${p}: square root of the Laplace covariance's diagonal`,
  })),
  ...COVARIANCE_PAIRS.map(([a, b]) => ({
    name: `cov_${a}_${b}`,
    type: 'DOUBLE',
    unit: unitProduct(PARAM_UNITS[a], PARAM_UNITS[b]),
    description: `Laplace covariance of ${a} and ${b} at the optimum`,
  })),
  { name: 'chi2', type: 'DOUBLE', unit: '', description: 'χ² of the fluxes at the optimum' },
  { name: 'n_flux', type: 'UTINYINT', unit: '', description: 'fluxes the χ² used (of 61 XP + 5 NIR)' },
  { name: 'ln_prior', type: 'DOUBLE', unit: 'nat', description: 'ln p_GMM(Teff/kK, [Fe/H], log g) at the optimum' },
  {
    name: 'minus2_ln_posterior',
    type: 'DOUBLE',
    unit: '',
    description: '−2 ln posterior at the optimum: χ² and every prior term, as minimised',
  },
  {
    name: 'second_solution_delta',
    type: 'DOUBLE',
    unit: '',
    description: '−2 ln posterior of the best other local optimum minus the best’s; NULL when none was found',
  },
  {
    name: 'quality_flags',
    type: 'USMALLINT',
    unit: '',
    description:
      'bits: 0–2 Teff, [Fe/H], log g confidence < 0.5 (not computed: always 0); 3 χ²/n_flux > 2; 4 ln_prior below the prior’s clip; 5 ϖ > 10σ from Gaia’s; 6 a second solution close in posterior; 7 not converged',
  },
  { name: 'iterations', type: 'INTEGER', unit: '', description: 'solver iterations of the kept solution' },
];

/** Solver values per row, in column order after phot_g_mean_mag (the covariance as 15 columns), up to χ². */
const solutionValues = (s: StarSolution): number[] => solutionNumbers(s).slice(0, 10 + 15 + 1);
const SOLUTION_NAMES = [
  ...PARAMS,
  ...PARAMS.map((p) => `${p}_error`),
  ...COVARIANCE_PAIRS.map(([a, b]) => `cov_${a}_${b}`),
  'chi2',
];

/** The Parquet key-value metadata of a shard's file. */
function kvMetadata(extra: Record<string, string>): string {
  const entries: [string, string][] = [
    ...CATALOGUE_COLUMNS.map((c): [string, string] => [
      `column:${c.name}`,
      JSON.stringify({ unit: c.unit, description: c.description }),
    ]),
    [
      'quality_flags',
      JSON.stringify({
        bits: {
          0: 'Teff confidence < 0.5',
          1: '[Fe/H] confidence < 0.5',
          2: 'log g confidence < 0.5',
          3: 'chi2 / n_flux > 2',
          4: 'ln_prior below the prior clip',
          5: 'parallax more than 10 sigma from Gaia',
          6: 'second solution within the delta',
          7: 'not converged',
        },
        notComputed: [0, 1, 2],
        note: 'bits 0-2 are not computed (the confidence classifiers are not built) and always 0; docs/method.md §7 recommends quality_flags < 8',
      }),
    ],
    ...Object.entries(extra),
  ];
  return `{${entries.map(([k, v]) => `${quoteLiteral(k)}: ${quoteLiteral(v)}`).join(', ')}}`;
}

/**
 * Whether the posterior carries the log parameterisation's −2 ln E − 2 ln ϖ: as the star
 * fits of the recipe's last stage that fits stars (its last self-cleaning refit) did.
 */
export function logJacobianOf(run: RunRef): boolean {
  return run.config.training.recipe.selfClean.stages.at(-1)?.logJacobian ?? true;
}

/** The stage spec of a shard but its compute: the one place its key is defined (the catalogue stage checks it). */
export function shardSpec(
  run: RunRef,
  sources: InferenceSources,
  shard: ShardRef,
): Omit<StageSpec, 'compute'> & { paths: Record<keyof typeof INFERENCE_INPUTS | 'model' | 'prior', string> } {
  const outcomes: Record<string, StageOutcome> = { ingest: sources.ingest, crossmatch: sources.crossmatch };
  const { paths, hashes } = splitRefs({
    ...resolveInputs(INFERENCE_INPUTS, (stage, name) => artifact(outcomes[stage], name)),
    model: artifact(sources.model, 'model'),
    prior: artifact(sources.prior, 'gmm'),
  });
  return {
    stage: shard.stage,
    config: { lo: shard.lo, hi: shard.hi, solver: run.config.inference.solver, logJacobian: logJacobianOf(run) },
    inputHashes: hashes,
    paths,
  };
}

/** The part bounds of the shard: PART_STARS consecutive candidate stars each (fixed by the shard's stars alone). */
async function partBounds(
  c: DuckDBConnection,
  lo: bigint,
  hi: bigint,
  partStars: number,
): Promise<[bigint, bigint, number][]> {
  const rows = await queryRows<{ lo: bigint; hi: bigint; n: bigint }>(
    c,
    `SELECT min(source_id) AS lo, max(source_id) AS hi, count(*) AS n FROM (
       SELECT x.source_id, (row_number() OVER (ORDER BY x.source_id) - 1) // $n AS part
       FROM xp AS x SEMI JOIN gaia AS g ON g.source_id = x.source_id WHERE x.source_id BETWEEN $lo AND $hi)
     GROUP BY part ORDER BY part`,
    { lo, hi, n: partStars },
  );
  return rows.map((r) => [BigInt(r.lo), BigInt(r.hi), asNumber(r.n)]);
}

const columnList = CATALOGUE_COLUMNS.map((c) => quoteIdent(c.name)).join(', ');
const PART_TABLE = `CREATE OR REPLACE TEMP TABLE part (${CATALOGUE_COLUMNS.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ')})`;

const appendNumber = (a: DuckDBAppender, v: number | null) =>
  v === null || !Number.isFinite(v) ? a.appendNull() : a.appendDouble(v);

/** One star's row: a non-finite value where the solver claims convergence is a bug, thrown here. */
function appendStar(a: DuckDBAppender, sourceId: bigint, gaia: (number | null)[], s: StarSolution): void {
  const values = solutionValues(s);
  const converged = (s.qualityFlags & QUALITY_FLAG.notConverged) === 0;
  if (values.length !== SOLUTION_NAMES.length)
    throw new StageOutputError(
      `source_id ${sourceId}: the solution's covariance has ${s.covariance.length} values, not 15`,
    );
  if (converged) {
    const scalars: [string, number][] = [
      ...SOLUTION_NAMES.map((name, k): [string, number] => [name, values[k]]),
      ['ln_prior', s.lnPrior],
      ['minus2_ln_posterior', s.minus2LnPosterior],
      ['iterations', s.iterations],
      ['n_flux', s.nFlux],
    ];
    const bad = scalars.find(([, v]) => !Number.isFinite(v));
    // second_solution_delta is +Infinity when no other optimum was found (written NULL); NaN or −∞ is a bug.
    if (bad || Number.isNaN(s.secondSolutionDelta) || s.secondSolutionDelta === -Infinity)
      throw new StageOutputError(
        `source_id ${sourceId}: ${bad ? bad[0] : 'second_solution_delta'} is ${bad ? bad[1] : s.secondSolutionDelta} in a solution not flagged not-converged (quality_flags ${s.qualityFlags})`,
      );
  }
  if (!Number.isInteger(s.qualityFlags) || s.qualityFlags < 0 || s.qualityFlags > 0xffff)
    throw new StageOutputError(`source_id ${sourceId}: quality_flags ${s.qualityFlags} is not a 16-bit flag set`);
  a.appendBigInt(sourceId);
  for (const v of gaia) appendNumber(a, v);
  for (const v of values) appendNumber(a, v);
  if (Number.isInteger(s.nFlux) && s.nFlux >= 0 && s.nFlux <= 255) a.appendUTinyInt(s.nFlux);
  else a.appendNull();
  appendNumber(a, s.lnPrior);
  appendNumber(a, s.minus2LnPosterior);
  appendNumber(a, s.secondSolutionDelta);
  a.appendUSmallInt(s.qualityFlags);
  if (Number.isInteger(s.iterations)) a.appendInteger(s.iterations);
  else a.appendNull();
  a.endRow();
}

interface ShardContext {
  pool: SolverPool;
  builder: DataVectorBuilder;
  xpFile: string;
  /** Counts stars done (solved, or skipped for want of BP and RP); the heartbeat follows each written part. */
  onStars: (count: number) => void;
}

/** Solves one part's stars and writes them, atomically, as `file`; returns the rows written. */
async function writePart(
  c: DuckDBConnection,
  ctx: ShardContext,
  [lo, hi]: [bigint, bigint, number],
  file: string,
): Promise<number> {
  const out = ctx.builder.allocate();
  await c.run(PART_TABLE);
  const appender = await c.createAppender('part');
  const result = await c.stream(sqlModel('inference_stars'), { lo, hi });
  const names = result.columnNames();
  const stars: InferenceStar[] = [];
  const positions: (number | null)[][] = [];
  for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    const vectors = vectorsOf(chunk, names);
    const num = (name: string, r: number) => numberAt(vectors.get(name)!, r);
    for (let r = 0; r < chunk.rowCount; r++) {
      const star = inferenceStarAt(vectors, r, ctx.builder, out, ctx.xpFile);
      if (!star) {
        ctx.onStars(1);
        continue;
      }
      stars.push(star);
      positions.push([num('ra', r), num('dec', r), num('phot_g_mean_mag', r)]);
    }
  }
  const solutions = await ctx.pool.solve(stars);
  solutions.forEach((solution, k) => appendStar(appender, stars[k].sourceId, positions[k], solution));
  ctx.onStars(stars.length);
  const rows = stars.length;
  appender.closeSync();
  // A name of this attempt's own: two attempts at once never write into each other's file.
  const tmp = `${file}.${process.pid}-${Date.now()}.tmp`;
  await c.run(
    `COPY (SELECT ${columnList} FROM part ORDER BY source_id) TO ${quoteLiteral(tmp)} (FORMAT parquet, COMPRESSION zstd)`,
  );
  renameSync(tmp, file);
  return rows;
}

export interface ShardOptions {
  /** Stars per checkpointed part (tests make it small); it never changes what the shard writes. */
  partStars?: number;
  /** Solver threads (default: XPFLOW_INFER_THREADS, else every core); they never change what it writes. */
  threads?: number;
}

export async function computeShard(
  run: RunRef,
  shard: ShardRef,
  paths: ReturnType<typeof shardSpec>['paths'],
  hashes: { model: string; prior: string },
  work: StageWork,
  options: ShardOptions = {},
): Promise<ComputedStage<InferShardDetail>> {
  const pool = new SolverPool(
    {
      modelPath: paths.model,
      priorPath: paths.prior,
      options: { solver: run.config.inference.solver, logJacobian: logJacobianOf(run) },
    },
    options.threads,
  );
  const { model: _m, prior: _p, ...tables } = paths;
  try {
    return await solveShard();
  } finally {
    await pool.close();
  }

  async function solveShard(): Promise<ComputedStage<InferShardDetail>> {
    return withMemoryDuckDB(async (c) => {
      await createParquetViews(c, tables);
      await c.run(`CREATE TEMP VIEW flux_inputs AS ${sqlModel('flux_inputs')}`);
      const parts = await partBounds(c, BigInt(shard.lo), BigInt(shard.hi), options.partStars ?? PART_STARS);
      const total = parts.reduce((n, p) => n + p[2], 0);
      let done = 0;
      const beat = () => work.progress.heartbeat({ stage: shard.stage, done, total, unit: 'stars' });
      const ctx: ShardContext = {
        pool,
        builder: new DataVectorBuilder(),
        xpFile: paths.xp,
        onStars: (count) => {
          done += count;
        },
      };
      const files: string[] = [];
      let resumed = 0;
      for (const [p, bounds] of parts.entries()) {
        // Named by its bounds: a part is reused only by an attempt that would write the same one.
        const file = join(work.workDir, `part-${String(p).padStart(5, '0')}-${bounds[0]}-${bounds[1]}.parquet`);
        files.push(file);
        if (existsSync(file)) {
          resumed++;
          done += bounds[2];
          continue;
        }
        await writePart(c, ctx, bounds, file);
        beat();
      }
      const out = join(work.outDir, 'catalogue.parquet');
      const meta = kvMetadata({
        stage: shard.stage,
        source_id_range: JSON.stringify([shard.lo, shard.hi]),
        solver: run.config.inference.solver,
        model_sha256: hashes.model,
        prior_sha256: hashes.prior,
        parallax_zero_point: 'input parallax corrected by Lindegren et al. (2021), extrapolated; 0 where undefined',
      });
      const source =
        files.length > 0
          ? `SELECT ${columnList} FROM read_parquet([${files.map(quoteLiteral).join(', ')}])`
          : `SELECT ${columnList} FROM part`;
      if (files.length === 0) await c.run(PART_TABLE);
      await c.run(
        `COPY (${source} ORDER BY source_id) TO ${quoteLiteral(out)} (FORMAT parquet, COMPRESSION zstd, KV_METADATA ${meta})`,
      );
      const [stats] = await queryRows<Record<string, bigint>>(
        c,
        `SELECT count(*) AS n, count(DISTINCT source_id) AS ids,
         count(*) FILTER (WHERE quality_flags & ${QUALITY_FLAG.notConverged} <> 0) AS not_converged,
         count(*) FILTER (WHERE quality_flags < 8) AS recommended
       FROM read_parquet(${quoteLiteral(out)})`,
      );
      const n = asNumber(stats.n);
      if (asNumber(stats.ids) !== n)
        throw new StageOutputError(`${shard.stage}: ${n} rows but ${asNumber(stats.ids)} source_ids`);
      // Candidates (Gaia sources with an XP row) without BP and RP are not catalogued.
      const skipped = total - n;
      return {
        artifacts: [{ name: 'catalogue', file: 'catalogue.parquet', rows: n, format: 'parquet_part' }],
        metrics: [
          { name: 'stars', value: n, unit: 'stars' },
          { name: 'no_bp_or_rp', value: skipped, unit: 'stars' },
          { name: 'not_converged', value: asNumber(stats.not_converged), unit: 'stars' },
          { name: 'quality_flags_below_8', value: asNumber(stats.recommended), unit: 'stars' },
        ],
        detail: { parts: parts.length, resumedParts: resumed, skippedNoSpectrum: skipped },
      };
    });
  }
}

export function runInferShard(
  run: RunRef,
  sources: InferenceSources,
  shard: ShardRef,
  progress: StageProgress,
  options: ShardOptions = {},
): Promise<InferShardOutcome> {
  const { paths, ...spec } = shardSpec(run, sources, shard);
  const hashes = { model: spec.inputHashes.model, prior: spec.inputHashes.prior };
  return runStage<InferShardDetail>(
    run,
    { ...spec, compute: (w) => computeShard(run, shard, paths, hashes, w, options) },
    progress,
  );
}
