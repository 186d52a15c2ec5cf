#!/usr/bin/env node
/**
 * Saves one workflow execution's history as proto3 JSON, gzipped: the fixtures of
 * test/workflow-replay.test.ts. Usage (after npm run build, with the run's dev server up,
 * `xpflow server`):
 *   node scripts/save-workflow-history.mjs WORKFLOW_ID RUN_ID OUT.json.gz
 * `temporal workflow list` gives the ids; the TEMPORAL_* settings pick the server.
 */
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { connectClient } from '../dist/temporal/connection.js';

const [workflowId, runId, out] = process.argv.slice(2);
if (!workflowId || !runId || !out) {
  console.error('usage: node scripts/save-workflow-history.mjs WORKFLOW_ID RUN_ID OUT.json.gz');
  process.exit(2);
}
const client = await connectClient();
const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
writeFileSync(out, gzipSync(historyToJSON(history), { level: 9 }));
console.log(`${out}: ${history.events?.length ?? 0} events`);
await client.connection.close();
