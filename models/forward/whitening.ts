/**
 * Host kernels on one star's lower-triangular whitening factor W (WᵀW = Σ⁻¹; rows and
 * columns zero where the flux is missing): the whitened residual u = W r, the χ² and
 * its gradient 2 Wᵀu, and the flux σ (√diag Σ) recovered from W. Looping over the
 * lower triangle only does half the work of a dense matMul and reads W in place, with
 * no per-batch copy of 17 KB per star.
 */
import { N_FLUX } from './config.js';

const M = N_FLUX;

/** u = W r for one star; returns |u|². W and r at offsets wo and ro. */
export function whitenLower(
  w: Float32Array,
  wo: number,
  r: ArrayLike<number>,
  ro: number,
  u: Float64Array,
  uo: number,
): number {
  let chi2 = 0;
  for (let i = 0; i < M; i++) {
    const row = wo + i * M;
    let acc = 0;
    for (let j = 0; j <= i; j++) acc += w[row + j] * r[ro + j];
    u[uo + i] = acc;
    chi2 += acc * acc;
  }
  return chi2;
}

/** g = scale · Wᵀu for one star (g overwritten). */
export function whitenLowerTransposed(
  w: Float32Array,
  wo: number,
  u: Float64Array,
  uo: number,
  scale: number,
  g: Float32Array,
  go: number,
): void {
  g.fill(0, go, go + M);
  for (let i = 0; i < M; i++) {
    const ui = scale * u[uo + i];
    if (ui === 0) continue;
    const row = wo + i * M;
    for (let j = 0; j <= i; j++) g[go + j] += w[row + j] * ui;
  }
}

/** χ² = |W (pred − obs)|² for one star, obs with NaN treated as 0. */
export function chi2Of(w: Float32Array, pred: ArrayLike<number>, obs: ArrayLike<number>): number {
  const r = new Float64Array(M);
  for (let j = 0; j < M; j++) r[j] = pred[j] - (Number.isNaN(obs[j]) ? 0 : obs[j]);
  return whitenLower(w, 0, r, 0, new Float64Array(M), 0);
}

/** Number of present fluxes (non-zero diagonal of W). */
export function presentCount(w: Float32Array): number {
  let n = 0;
  for (let i = 0; i < M; i++) if (w[i * M + i] !== 0) n++;
  return n;
}

/**
 * σ_i = √Σ_ii from W: Σ = L Lᵀ with L = W⁻¹ (lower), so σ_i² = Σ_k L_ik². Missing
 * pixels (W_ii = 0) get NaN. O(66³/6) per star.
 */
export function fluxSigmaFromWhitening(w: Float32Array, out: Float32Array = new Float32Array(M)): Float32Array {
  const l = new Float64Array(M * M);
  for (let i = 0; i < M; i++) {
    const wii = w[i * M + i];
    if (wii === 0) {
      out[i] = NaN;
      continue;
    }
    let s2 = 0;
    for (let j = 0; j < i; j++) {
      let acc = 0;
      for (let k = j; k < i; k++) acc += w[i * M + k] * l[k * M + j];
      const lij = -acc / wii;
      l[i * M + j] = lij;
      s2 += lij * lij;
    }
    const lii = 1 / wii;
    l[i * M + i] = lii;
    out[i] = Math.sqrt(s2 + lii * lii);
  }
  return out;
}
