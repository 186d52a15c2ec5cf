/**
 * Benchmark: inference for every star (docs/method.md §7) on a finished run's model and
 * prior: end to end through one shard's compute (XP coefficients in, catalogue Parquet
 * out; its solver threads on every core, XPFLOW_INFER_THREADS), then, on one core, the
 * same stars split into flux conversion (coefficients → 66 fluxes + whitening) and the solve (start grid, the
 * solver, covariance), and the authors' Adam schedule (adam-reference) on a subset of
 * them: their time ratio and how often the default solver's −2 ln posterior is at most
 * the reference's + 0.01. Needs a run with a catalogue in the data dir (`npm start`
 * makes one); XPFLOW_BENCH_RUN picks another, XPFLOW_BENCH_INFER_STARS and
 * XPFLOW_BENCH_INFER_REFERENCE the sample sizes.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createParquetViews, withMemoryDuckDB } from '../io/duckdb.js';
import { queryRows } from '../io/duckdb-query.js';
import { sqlModel } from '../io/sql-files.js';
import { DataVectorBuilder } from '../models/flux/data-vector.js';
import { initBackend } from '../models/forward/backend.js';
import { fromJson as gmmFromJson } from '../models/gmm/index.js';
import { InferenceSolver } from '../models/infer/solver.js';
import type { InferenceStar } from '../models/infer/types.js';
import { computeShard, shardSpec, type InferenceSources } from '../pipeline/infer-shard.js';
import type { ShardRef } from '../pipeline/infer-shards.js';
import { inferenceStarAt } from '../pipeline/inference-star.js';
import type { CatalogueManifest } from '../pipeline/infer-catalogue.js';
import { defaultThreads } from '../pipeline/solver-pool.js';
import { artifact, readOutcome, stageDir } from '../pipeline/stage-runner.js';
import { vectorsOf } from '../pipeline/star-rows.js';
import { loadModel, readJson } from '../pipeline/train-state.js';
import type { FluxesOutcome, RunRef } from '../pipeline/types.js';
import type { BenchResult } from './bench-util.js';

const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

/** The latest run of the data dir with a catalogue stage (or XPFLOW_BENCH_RUN). */
async function benchRun(dataDir: string): Promise<{ run: RunRef; sources: InferenceSources }> {
  const rows = await withMemoryDuckDB(async (c) => {
    await c.run(`ATTACH '${join(dataDir, 'xpflow.duckdb')}' AS cat (READ_ONLY)`);
    return queryRows<{ run_id: string; config_json: string }>(
      c,
      `SELECT r.run_id, r.config_json FROM cat.runs r JOIN cat.stages s USING (run_id)
       WHERE s.stage = 'catalogue' AND s.status = 'completed' ORDER BY r.updated_at DESC`,
    );
  });
  const chosen = rows.find((r) => !process.env.XPFLOW_BENCH_RUN || r.run_id === process.env.XPFLOW_BENCH_RUN);
  if (!chosen) throw new Error(`no run with a catalogue in ${dataDir}: run \`npm start\` first`);
  const run: RunRef = { runId: chosen.run_id, dataDir, config: JSON.parse(chosen.config_json) as RunRef['config'] };
  const outcome = (stage: string) => readOutcome(stageDir(dataDir, run.runId, stage))!;
  // The model and prior the run's catalogue was made with, as its manifest names them.
  const manifest = readJson<CatalogueManifest>(artifact(outcome('catalogue'), 'catalogue').path);
  return {
    run,
    sources: {
      ingest: outcome('ingest'),
      crossmatch: outcome('crossmatch'),
      fluxes: outcome('fluxes') as FluxesOutcome,
      model: outcome(manifest.model.stage),
      prior: outcome(manifest.prior.stage),
    },
  };
}

