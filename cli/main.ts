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
import { WorkflowFailedError } from '@temporalio/client';
import { isInputError } from '../core/errors.js';
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
  } catch (err) {
    const failure = userFailure(err);
    if (!failure) throw err;
    process.stderr.write(`xpflow ${name}: ${failure.message}\n`);
    return failure.exitCode;
  }
}

/**
 * The one place a user's mistake becomes a one-line message (no stack trace): a command
 * line (exit 2); any XpflowInputError, i.e. a config, recipe, model file, grid, training
 * set, table or setting (exit 1); a run whose workflow failed, with its cause (exit 1).
 * Anything else is a bug and keeps its stack trace.
 */
function userFailure(err: unknown): { message: string; exitCode: number } | undefined {
  const code = (err as { code?: string } | null)?.code;
  if (
    err instanceof UsageError ||
    code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ||
    code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE'
  )
    return { message: (err as Error).message, exitCode: 2 };
  if (isInputError(err)) return { message: err.message, exitCode: 1 };
  if (err instanceof WorkflowFailedError) {
    const cause = err.cause?.message;
    return { message: `${err.message}${cause ? `: ${cause}` : ''}`, exitCode: 1 };
  }
  return undefined;
}

process.exitCode = await main(process.argv.slice(2));
