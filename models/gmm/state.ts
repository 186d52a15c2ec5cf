/**
 * Mixture parameters in working form, shared by EM and scoring: besides weights,
 * means and covariances, each component's lower Cholesky factor L (Σ = L Lᵀ), its
 * whitening matrix W = L⁻¹ (so (x − μ)ᵀ Σ⁻¹ (x − μ) = |W (x − μ)|²) and the constant
 * ln w + ln det W − (D/2) ln 2π of its log density. scikit-learn's precisions_cholesky_
 * is Wᵀ.
 */
import { choleskyInPlace, invertLowerTriangular } from '../linalg/cholesky.js';

const HALF_LN_2PI = 0.5 * Math.log(2 * Math.PI);

export interface MixtureState {
  readonly k: number;
  readonly d: number;
  readonly weights: Float64Array;
  readonly means: Float64Array;
  readonly covariances: Float64Array;
  readonly cholesky: Float64Array;
  readonly whitening: Float64Array;
  readonly logNorm: Float64Array;
}

export function createState(k: number, d: number): MixtureState {
  return {
    k,
    d,
    weights: new Float64Array(k),
    means: new Float64Array(k * d),
    covariances: new Float64Array(k * d * d),
    cholesky: new Float64Array(k * d * d),
    whitening: new Float64Array(k * d * d),
    logNorm: new Float64Array(k),
  };
}

/**
 * Recomputes L, W and the log-density constant of component c from its covariance
 * and weight. Returns false (leaving the derived values stale) when Σ_c is not
 * positive definite.
 */
export function refreshComponent(s: MixtureState, c: number, work: Float64Array): boolean {
  const { d } = s;
  const dd = d * d;
  const o = c * dd;
  for (let i = 0; i < dd; i++) work[i] = s.covariances[o + i];
  if (choleskyInPlace(work, d, 0) > 0) return false;
  let logDetW = 0;
  for (let i = 0; i < d; i++) logDetW -= Math.log(work[i * d + i]);
  s.cholesky.set(work.subarray(0, dd), o);
  invertLowerTriangular(s.cholesky.subarray(o, o + dd), d, s.whitening.subarray(o, o + dd));
  s.logNorm[c] = Math.log(s.weights[c]) + logDetW - d * HALF_LN_2PI;
  return true;
}

/** ln w + ln det W − (D/2) ln 2π for every component, from weights and whitening. */
export function refreshLogNorms(s: MixtureState): void {
  const { d, k } = s;
  for (let c = 0; c < k; c++) {
    let logDetW = 0;
    for (let i = 0; i < d; i++) logDetW += Math.log(s.whitening[c * d * d + i * d + i]);
    s.logNorm[c] = Math.log(s.weights[c]) + logDetW - d * HALF_LN_2PI;
  }
}

/** scikit-learn's precisions_cholesky_ (P = Wᵀ, upper triangular) for every component. */
export function precisionCholeskyOf(s: MixtureState): Float64Array {
  const { d, k } = s;
  const out = new Float64Array(k * d * d);
  for (let c = 0; c < k; c++) {
    const o = c * d * d;
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) out[o + j * d + i] = s.whitening[o + i * d + j];
  }
  return out;
}
