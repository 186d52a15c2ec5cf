/**
 * catalogue: the inference's end (docs/method.md §7). Checks that the shards' files hold
 * exactly one row per star of the fluxes stage (every Gaia source with an XP spectrum,
 * BP or RP: count = count distinct = the fluxes' stars, and the same source_ids), and
 * writes manifest.json: each shard with its range, rows and sha256, the model, prior,
 * solver and code version, the total. The manifest is a parquet_set artifact: its
 * `files` (relative to its folder, ../infer_<n>/catalogue.parquet) make the run's view
 * "run_<id>".catalogue (io/catalogue/record.ts). The shards' outcomes are read from the
 * run's folder, their keys checked against the plan, so the workflow never carries them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { canonicalJson, sha256Hex } from '../core/run-config.js';
import { asNumber, queryRows } from '../io/duckdb-query.js';
import { withMemoryDuckDB } from '../io/duckdb.js';
import { sha256File } from '../io/file-hash.js';
import { quoteLiteral } from '../io/sql-quote.js';
import { shardSpec, type InferenceSources, type InferShardDetail } from './infer-shard.js';
import { readShards, type InferPlanOutcome, type ShardRef } from './infer-shards.js';
import { artifact, readOutcome, runStage, stageDir, stageKeyOf, StageOutputError } from './stage-runner.js';
import { writeJsonAtomic } from './train-state.js';
import type { RunRef, StageOutcome, StageProgress } from './types.js';

export const CATALOGUE_MANIFEST_FORMAT = 'xpflow-catalogue';

export interface CatalogueManifest {
  format: typeof CATALOGUE_MANIFEST_FORMAT;
  version: 1;
  codeVersion: string;
  solver: string;
  model: { stage: string; sha256: string };
  prior: { stage: string; sha256: string };
  totalRows: number;
  shards: { index: number; stage: string; lo: string; hi: string; file: string; rows: number; sha256: string }[];
  /** The Parquet files of the table, relative to this file's folder (the parquet_set artifact format). */
  files: string[];
}

/** xpflow's version, from the package.json above this module (sources or dist/). */
export function codeVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 4; up++, dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  }
  return 'unknown';
}

/** Each shard's finished outcome in this run, checked to be the one its plan entry and inputs define. */
function shardOutcomes(run: RunRef, sources: InferenceSources, shards: ShardRef[]): StageOutcome<InferShardDetail>[] {
  return shards.map((shard) => {
    const outcome = readOutcome<InferShardDetail>(stageDir(run.dataDir, run.runId, shard.stage));
    const { paths: _paths, ...spec } = shardSpec(run, sources, shard);
    if (!outcome || outcome.stageKey !== stageKeyOf(spec))
      throw new StageOutputError(
        `catalogue: shard ${shard.stage} has not finished with the plan's inputs in run ${run.runId}`,
      );
    return outcome;
  });
}

export async function runCatalogue(
  run: RunRef,
  sources: InferenceSources,
  plan: InferPlanOutcome,
  progress: StageProgress,
): Promise<StageOutcome> {
  const planned = await readShards(plan);
  if (planned.length === 0)
    throw new StageOutputError('catalogue: the plan has no shard (no star with an XP spectrum)');
  const shards = shardOutcomes(run, sources, planned);
  const files = shards.map((o) => artifact(o, 'catalogue'));
  const fluxes = artifact(sources.fluxes, 'fluxes');
  const model = artifact(sources.model, 'model');
  const prior = artifact(sources.prior, 'gmm');
  const version = codeVersion();
  return runStage(
    run,
    {
      stage: 'catalogue',
      config: { codeVersion: version, solver: run.config.inference.solver },
      inputHashes: {
        plan: artifact(plan, 'shards').sha256,
        fluxes: fluxes.sha256,
        model: model.sha256,
        prior: prior.sha256,
        shards: sha256Hex(canonicalJson(files.map((f) => f.sha256))),
      },
      compute: async (w) => {
        for (const [k, f] of files.entries()) {
          if ((await sha256File(f.path)) !== f.sha256)
            throw new StageOutputError(`catalogue: ${f.path} differs from what ${shards[k].stage} recorded`);
          w.progress.heartbeat({ stage: 'catalogue', done: k + 1, total: files.length, unit: 'shard files checked' });
        }
        const list = `[${files.map((f) => quoteLiteral(f.path)).join(', ')}]`;
        const [check] = await withMemoryDuckDB((c) =>
          queryRows<Record<string, bigint>>(
            c,
            `WITH cat AS (SELECT source_id FROM read_parquet(${list})),
                  xp AS (SELECT source_id FROM read_parquet(${quoteLiteral(fluxes.path)}))
             SELECT (SELECT count(*) FROM cat) AS n, (SELECT count(DISTINCT source_id) FROM cat) AS ids,
                    (SELECT count(*) FROM xp) AS xp_stars,
                    (SELECT count(*) FROM cat ANTI JOIN xp USING (source_id)) AS extra,
                    (SELECT count(*) FROM xp ANTI JOIN cat USING (source_id)) AS missing`,
          ),
        );
        const [n, ids, xpStars, extra, missing] = [check.n, check.ids, check.xp_stars, check.extra, check.missing].map(
          asNumber,
        );
        const recorded = files.reduce((sum, f) => sum + (f.rows ?? 0), 0);
        if (n !== ids || n !== xpStars || extra !== 0 || missing !== 0 || recorded !== n)
          throw new StageOutputError(
            `catalogue: ${n} rows, ${ids} distinct source_ids (shards record ${recorded}) for ${xpStars} stars with an XP spectrum; ${missing} missing, ${extra} not among them`,
          );
        const manifestFile = join(w.outDir, 'manifest.json');
        const finalDir = stageDir(run.dataDir, run.runId, 'catalogue');
        const rel = files.map((f) => relative(finalDir, f.path));
        const manifest: CatalogueManifest = {
          format: CATALOGUE_MANIFEST_FORMAT,
          version: 1,
          codeVersion: version,
          solver: run.config.inference.solver,
          model: { stage: sources.model.stage, sha256: model.sha256 },
          prior: { stage: sources.prior.stage, sha256: prior.sha256 },
          totalRows: n,
          shards: planned.map((s, k) => ({
            index: s.index,
            stage: s.stage,
            lo: s.lo,
            hi: s.hi,
            file: rel[k],
            rows: files[k].rows ?? 0,
            sha256: files[k].sha256,
          })),
          files: rel,
        };
        writeJsonAtomic(manifestFile, manifest);
        return {
          artifacts: [{ name: 'catalogue', file: 'manifest.json', rows: n, format: 'parquet_set' }],
          metrics: [
            { name: 'stars', value: n, unit: 'stars' },
            { name: 'shards', value: files.length, unit: 'shards' },
            {
              name: 'not_converged',
              value: shards.reduce(
                (sum, o) => sum + (o.metrics.find((m) => m.name === 'not_converged')?.value ?? 0),
                0,
              ),
              unit: 'stars',
            },
            {
              name: 'quality_flags_below_8',
              value: shards.reduce(
                (sum, o) => sum + (o.metrics.find((m) => m.name === 'quality_flags_below_8')?.value ?? 0),
                0,
              ),
              unit: 'stars',
            },
          ],
        };
      },
    },
    progress,
  );
}
