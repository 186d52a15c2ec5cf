/** The stage runner's refusal of outputs the record cannot hold (pipeline/stage-runner.ts). */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runStage, stageDir, StageOutputError } from '../pipeline/stage-runner.js';
import { NO_PROGRESS, type RunRef } from '../pipeline/types.js';
import { tempDir } from './helpers/pipeline.js';

describe('a stage whose metric is not a finite number', () => {
  it('fails once, not retried, naming the stage and metric, and leaves nothing behind', async () => {
    const run = { runId: 'rtest', dataDir: tempDir('stage-runner') } as RunRef;
    const failing = runStage(
      run,
      {
        stage: 'clean_1',
        config: {},
        inputHashes: {},
        compute: async (w) => {
          writeFileSync(join(w.outDir, 'outliers.json'), '{}');
          return {
            artifacts: [{ name: 'outliers', file: 'outliers.json', rows: 0 }],
            metrics: [{ name: 'r_grey_offset_sigma', value: Number.NaN, unit: 'R' }],
          };
        },
      },
      NO_PROGRESS,
    );
    await expect(failing).rejects.toThrow(StageOutputError);
    await expect(failing).rejects.toThrow('stage clean_1: metric r_grey_offset_sigma is NaN');
    await expect(failing).rejects.toMatchObject({ nonRetryable: true });
    expect(existsSync(stageDir(run.dataDir, run.runId, 'clean_1'))).toBe(false);
    expect(readdirSync(join(run.dataDir, 'runs', run.runId)).filter((f) => f.startsWith('.clean_1'))).toEqual([]);
  });
});
