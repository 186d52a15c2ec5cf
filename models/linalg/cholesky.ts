/**
 * Dense symmetric positive-definite helpers on row-major Float64Arrays, written for
 * the 61–66 dimensional pixel covariances of one star at a time (no allocation in
 * the hot path: callers pass work buffers).
 */

/**
 * In-place lower Cholesky factor of the m×m matrix in a (only the lower triangle is
 * read; the strict upper triangle is zeroed). A pivot below floor·A_jj (or not
 * positive) is raised to that value. Returns how many pivots were floored.
 */
export function choleskyInPlace(a: Float64Array, m: number, relativeFloor: number): number {
  let floored = 0;
  for (let j = 0; j < m; j++) {
    const rj = j * m;
    const ajj = a[rj + j];
    let d = ajj;
    for (let k = 0; k < j; k++) d -= a[rj + k] * a[rj + k];
    const minPivot = relativeFloor * Math.abs(ajj);
    if (!(d > minPivot)) {
      d = minPivot > 0 ? minPivot : Number.MIN_VALUE;
      floored++;
    }
    const ljj = Math.sqrt(d);
    a[rj + j] = ljj;
    const inv = 1 / ljj;
    for (let i = j + 1; i < m; i++) {
      const ri = i * m;
      let s = a[ri + j];
      for (let k = 0; k < j; k++) s -= a[ri + k] * a[rj + k];
      a[ri + j] = s * inv;
    }
    for (let k = j + 1; k < m; k++) a[rj + k] = 0;
  }
  return floored;
}

/**
 * Inverse of a lower-triangular m×m matrix L into out (lower triangular, upper
 * zeroed). With Σ = L Lᵀ, W = L⁻¹ satisfies Wᵀ W = Σ⁻¹.
 */
export function invertLowerTriangular(l: Float64Array, m: number, out: Float64Array): Float64Array {
  out.fill(0, 0, m * m);
  for (let j = 0; j < m; j++) {
    out[j * m + j] = 1 / l[j * m + j];
    for (let i = j + 1; i < m; i++) {
      const ri = i * m;
      let s = 0;
      for (let k = j; k < i; k++) s -= l[ri + k] * out[k * m + j];
      out[ri + j] = s / l[ri + i];
    }
  }
  return out;
}

/** χ² = |W r|² for a lower-triangular W (n×n), skipping rows whose r entry is not finite. */
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
