/**
 * Inference for every star (docs/method.md §7) in a real run on the test Temporal server:
 * a 1,500-star generated sky, a one-epoch training recipe, shards of at most 400 stars
 * (several shards, and a continue-as-new of the infer child every 2 of them). The run
 * ends with the catalogue view "run_<id>".catalogue: one row per Gaia source with an XP
 * spectrum (BP or RP), LAMOST or not; a shard computed again (in a fresh data dir, and
 * resumed after an attempt killed after its first part) writes the same bytes.
 */
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { withCatalogue } from '../io/catalogue/catalogue.js';
import { auditRun } from '../io/catalogue/queries.js';
import { withMemoryDuckDB } from '../io/duckdb.js';
import { quoteLiteral } from '../io/sql-quote.js';
import type { Recipe } from '../models/forward/recipe.js';
import { QUICK_RECIPE } from '../models/forward/recipes.js';
import type { CatalogueManifest } from '../pipeline/infer-catalogue.js';
import { runInferShard, type InferenceSources } from '../pipeline/infer-shard.js';
import { readShards, type InferPlanDetail } from '../pipeline/infer-shards.js';
import { prepareRun, type PreparedRun } from '../pipeline/prepare-run.js';
import { artifact, readOutcome, stageDir } from '../pipeline/stage-runner.js';
import { NO_PROGRESS, type FluxesOutcome, type StageOutcome } from '../pipeline/types.js';
import { connectClient } from '../temporal/connection.js';
import { startRun } from '../temporal/runs.js';
import { createWorker } from '../temporal/worker.js';
import type { RunSummary } from '../workflows/reprocess.js';
import { isolatedSettings, makeSky, tempDir } from './helpers/pipeline.js';

const RUN_TIMEOUT = 600_000;

/**
 * A short training (Adam, 40 epochs a step, no self-cleaning, no settlements): a model good
 * enough for finite validation statistics, in well under a minute; the final model is
 * train_2_stars_all's.
 */
function shortRecipe(): Recipe {
  const recipe = structuredClone(QUICK_RECIPE);
  delete recipe.settleBrightness;
  delete recipe.settleReddening;
  const short = { epochs: 40, batchSize: 64 };
  const [model, stars] = QUICK_RECIPE.stages;
  const refit = QUICK_RECIPE.selfClean.stages[QUICK_RECIPE.selfClean.stages.length - 1];
  recipe.stages = [
    { ...model, ...short, name: 'model_all', selection: 'all' },
    { ...stars, ...short },
  ];
  recipe.selfClean = { ...recipe.selfClean, maxIterations: 0, stages: [{ ...refit, ...short }] };
  return recipe;
}

/** The solver's columns: each finite in a row not flagged not-converged. */
const SOLVED = [
  'teff',
  'feh',
  'logg',
  'E',
  'parallax',
  'teff_error',
  'feh_error',
  'logg_error',
  'E_error',
  'parallax_error',
  'chi2',
  'n_flux',
  'ln_prior',
  'minus2_ln_posterior',
  'quality_flags',
  'iterations',
];

