/**
 * Vitest globalSetup: one Temporal server for the whole test run. With
 * TEMPORAL_ADDRESS set, the tests use that cluster; otherwise this starts a headless
 * dev server on free ports and a fresh temp dir (well under a second), exports its
 * address as TEMPORAL_ADDRESS (inherited by the forked workers) and as
 * inject('temporalAddress'), and stops it and deletes the dir after the run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { DEFAULT_TEMPORAL_NAMESPACE, temporalSettings } from '../temporal/config.js';
import { findFreePort, startDevServer } from '../temporal/dev-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** host:port of the Temporal frontend the tests use. */
    temporalAddress: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const external = process.env.TEMPORAL_ADDRESS?.trim();
  if (external) {
    project.provide('temporalAddress', external);
    return undefined;
  }
  const { namespace } = temporalSettings();
  const dataDir = mkdtempSync(join(tmpdir(), 'xpflow-test-temporal-'));
  try {
    const server = await startDevServer({
      dataDir,
      port: await findFreePort(),
      headless: true,
      namespaces: namespace === DEFAULT_TEMPORAL_NAMESPACE ? [] : [namespace],
    });
    process.env.TEMPORAL_ADDRESS = server.address;
    project.provide('temporalAddress', server.address);
    return async () => {
      delete process.env.TEMPORAL_ADDRESS;
      try {
        await server.stop({ force: true }); // the state is thrown away: no graceful shutdown
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    };
  } catch (e) {
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
}
