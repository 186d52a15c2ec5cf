/** Stage 5, split: the training sample into train and validation (sql/split.sql). */
import { join } from 'node:path';
import { asNumber, queryRows } from '../io/duckdb-query.js';
import { withMemoryDuckDB } from '../io/duckdb.js';
import { quoteLiteral } from '../io/sql-quote.js';
import { sqlModel } from '../io/sql-files.js';
import { artifact, runStage, type ComputedStage } from './stage-runner.js';
import type { RunRef, StageOutcome, StageProgress } from './types.js';

export async function splitSample(
  trainingSample: string,
  seed: number,
  trainFraction: number,
  outDir: string,
): Promise<ComputedStage> {
  return withMemoryDuckDB(async (c) => {
    await c.run(
      `CREATE TEMP VIEW training_sample AS SELECT source_id FROM read_parquet(${quoteLiteral(trainingSample)})`,
    );
    const out = join(outDir, 'split.parquet');
    await c.run(`COPY (${sqlModel('split')}) TO ${quoteLiteral(out)} (FORMAT parquet, COMPRESSION zstd)`, {
      seed,
      train_fraction: trainFraction,
    });
    const rows = await queryRows<{ split: string; n: bigint }>(
      c,
      `SELECT split, count(*) AS n FROM read_parquet(${quoteLiteral(out)}) GROUP BY split`,
    );
    const count = (s: string) => asNumber(rows.find((r) => r.split === s)?.n ?? 0n);
    const total = count('train') + count('validation');
    return {
      artifacts: [{ name: 'split', file: 'split.parquet', rows: total }],
      metrics: [
        { name: 'train', value: count('train'), unit: 'stars' },
        { name: 'validation', value: count('validation'), unit: 'stars' },
      ],
    };
  });
}

export async function runSplit(run: RunRef, cuts: StageOutcome, progress: StageProgress): Promise<StageOutcome> {
  const sample = artifact(cuts, 'training_sample');
  return runStage(
    run,
    {
      stage: 'split',
      config: { seed: run.config.seed, trainFraction: run.config.split.trainFraction },
      inputHashes: { training_sample: sample.sha256 },
      compute: (w) => splitSample(sample.path, run.config.seed, run.config.split.trainFraction, w.outDir),
    },
    progress,
  );
}
