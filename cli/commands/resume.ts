/** xpflow resume <run>: run a failed or interrupted run again with its recorded config; finished stages are reused. */
import { parseArgs } from 'node:util';
import { findRun } from '../../io/catalogue/queries.js';
import { inputFingerprints } from '../../pipeline/ingest.js';
import type { RunConfig } from '../../pipeline/types.js';
import { connectClient } from '../../temporal/connection.js';
import { temporalSettings } from '../../temporal/config.js';
import { startRun } from '../../temporal/runs.js';
import { followRun } from '../follow.js';
import { dataDirOf, dataDirOption } from '../options.js';
import { UsageError } from '../usage-error.js';

export const usage = `xpflow resume RUN [--data-dir DIR]

  Starts RUN again from the config and input fingerprints recorded in the catalogue
  (attaching if it is still going). Stages whose inputs are unchanged are reused.`;

export async function resumeCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, options: dataDirOption, allowPositionals: true });
  const runId = positionals[0];
  if (!runId) throw new UsageError(usage);
  const dataDir = dataDirOf(values['data-dir']);
  const recorded = await findRun(dataDir, runId);
  if (!recorded) throw new UsageError(`no run ${runId} in ${dataDir}/xpflow.duckdb`);
  const prepared = {
    run: { runId, dataDir, config: JSON.parse(recorded.config_json) as RunConfig },
    inputFingerprint: JSON.parse(recorded.input_fingerprint_json) as Record<string, string>,
  };
  const now = await inputFingerprints(prepared.run.config.input);
  const changed = Object.keys(now).filter((t) => now[t] !== prepared.inputFingerprint[t]);
  if (changed.length)
    throw new UsageError(
      `the inputs of run ${runId} changed since it started (${changed.join(', ')}): start a new run with xpflow run`,
    );
  const settings = temporalSettings();
  const client = await connectClient(settings);
  try {
    const handle = await startRun(client, settings, prepared);
    process.stdout.write(`resuming run ${runId}\n`);
    await followRun(client, runId, handle);
    process.stdout.write(`run ${runId} completed\n`);
  } finally {
    await client.connection.close();
  }
}
