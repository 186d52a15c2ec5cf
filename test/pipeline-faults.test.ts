import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRun } from '../io/catalogue/queries.js';
import { prepareRun, type PreparedRun } from '../pipeline/prepare-run.js';
import { connectClient } from '../temporal/connection.js';
import { findFreePort, startDevServer } from '../temporal/dev-server.js';
import { pendingStages, startRun } from '../temporal/runs.js';
import { createWorker } from '../temporal/worker.js';
import type { RunSummary } from '../workflows/reprocess.js';
import { QUICK_RECIPE } from '../models/forward/recipes.js';
import { isolatedSettings, makeSky, runWithWorker, tempDir, withClient } from './helpers/pipeline.js';
import { killHard, spawnWorker, stopGracefully } from './helpers/worker-process.js';

/** Slow the flux stage down (small parts, a pause after each) so a fault lands inside it. */
const SLOW_FLUXES = { fluxes: { chunkRows: 250, throttleMs: 400 }, training: { enabled: false } };

async function waitForFluxProgress(client: Awaited<ReturnType<typeof connectClient>>, runId: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const pending = await pendingStages(client, runId).catch(() => []);
    const h = pending.find((p) => p.activity === 'fluxes')?.heartbeat as { done?: number; total?: number } | undefined;
    if (h?.done && h.total && h.done >= 2 && h.done < h.total) return;
    await sleep(100);
  }
  throw new Error('the flux stage never reported progress');
}

const outputsOf = async (dataDir: string, runId: string) =>
  (await auditRun(dataDir, runId))!.artifacts.map((a) => `${a.stage}/${a.name}:${a.sha256}`).sort();

