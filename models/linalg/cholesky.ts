/**
 * Dense symmetric positive-definite helpers on row-major Float64Arrays, written for
 * the 61–66 dimensional pixel covariances of one star at a time (no allocation in
 * the hot path: callers pass work buffers).
 */
import { dot } from './dot.js';

/**
 * In-place lower Cholesky factor of the m×m matrix in a (only the lower triangle is
 * read; the strict upper triangle is zeroed). A pivot below floor·A_jj (or not
 * positive) is raised to that value. Returns how many pivots were floored.
 */
export function choleskyInPlace(a: Float64Array, m: number, relativeFloor: number): number {
  let floored = 0;
  // Row by row (Cholesky–Banachiewicz): every inner product runs along two rows.
  for (let i = 0; i < m; i++) {
    const ri = i * m;
    for (let j = 0; j < i; j++) {
      const rj = j * m;
      a[ri + j] = (a[ri + j] - dot(a, ri, a, rj, j)) / a[rj + j];
    }
    const aii = a[ri + i];
    let d = aii - dot(a, ri, a, ri, i);
    const minPivot = relativeFloor * Math.abs(aii);
    if (!(d > minPivot)) {
      d = minPivot > 0 ? minPivot : Number.MIN_VALUE;
      floored++;
    }
    a[ri + i] = Math.sqrt(d);
    a.fill(0, ri + i + 1, ri + m);
  }
  return floored;
}

/**
 * Inverse of a lower-triangular m×m matrix L into out (lower triangular, upper
 * zeroed). With Σ = L Lᵀ, W = L⁻¹ satisfies Wᵀ W = Σ⁻¹.
 * Row i of W: W_i· = (e_i − Σ_{k<i} L_ik W_k·) / L_ii, accumulated along rows.
 */
export function invertLowerTriangular(l: Float64Array, m: number, out: Float64Array): Float64Array {
  out.fill(0, 0, m * m);
  for (let i = 0; i < m; i++) {
    const ri = i * m;
    for (let k = 0; k < i; k++) {
      const lik = l[ri + k];
      if (lik === 0) continue;
      const rk = k * m;
      for (let j = 0; j <= k; j++) out[ri + j] -= lik * out[rk + j];
    }
    const inv = 1 / l[ri + i];
    for (let j = 0; j < i; j++) out[ri + j] *= inv;
    out[ri + i] = inv;
  }
  return out;
}

/** χ² = |W r|² for a lower-triangular W (n×n), skipping entries where W's column is zero. */
export function whitenedChi2(w: Float64Array, n: number, residual: ArrayLike<number>): number {
  let chi2 = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    const ri = i * n;
    for (let k = 0; k <= i; k++) {
      const wk = w[ri + k];
      if (wk !== 0) s += wk * residual[k];
    }
    chi2 += s * s;
  }
  return chi2;
}

/** x with L Lᵀ x = b, L the lower factor from choleskyInPlace (m×m). */
export function solveWithCholesky(l: Float64Array, m: number, b: ArrayLike<number>): Float64Array {
  const x = Float64Array.from({ length: m }, (_, i) => b[i]);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < i; k++) x[i] -= l[i * m + k] * x[k];
    x[i] /= l[i * m + i];
  }
  for (let i = m - 1; i >= 0; i--) {
    for (let k = i + 1; k < m; k++) x[i] -= l[k * m + i] * x[k];
    x[i] /= l[i * m + i];
  }
  return x;
}
