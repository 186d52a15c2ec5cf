/** A worker in a child process (node dist/cli/main.js worker), so a test can SIGKILL it. */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { TemporalSettings } from '../../temporal/config.js';
import { REPO_ROOT } from './paths.js';

export function spawnWorker(settings: TemporalSettings): ChildProcess {
  return spawn(process.execPath, [join(REPO_ROOT, 'dist', 'cli', 'main.js'), 'worker'], {
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: settings.address,
      XPFLOW_TASK_QUEUE: settings.taskQueue,
      TEMPORAL_NAMESPACE: settings.namespace,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

export async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

export async function stopGracefully(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
  await killHard(child);
}
