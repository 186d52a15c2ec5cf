/**
 * The Temporal plumbing against real `temporal server start-dev` processes (no
 * mocks, no worker): the run-wide server from test/global-setup.ts, state that
 * survives a server restart, and a second start on a busy port.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type {} from './global-setup.js';
import { temporalSettings } from '../temporal/config.js';
import { connectClient } from '../temporal/connection.js';
import { devServerForDataDir, findFreePort, startDevServer, type DevServer } from '../temporal/dev-server.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'xpflow-temporal-test-'));
  dirs.push(dir);
  return dir;
}

function clientFor(address: string): Promise<Client> {
  return connectClient(temporalSettings({ ...process.env, TEMPORAL_ADDRESS: address }));
}

/** Starts an execution of a workflow type no worker implements: it stays RUNNING. */
async function startIdleWorkflow(client: Client): Promise<string> {
  const workflowId = `xpflow-test-${randomUUID()}`;
  await client.workflow.start('xpflowTestNeverRuns', {
    taskQueue: `xpflow-test-${randomUUID()}`,
    workflowId,
    args: [],
  });
  return workflowId;
}

async function statusOf(client: Client, workflowId: string): Promise<string | undefined> {
  return (await client.workflow.getHandle(workflowId).describe()).status.name;
}

describe('the run-wide Temporal server', () => {
  it('is provided to the tests and in TEMPORAL_ADDRESS', () => {
    expect(inject('temporalAddress')).toMatch(/:\d+$/);
    expect(process.env.TEMPORAL_ADDRESS).toBe(inject('temporalAddress'));
  });

  it('accepts a workflow execution', async () => {
    const client = await clientFor(inject('temporalAddress'));
    try {
      const workflowId = await startIdleWorkflow(client);
      expect(await statusOf(client, workflowId)).toBe('RUNNING');
      await client.workflow.getHandle(workflowId).terminate('test done');
      expect(await statusOf(client, workflowId)).toBe('TERMINATED');
    } finally {
      await client.connection.close();
    }
  });
});

describe('startDevServer', () => {
  it('keeps workflow state across a restart on the same database file', async () => {
    const dataDir = freshDir();
    const port = await findFreePort();
    let server: DevServer = await startDevServer({ dataDir, port, headless: true });
    try {
      expect(server.owned).toBe(true);
      let client = await clientFor(server.address);
      const workflowId = await startIdleWorkflow(client);
      expect(await statusOf(client, workflowId)).toBe('RUNNING');
      await client.connection.close();

      await server.stop();
      expect(await server.exited).toEqual({ code: 0, signal: null });

      server = await startDevServer({ dataDir, port, headless: true });
      expect(server.owned).toBe(true);
      client = await clientFor(server.address);
      try {
        expect(await statusOf(client, workflowId)).toBe('RUNNING');
        await client.workflow.getHandle(workflowId).terminate('test done');
      } finally {
        await client.connection.close();
      }
    } finally {
      await server.stop();
    }
  });

  it('returns a handle that does not own the server when one already answers on the port', async () => {
    const port = await findFreePort();
    const first = await startDevServer({ dataDir: freshDir(), port, headless: true });
    try {
      const second = await startDevServer({ dataDir: freshDir(), port, headless: true });
      expect(second).toMatchObject({ address: first.address, owned: false, pid: undefined });
      await second.stop();
      const client = await clientFor(first.address);
      try {
        await expect(client.workflowService.getSystemInfo({})).resolves.toBeDefined();
      } finally {
        await client.connection.close();
      }
    } finally {
      await first.stop({ force: true });
    }
  });

  it("per data dir: another dir's server on the port gets a server of its own on a free port; the same dir reuses its server", async () => {
    const port = await findFreePort();
    const dirA = freshDir();
    const dirB = freshDir();
    const a = await devServerForDataDir({ dataDir: dirA, port, headless: true });
    const started: DevServer[] = [a];
    try {
      expect(a).toMatchObject({ owned: true, address: `127.0.0.1:${port}` });
      expect(JSON.parse(readFileSync(join(dirA, 'temporal-server.json'), 'utf8'))).toMatchObject({
        pid: a.pid,
        address: a.address,
      });
      const b = await devServerForDataDir({ dataDir: dirB, port, headless: true });
      started.push(b);
      expect(b.owned).toBe(true);
      expect(b.address).not.toBe(a.address);
      const again = await devServerForDataDir({ dataDir: dirA, port, headless: true });
      expect(again).toMatchObject({ owned: false, address: a.address });
      // A stopped server's record goes with it.
      await a.stop({ force: true });
      await new Promise((r) => setTimeout(r, 100));
      expect(existsSync(join(dirA, 'temporal-server.json'))).toBe(false);
    } finally {
      for (const s of started) await s.stop({ force: true });
    }
  });

  it('says what went wrong when the server cannot start', async () => {
    const port = await findFreePort();
    const failing = startDevServer({ dataDir: freshDir(), port, headless: true, cliPath: '/bin/false' });
    await expect(failing).rejects.toThrow(
      /exited \(code 1, signal null\) before it was ready[\s\S]*command: \/bin\/false server start-dev/,
    );
  });
});