describe('faults: killed workers, a restarted server, duplicate starts', () => {
  let sky: string;
  let reference: { dataDir: string; prepared: PreparedRun };

  beforeAll(async () => {
    sky = await makeSky({ stars: 3000, seed: 23, lamostFraction: 0.5 });
    const dataDir = tempDir('data-ref');
    const prepared = await prepareRun({ inputDir: sky, dataDir, overrides: SLOW_FLUXES });
    await runWithWorker(isolatedSettings('reference'), prepared);
    reference = { dataDir, prepared };
  }, 300_000);

  it('SIGKILL of the worker mid-stage: a new worker resumes and the outputs equal an uninterrupted run', async () => {
    const settings = isolatedSettings('sigkill');
    const dataDir = tempDir('data-kill');
    const prepared = await prepareRun({ inputDir: sky, dataDir, overrides: SLOW_FLUXES });
    expect(prepared.run.runId).toBe(reference.prepared.run.runId);
    const first = spawnWorker(settings);
    const summary = await withClient(async (client) => {
      const handle = await startRun(client, settings, prepared, { heartbeatTimeout: '3 seconds' });
      await waitForFluxProgress(client, prepared.run.runId);
      await killHard(first);
      const second = spawnWorker(settings);
      try {
        return (await handle.result()) as RunSummary;
      } finally {
        await stopGracefully(second);
      }
    });
    expect(summary.stages.find((s) => s.stage === 'fluxes')).toBeDefined();
    const audit = (await auditRun(dataDir, prepared.run.runId))!;
    const fluxes = audit.stages.find((s) => s.stage === 'fluxes')!;
    expect(fluxes.attempt).toBeGreaterThan(1);
    expect(JSON.parse(fluxes.detail_json).resumedAfterPart).toBeGreaterThanOrEqual(1);
    expect(await outputsOf(dataDir, prepared.run.runId)).toEqual(
      await outputsOf(reference.dataDir, reference.prepared.run.runId),
    );
  });

  it('stopping and restarting the dev server mid-run: the run finishes', async () => {
    const serverDir = tempDir('server');
    const port = await findFreePort();
    let server = await startDevServer({ dataDir: serverDir, port, headless: true });
    const settings = { ...isolatedSettings('restart'), address: server.address };
    const dataDir = tempDir('data-restart');
    const prepared = await prepareRun({ inputDir: sky, dataDir, overrides: SLOW_FLUXES });
    const worker = await createWorker({ settings });
    const running = worker.run();
    try {
      const client = await connectClient(settings);
      const handle = await startRun(client, settings, prepared, { heartbeatTimeout: '5 seconds' });
      await waitForFluxProgress(client, prepared.run.runId);
      await client.connection.close();
      await server.stop();
      await sleep(2000);
      server = await startDevServer({ dataDir: serverDir, port, headless: true });
      const again = await connectClient(settings);
      try {
        const summary = (await again.workflow.getHandle(handle.workflowId).result()) as RunSummary;
        expect(summary.runId).toBe(prepared.run.runId);
      } finally {
        await again.connection.close();
      }
      expect(await outputsOf(dataDir, prepared.run.runId)).toEqual(
        await outputsOf(reference.dataDir, reference.prepared.run.runId),
      );
    } finally {
      worker.shutdown();
      await running.catch(() => undefined);
      await server.stop();
    }
  });

  it('starting the same run twice attaches to one execution and runs each stage once', async () => {
    const settings = isolatedSettings('duplicate');
    const dataDir = tempDir('data-dup');
    const prepared = await prepareRun({ inputDir: sky, dataDir, overrides: { training: { enabled: false } } });
    const worker = await createWorker({ settings });
    await withClient((client) =>
      worker.runUntil(async () => {
        const [a, b] = await Promise.all([startRun(client, settings, prepared), startRun(client, settings, prepared)]);
        expect(a.firstExecutionRunId).toBe(b.firstExecutionRunId);
        await a.result();
        const history = await a.fetchHistory();
        const scheduled = (history.events ?? []).filter(
          (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'ingest',
        );
        expect(scheduled.length).toBe(1);
      }),
    );
  });

  afterAll(() => undefined);
});

describe('faults in training', () => {
  it('SIGKILL of the worker mid-epoch: training resumes from its checkpoint and ends with the same model', async () => {
    const sky = await makeSky({ stars: 2000, seed: 31, lamostFraction: 0.6 });
    // A long joint stage (≈ 10 s here) so that the kill lands inside it.
    const recipe = structuredClone(QUICK_RECIPE);
    recipe.stages[2].epochs = 400;
    const overrides = { training: { enabled: true, recipe } };
    const reference = await prepareRun({ inputDir: sky, dataDir: tempDir('data-train-ref'), overrides });
    await runWithWorker(isolatedSettings('train-ref'), reference);
    const modelOf = async (dataDir: string, runId: string) =>
      (await auditRun(dataDir, runId))!.artifacts
        .filter((a) => a.name === 'model' || a.name === 'gmm' || a.name === 'outliers')
        .map((a) => `${a.stage}/${a.name}:${a.sha256}`)
        .sort();

    const settings = isolatedSettings('train-kill');
    const dataDir = tempDir('data-train-kill');
    const prepared = await prepareRun({ inputDir: sky, dataDir, overrides });
    const first = spawnWorker(settings);
    await withClient(async (client) => {
      const handle = await startRun(client, settings, prepared, { heartbeatTimeout: '3 seconds' });
      for (let i = 0; i < 1200; i++) {
        const p = await pendingStages(client, prepared.run.runId).catch(() => []);
        const h = p.find((x) => x.activity === 'trainStep')?.heartbeat as
          { stage?: string; done?: number; total?: number } | undefined;
        if (h?.done && h.total && h.done > h.total / 4 && h.done < h.total) break;
        if (i === 1199) throw new Error('no training step was seen running');
        await sleep(50);
      }
      await killHard(first);
      const second = spawnWorker(settings);
      try {
        await handle.result();
      } finally {
        await stopGracefully(second);
      }
    });
    const audit = (await auditRun(dataDir, prepared.run.runId))!;
    const retried = audit.stages.filter((s) => s.stage.startsWith('train_') && s.attempt > 1);
    expect(retried.length).toBe(1);
    expect(JSON.parse(retried[0].detail_json).resumedFromCheckpoint).toBe(true);
    expect(await modelOf(dataDir, prepared.run.runId)).toEqual(
      await modelOf(reference.run.dataDir, reference.run.runId),
    );
  }, 600_000);
});
