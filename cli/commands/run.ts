/** xpflow run [--config F] [--input DIR] [--data-dir D] [--detach]: start (or attach to) a run and follow it. */
import { parseArgs } from 'node:util';
import { prepareRun } from '../../pipeline/prepare-run.js';
import { connectClient } from '../../temporal/connection.js';
import { temporalSettings } from '../../temporal/config.js';
import { startRun } from '../../temporal/runs.js';
import { describeCatalogue, followRun } from '../follow.js';
import { dataDirOf, dataDirOption } from '../options.js';
import { UsageError } from '../usage-error.js';

export const usage = `xpflow run [--input DIR] [--config FILE] [--data-dir DIR] [--detach]

  Starts the reprocessing run for these inputs and config, or attaches to it when it
  is already going (the run id is a hash of both), and follows it until it ends.
  --input DIR     folder with the eight input tables (<table>.parquet or .csv)
  --config FILE   JSON overriding the defaults (see README, "Configuration and recipes"); may name "input"
  --data-dir DIR  catalogue, runs/ and the dev server's state (default ./xpflow-data)
  --detach        print the run id and return at once`;

export async function runCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      input: { type: 'string' },
      config: { type: 'string' },
      detach: { type: 'boolean', default: false },
      ...dataDirOption,
    },
  });
  if (!values.input && !values.config) throw new UsageError(usage);
  const prepared = await prepareRun({
    inputDir: values.input,
    configFile: values.config,
    dataDir: dataDirOf(values['data-dir']),
  });
  const settings = temporalSettings();
  const client = await connectClient(settings);
  try {
    const handle = await startRun(client, settings, prepared);
    process.stdout.write(`run ${prepared.run.runId} (workflow ${handle.workflowId})\n`);
    if (values.detach) return;
    const summary = await followRun(client, prepared.run.runId, handle);
    process.stdout.write(`run ${summary.runId} completed; outputs in ${prepared.run.dataDir}/runs/${summary.runId}/\n`);
    if (summary.catalogue) process.stdout.write(`${describeCatalogue(summary.catalogue, prepared.run.dataDir)}\n`);
  } finally {
    await client.connection.close();
  }
}
