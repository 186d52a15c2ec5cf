/**
 * Each kind of bad input, through what really reads it, fails once with one line that
 * names the problem: in a run, the stage's activity fails on its first attempt (never
 * retried) with the single input failure type (core/errors.ts); on the command line, the
 * user sees one line on stderr, no stack trace, and a non-zero exit code.
 *
 * Where each kind enters:
 * - a recipe (inline in the config, or a file it names) is resolved and checked when the
 *   run is prepared (pipeline/prepare-run.ts), before any workflow starts: no activity
 *   ever sees a bad one, so it is checked through prepareRun and `xpflow run --config`;
 * - an input table is read by the ingest stage: a real run;
 * - a training set is built from the tables by the training steps: a real run on a sky
 *   whose spectroscopic teff are all NaN (NaN is not NULL, so the stars pass the label
 *   cut) fails in train_1, where the labels are standardised;
 * - a model file is read by the training steps after the first: a real run whose first
 *   step is reused from an earlier run (same stage key) whose model file was spoilt;
 * - a wavelength grid is only an `xpflow xp-sample --grid` option: through that command.
 */
import { execFile } from 'node:child_process';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INPUT_FAILURE_TYPE, isInputError } from '../core/errors.js';
import { withMemoryDuckDB } from '../io/duckdb.js';
import { auditRun } from '../io/catalogue/queries.js';
import { quoteLiteral } from '../io/sql-quote.js';
import { stage as recipeStage, type Recipe } from '../models/forward/recipe.js';
import { QUICK_RECIPE } from '../models/forward/recipes.js';
import { prepareRun, type PreparedRun } from '../pipeline/prepare-run.js';
import { loadModel } from '../pipeline/train-state.js';
import { connectClient } from '../temporal/connection.js';
import { startRun } from '../temporal/runs.js';
import { createWorker } from '../temporal/worker.js';
import { isolatedSettings, makeSky, runWithWorker, tempDir } from './helpers/pipeline.js';
import { REPO_ROOT } from './helpers/paths.js';
import { spawnWorker, stopGracefully } from './helpers/worker-process.js';

const exec = promisify(execFile);
const RUN_TIMEOUT = 240_000;

/** A copy of the sky with some tables rewritten by a SQL select over each (alias t). */
async function spoiltSky(base: string, selects: Record<string, string>): Promise<string> {
  const dir = tempDir('spoilt');
  cpSync(base, dir, { recursive: true });
  await withMemoryDuckDB(async (c) => {
    for (const [table, select] of Object.entries(selects)) {
      await c.run(
        `CREATE OR REPLACE TABLE t AS SELECT * FROM read_parquet(${quoteLiteral(join(base, `${table}.parquet`))})`,
      );
      await c.run(`COPY (${select}) TO ${quoteLiteral(join(dir, `${table}.parquet`))} (FORMAT parquet)`);
    }
  });
  return dir;
}

/** A recipe small enough to train in seconds: one or two one-epoch steps, no self-cleaning, no settlements. */
function tinyRecipe(steps: 1 | 2): Recipe {
  const recipe = structuredClone(QUICK_RECIPE);
  delete recipe.settleBrightness;
  delete recipe.settleReddening;
  const quick = { epochs: 1, batchSize: 64 };
  recipe.stages = [
    recipeStage('model_all', 'all', 'model', quick),
    recipeStage('stars_all', 'all', 'stars', quick),
  ].slice(0, steps);
  recipe.selfClean = {
    ...recipe.selfClean,
    maxIterations: 0,
    stages: [recipeStage('stars_refit', 'all', 'stars', quick)],
  };
  return recipe;
}

interface Failure {
  activity: string;
  attempts: number[];
  type: string | null | undefined;
  nonRetryable: boolean | null | undefined;
  message: string | null | undefined;
}

