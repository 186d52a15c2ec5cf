/**
 * The E-step's inner loops over one chunk of points: log densities from the
 * whitening matrices, log-sum-exp, responsibilities, and their sums into the chunk
 * accumulators. A D = 3 kernel (the prior's labels) with everything in registers,
 * and a generic one; the generators in em-pass.ts only sequence the chunks.
 * A component more than EXP_CUTOFF below the best one contributes e^−40 ≈ 4e-18 of
 * the largest term: less than a rounding error of the sum, so its exp is skipped
 * and it gets no responsibility.
 */
import type { SuffStats } from './suff-stats.js';
import type { MixtureState } from './state.js';

export const EXP_CUTOFF = -40;

/** Points [start, end): returns Σ ln p and adds responsibilities into st.part. */
export function emChunk(data: Float64Array, start: number, end: number, s: MixtureState, st: SuffStats): number {
  return s.d === 3 ? emChunk3(data, start, end, s, st) : emChunkAny(data, start, end, s, st);
}

/** Replaces lp[c] by e^{lp[c] − max} (0 below the cutoff) and returns their sum (≥ 1). */
function logSumExpInPlace(lp: Float64Array, k: number, max: number): number {
  let sum = 0;
  for (let c = 0; c < k; c++) {
    const t = lp[c] - max;
    const e = t < EXP_CUTOFF ? 0 : Math.exp(t);
    lp[c] = e;
    sum += e;
  }
  return sum;
}

function emChunk3(data: Float64Array, start: number, end: number, s: MixtureState, st: SuffStats): number {
  const { k, means: m, whitening: w, logNorm } = s;
  const { lp, diff, count, first, second } = st.part;
  let total = 0;
  for (let i = start; i < end; i++) {
    const x0 = data[3 * i];
    const x1 = data[3 * i + 1];
    const x2 = data[3 * i + 2];
    let max = -Infinity;
    for (let c = 0; c < k; c++) {
      const mo = 3 * c;
      const wo = 9 * c;
      const d0 = x0 - m[mo];
      const d1 = x1 - m[mo + 1];
      const d2 = x2 - m[mo + 2];
      diff[mo] = d0;
      diff[mo + 1] = d1;
      diff[mo + 2] = d2;
      const y0 = w[wo] * d0;
      const y1 = w[wo + 3] * d0 + w[wo + 4] * d1;
      const y2 = w[wo + 6] * d0 + w[wo + 7] * d1 + w[wo + 8] * d2;
      const v = logNorm[c] - 0.5 * (y0 * y0 + y1 * y1 + y2 * y2);
      lp[c] = v;
      if (v > max) max = v;
    }
    const sum = logSumExpInPlace(lp, k, max);
    total += max + Math.log(sum);
    const inv = 1 / sum;
    for (let c = 0; c < k; c++) {
      if (lp[c] === 0) continue;
      const r = lp[c] * inv;
      const mo = 3 * c;
      const so = 9 * c;
      const d0 = diff[mo];
      const d1 = diff[mo + 1];
      const d2 = diff[mo + 2];
      const r0 = r * d0;
      const r1 = r * d1;
      const r2 = r * d2;
      count[c] += r;
      first[mo] += r0;
      first[mo + 1] += r1;
      first[mo + 2] += r2;
      second[so] += r0 * d0;
      second[so + 3] += r1 * d0;
      second[so + 4] += r1 * d1;
      second[so + 6] += r2 * d0;
      second[so + 7] += r2 * d1;
      second[so + 8] += r2 * d2;
    }
  }
  return total;
}

function emChunkAny(data: Float64Array, start: number, end: number, s: MixtureState, st: SuffStats): number {
  const { k, d, means, whitening: w, logNorm } = s;
  const { lp, diff, count, first, second } = st.part;
  const dd = d * d;
  let total = 0;
  for (let i = start; i < end; i++) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) {
      const mo = c * d;
      let q = 0;
      for (let a = 0; a < d; a++) {
        diff[mo + a] = data[i * d + a] - means[mo + a];
        let y = 0;
        for (let b = 0; b <= a; b++) y += w[c * dd + a * d + b] * diff[mo + b];
        q += y * y;
      }
      lp[c] = logNorm[c] - 0.5 * q;
      if (lp[c] > max) max = lp[c];
    }
    const sum = logSumExpInPlace(lp, k, max);
    total += max + Math.log(sum);
    for (let c = 0; c < k; c++) {
      if (lp[c] === 0) continue;
      const r = lp[c] / sum;
      const mo = c * d;
      count[c] += r;
      for (let a = 0; a < d; a++) {
        const rd = r * diff[mo + a];
        first[mo + a] += rd;
        for (let b = 0; b <= a; b++) second[c * dd + a * d + b] += rd * diff[mo + b];
      }
    }
  }
  return total;
}
