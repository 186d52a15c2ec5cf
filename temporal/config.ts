/**
 * Temporal connection settings read from the environment: where the cluster is,
 * which namespace and task queue xpflow uses, and how to authenticate (TLS files,
 * API key). Pure: reads no files and opens no sockets (see connection.ts for that).
 *
 *   TEMPORAL_ADDRESS      host:port of the frontend (default 127.0.0.1:7233)
 *   TEMPORAL_NAMESPACE    namespace (default "default")
 *   TEMPORAL_TLS          1/true: TLS with the system roots; 0/false: never TLS.
 *                         Unset: TLS when a TLS file or an API key is given.
 *   TEMPORAL_TLS_CERT     client certificate file (mTLS; needs TEMPORAL_TLS_KEY)
 *   TEMPORAL_TLS_KEY      client private key file (mTLS; needs TEMPORAL_TLS_CERT)
 *   TEMPORAL_TLS_CA       server root CA file (instead of the system roots)
 *   TEMPORAL_TLS_SERVER_NAME  SNI / host name to verify, when it differs from the address
 *   TEMPORAL_API_KEY      API key (Temporal Cloud), sent as a bearer token
 *   XPFLOW_TASK_QUEUE     task queue of xpflow's workers (default "xpflow")
 */
import { XpflowInputError } from '../core/errors.js';

export const DEFAULT_TEMPORAL_ADDRESS = '127.0.0.1:7233';
export const DEFAULT_TEMPORAL_NAMESPACE = 'default';
export const DEFAULT_TASK_QUEUE = 'xpflow';

/** TLS on; every field optional: none set means server verification against the system roots. */
export interface TemporalTlsSettings {
  /** Client certificate (PEM file path), for mTLS. */
  certFile?: string;
  /** Client private key (PEM file path), for mTLS. */
  keyFile?: string;
  /** Root CA to verify the server with (PEM file path). */
  caFile?: string;
  /** Overrides the host name checked against the server certificate. */
  serverName?: string;
}

export interface TemporalSettings {
  /** host:port of the Temporal frontend gRPC service. */
  address: string;
  namespace: string;
  /** Task queue xpflow's workflows and activities run on. */
  taskQueue: string;
  /** null: plain-text gRPC; an object: TLS with those (possibly no) files. */
  tls: TemporalTlsSettings | null;
  apiKey?: string;
}

/** A setting that is present but wrong: the message names the variable. */
export class TemporalSettingsError extends XpflowInputError {}

type Env = Record<string, string | undefined>;

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function readFlag(env: Env, name: string): boolean | undefined {
  const value = read(env, name)?.toLowerCase();
  if (value === undefined) return undefined;
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  throw new TemporalSettingsError(`${name}=${env[name]} is not a boolean (use 1 or 0)`);
}

function readTls(env: Env, apiKey: string | undefined): TemporalTlsSettings | null {
  const files: TemporalTlsSettings = {
    certFile: read(env, 'TEMPORAL_TLS_CERT'),
    keyFile: read(env, 'TEMPORAL_TLS_KEY'),
    caFile: read(env, 'TEMPORAL_TLS_CA'),
    serverName: read(env, 'TEMPORAL_TLS_SERVER_NAME'),
  };
  if (Boolean(files.certFile) !== Boolean(files.keyFile)) {
    throw new TemporalSettingsError('TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY must be set together (mTLS)');
  }
  const anyFile = Object.values(files).some((v) => v !== undefined);
  const flag = readFlag(env, 'TEMPORAL_TLS');
  if (flag === false && anyFile) {
    throw new TemporalSettingsError('TEMPORAL_TLS=0 contradicts TEMPORAL_TLS_CERT/KEY/CA/SERVER_NAME');
  }
  const enabled = flag ?? (anyFile || apiKey !== undefined);
  if (!enabled) return null;
  return Object.fromEntries(Object.entries(files).filter(([, v]) => v !== undefined)) as TemporalTlsSettings;
}

/** The Temporal settings that `env` (default: process.env) describes. */
export function temporalSettings(env: Env = process.env): TemporalSettings {
  const apiKey = read(env, 'TEMPORAL_API_KEY');
  const settings: TemporalSettings = {
    address: read(env, 'TEMPORAL_ADDRESS') ?? DEFAULT_TEMPORAL_ADDRESS,
    namespace: read(env, 'TEMPORAL_NAMESPACE') ?? DEFAULT_TEMPORAL_NAMESPACE,
    taskQueue: read(env, 'XPFLOW_TASK_QUEUE') ?? DEFAULT_TASK_QUEUE,
    tls: readTls(env, apiKey),
  };
  if (apiKey !== undefined) settings.apiKey = apiKey;
  return settings;
}