describe('inference for every XP star: the catalogue', () => {
  let dataDir: string;
  let prepared: PreparedRun;
  let summary: RunSummary;
  const settings = isolatedSettings('infer');
  const view = () => sql.id(`run_${prepared.run.runId}`, 'catalogue');

  beforeAll(async () => {
    const sky = await makeSky({ stars: 1500, seed: 5, lamostFraction: 0.5 });
    dataDir = tempDir('data-infer');
    prepared = await prepareRun({
      inputDir: sky,
      dataDir,
      overrides: { training: { recipe: shortRecipe() }, inference: { shardStars: 400 } },
    });
    const worker = await createWorker({ settings });
    const client = await connectClient(settings);
    try {
      summary = await worker.runUntil(async () => {
        const handle = await startRun(client, settings, prepared, {
          heartbeatTimeout: '30 seconds',
          inferShardsPerExecution: 2,
        });
        return (await handle.result()) as RunSummary;
      });
    } finally {
      await client.connection.close();
    }
  }, RUN_TIMEOUT);

  it('runs the plan, every shard and the catalogue after the training, and records each stage', async () => {
    const names = summary.stages.map((s) => s.stage);
    // The summary holds one line for all the shards; the catalogue's stages table one row each.
    expect(names.slice(names.indexOf('validation') + 1)).toEqual(['infer_plan', 'infer_shards', 'catalogue']);
    const audit = (await auditRun(dataDir, prepared.run.runId))!;
    expect(audit.run.status).toBe('completed');
    const shards = audit.stages.map((s) => s.stage).filter((s) => /^infer_\d{5}$/.test(s));
    expect(shards.length).toBeGreaterThan(2);
    expect(shards.sort()).toEqual(shards.map((_, i) => `infer_${String(i).padStart(5, '0')}`));
    expect(audit.stages.map((s) => s.stage).sort()).toEqual(
      [...names.filter((n) => n !== 'infer_shards'), ...shards].sort(),
    );
    expect(audit.stages.every((s) => s.status === 'completed')).toBe(true);
    // The plan: contiguous, ordered, at most 400 stars a shard, whole HEALPix-8 pixels here.
    const plan = readOutcome<InferPlanDetail>(stageDir(dataDir, prepared.run.runId, 'infer_plan'))!;
    const ranges = await readShards(plan);
    expect(plan.detail.shardCount).toBe(shards.length);
    expect(ranges.length).toBe(shards.length);
    for (const [i, s] of ranges.entries()) {
      expect(s.stars).toBeGreaterThan(0);
      expect(s.stars).toBeLessThanOrEqual(400);
      if (i > 0) expect(BigInt(s.lo)).toBeGreaterThan(BigInt(ranges[i - 1].hi));
      if (s.splitLevel === 'healpix8') {
        expect(BigInt(s.lo) % (1n << 43n)).toBe(0n);
        expect((BigInt(s.hi) + 1n) % (1n << 43n)).toBe(0n);
      }
    }
    expect(summary.catalogue?.view).toBe(`"run_${prepared.run.runId}".catalogue`);
    // One view for the catalogue, none per shard (a full sky has tens of thousands of shards).
    const views = await withCatalogue(dataDir, 'read', async ({ db }) => {
      const r = await sql<{ view_name: string }>`
        SELECT view_name FROM duckdb_views() WHERE schema_name = ${`run_${prepared.run.runId}`}`.execute(db);
      return r.rows.map((v) => v.view_name);
    });
    expect(views).toContain('catalogue');
    expect(views.filter((v) => /^infer_\d+__/.test(v))).toEqual([]);
  });

  it('the catalogue view has exactly one row per XP star with BP or RP, LAMOST or not, checked against the xp table', async () => {
    const ingest = (name: string) => sql.id(`run_${prepared.run.runId}`, `ingest__${name}`);
    const counts = await withCatalogue(dataDir, 'read', async ({ db }) => {
      const r = await sql<Record<string, bigint>>`
        WITH xp_stars AS (
          SELECT x.source_id FROM ${ingest('xp_continuous_mean_spectrum')} AS x
          SEMI JOIN ${ingest('gaia_source')} AS g ON g.source_id = x.source_id
          WHERE coalesce(len(x.bp_coefficients), 0) > 0 OR coalesce(len(x.rp_coefficients), 0) > 0)
        SELECT (SELECT count(*) FROM ${view()}) AS n,
               (SELECT count(DISTINCT source_id) FROM ${view()}) AS ids,
               (SELECT count(*) FROM xp_stars) AS xp_stars,
               (SELECT count(*) FROM ${view()} ANTI JOIN xp_stars USING (source_id)) AS extra,
               (SELECT count(*) FROM xp_stars ANTI JOIN ${view()} USING (source_id)) AS missing,
               (SELECT count(*) FROM ${ingest('gaia_source')}) AS gaia,
               (SELECT count(*) FROM ${view()} AS c SEMI JOIN ${sql.id(`run_${prepared.run.runId}`, 'crossmatch__lamost_match')} AS l USING (source_id)) AS with_lamost
      `.execute(db);
      return Object.fromEntries(Object.entries(r.rows[0]).map(([k, v]) => [k, Number(v)]));
    });
    console.log('catalogue counts', counts);
    expect(counts.n).toBeGreaterThan(1000);
    expect(counts.ids).toBe(counts.n);
    expect(counts.n).toBe(counts.xp_stars);
    expect(counts.extra).toBe(0);
    expect(counts.missing).toBe(0);
    expect(counts.with_lamost).toBeGreaterThan(0);
    expect(counts.with_lamost).toBeLessThan(counts.n);
    expect(summary.catalogue?.rows).toBe(counts.n);
    expect(summary.catalogue?.rows).toBe(summary.stages.find((s) => s.stage === 'fluxes')!.rowsOut);
  });

  it('has no non-finite value in a row not flagged not-converged, and units in the Parquet metadata', async () => {
    const finite = SOLVED.map((c) => `coalesce(isfinite(${c}::DOUBLE), false)`).join(' AND ');
    const cov = Array.from({ length: 15 }, (_, k) => k);
    const r = await withCatalogue(dataDir, 'read', async ({ db }) => {
      const rows = await sql<Record<string, bigint>>`
        SELECT count(*) FILTER (WHERE quality_flags & 128 = 0 AND NOT (${sql.raw(finite)})) AS bad,
               count(*) FILTER (WHERE quality_flags & 128 <> 0) AS not_converged,
               count(*) FILTER (WHERE quality_flags & 7 <> 0) AS classifier_bits,
               count(*) FILTER (WHERE quality_flags < 8) AS recommended
        FROM ${view()}`.execute(db);
      const columns = await sql<{ column_name: string }>`DESCRIBE SELECT * FROM ${view()}`.execute(db);
      return { counts: rows.rows[0], columns: columns.rows.map((c) => c.column_name) };
    });
    console.log('quality', r.counts);
    expect(Number(r.counts.bad)).toBe(0);
    expect(Number(r.counts.classifier_bits)).toBe(0);
    expect(r.columns.filter((c) => c.startsWith('cov_')).length).toBe(cov.length);
    expect(r.columns.slice(0, 9)).toEqual([
      'source_id',
      'ra',
      'dec',
      'phot_g_mean_mag',
      'teff',
      'feh',
      'logg',
      'E',
      'parallax',
    ]);
    const manifest = JSON.parse(readFileSync(summary.catalogue!.manifest, 'utf8')) as CatalogueManifest;
    const first = summary.catalogue!.manifest.replace(
      /catalogue\/manifest\.json$/,
      `${manifest.shards[0].stage}/catalogue.parquet`,
    );
    const kv = await withMemoryDuckDB(async (c) => {
      const reader = await c.runAndReadAll(
        `SELECT decode(key) AS k, decode(value) AS v FROM parquet_kv_metadata(${quoteLiteral(first)})`,
      );
      return Object.fromEntries(reader.getRowObjectsJS().map((o) => [String(o.k), String(o.v)]));
    });
    expect(JSON.parse(kv['column:teff'])).toMatchObject({ unit: 'K' });
    expect(JSON.parse(kv['column:cov_teff_parallax'])).toMatchObject({ unit: 'K mas' });
    expect(JSON.parse(kv.quality_flags)).toMatchObject({ notComputed: [0, 1, 2] });
  });

  it("the manifest's shard rows add up to the catalogue's", async () => {
    const manifest = JSON.parse(readFileSync(summary.catalogue!.manifest, 'utf8')) as CatalogueManifest;
    expect(manifest.shards.length).toBeGreaterThan(2);
    expect(manifest.shards.reduce((n, s) => n + s.rows, 0)).toBe(manifest.totalRows);
    expect(manifest.totalRows).toBe(summary.catalogue!.rows);
    expect(manifest.solver).toBe('default');
    expect(manifest.codeVersion).toMatch(/^\d+\.\d+\.\d+/);
    const shardLine = summary.stages.find((s) => s.stage === 'infer_shards')!;
    expect(shardLine.rowsOut).toBe(manifest.totalRows);
    const audit = (await auditRun(dataDir, prepared.run.runId))!;
    const perShard = audit.stages
      .filter((s) => /^infer_\d{5}$/.test(s.stage))
      .sort((a, b) => (a.stage < b.stage ? -1 : 1))
      .map((s) => Number(s.rows_out));
    expect(perShard).toEqual(manifest.shards.map((s) => s.rows));
  });

  it(
    'a shard computed again, fresh and resumed after a killed attempt, writes the same bytes and no duplicate',
    async () => {
      const runId = prepared.run.runId;
      const outcome = (stage: string) => readOutcome(stageDir(dataDir, runId, stage))!;
      const manifest = JSON.parse(readFileSync(summary.catalogue!.manifest, 'utf8')) as CatalogueManifest;
      const sources: InferenceSources = {
        ingest: outcome('ingest'),
        crossmatch: outcome('crossmatch'),
        fluxes: outcome('fluxes') as FluxesOutcome,
        model: outcome(manifest.model.stage),
        prior: outcome(manifest.prior.stage),
      };
      const plan = readOutcome<InferPlanDetail>(stageDir(dataDir, runId, 'infer_plan'))!;
      const shard = (await readShards(plan)).reduce((a, b) => (b.stars > a.stars ? b : a));
      const original = artifact(outcome(shard.stage), 'catalogue');

      // The same stage in this run again: reused, the same file.
      const again = await runInferShard(prepared.run, sources, shard, NO_PROGRESS);
      expect(again.reused).toBe(true);
      expect(artifact(again, 'catalogue').sha256).toBe(original.sha256);

      // In a fresh data dir, parts of 100 stars: the first attempt dies after its first part,
      // the second resumes there; the file is byte-identical to the run's.
      const fresh = { ...prepared.run, runId: 'rrecompute', dataDir: tempDir('data-infer-again') };
      const dying = {
        ...NO_PROGRESS,
        heartbeat: (d: { done: number; total: number }) => {
          if (d.done >= 100 && d.done < d.total) throw new Error('killed after the first part');
        },
      };
      await expect(runInferShard(fresh, sources, shard, dying, { partStars: 100 })).rejects.toThrow('killed');
      const resumed: StageOutcome = await runInferShard(
        fresh,
        sources,
        shard,
        { ...NO_PROGRESS, attempt: 2 },
        {
          partStars: 100,
        },
      );
      expect(resumed.reused).toBe(false);
      expect((resumed.detail as { resumedParts: number }).resumedParts).toBeGreaterThan(0);
      const recomputed = artifact(resumed, 'catalogue');
      expect(recomputed.sha256).toBe(original.sha256);
      expect(readFileSync(recomputed.path).equals(readFileSync(original.path))).toBe(true);
      const [ids] = await withMemoryDuckDB(async (c) =>
        (
          await c.runAndReadAll(
            `SELECT count(*)::INTEGER AS n, count(DISTINCT source_id)::INTEGER AS ids FROM read_parquet(${quoteLiteral(recomputed.path)})`,
          )
        ).getRowObjectsJS(),
      );
      expect(ids.n).toBe(shard.stars);
      expect(ids.ids).toBe(ids.n);

      // Solved in this thread alone instead of a pool of worker threads: the same bytes.
      const single = { ...prepared.run, runId: 'rsinglethread', dataDir: tempDir('data-infer-single') };
      const alone = await runInferShard(single, sources, shard, NO_PROGRESS, { threads: 1 });
      expect(artifact(alone, 'catalogue').sha256).toBe(original.sha256);
    },
    RUN_TIMEOUT,
  );
});
