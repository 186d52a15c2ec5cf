/**
 * The EM starting point, as scikit-learn's GaussianMixture(init_params='kmeans')
 * makes it: greedy k-means++ seeding (2 + ⌊ln K⌋ candidates per centre, the one that
 * lowers the potential most is kept), a few Lloyd iterations (stopping when the
 * squared centre shift falls below 1e-4 × the mean per-dimension variance, KMeans'
 * tol), then hard-assignment sufficient statistics from which the M-step makes the
 * first mixture. Every pass runs in chunks and yields between them.
 */
import { CHUNK } from './em-pass.js';
import { flushPart, resetStats, type SuffStats } from './suff-stats.js';
import type { GmmRandom } from './random.js';

const KMEANS_TOL = 1e-4;

function dist2(data: Float64Array, xo: number, c: Float64Array, co: number, d: number): number {
  let s = 0;
  for (let a = 0; a < d; a++) {
    const t = data[xo + a] - c[co + a];
    s += t * t;
  }
  return s;
}

/** Σ_i min(closest[i], |x_i − x_j|²) over [start, end); with update, closest takes the minimum. */
function potentialChunk(
  data: Float64Array,
  start: number,
  end: number,
  d: number,
  j: number,
  closest: Float64Array,
  update: boolean,
): number {
  if (d === 3) return potentialChunk3(data, start, end, data[3 * j], data[3 * j + 1], data[3 * j + 2], closest, update);
  let pot = 0;
  for (let i = start; i < end; i++) {
    const v = Math.min(closest[i], dist2(data, i * d, data, j * d, d));
    if (update) closest[i] = v;
    pot += v;
  }
  return pot;
}

function potentialChunk3(
  data: Float64Array,
  start: number,
  end: number,
  y0: number,
  y1: number,
  y2: number,
  closest: Float64Array,
  update: boolean,
): number {
  let pot = 0;
  for (let i = start; i < end; i++) {
    const a = data[3 * i] - y0;
    const b = data[3 * i + 1] - y1;
    const e = data[3 * i + 2] - y2;
    const v = Math.min(closest[i], a * a + b * b + e * e);
    if (update) closest[i] = v;
    pot += v;
  }
  return pot;
}

function* potentialWith(
  data: Float64Array,
  n: number,
  d: number,
  j: number,
  closest: Float64Array,
  update: boolean,
): Generator<undefined, number> {
  let pot = 0;
  for (let start = 0; start < n; start += CHUNK) {
    pot += potentialChunk(data, start, Math.min(n, start + CHUNK), d, j, closest, update);
    yield;
  }
  return pot;
}

/** First index whose cumulative sum reaches r (numpy searchsorted, side 'left'), at most n − 1. */
function searchCumulative(cumsum: Float64Array, n: number, r: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumsum[mid] < r) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Running sums of v[0…n) into out. */
function cumulativeSum(v: Float64Array, n: number, out: Float64Array): void {
  let acc = 0;
  for (let i = 0; i < n; i++) out[i] = acc += v[i];
}

/** Greedy k-means++ centres (K×D), drawn with rng. */
export function* kmeansPlusPlus(
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  rng: GmmRandom,
): Generator<undefined, Float64Array> {
  const centers = new Float64Array(k * d);
  const closest = new Float64Array(n).fill(Infinity);
  const cumsum = new Float64Array(n);
  const trials = 2 + Math.floor(Math.log(k));
  let chosen = rng.below(n);
  centers.set(data.subarray(chosen * d, chosen * d + d), 0);
  let pot = yield* potentialWith(data, n, d, chosen, closest, true);
  for (let c = 1; c < k; c++) {
    cumulativeSum(closest, n, cumsum);
    let bestPot = Infinity;
    for (let t = 0; t < trials; t++) {
      const candidate = searchCumulative(cumsum, n, rng.uniform() * pot);
      const candPot = yield* potentialWith(data, n, d, candidate, closest, false);
      if (candPot < bestPot) {
        bestPot = candPot;
        chosen = candidate;
      }
    }
    pot = yield* potentialWith(data, n, d, chosen, closest, true);
    centers.set(data.subarray(chosen * d, chosen * d + d), c * d);
  }
  return centers;
}

/** Mean over dimensions of the per-dimension variance (KMeans scales its tol by it). */
export function meanVariance(data: Float64Array, n: number, d: number): number {
  let total = 0;
  for (let a = 0; a < d; a++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += data[i * d + a];
    mean /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (data[i * d + a] - mean) ** 2;
    total += v / n;
  }
  return total / d;
}

/** Index of the centre nearest to x = data[xo…] (the D = 3 case unrolled: twice as fast). */
function nearest(data: Float64Array, xo: number, centers: Float64Array, k: number, d: number): number {
  if (d === 3) return nearest3(data[xo], data[xo + 1], data[xo + 2], centers, k);
  let best = 0;
  let bestD = Infinity;
  for (let c = 0; c < k; c++) {
    const v = dist2(data, xo, centers, c * d, d);
    if (v < bestD) {
      bestD = v;
      best = c;
    }
  }
  return best;
}

function nearest3(x0: number, x1: number, x2: number, m: Float64Array, k: number): number {
  let best = 0;
  let bestD = Infinity;
  for (let c = 0; c < k; c++) {
    const a = x0 - m[3 * c];
    const b = x1 - m[3 * c + 1];
    const e = x2 - m[3 * c + 2];
    const v = a * a + b * b + e * e;
    if (v < bestD) {
      bestD = v;
      best = c;
    }
  }
  return best;
}

/**
 * Lloyd iterations in place on centers (K×D); an empty cluster keeps its centre.
 * Returns the number of iterations run.
 */
export function* lloyd(
  data: Float64Array,
  n: number,
  d: number,
  centers: Float64Array,
  maxIter: number,
  st: SuffStats,
): Generator<undefined, number> {
  const k = centers.length / d;
  const tol = KMEANS_TOL * meanVariance(data, n, d);
  for (let it = 1; it <= maxIter; it++) {
    yield* hardAssignStats(data, n, centers, st, false);
    let shift = 0;
    for (let c = 0; c < k; c++) {
      if (st.count[c] === 0) continue;
      for (let a = 0; a < d; a++) {
        const delta = st.first[c * d + a] / st.count[c];
        centers[c * d + a] += delta;
        shift += delta * delta;
      }
    }
    if (shift <= tol) return it;
  }
  return maxIter;
}

/**
 * Sufficient statistics of the hard assignment to the nearest centre, about the
 * centres (second moments only when withSecond).
 */
export function* hardAssignStats(
  data: Float64Array,
  n: number,
  centers: Float64Array,
  st: SuffStats,
  withSecond = true,
): Generator<undefined, void> {
  resetStats(st, centers);
  for (let start = 0; start < n; start += CHUNK) {
    assignChunk(data, start, Math.min(n, start + CHUNK), centers, st, withSecond);
    flushPart(st);
    yield;
  }
}

function assignChunk(
  data: Float64Array,
  start: number,
  end: number,
  centers: Float64Array,
  st: SuffStats,
  withSecond: boolean,
): void {
  const { k, d } = st;
  const { count, first, second, diff } = st.part;
  for (let i = start; i < end; i++) {
    const xo = i * d;
    const c = nearest(data, xo, centers, k, d);
    count[c] += 1;
    for (let a = 0; a < d; a++) {
      diff[a] = data[xo + a] - centers[c * d + a];
      first[c * d + a] += diff[a];
      if (withSecond) for (let b = 0; b <= a; b++) second[c * d * d + a * d + b] += diff[a] * diff[b];
    }
  }
}
