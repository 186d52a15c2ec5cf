#!/usr/bin/env node
/** The xpflow command line: one subcommand per job. */
import { auditCommand, usage as auditUsage } from './commands/audit.js';
import { evaluateCommand, usage as evaluateUsage } from './commands/evaluate.js';
import { resumeCommand, usage as resumeUsage } from './commands/resume.js';
import { runCommand, usage as runUsage } from './commands/run.js';
import { runsCommand, usage as runsUsage } from './commands/runs.js';
import { serverCommand, usage as serverUsage } from './commands/server.js';
import { startCommand, usage as startUsage } from './commands/start.js';
import { synthCommand, usage as synthUsage } from './commands/synth.js';
import { synthPlotsCommand, usage as synthPlotsUsage } from './commands/synth-plots.js';
import { statusCommand, usage as statusUsage } from './commands/status.js';
import { workerCommand, usage as workerUsage } from './commands/worker.js';
import { xpSampleCommand, usage as xpSampleUsage } from './commands/xp-sample.js';
import { UsageError } from './usage-error.js';

type Command = { run: (argv: string[]) => Promise<void>; usage: string };

const commands: Record<string, Command> = {
  start: { run: startCommand, usage: startUsage },
  run: { run: runCommand, usage: runUsage },
  status: { run: statusCommand, usage: statusUsage },
  runs: { run: runsCommand, usage: runsUsage },
  resume: { run: resumeCommand, usage: resumeUsage },
  audit: { run: auditCommand, usage: auditUsage },
  evaluate: { run: evaluateCommand, usage: evaluateUsage },
  worker: { run: workerCommand, usage: workerUsage },
  server: { run: serverCommand, usage: serverUsage },
  'xp-sample': { run: xpSampleCommand, usage: xpSampleUsage },
  synth: { run: synthCommand, usage: synthUsage },
  'synth-plots': { run: synthPlotsCommand, usage: synthPlotsUsage },
};

function help(): string {
  return `xpflow: stellar parameters, extinction and parallax from Gaia XP spectra\n\nCommands:\n${Object.values(
    commands,
  )
    .map((c) => `  ${c.usage.split('\n')[0]}`)
    .join('\n')}\n\nxpflow COMMAND --help for details.`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${help()}\n`);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`xpflow: unknown command "${name}"\n\n${help()}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  try {
    await command.run(rest);
    return 0;
  } catch (e) {
    const err = e as Error & { nonRetryable?: boolean; code?: string };
    if (
      err instanceof UsageError ||
      err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ||
      err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE'
    ) {
      process.stderr.write(`xpflow ${name}: ${err.message}\n`);
      return 2;
    }
    if (
      err.nonRetryable ||
      ['EvaluationError', 'GridSpecError', 'TemporalSettingsError', 'WorkflowFailedError'].includes(err.name)
    ) {
      const cause = (err as { cause?: { message?: string } }).cause?.message;
      process.stderr.write(`xpflow ${name}: ${err.message}${cause ? `: ${cause}` : ''}\n`);
      return 1;
    }
    throw err;
  }
}

process.exitCode = await main(process.argv.slice(2));
