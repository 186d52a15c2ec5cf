import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedSettings, makeSky, tempDir } from './helpers/pipeline.js';
import { REPO_ROOT } from './helpers/paths.js';
import { spawnWorker, stopGracefully } from './helpers/worker-process.js';

const exec = promisify(execFile);

describe('the xpflow command line against a real server', () => {
  const settings = isolatedSettings('cli');
  const env = { ...process.env, TEMPORAL_ADDRESS: settings.address, XPFLOW_TASK_QUEUE: settings.taskQueue };
  const xpflow = (...args: string[]) =>
    exec(process.execPath, [join(REPO_ROOT, 'dist', 'cli', 'main.js'), ...args], { env, timeout: 240_000 });
  let worker: ReturnType<typeof spawnWorker>;
  let sky: string;
  let dataDir: string;
  let config: string;
  let runId: string;

  beforeAll(async () => {
    worker = spawnWorker(settings);
    sky = await makeSky({ stars: 1500, seed: 41, lamostFraction: 0.5 });
    dataDir = tempDir('cli-data');
    config = join(dataDir, '..', `cli-config-${process.pid}.json`);
    writeFileSync(config, JSON.stringify({ input: sky, training: { enabled: false } }));
  }, 120_000);
  afterAll(async () => stopGracefully(worker));

  it('run follows a run to the end and prints where the outputs are', async () => {
    const { stdout } = await xpflow('run', '--config', config, '--data-dir', dataDir);
    runId = /run (r[0-9a-f]{12})/.exec(stdout)![1];
    expect(stdout).toMatch(/ingest\s+completed/);
    expect(stdout).toMatch(/split\s+completed/);
    expect(stdout).toContain(`run ${runId} completed; outputs in ${dataDir}/runs/${runId}/`);
  });

  it('runs, status and audit answer from the catalogue and Temporal', async () => {
    expect((await xpflow('runs', '--data-dir', dataDir)).stdout).toMatch(new RegExp(`${runId}\\s+completed`));
    expect((await xpflow('status', runId, '--data-dir', dataDir)).stdout).toMatch(/quality_cuts\s+completed/);
    const audit = (await xpflow('audit', runId, '--data-dir', dataDir)).stdout;
    expect(audit).toMatch(/training cuts/);
    expect(audit).toMatch(/parallax_snr/);
    expect(audit).toMatch(/tmass_psc\.matched/);
  });

  it('resume runs it again, reusing every stage', async () => {
    const { stdout } = await xpflow('resume', runId, '--data-dir', dataDir);
    expect(stdout).toMatch(/ingest\s+reused/);
    expect(stdout).toMatch(/split\s+reused/);
  });

  it('bad usage and bad input give clear messages and non-zero exit codes', async () => {
    await expect(xpflow('run', '--data-dir', dataDir)).rejects.toMatchObject({ code: 2 });
    await expect(xpflow('run', '--input', join(sky, 'nope'), '--data-dir', dataDir)).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/does not exist/),
    });
    await expect(xpflow('audit', 'r000000000000', '--data-dir', dataDir)).rejects.toMatchObject({ code: 2 });
    await expect(xpflow('evaluate', 'r000000000000', '--sky', sky, '--data-dir', dataDir)).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^xpflow evaluate: no run r000000000000 in /),
    });
  });
});
