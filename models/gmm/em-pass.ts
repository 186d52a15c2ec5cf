/**
 * The E-step, fused with the M-step's sums: one pass over the points computes each
 * point's log-sum-exp log-likelihood and responsibilities and adds them at once into
 * the sufficient statistics Σr, Σr(x − μ), Σr(x − μ)(x − μ)ᵀ of every component,
 * taken about the component's current mean (so no n×K responsibility matrix and no
 * cancellation from raw second moments). Work buffers belong to the statistics
 * object: the pass allocates nothing per point. Sums are built per chunk and then
 * added to the totals, which keeps rounding error to the chunk level.
 */
import { emChunk } from './em-kernels.js';
import type { MixtureState } from './state.js';
import { flushPart, resetStats, type SuffStats } from './suff-stats.js';

/** Points per chunk: the unit of work between two yields (≈ 3 ms at K = 16). */
export const CHUNK = 16384;

/**
 * One E-step pass under state s, sums about s.means; yields after every chunk.
 * Afterwards st.logLik / n is the mean log-likelihood of s.
 */
export function* emPass(data: Float64Array, n: number, s: MixtureState, st: SuffStats): Generator<undefined, void> {
  resetStats(st, s.means);
  for (let start = 0; start < n; start += CHUNK) {
    st.logLik += emChunk(data, start, Math.min(n, start + CHUNK), s, st);
    flushPart(st);
    yield;
  }
}
