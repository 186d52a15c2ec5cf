/**
 * Benchmark: the whole data preparation (ingest → split) on a synthetic sky of N stars
 * (1 million by default; generated once into XPFLOW_BENCH_DIR, default ./xpflow-bench),
 * through a real Temporal dev server and an in-process worker. Reports each stage's
 * time and Temporal's own overhead: workflow wall time minus the time spent inside
 * stage activities, as a fraction of the wall time.
 */
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateSky } from '../models/synth/generate.js';
import { prepareRun } from '../pipeline/prepare-run.js';
import { connectClient } from '../temporal/connection.js';
import { temporalSettings } from '../temporal/config.js';
import { findFreePort, startDevServer } from '../temporal/dev-server.js';
import { startRun } from '../temporal/runs.js';
import { createWorker } from '../temporal/worker.js';
import type { RunSummary } from '../workflows/reprocess.js';
import type { BenchResult } from './bench-util.js';

export async function benchPreparation(stars = 1_000_000): Promise<BenchResult[]> {
  const root = resolve(process.env.XPFLOW_BENCH_DIR ?? 'xpflow-bench');
  const sky = join(root, `sky-${stars}`);
  const results: BenchResult[] = [];
  if (!existsSync(join(sky, 'manifest.json'))) {
    const t0 = performance.now();
    await generateSky({ out: sky, stars, seed: 1, lamostFraction: 0.05 });
    results.push({ name: `sky generated (${stars} stars, once)`, value: (performance.now() - t0) / 1000, unit: 's' });
  }
  const dataDir = join(root, `data-${stars}`);
  rmSync(dataDir, { recursive: true, force: true });
  const server = await startDevServer({ dataDir: join(root, 'temporal'), port: await findFreePort(), headless: true });
  const settings = { ...temporalSettings(), address: server.address, taskQueue: `xpflow-bench-${Date.now()}` };
  try {
    const prepared = await prepareRun({ inputDir: sky, dataDir, overrides: { training: { enabled: false } } });
    const worker = await createWorker({ settings });
    const client = await connectClient(settings);
    const t0 = performance.now();
    const summary = await worker.runUntil(
      async () => (await (await startRun(client, settings, prepared)).result()) as RunSummary,
    );
    const wall = (performance.now() - t0) / 1000;
    await client.connection.close();
    const inStages = summary.stages.reduce((s, x) => s + x.durationMs, 0) / 1000;
    for (const s of summary.stages)
      results.push({ name: `stage ${s.stage}`, value: s.durationMs / 1000, unit: 's', detail: { rows: s.rowsOut } });
    results.push({ name: 'preparation wall time (workflow start → result)', value: wall, unit: 's' });
    results.push({
      name: 'Temporal overhead (wall − time in stages) / wall; goal < 2 %',
      value: (100 * (wall - inStages)) / wall,
      unit: '%',
      detail: { overheadSeconds: wall - inStages },
    });
    return results;
  } finally {
    await server.stop();
  }
}
