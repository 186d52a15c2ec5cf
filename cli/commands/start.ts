/**
 * xpflow start (npm start): the whole thing on the embedded default, on one machine.
 * Starts a local Temporal dev server (unless TEMPORAL_ADDRESS names a cluster) and a
 * worker, generates the default synthetic sky if absent, runs the pipeline on it and
 * prints where the outputs are.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateSky } from '../../models/synth/generate.js';
import { DEFAULT_SKY } from '../../models/synth/presets.js';
import { prepareRun } from '../../pipeline/prepare-run.js';
import { connectClient } from '../../temporal/connection.js';
import { temporalSettings } from '../../temporal/config.js';
import { devServerForDataDir, type DevServer } from '../../temporal/dev-server.js';
import { startRun } from '../../temporal/runs.js';
import { createWorker } from '../../temporal/worker.js';
import { describeCatalogue, followRun } from '../follow.js';
import { dataDirOf, dataDirOption } from '../options.js';

export const usage = `xpflow start [--data-dir DIR] [--stars N] [--keep-server]

  Runs the pipeline end to end on the bundled default synthetic sky
  (${DEFAULT_SKY.stars} stars, generated into DIR/sky/default on first use), with a local
  Temporal dev server (state in DIR/temporal.sqlite, UI on http://127.0.0.1:8233) and an
  in-process worker. A dev server already serving DIR is reused; when port 7233 is held
  by anything else, the new server takes a free port (printed). With TEMPORAL_ADDRESS
  set, uses that cluster instead.
  --keep-server   leave the dev server running afterwards (for the UI, xpflow status …)`;

const say = (line: string) => process.stdout.write(`${line}\n`);

async function ensureSky(dataDir: string, stars: number | undefined): Promise<string> {
  const dir = join(dataDir, 'sky', stars ? `default-${stars}` : 'default');
  if (existsSync(join(dir, 'manifest.json'))) {
    say(`sky: ${dir} (already generated)`);
    return dir;
  }
  const t0 = Date.now();
  say(`sky: generating ${stars ?? DEFAULT_SKY.stars} stars into ${dir} …`);
  await generateSky({ ...DEFAULT_SKY, ...(stars ? { stars } : {}), out: dir });
  say(`sky: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return dir;
}

export async function startCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { stars: { type: 'string' }, 'keep-server': { type: 'boolean', default: false }, ...dataDirOption },
  });
  const dataDir = dataDirOf(values['data-dir']);
  const stars = values.stars ? Number(values.stars) : undefined;
  let server: DevServer | undefined;
  if (!process.env.TEMPORAL_ADDRESS) {
    server = await devServerForDataDir({ dataDir, detached: values['keep-server'] });
    process.env.TEMPORAL_ADDRESS = server.address;
    say(
      `temporal: dev server ${server.owned ? 'started' : 'already running'} at ${server.address}${server.uiUrl ? `, UI ${server.uiUrl}` : ''}`,
    );
  }
  const settings = temporalSettings();
  const worker = await createWorker({ settings });
  const running = worker.run();
  try {
    const sky = await ensureSky(dataDir, stars);
    const prepared = await prepareRun({ inputDir: sky, dataDir });
    const client = await connectClient(settings);
    try {
      const handle = await startRun(client, settings, prepared);
      say(`run ${prepared.run.runId}:`);
      const summary = await followRun(client, prepared.run.runId, handle);
      if (summary.catalogue) say(`\n${describeCatalogue(summary.catalogue, dataDir)}`);
    } finally {
      await client.connection.close();
    }
    say(`\noutputs: ${join(dataDir, 'runs', prepared.run.runId)}/<stage>/`);
    say(`audit:   npx xpflow audit ${prepared.run.runId} --data-dir ${dataDir}`);
    say(`SQL:     duckdb ${join(dataDir, 'xpflow.duckdb')}`);
  } finally {
    worker.shutdown();
    await running;
    if (server && !values['keep-server']) await server.stop();
  }
}
