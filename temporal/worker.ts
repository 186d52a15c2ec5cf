/**
 * The xpflow worker: runs the workflows (bundled from dist/workflows) and the stage
 * activities on the task queue. Several workers may share a queue; the catalogue's
 * writes take turns at its lock.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DefaultLogger, type LogLevel, Runtime, Worker } from '@temporalio/worker';
import * as activities from '../activities/index.js';
import { connectWorker } from './connection.js';
import { temporalSettings, type TemporalSettings } from './config.js';

/** The compiled workflow module: the worker bundles it (npm run build makes it). */
export function workflowsPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  // Compiled: dist/temporal → dist/workflows. From sources (tests): temporal → dist/workflows.
  const path = here.split(/[\\/]/).includes('dist')
    ? join(here, '..', 'workflows', 'index.js')
    : join(here, '..', 'dist', 'workflows', 'index.js');
  if (!existsSync(path)) throw new Error(`compiled workflows not found at ${path}: run npm run build`);
  return path;
}

export interface WorkerOptions {
  settings?: TemporalSettings;
  /** Concurrent stage activities in this process (each uses one core for its own work). */
  maxConcurrentActivities?: number;
}

let runtimeInstalled = false;

/** The SDK's own logging at XPFLOW_TEMPORAL_LOG_LEVEL (default WARN); once per process. */
function installRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const level = (process.env.XPFLOW_TEMPORAL_LOG_LEVEL ?? 'WARN').toUpperCase() as LogLevel;
  try {
    Runtime.install({ logger: new DefaultLogger(level) });
  } catch {
    // Already installed by the embedding process: keep its logger.
  }
}

export async function createWorker(options: WorkerOptions = {}): Promise<Worker> {
  installRuntime();
  const settings = options.settings ?? temporalSettings();
  const connection = await connectWorker(settings);
  return Worker.create({
    connection,
    namespace: settings.namespace,
    taskQueue: settings.taskQueue,
    workflowsPath: workflowsPath(),
    activities,
    maxConcurrentActivityTaskExecutions: options.maxConcurrentActivities ?? 2,
  });
}