/** Runs prepared with an in-process worker until it fails; the failed activity as the history tells it. */
async function failingRun(prepared: PreparedRun, name: string): Promise<Failure> {
  const settings = isolatedSettings(name);
  const worker = await createWorker({ settings });
  const client = await connectClient(settings);
  try {
    return await worker.runUntil(async () => {
      const handle = await startRun(client, settings, prepared, { heartbeatTimeout: '30 seconds' });
      await expect(handle.result()).rejects.toThrow();
      // The stage activities run in the child workflow (train) or in reprocess itself.
      // The stage activities run in reprocess itself or in its train child; event ids are per history.
      for (const id of [handle.workflowId, `${handle.workflowId}/train`]) {
        const history = await client.workflow
          .getHandle(id)
          .fetchHistory()
          .catch(() => undefined);
        const events = history?.events ?? [];
        const scheduled = new Map<string, string>();
        for (const e of events)
          if (e.activityTaskScheduledEventAttributes)
            scheduled.set(String(e.eventId), e.activityTaskScheduledEventAttributes.activityType?.name ?? '');
        const failed = events.find((e) => e.activityTaskFailedEventAttributes)?.activityTaskFailedEventAttributes;
        if (!failed) continue;
        const activity = scheduled.get(String(failed.scheduledEventId))!;
        const attempts = events
          .filter((e) => e.activityTaskStartedEventAttributes)
          // Temporal writes one started event per scheduled activity, carrying its last attempt.
          .filter(
            (e) => String(e.activityTaskStartedEventAttributes!.scheduledEventId) === String(failed.scheduledEventId),
          )
          .map((e) => e.activityTaskStartedEventAttributes!.attempt ?? 1);
        const info = failed.failure?.applicationFailureInfo;
        return {
          activity,
          attempts,
          type: info?.type,
          nonRetryable: info?.nonRetryable,
          message: failed.failure?.message,
        };
      }
      throw new Error('no activity failed');
    });
  } finally {
    await client.connection.close();
  }
}

function expectOneLine(message: string | null | undefined, pattern: RegExp): void {
  expect(message?.trim()).toMatch(pattern);
  expect(message!.trim().split('\n')).toHaveLength(1);
}

