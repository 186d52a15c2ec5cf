/** xpflow worker: runs workflows and stage activities until interrupted. */
import { parseArgs } from 'node:util';
import { createWorker } from '../../temporal/worker.js';
import { temporalSettings } from '../../temporal/config.js';

export const usage = `xpflow worker [--max-activities N]

  Polls the task queue (XPFLOW_TASK_QUEUE, default xpflow) of the Temporal server at
  TEMPORAL_ADDRESS (default 127.0.0.1:7233) and runs xpflow's workflows and stages.
  Stop it with Ctrl-C: it finishes nothing half-way (a stopped stage is retried).`;

export async function workerCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { 'max-activities': { type: 'string' } } });
  const settings = temporalSettings();
  const worker = await createWorker({
    settings,
    maxConcurrentActivities: values['max-activities'] ? Number(values['max-activities']) : undefined,
  });
  const stop = () => worker.shutdown();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.stderr.write(
    `xpflow worker on ${settings.address}, namespace ${settings.namespace}, task queue ${settings.taskQueue}\n`,
  );
  await worker.run();
}
