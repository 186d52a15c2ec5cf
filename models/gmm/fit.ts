/**
 * Fitting the GMM prior by EM (docs/method.md §6), with scikit-learn GaussianMixture's
 * loop: k-means start, then E/M iterations until the mean log-likelihood changes by
 * less than tol (max_iter at most), n_init restarts of which the most likely wins.
 * The work is a generator that yields between chunks of points; fitGmm runs it
 * straight through, fitGmmAsync hands the event loop a turn every ~50 ms so a
 * Temporal activity can keep heartbeating.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { emPass } from './em-pass.js';
import { createStats } from './suff-stats.js';
import { mStep, type MStepConfig } from './em-step.js';
import { hardAssignStats, kmeansPlusPlus, lloyd } from './kmeans.js';
import { modelFromState } from './model.js';
import { checkData, resolveOptions } from './options.js';
import { GmmRandom } from './random.js';
import { createState, type MixtureState } from './state.js';
import type { GmmAsyncOptions, GmmFitOptions, GmmModel, ResolvedFitOptions } from './types.js';

/** What the fit generator yields: nothing between chunks, progress after an iteration. */
type Tick = undefined | { readonly iteration: number; readonly logLikelihood: number; readonly init: number };

interface RunResult {
  readonly state: MixtureState;
  readonly logLikelihood: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly splits: number;
}

function stepConfig(o: ResolvedFitOptions, splitsLeft: number): MStepConfig {
  return { regCovar: o.regCovar, minCount: o.minComponentCount, policy: o.emptyComponents, splitsLeft };
}

/** One restart: k-means++ (stream `init` of the seed), Lloyd, EM. */
function* runOnce(data: Float64Array, n: number, o: ResolvedFitOptions, init: number): Generator<Tick, RunResult> {
  const { components: k, dimensions: d } = o;
  const st = createStats(k, d);
  const centers = yield* kmeansPlusPlus(data, n, d, k, new GmmRandom(o.seed, init));
  yield* lloyd(data, n, d, centers, o.kmeansIterations, st);
  yield* hardAssignStats(data, n, centers, st);
  const s = createState(k, d);
  let splits = mStep(st, s, stepConfig(o, o.maxSplits));
  let prev = -Infinity;
  let converged = false;
  let iterations = 0;
  while (iterations < o.maxIter) {
    iterations++;
    yield* emPass(data, n, s, st);
    const ll = st.logLik / n;
    const split = mStep(st, s, stepConfig(o, o.maxSplits - splits));
    splits += split;
    yield { iteration: iterations, logLikelihood: ll, init };
    // A split changes the mixture by hand: it needs EM iterations before convergence counts.
    if (split === 0 && Math.abs(ll - prev) < o.tol) {
      converged = true;
      break;
    }
    prev = split === 0 ? ll : -Infinity;
  }
  yield* emPass(data, n, s, st); // ln L at the parameters returned
  return { state: s, logLikelihood: st.logLik / n, iterations, converged, splits };
}

function* fitAll(data: Float64Array, n: number, o: ResolvedFitOptions): Generator<Tick, GmmModel> {
  checkData(data, n, o.dimensions, o.components);
  let best: RunResult | null = null;
  let bestInit = 0;
  for (let init = 0; init < o.nInit; init++) {
    const r = yield* runOnce(data, n, o, init);
    if (best === null || r.logLikelihood > best.logLikelihood) {
      best = r;
      bestInit = init;
    }
  }
  if (best === null) throw new Error('unreachable: nInit ≥ 1');
  return modelFromState(best.state, {
    labels: o.labels,
    logLikelihood: best.logLikelihood,
    iterations: best.iterations,
    converged: best.converged,
    lnPriorClip: null,
    fit: {
      samples: n,
      seed: o.seed,
      nInit: o.nInit,
      bestInit,
      regCovar: o.regCovar,
      tol: o.tol,
      maxIter: o.maxIter,
      kmeansIterations: o.kmeansIterations,
      emptyComponents: o.emptyComponents,
      splits: best.splits,
    },
  });
}

/**
 * Fits a K-component full-covariance GMM to n points (data: n×D row-major). Blocks
 * until done; onIteration is called synchronously (a returned promise is not awaited).
 */
export function fitGmm(data: Float64Array, n: number, options: GmmFitOptions = {}): GmmModel {
  const gen = fitAll(data, n, resolveOptions(options));
  for (;;) {
    const r = gen.next();
    if (r.done) return r.value;
    if (r.value && options.onIteration)
      void options.onIteration(r.value.iteration, r.value.logLikelihood, r.value.init);
  }
}

/**
 * fitGmm, giving the event loop a turn after every yieldEveryMs (default 50) of work
 * and awaiting onIteration; same result as fitGmm for the same inputs.
 */
export async function fitGmmAsync(data: Float64Array, n: number, options: GmmAsyncOptions = {}): Promise<GmmModel> {
  const every = options.yieldEveryMs ?? 50;
  options.signal?.throwIfAborted();
  const gen = fitAll(data, n, resolveOptions(options));
  let last = performance.now();
  for (;;) {
    const r = gen.next();
    if (r.done) return r.value;
    if (r.value && options.onIteration)
      await options.onIteration(r.value.iteration, r.value.logLikelihood, r.value.init);
    if (performance.now() - last >= every) {
      await nextTurn();
      options.signal?.throwIfAborted();
      options.onYield?.();
      last = performance.now();
    }
  }
}
