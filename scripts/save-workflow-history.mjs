#!/usr/bin/env node
/**
 * Saves one workflow execution's history as proto3 JSON, gzipped: the fixtures of
 * test/workflow-replay.test.ts. Usage (with the run's dev server up, `xpflow server`):
 *   node scripts/save-workflow-history.mjs WORKFLOW_ID RUN_ID OUT.json.gz
 * `temporal workflow list` gives the ids; TEMPORAL_ADDRESS picks the server.
 */
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';

const [workflowId, runId, out] = process.argv.slice(2);
if (!workflowId || !runId || !out) {
  console.error('usage: node scripts/save-workflow-history.mjs WORKFLOW_ID RUN_ID OUT.json.gz');
  process.exit(2);
}
const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233' });
const history = await new Client({ connection }).workflow.getHandle(workflowId, runId).fetchHistory();
writeFileSync(out, gzipSync(historyToJSON(history), { level: 9 }));
console.log(`${out}: ${history.events?.length ?? 0} events`);
await connection.close();
