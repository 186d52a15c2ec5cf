/**
 * Solves inference stars on every core: a pool of worker threads, each holding its own
 * InferenceSolver for the run's model and prior (pipeline/solver-thread.ts). Each star is
 * solved independently and deterministically, so the results do not depend on how many
 * threads there are; a batch comes back in the order it went in. With one thread (or
 * where the compiled thread script is absent, as when tests run the sources) the solver
 * runs in this thread.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { fromJson as gmmFromJson } from '../models/gmm/index.js';
import { InferenceSolver, type SolverOptions } from '../models/infer/solver.js';
import type { InferenceStar, StarSolution } from '../models/infer/types.js';
import { loadModel, readJson } from './train-state.js';

/** What a thread needs to build its solver. */
export interface SolverSpec {
  modelPath: string;
  priorPath: string;
  options: SolverOptions;
}

export function solverFor(spec: SolverSpec): InferenceSolver {
  return new InferenceSolver(loadModel(spec.modelPath), gmmFromJson(readJson<unknown>(spec.priorPath)), spec.options);
}

/** Threads to use: XPFLOW_INFER_THREADS, else every core. */
export function defaultThreads(): number {
  const asked = Number(process.env.XPFLOW_INFER_THREADS);
  return Number.isInteger(asked) && asked >= 1 ? asked : availableParallelism();
}

/** The compiled thread script beside this module, or under dist/ when this runs from the sources. */
function threadScript(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  return [join(here, 'solver-thread.js'), join(here, '..', 'dist', 'pipeline', 'solver-thread.js')].find((f) =>
    existsSync(f),
  );
}

interface Pending {
  resolve: (solutions: StarSolution[]) => void;
  reject: (err: unknown) => void;
}

export class SolverPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private local: InferenceSolver | undefined;
  private nextId = 0;

  constructor(spec: SolverSpec, threads = defaultThreads()) {
    const script = threads > 1 ? threadScript() : undefined;
    if (!script) {
      this.local = solverFor(spec);
      return;
    }
    for (let t = 0; t < threads; t++) {
      const worker = new Worker(script, { workerData: spec });
      worker.on('message', (m: { id: number; solutions?: StarSolution[]; error?: string }) => {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        if (m.error !== undefined) p?.reject(new Error(m.error));
        else p?.resolve(m.solutions!);
      });
      worker.on('error', (err) => {
        for (const p of this.pending.values()) p.reject(err);
        this.pending.clear();
      });
      this.workers.push(worker);
    }
  }

  get threads(): number {
    return this.local ? 1 : this.workers.length;
  }

  /** The stars' solutions, in their order. */
  async solve(stars: InferenceStar[]): Promise<StarSolution[]> {
    if (this.local) {
      // One thread: let timers (heartbeats) and the worker's other tasks run now and then.
      const solutions: StarSolution[] = [];
      let lastYield = Date.now();
      for (const star of stars) {
        solutions.push(this.local.solve(star));
        if (Date.now() - lastYield > 200) {
          await yieldToEventLoop();
          lastYield = Date.now();
        }
      }
      return solutions;
    }
    const share = Math.ceil(stars.length / this.workers.length);
    const parts = this.workers.map((worker, t) => {
      const batch = stars.slice(t * share, (t + 1) * share);
      if (batch.length === 0) return Promise.resolve([] as StarSolution[]);
      const id = this.nextId++;
      return new Promise<StarSolution[]>((resolve, reject) => {
        this.pending.set(id, { resolve, reject });
        worker.postMessage({ id, stars: batch });
      });
    });
    return (await Promise.all(parts)).flat();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
