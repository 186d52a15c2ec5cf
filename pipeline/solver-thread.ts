/** A worker thread of SolverPool (solver-pool.ts): builds its solver once, then solves the batches it is sent. */
import { parentPort, workerData } from 'node:worker_threads';
import type { InferenceStar } from '../models/infer/types.js';
import { solverFor, type SolverSpec } from './solver-pool.js';

const solver = solverFor(workerData as SolverSpec);
parentPort!.on('message', ({ id, stars }: { id: number; stars: InferenceStar[] }) => {
  try {
    parentPort!.postMessage({ id, solutions: stars.map((s) => solver.solve(s)) });
  } catch (e) {
    parentPort!.postMessage({ id, error: (e as Error).message });
  }
});