describe('bad input fails once, with one line naming the problem', () => {
  const settings = isolatedSettings('bad-input-cli');
  const env = { ...process.env, TEMPORAL_ADDRESS: settings.address, XPFLOW_TASK_QUEUE: settings.taskQueue };
  /** Runs the CLI; resolves with its exit code and stderr (it is expected to fail). */
  const xpflow = async (...args: string[]): Promise<{ code: number; stderr: string }> => {
    try {
      await exec(process.execPath, [join(REPO_ROOT, 'dist', 'cli', 'main.js'), ...args], { env, timeout: 200_000 });
      return { code: 0, stderr: '' };
    } catch (e) {
      const err = e as { code?: number; stderr?: string };
      return { code: err.code ?? -1, stderr: err.stderr ?? '' };
    }
  };
  const expectOneLineOnStderr = (result: { code: number; stderr: string }, pattern: RegExp) => {
    expect(result.code).not.toBe(0);
    expectOneLine(result.stderr, pattern);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  };
  let sky: string;
  let worker: ReturnType<typeof spawnWorker> | undefined;

  beforeAll(async () => {
    sky = await makeSky({ stars: 300, seed: 61, lamostFraction: 0.8 });
  }, 120_000);
  afterAll(async () => {
    if (worker) await stopGracefully(worker);
  });

  it('a bad recipe field inline in the config: RecipeError when the run is prepared; one line from xpflow run', async () => {
    const dir = tempDir('inline-recipe');
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ input: sky, training: { recipe: { stages: 5 } } }));
    const err = await prepareRun({ configFile: config, dataDir: dir }).catch((e: unknown) => e);
    expect(isInputError(err)).toBe(true);
    expect((err as Error).name).toBe('RecipeError');
    expectOneLineOnStderr(
      await xpflow('run', '--config', config, '--data-dir', dir),
      /^xpflow run: \S+config\.json: recipe\.\w+: /,
    );
  });

  it('a bad recipe field in a recipe file: one line naming the file and the field', async () => {
    const dir = tempDir('recipe-file');
    const recipe = join(dir, 'recipe.json');
    const bad = structuredClone(QUICK_RECIPE) as unknown as { stages: { lrModel: number }[] };
    bad.stages[1].lrModel = -1;
    writeFileSync(recipe, JSON.stringify(bad));
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ input: sky, training: { recipe } }));
    expectOneLineOnStderr(
      await xpflow('run', '--config', config, '--data-dir', dir),
      /^xpflow run: \S+config\.json: training\.recipe .*recipe\.json: recipe\.stages\[1\]\.lrModel: /,
    );
  });

  it('a bad wavelength grid (an xp-sample option): one line', async () => {
    const dir = tempDir('grid');
    expectOneLineOnStderr(
      await xpflow(
        'xp-sample',
        '--input',
        join(sky, 'xp_continuous_mean_spectrum.parquet'),
        '--out',
        join(dir, 'o.csv'),
        '--grid',
        '500:400:10',
      ),
      /^xpflow xp-sample: bad range 500:400:10$/,
    );
  });

  it(
    'a bad input table: ingest fails on attempt 1 in a run, and xpflow run prints one line',
    async () => {
      const dir = await spoiltSky(sky, { gaia_source: 'SELECT * EXCLUDE (parallax) FROM t' });
      const prepared = await prepareRun({ inputDir: dir, dataDir: tempDir('data-table') });
      const failure = await failingRun(prepared, 'bad-table');
      expect(failure).toMatchObject({
        activity: 'ingest',
        attempts: [1],
        type: INPUT_FAILURE_TYPE,
        nonRetryable: true,
      });
      expectOneLine(failure.message, /gaia_source\.parquet, column parallax: required column is missing/);
      const audit = (await auditRun(prepared.run.dataDir, prepared.run.runId))!;
      const ingest = audit.stages.find((s) => s.stage === 'ingest')!;
      expect(ingest.status).toBe('failed');
      expectOneLine(ingest.message, /column parallax: required column is missing/);

      worker = spawnWorker(settings);
      expectOneLineOnStderr(
        await xpflow('run', '--input', dir, '--data-dir', tempDir('data-table-cli')),
        /^xpflow run: .*column parallax: required column is missing/,
      );
    },
    RUN_TIMEOUT,
  );

  it(
    'a bad training set (NaN labels): train_1 fails on attempt 1',
    async () => {
      const nanTeff = "SELECT * REPLACE ('NaN'::FLOAT AS teff) FROM t";
      const dir = await spoiltSky(sky, { lamost_dr8: nanTeff, hot_payne: nanTeff });
      const prepared = await prepareRun({
        inputDir: dir,
        dataDir: tempDir('data-training-set'),
        overrides: { training: { recipe: tinyRecipe(1) } },
      });
      const failure = await failingRun(prepared, 'bad-training-set');
      expect(failure).toMatchObject({
        activity: 'trainStep',
        attempts: [1],
        type: INPUT_FAILURE_TYPE,
        nonRetryable: true,
      });
      expectOneLine(failure.message, /^standardisation: label column 0 has no finite value$/);
    },
    RUN_TIMEOUT,
  );

  it('a model file that is not JSON, or JSON of another format: ModelFileError naming the file', () => {
    const dir = tempDir('model-file');
    for (const [name, text, pattern] of [
      ['truncated.json', '{"format": "xpflow-forward-mo', /^model file \S+truncated\.json: not JSON/],
      ['other.json', JSON.stringify({ format: 'not-a-model', version: 1 }), /^model file \w+: /],
    ] as const) {
      writeFileSync(join(dir, name), text);
      let thrown: unknown;
      try {
        loadModel(join(dir, name));
      } catch (e) {
        thrown = e;
      }
      expect(isInputError(thrown)).toBe(true);
      expect((thrown as Error).name).toBe('ModelFileError');
      expectOneLine((thrown as Error).message, pattern);
    }
  });

  it(
    'a bad model file: the step that reads it fails on attempt 1',
    async () => {
      const dataDir = tempDir('data-model');
      const first = await prepareRun({ inputDir: sky, dataDir, overrides: { training: { recipe: tinyRecipe(1) } } });
      // Its train_1 is what counts; on so tiny a sky a later stage may fail (e.g. a NaN validation metric).
      await runWithWorker(isolatedSettings('model-ref'), first, '30 seconds').catch(() => undefined);
      const model = (await auditRun(dataDir, first.run.runId))!.artifacts.find(
        (a) => a.stage.startsWith('train_1') && a.name === 'model',
      )!;
      writeFileSync(model.path, JSON.stringify({ format: 'not-a-model', version: 1 }));
      // Same first step (same key: reused from the first run, spoilt file and all), then one more.
      const second = await prepareRun({ inputDir: sky, dataDir, overrides: { training: { recipe: tinyRecipe(2) } } });
      const failure = await failingRun(second, 'bad-model');
      expect(failure).toMatchObject({
        activity: 'trainStep',
        attempts: [1],
        type: INPUT_FAILURE_TYPE,
        nonRetryable: true,
      });
      expectOneLine(failure.message, /^model file \w+: /);
    },
    RUN_TIMEOUT,
  );
});