export async function benchInfer(
  dataDir: string,
  count = Number(process.env.XPFLOW_BENCH_INFER_STARS ?? 2000),
  referenceCount = Number(process.env.XPFLOW_BENCH_INFER_REFERENCE ?? 20),
): Promise<BenchResult[]> {
  await initBackend();
  const { run, sources } = await benchRun(dataDir);
  const probe: ShardRef = {
    index: 0,
    stage: 'bench_infer',
    lo: '0',
    hi: '0',
    stars: 0,
    healpix8First: '0',
    healpix8Last: '0',
    splitLevel: 'source_id',
  };
  const { paths } = shardSpec(run, sources, probe);
  const { model: modelPath, prior: priorPath, ...tables } = paths;
  const model = loadModel(modelPath);
  const prior = gmmFromJson(readJson<unknown>(priorPath));

  // The first `count` stars in source_id order, as InferenceStars, timing the flux conversion.
  const { stars, conversionSeconds, hi } = await withMemoryDuckDB(async (c) => {
    await createParquetViews(c, tables);
    await c.run(`CREATE TEMP VIEW flux_inputs AS ${sqlModel('flux_inputs')}`);
    const [bounds] = await queryRows<{ hi: bigint }>(
      c,
      `SELECT max(source_id) AS hi FROM (SELECT source_id FROM flux_inputs ORDER BY source_id LIMIT ${count})`,
    );
    const result = await c.stream(sqlModel('inference_stars'), { lo: 0n, hi: bounds.hi });
    const names = result.columnNames();
    const builder = new DataVectorBuilder();
    const out = builder.allocate();
    const list: InferenceStar[] = [];
    let spent = 0;
    for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
      const vectors = vectorsOf(chunk, names);
      for (let r = 0; r < chunk.rowCount; r++) {
        const t0 = process.hrtime.bigint();
        const star = inferenceStarAt(vectors, r, builder, out, tables.xp);
        if (star) list.push(star);
        spent += seconds(t0);
      }
    }
    return { stars: list, conversionSeconds: spent, hi: bounds.hi };
  });

  // End to end: one shard of those stars through the stage's compute, Parquet written.
  const shard: ShardRef = { ...probe, lo: '0', hi: String(hi), stars: stars.length };
  const dir = mkdtempSync(join(tmpdir(), 'xpflow-bench-infer-'));
  mkdirSync(join(dir, 'work'));
  const progress = { attempt: 1, heartbeat: () => undefined, lastDetails: () => undefined };
  const threads = defaultThreads();
  const t0 = process.hrtime.bigint();
  await computeShard(
    run,
    shard,
    paths,
    { model: '', prior: '' },
    { outDir: dir, workDir: join(dir, 'work'), progress },
  );
  const endToEnd = seconds(t0);
  rmSync(dir, { recursive: true, force: true });

  const solver = new InferenceSolver(model, prior, { solver: 'default' });
  const t1 = process.hrtime.bigint();
  const solved = stars.map((s) => solver.solve(s));
  const solveSeconds = seconds(t1);

  const reference = new InferenceSolver(model, prior, { solver: 'adam-reference' });
  const subset = stars.slice(0, referenceCount);
  const t2 = process.hrtime.bigint();
  const referenced = subset.map((s) => reference.solve(s));
  const referenceSeconds = seconds(t2);
  const atOptimum = referenced.filter((r, i) => solved[i].minus2LnPosterior <= r.minus2LnPosterior + 0.01).length;
  const worst = Math.max(...referenced.map((r, i) => solved[i].minus2LnPosterior - r.minus2LnPosterior));

  const perStar = (s: number, n: number) => (1000 * s) / n;
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  return [
    {
      name: `end to end, coefficients → catalogue Parquet (${stars.length} stars of run ${run.runId}, ${threads} solver threads)`,
      value: stars.length / endToEnd,
      unit: 'stars/s',
      detail: { seconds: endToEnd, peakRssMiB },
    },
    {
      name: 'flux conversion (66 fluxes + covariance + whitening)',
      value: perStar(conversionSeconds, stars.length),
      unit: 'ms/star',
    },
    {
      name: 'solve (start grid, solver, covariance, flags)',
      value: perStar(solveSeconds, stars.length),
      unit: 'ms/star',
    },
    {
      name: `adam-reference (authors' schedule, 8,192 steps) on ${subset.length} of them`,
      value: perStar(referenceSeconds, subset.length),
      unit: 'ms/star',
    },
    {
      name: 'default solver against adam-reference: speed ratio',
      value: perStar(referenceSeconds, subset.length) / perStar(solveSeconds, stars.length),
      unit: '×',
    },
    {
      name: 'default solver −2 ln posterior ≤ reference + 0.01',
      value: (100 * atOptimum) / subset.length,
      unit: '% of stars',
      detail: { stars: subset.length, worstExcess: worst },
    },
  ];
}
