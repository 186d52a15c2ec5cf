/** xpflow status <run>: live progress per stage (from Temporal), else what the catalogue recorded. */
import { parseArgs } from 'node:util';
import { auditRun } from '../../io/catalogue/queries.js';
import { connectClient } from '../../temporal/connection.js';
import { pendingStages, queryProgress } from '../../temporal/runs.js';
import { describeStage } from '../follow.js';
import { dataDirOf, dataDirOption } from '../options.js';
import { UsageError } from '../usage-error.js';

export const usage = `xpflow status RUN [--data-dir DIR]

  Each stage's state (pending, running with its progress, completed, reused, failed).`;

export async function statusCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, options: dataDirOption, allowPositionals: true });
  const runId = positionals[0];
  if (!runId) throw new UsageError(usage);
  const client = await connectClient().catch(() => undefined);
  try {
    const progress = client ? await queryProgress(client, runId).catch(() => undefined) : undefined;
    if (progress && client) {
      process.stdout.write(`run ${runId}: ${progress.status}\n`);
      for (const s of progress.stages) process.stdout.write(`  ${describeStage(s)}\n`);
      for (const p of await pendingStages(client, runId)) {
        const h = p.heartbeat as { done?: number; total?: number; unit?: string } | undefined;
        process.stdout.write(
          `  running ${p.activity}: ${h?.total ? `${h.done}/${h.total} ${h.unit}` : 'started'} (attempt ${p.attempt})\n`,
        );
      }
      return;
    }
    const audit = await auditRun(dataDirOf(values['data-dir']), runId);
    if (!audit) throw new UsageError(`no run ${runId} in Temporal or in the catalogue`);
    process.stdout.write(
      `run ${runId}: ${audit.run.status}${audit.run.message ? ` (${audit.run.message})` : ''} [from the catalogue]\n`,
    );
    for (const s of audit.stages)
      process.stdout.write(
        `  ${s.stage.padEnd(13)} ${s.status}${s.reused ? ' (reused)' : ''}${s.message ? `: ${s.message}` : ''}\n`,
      );
  } finally {
    await client?.connection.close();
  }
}
