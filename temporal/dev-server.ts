/**
 * Runs a local Temporal dev server (`temporal server start-dev`, SQLite-backed) for
 * `xpflow server` and the test suite: spawns it, waits until a client can talk to
 * it, and stops it (SIGTERM, then SIGKILL). If a Temporal server already answers on
 * the port, hands back a handle that does not own it, so starting twice is harmless.
 * An owned server is recorded in <dataDir>/temporal-server.json (pid, address) while it
 * runs, so devServerForDataDir can tell which data dir a running server serves.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Socket } from 'node:net';
import { join, resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import { findTemporalCli } from './cli-path.js';

export interface DevServerOptions {
  /** Holds temporal.sqlite (the server's whole state); created if missing. */
  dataDir: string;
  /** Frontend gRPC port (default 7233). */
  port?: number;
  /** Web UI port (default port + 1000); unused when headless. */
  uiPort?: number;
  /** No Web UI. */
  headless?: boolean;
  /** Append the server's stdout and stderr here (default: keep the last 64 KiB in memory;
   * <dataDir>/temporal-server.log when detached). */
  logFile?: string;
  /** Let the server outlive this process: own process group, not waited on, logs to a file.
   * By default the server ends with this process, however it ends (and gets the terminal's Ctrl-C). */
  detached?: boolean;
  /** Address to bind (default 127.0.0.1). */
  ip?: string;
  /** Namespaces to create besides "default". */
  namespaces?: string[];
  /** The temporal binary (default: findTemporalCli()). */
  cliPath?: string;
  /** How long to wait for the server to answer (default 30 s). */
  startTimeoutMs?: number;
  /** How long stop() waits after SIGTERM before SIGKILL (default 10 s). */
  stopTimeoutMs?: number;
}

export interface DevServerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface DevServer {
  /** host:port for TEMPORAL_ADDRESS. */
  address: string;
  /** Web UI, unless headless. */
  uiUrl: string | undefined;
  /** The server process when this handle owns it. */
  pid: number | undefined;
  /** false: the server was already running; stop() leaves it alone. */
  owned: boolean;
  logFile: string | undefined;
  /** Settles when an owned server process exits (undefined when not owned). */
  exited: Promise<DevServerExit> | undefined;
  /** Stops an owned server (SIGTERM; SIGKILL after stopTimeoutMs, or at once with force:
   * for throwaway state) and waits for it to exit; a no-op when not owned. Idempotent. */
  stop(options?: { force?: boolean }): Promise<void>;
}

const OUTPUT_TAIL_BYTES = 64 * 1024;
const ERROR_TAIL_BYTES = 4 * 1024;
/** Client variables the CLI would read as its own flags; the dev server must not see them. */
const CLIENT_ENV = /^TEMPORAL_(ADDRESS|NAMESPACE|API_KEY|TLS.*|PROFILE|ENV|CONFIG_FILE|GRPC_META.*|CODEC.*)$/;

/** A TCP port on `host` that nothing listens on right now. */
export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolvePort(port) : reject(new Error('could not pick a free port'))));
    });
  });
}

function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Whether something accepts TCP connections on host:port. */
function tcpAnswers(host: string, port: number, timeoutMs = 250): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ host, port });
    const finish = (ok: boolean) => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

/** Whether a Temporal frontend at `address` answers and knows `namespace`. */
async function temporalAnswers(address: string, namespace: string, timeoutMs: number): Promise<boolean> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: Math.max(100, timeoutMs) });
    await connection.workflowService.describeNamespace({ namespace });
    return true;
  } catch {
    return false;
  } finally {
    await connection?.close().catch(() => undefined);
  }
}

/** Polls until Temporal answers at host:port (undefined), `gaveUp()` gives a reason, or the deadline passes. */
async function waitForTemporal(
  host: string,
  port: number,
  deadline: number,
  gaveUp: () => string | undefined,
): Promise<string | undefined> {
  const start = Date.now();
  for (;;) {
    const reason = gaveUp();
    if (reason) return reason;
    const left = deadline - Date.now();
    if (left <= 0) return `no answer within ${Date.now() - start} ms`;
    if (
      (await tcpAnswers(host, port)) &&
      (await temporalAnswers(hostPort(host, port), 'default', Math.min(2000, left)))
    ) {
      return undefined;
    }
    await sleep(50);
  }
}

