/**
 * The sufficient statistics of an EM pass (Σr, Σr(x − ref), Σr(x − ref)(x − ref)ᵀ per
 * component) and their work buffers: shared by the pass (em-pass.ts), its kernels
 * (em-kernels.ts), the M-step (em-step.ts) and k-means (kmeans.ts), so that none of
 * them imports another for the type.
 */

export interface SuffStats {
  readonly k: number;
  readonly d: number;
  /** Σ r per component. */
  readonly count: Float64Array;
  /** Σ r (x − ref), K×D. */
  readonly first: Float64Array;
  /** Σ r (x − ref)(x − ref)ᵀ, K×D×D, lower triangle only. */
  readonly second: Float64Array;
  /** The reference point of each component's sums (its mean when the pass began). */
  readonly ref: Float64Array;
  /** Σ ln p(x) over the points. */
  logLik: number;
  /** Chunk partial sums and per-point scratch. */
  readonly part: {
    count: Float64Array;
    first: Float64Array;
    second: Float64Array;
    lp: Float64Array;
    diff: Float64Array;
  };
}

export function createStats(k: number, d: number): SuffStats {
  const buffers = () => ({
    count: new Float64Array(k),
    first: new Float64Array(k * d),
    second: new Float64Array(k * d * d),
  });
  return {
    k,
    d,
    ...buffers(),
    ref: new Float64Array(k * d),
    logLik: 0,
    part: { ...buffers(), lp: new Float64Array(k), diff: new Float64Array(k * d) },
  };
}

/** Zeroes the totals and partial sums and takes ref as the reference points. */
export function resetStats(st: SuffStats, ref: Float64Array): void {
  clearPart(st);
  st.count.fill(0);
  st.first.fill(0);
  st.second.fill(0);
  st.ref.set(ref.subarray(0, st.k * st.d));
  st.logLik = 0;
}

function clearPart(st: SuffStats): void {
  st.part.count.fill(0);
  st.part.first.fill(0);
  st.part.second.fill(0);
}

/** Adds the chunk partial sums into the totals. */
export function flushPart(st: SuffStats): void {
  const { part } = st;
  for (let i = 0; i < st.count.length; i++) st.count[i] += part.count[i];
  for (let i = 0; i < st.first.length; i++) st.first[i] += part.first[i];
  for (let i = 0; i < st.second.length; i++) st.second[i] += part.second[i];
  clearPart(st);
}
