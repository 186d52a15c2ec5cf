/**
 * xpflow server [--data-dir DIR] [--port 7233] [--ui-port 8233] [--headless]
 * Runs a local Temporal dev server (state in DIR/temporal.sqlite) in the foreground
 * for xpflow's workers and clients, until SIGINT/SIGTERM.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_TEMPORAL_NAMESPACE, temporalSettings } from '../../temporal/config.js';
import { startDevServer, type DevServer, type DevServerExit } from '../../temporal/dev-server.js';
import { XpflowInputError } from '../../core/errors.js';
import { dataDirOf, dataDirOption } from '../options.js';
import { UsageError } from '../usage-error.js';

export const usage = `xpflow server [--data-dir DIR] [--port 7233] [--ui-port 8233] [--headless]

  Runs a local Temporal dev server in the foreground until Ctrl-C (SIGINT) or SIGTERM.
  Workflow state persists in DIR/temporal.sqlite; server log in DIR/temporal-server.log.
  If a Temporal server already answers on the port, says so and leaves it running.

  --data-dir DIR   default: $XPFLOW_DATA_DIR, else ./xpflow-data
  --port P         frontend gRPC port, for TEMPORAL_ADDRESS=127.0.0.1:P (default 7233)
  --ui-port P      Web UI port (default: --port + 1000)
  --headless       no Web UI`;

/** The dev server cannot be started as asked: main.ts prints it as one line (exit 1), no stack trace. */
export class DevServerError extends XpflowInputError {}

function parsePort(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535)
    throw new UsageError(`--${flag} ${value}: not a TCP port (1-65535)`);
  return port;
}

function nextSignal(): { signal: Promise<NodeJS.Signals>; release: () => void } {
  let on: (s: NodeJS.Signals) => void = () => {};
  const signal = new Promise<NodeJS.Signals>((r) => (on = r));
  process.on('SIGINT', on).on('SIGTERM', on);
  return { signal, release: () => process.off('SIGINT', on).off('SIGTERM', on) };
}

async function runUntilSignal(server: DevServer, exited: Promise<DevServerExit>, logFile: string): Promise<void> {
  const { signal, release } = nextSignal();
  try {
    const first = await Promise.race([signal, exited]);
    if (typeof first !== 'string') {
      throw new DevServerError(
        `the Temporal server stopped by itself (code ${first.code}, signal ${first.signal}); see ${logFile}`,
      );
    }
    process.stdout.write(`${first}: stopping the Temporal server...\n`);
    await server.stop();
    process.stdout.write('stopped\n');
  } finally {
    release();
  }
}

export async function serverCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      ...dataDirOption,
      port: { type: 'string' },
      'ui-port': { type: 'string' },
      headless: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}\n\n${usage}`);
  const port = parsePort('port', values.port) ?? 7233;
  const uiPort = parsePort('ui-port', values['ui-port']);
  const dataDir = dataDirOf(values['data-dir']);
  const logFile = join(dataDir, 'temporal-server.log');
  const { namespace } = temporalSettings();

  let server: DevServer;
  try {
    server = await startDevServer({
      dataDir,
      port,
      uiPort,
      headless: values.headless,
      logFile,
      namespaces: namespace === DEFAULT_TEMPORAL_NAMESPACE ? [] : [namespace],
    });
  } catch (e) {
    throw new DevServerError((e as Error).message);
  }
  if (!server.owned || !server.exited) {
    process.stdout.write(`a Temporal server already answers on ${server.address}; leaving it running\n`);
    return;
  }
  process.stdout.write(
    [
      `Temporal dev server running (pid ${server.pid})`,
      `  gRPC   ${server.address}   (TEMPORAL_ADDRESS=${server.address})`,
      `  UI     ${server.uiUrl ?? 'off (--headless)'}`,
      `  state  ${join(dataDir, 'temporal.sqlite')}`,
      `  log    ${logFile}`,
      'Ctrl-C stops it.',
      '',
    ].join('\n'),
  );
  await runUntilSignal(server, server.exited, logFile);
}