/** The last bytes a child wrote, from memory or from its log file. */
class OutputTail {
  private chunks: Buffer[] = [];
  private size = 0;
  /** logFile: read the output there, from byte logOffset on (this run's part). */
  constructor(
    private readonly logFile: string | undefined,
    private readonly logOffset = 0,
  ) {}

  add(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size - this.chunks[0].length >= OUTPUT_TAIL_BYTES) this.size -= this.chunks.shift()!.length;
  }

  text(bytes = ERROR_TAIL_BYTES): string {
    let all: Buffer;
    try {
      all = this.logFile ? readFileSync(this.logFile).subarray(this.logOffset) : Buffer.concat(this.chunks);
    } catch {
      return '';
    }
    return all
      .subarray(Math.max(0, all.length - bytes))
      .toString('utf8')
      .trim();
  }
}

/**
 * Ties a non-detached server to this process, however this process ends: a normal
 * exit SIGTERMs it at once; a kill (SIGKILL, an untrapped SIGTERM) is caught by a
 * watchdog `sh` that blocks reading a pipe only this process writes to, and on EOF
 * SIGTERMs the server (SIGKILL 10 s later if it is still there).
 */
const WATCHDOG_SH =
  'read _; kill -TERM "$1" 2>/dev/null || exit 0; i=0; ' +
  'while [ $i -lt 20 ] && kill -0 "$1" 2>/dev/null; do sleep 0.5; i=$((i+1)); done; kill -KILL "$1" 2>/dev/null';
const ownedChildren = new Set<ChildProcess>();
let exitHookInstalled = false;
function stopWithProcess(child: ChildProcess): void {
  if (child.pid === undefined) return; // never started
  ownedChildren.add(child);
  const dog =
    process.platform === 'win32'
      ? undefined
      : spawn('/bin/sh', ['-c', WATCHDOG_SH, 'xpflow-temporal-watchdog', String(child.pid)], {
          stdio: ['pipe', 'ignore', 'ignore'],
          detached: true,
        });
  dog?.on('error', () => {}); // no sh: only the exit hook below
  dog?.unref();
  (dog?.stdin as Socket | null | undefined)?.unref();
  child.once('exit', () => {
    ownedChildren.delete(child);
    dog?.kill('SIGKILL');
  });
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const c of ownedChildren) c.kill('SIGTERM');
  });
}

function notOwned(address: string, uiUrl: string | undefined): DevServer {
  return { address, uiUrl, pid: undefined, owned: false, logFile: undefined, exited: undefined, stop: async () => {} };
}

