/**
 * Opens connections to Temporal from TemporalSettings: a workflow Client for the
 * CLI and tests, a NativeConnection for workers. Reads the TLS files, nothing else.
 */
import { readFile } from 'node:fs/promises';
import { Client, Connection, type TLSConfig } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { temporalSettings, type TemporalSettings, type TemporalTlsSettings } from './config.js';

async function readPem(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (e) {
    throw new Error(`cannot read the Temporal TLS ${what} ${path}: ${(e as Error).message}`);
  }
}

/** The SDK's TLS option for these settings: false means plain-text gRPC. */
export async function tlsConfig(tls: TemporalTlsSettings | null): Promise<TLSConfig | false> {
  if (!tls) return false;
  const config: TLSConfig = {};
  if (tls.serverName) config.serverNameOverride = tls.serverName;
  if (tls.caFile) config.serverRootCACertificate = await readPem(tls.caFile, 'CA (TEMPORAL_TLS_CA)');
  if (tls.certFile && tls.keyFile) {
    config.clientCertPair = {
      crt: await readPem(tls.certFile, 'certificate (TEMPORAL_TLS_CERT)'),
      key: await readPem(tls.keyFile, 'key (TEMPORAL_TLS_KEY)'),
    };
  }
  return config;
}

/** A workflow Client on settings.namespace; close it with `client.connection.close()`. */
export async function connectClient(settings: TemporalSettings = temporalSettings()): Promise<Client> {
  const connection = await Connection.connect({
    address: settings.address,
    tls: await tlsConfig(settings.tls),
    apiKey: settings.apiKey,
  });
  return new Client({ connection, namespace: settings.namespace });
}

/** A worker's connection (Rust core); close it with `connection.close()`. */
export async function connectWorker(settings: TemporalSettings = temporalSettings()): Promise<NativeConnection> {
  return NativeConnection.connect({
    address: settings.address,
    tls: await tlsConfig(settings.tls),
    apiKey: settings.apiKey,
  });
}
