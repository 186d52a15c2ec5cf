#!/usr/bin/env node
/** The xpflow command line: one subcommand per job. */
import { xpSampleCommand, usage as xpSampleUsage } from './commands/xp-sample.js';
import { UsageError } from './usage-error.js';

type Command = { run: (argv: string[]) => Promise<void>; usage: string };

const commands: Record<string, Command> = {
  'xp-sample': { run: xpSampleCommand, usage: xpSampleUsage },
};

function help(): string {
  return `xpflow: stellar parameters, extinction and parallax from Gaia XP spectra\n\nCommands:\n${Object.values(commands)
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
    if (err instanceof UsageError || err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      process.stderr.write(`xpflow ${name}: ${err.message}\n`);
      return 2;
    }
    if (err.nonRetryable || err.name === 'GridSpecError') {
      process.stderr.write(`xpflow ${name}: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

process.exitCode = await main(process.argv.slice(2));
