/**
 * Workflow code must replay the histories of runs started by earlier versions, or a run
 * in flight (or one being queried) across an upgrade fails with a nondeterminism error.
 * The fixture is a real train workflow's history from the Temporal dev server (the
 * default sky's run r0fe18e957533, recorded before self-cleaning ended on a flagging;
 * saved by scripts/save-workflow-history.mjs).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { workflowsPath } from '../temporal/worker.js';
import { FIXTURES } from './helpers/paths.js';

const fixture = (name: string) =>
  historyFromJSON(JSON.parse(gunzipSync(readFileSync(join(FIXTURES, 'histories', name))).toString('utf8')));

describe('train workflow replay', () => {
  it('replays a history recorded when self-cleaning retrained after its last flagging', async () => {
    const history = fixture('train-retrain-after-last-flagging.json.gz');
    const activities = history
      .events!.filter((e) => e.activityTaskScheduledEventAttributes)
      .map((e) => e.activityTaskScheduledEventAttributes!.activityType!.name);
    // That history's order: clean step 3, its retraining, then the prior (no fourth flagging).
    const lastClean = activities.lastIndexOf('cleanStep');
    expect(activities.slice(lastClean + 1).filter((a) => a === 'trainStep').length).toBe(3);
    await expect(
      Worker.runReplayHistory({ workflowsPath: workflowsPath() }, history, 'xpflow-run-r0fe18e957533/train'),
    ).resolves.toBeUndefined();
  }, 120_000);
});
