/**
 * Dense symmetric helpers for the solver's 5×5 systems (row-major Float64Arrays, caller's
 * work buffers, no allocation): a Cholesky solve for the damped step and a Jacobi
 * eigen-decomposition for the robust inverse behind the Laplace covariance.
 */

/** Solves A x = b for symmetric positive-definite n×n A (work: n×n). Returns false if A is not PD. */
export function choleskySolve(
  a: Float64Array,
  b: ArrayLike<number>,
  x: Float64Array,
  n: number,
  work: Float64Array,
): boolean {
  const l = work;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      if (i === j) {
        if (!(s > 0) || !Number.isFinite(s)) return false;
        l[i * n + i] = Math.sqrt(s);
      } else l[i * n + j] = s / l[j * n + j];
    }
  }
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * x[k];
    x[i] = s / l[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * x[k];
    x[i] = s / l[i * n + i];
  }
  return true;
}

/**
 * Cyclic Jacobi eigen-decomposition of symmetric n×n a (destroyed): eigenvalues into vals,
 * eigenvectors as the columns of vecs (n×n row-major).
 */
export function symmetricEigen(a: Float64Array, n: number, vals: Float64Array, vecs: Float64Array): void {
  vecs.fill(0);
  for (let i = 0; i < n; i++) vecs[i * n + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < n; i++) {
      diag += a[i * n + i] * a[i * n + i];
      for (let j = i + 1; j < n; j++) off += a[i * n + j] * a[i * n + j];
    }
    if (!(off > 1e-30 * diag)) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = vecs[k * n + p];
          const vkq = vecs[k * n + q];
          vecs[k * n + p] = c * vkp - s * vkq;
          vecs[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  for (let i = 0; i < n; i++) vals[i] = a[i * n + i];
}

/**
 * out = A⁻¹ for symmetric n×n A, through its eigen-decomposition with every eigenvalue
 * floored at relFloor · (largest |eigenvalue|) (and at the smallest positive double): a
 * direction the data and priors do not constrain gets a huge, finite variance instead of
 * a negative or infinite one. Returns how many eigenvalues were floored. work: 3·n² + n.
 */
export function invertSymmetricFloored(
  a: ArrayLike<number>,
  n: number,
  out: Float64Array,
  relFloor: number,
  work: Float64Array,
): number {
  const m = work.subarray(0, n * n);
  const vecs = work.subarray(n * n, 2 * n * n);
  const vals = work.subarray(2 * n * n, 2 * n * n + n);
  for (let i = 0; i < n * n; i++) m[i] = a[i];
  for (let i = 0; i < n; i++)
    for (let j = 0; j < i; j++) {
      const s = 0.5 * (m[i * n + j] + m[j * n + i]);
      m[i * n + j] = s;
      m[j * n + i] = s;
    }
  symmetricEigen(m, n, vals, vecs);
  let max = 0;
  for (let i = 0; i < n; i++) if (Math.abs(vals[i]) > max) max = Math.abs(vals[i]);
  const floor = Math.max(relFloor * max, 1e-300);
  let floored = 0;
  for (let i = 0; i < n; i++) {
    if (!(vals[i] >= floor)) {
      vals[i] = floor;
      floored++;
    }
  }
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += (vecs[i * n + k] * vecs[j * n + k]) / vals[k];
      out[i * n + j] = s;
      out[j * n + i] = s;
    }
  return floored;
}