/** Starts `temporal server start-dev` on options.dataDir and resolves once it serves clients. */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const ip = options.ip ?? '127.0.0.1';
  const port = options.port ?? 7233;
  const uiPort = options.uiPort ?? port + 1000;
  const address = hostPort(ip, port);
  const uiUrl = options.headless ? undefined : `http://${hostPort(ip, uiPort)}`;
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;
  const deadline = Date.now() + startTimeoutMs;

  if (await tcpAnswers(ip, port)) {
    // A Temporal server that is still starting answers within a moment once its port is open.
    const failed = await waitForTemporal(ip, port, Math.min(deadline, Date.now() + 3000), () => undefined);
    if (failed)
      throw new Error(
        `port ${port} on ${ip} is in use, but no Temporal server answers there (${failed}); pick another --port`,
      );
    return notOwned(address, uiUrl);
  }

  const cli = options.cliPath ?? findTemporalCli();
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const logFile = options.logFile ?? (options.detached ? join(dataDir, 'temporal-server.log') : undefined);
  const args = [
    'server',
    'start-dev',
    '--db-filename',
    join(dataDir, 'temporal.sqlite'),
    '--ip',
    ip,
    '--port',
    String(port),
  ];
  args.push(...(options.headless ? ['--headless'] : ['--ui-port', String(uiPort)]));
  args.push('--log-level', 'warn');
  for (const ns of options.namespaces ?? []) args.push('--namespace', ns);

  const env: NodeJS.ProcessEnv = { TEMPORAL_VERSION_CHECK_DISABLED: '1' };
  for (const [k, v] of Object.entries(process.env)) if (!CLIENT_ENV.test(k) && !(k in env)) env[k] = v;

  const logFd = logFile ? openSync(logFile, 'a') : undefined;
  const tail = new OutputTail(logFile, logFile ? statSync(logFile).size : 0);
  let child: ChildProcess;
  try {
    child = spawn(cli, args, {
      env,
      detached: options.detached ?? false,
      stdio: ['ignore', logFd ?? 'pipe', logFd ?? 'pipe'],
    });
  } finally {
    if (logFd !== undefined) closeSync(logFd);
  }
  child.stdout?.on('data', (b: Buffer) => tail.add(b));
  child.stderr?.on('data', (b: Buffer) => tail.add(b));

  let exit: DevServerExit | undefined;
  let spawnError: Error | undefined;
  const exited = new Promise<DevServerExit>((done) => {
    // 'close': exited and its output pipes drained, so the tail is complete.
    child.once('close', (code, signal) => done((exit ??= { code, signal })));
    child.on('error', (e) => {
      if (child.pid !== undefined) return; // a failed kill(): the process still runs
      spawnError ??= e;
      done((exit ??= { code: null, signal: null }));
    });
  });
  if (options.detached) child.unref();
  else stopWithProcess(child);

  const stopTimeoutMs = options.stopTimeoutMs ?? 10_000;
  let stopping: Promise<void> | undefined;
  const stop = ({ force = false } = {}): Promise<void> =>
    (stopping ??= (async () => {
      if (exit) return;
      if (force) {
        child.kill('SIGKILL');
        await exited;
        return;
      }
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), stopTimeoutMs)));
      if ((await Promise.race([exited, late])) === 'late') {
        child.kill('SIGKILL');
        await exited;
      }
      clearTimeout(timer);
    })());

  const failed = await waitForTemporal(ip, port, deadline, () =>
    spawnError
      ? `cannot run ${cli}: ${spawnError.message}`
      : exit
        ? `it exited (code ${exit.code}, signal ${exit.signal}) before it was ready`
        : undefined,
  );
  if (!failed) {
    recordServer(dataDir, { pid: child.pid!, address, uiUrl }, exited);
    return { address, uiUrl, pid: child.pid, owned: true, logFile, exited, stop };
  }

  await stop();
  // Lost a race with another starter on the same port: use theirs.
  if (!spawnError && (await tcpAnswers(ip, port)) && (await temporalAnswers(address, 'default', 2000)))
    return notOwned(address, uiUrl);
  const output = tail.text();
  throw new Error(
    `temporal server start-dev on ${address} failed: ${failed}` +
      `\n  command: ${cli} ${args.join(' ')}` +
      (output
        ? `\n  server output (last ${ERROR_TAIL_BYTES} bytes${logFile ? ` of ${logFile}` : ''}):\n${output}`
        : ''),
  );
}

interface ServerRecord {
  pid: number;
  address: string;
  uiUrl: string | undefined;
}

const recordPath = (dataDir: string) => join(resolve(dataDir), 'temporal-server.json');

/** Writes the record of an owned server and removes it when that server exits. */
function recordServer(dataDir: string, record: ServerRecord, exited: Promise<DevServerExit>): void {
  const path = recordPath(dataDir);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(record));
  renameSync(tmp, path);
  void exited.then(() => {
    if (readRecord(dataDir)?.pid === record.pid) rmSync(path, { force: true });
  });
}

function readRecord(dataDir: string): ServerRecord | undefined {
  try {
    const r = JSON.parse(readFileSync(recordPath(dataDir), 'utf8')) as ServerRecord;
    return Number.isInteger(r.pid) && typeof r.address === 'string' ? r : undefined;
  } catch {
    return undefined;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The dev server for one data dir (xpflow start): the one already serving it, as its
 * record says, else a new one on `port` (default 7233), or on a free port when that is
 * taken. Before, a second `xpflow start` on another data dir attached to the first's
 * server on 7233, whose owner stopped it on finishing, and the second run died with it.
 */
export async function devServerForDataDir(
  options: Omit<DevServerOptions, 'port' | 'uiPort'> & { port?: number },
): Promise<DevServer> {
  const ip = options.ip ?? '127.0.0.1';
  const record = readRecord(options.dataDir);
  if (record && processAlive(record.pid) && (await temporalAnswers(record.address, 'default', 2000)))
    return notOwned(record.address, record.uiUrl);
  const preferred = options.port ?? 7233;
  const taken = await tcpAnswers(ip, preferred);
  const port = taken ? await findFreePort(ip) : preferred;
  const uiPort = taken && !options.headless ? await findFreePort(ip) : undefined;
  return startDevServer({ ...options, port, ...(uiPort ? { uiPort } : {}) });
}
