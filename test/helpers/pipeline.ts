/** Test plumbing for pipeline runs: a generated sky, an in-process worker on its own task queue. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { generateSky } from '../../models/synth/generate.js';
import type { SkyOptionsInput } from '../../models/synth/options.js';
import type { PreparedRun } from '../../pipeline/prepare-run.js';
import { connectClient } from '../../temporal/connection.js';
import { temporalSettings, type TemporalSettings } from '../../temporal/config.js';
import { startRun } from '../../temporal/runs.js';
import { createWorker } from '../../temporal/worker.js';
import type { RunSummary } from '../../workflows/reprocess.js';

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `xpflow-${prefix}-`));
}

export async function makeSky(options: Omit<SkyOptionsInput, 'out'>): Promise<string> {
  const out = tempDir('sky');
  await generateSky({ ...options, out });
  return out;
}

/** Settings for an isolated task queue on the test run's Temporal server. */
export function isolatedSettings(name: string): TemporalSettings {
  return { ...temporalSettings(), taskQueue: `xpflow-test-${name}-${process.pid}-${Date.now()}` };
}

export async function withClient<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const client = await connectClient(temporalSettings());
  try {
    return await fn(client);
  } finally {
    await client.connection.close();
  }
}

/** Runs the pipeline for prepared with an in-process worker; resolves with the summary. */
export async function runWithWorker(
  settings: TemporalSettings,
  prepared: PreparedRun,
  heartbeatTimeout = '10 seconds',
): Promise<RunSummary> {
  const worker = await createWorker({ settings });
  return withClient((client) =>
    worker.runUntil(async () => {
      const handle = await startRun(client, settings, prepared, { heartbeatTimeout });
      return (await handle.result()) as RunSummary;
    }),
  );
}
