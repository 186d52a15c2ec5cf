/**
 * The M-step: new weights, means and covariances from the sufficient statistics,
 * as scikit-learn computes them (n_k + 10ε, reg_covar on the diagonal), followed by
 * the treatment of empty components. A component is empty when its effective count
 * is below minCount or its covariance is not positive definite. Policy 'split'
 * (default) re-creates it from the heaviest healthy component: that component is cut
 * in two along its principal axis, each half keeping half the weight, its mean moved
 * by ±√(2/π)·σ₁ and its variance along the axis reduced to (1 − 2/π)σ₁² (the moments
 * of a Gaussian's two halves), so the mixture barely changes and EM separates the
 * two. Policy 'floor' leaves it as scikit-learn does (weight ≈ 0, covariance ≈
 * reg_covar·I).
 */
import type { SuffStats } from './suff-stats.js';
import { refreshComponent, type MixtureState } from './state.js';
import type { EmptyComponentPolicy } from './types.js';

const TEN_EPS = 10 * Number.EPSILON;

export interface MStepConfig {
  readonly regCovar: number;
  readonly minCount: number;
  readonly policy: EmptyComponentPolicy;
  /** Splits still allowed. */
  readonly splitsLeft: number;
}

/** Updates s from st; returns how many components were re-created by splitting. */
export function mStep(st: SuffStats, s: MixtureState, cfg: MStepConfig): number {
  const { k } = s;
  let total = 0;
  for (let c = 0; c < k; c++) total += st.count[c] + TEN_EPS;
  const work = new Float64Array(s.d * s.d);
  const empty: number[] = [];
  for (let c = 0; c < k; c++) {
    const nk = st.count[c] + TEN_EPS;
    s.weights[c] = nk / total;
    estimateComponent(st, s, c, nk, cfg.regCovar);
    const healthy = refreshComponent(s, c, work);
    if (!healthy || st.count[c] < cfg.minCount) empty.push(c);
  }
  let splits = 0;
  for (const c of empty) {
    const donor = cfg.policy === 'split' && splits < cfg.splitsLeft ? heaviestHealthy(s, empty) : -1;
    if (donor >= 0) {
      splitInto(s, donor, c, work);
      splits++;
    } else if (!refreshComponent(s, c, work)) {
      floorComponent(s, c, cfg.regCovar, work);
    }
  }
  return splits;
}

/** Mean and covariance of component c (lower triangle mirrored) from sums about st.ref. */
function estimateComponent(st: SuffStats, s: MixtureState, c: number, nk: number, reg: number): void {
  const { d } = s;
  const mo = c * d;
  const co = c * d * d;
  const inv = 1 / nk;
  for (let a = 0; a < d; a++) s.means[mo + a] = st.ref[mo + a] + st.first[mo + a] * inv;
  for (let a = 0; a < d; a++) {
    const da = st.first[mo + a] * inv;
    for (let b = 0; b <= a; b++) {
      const v = st.second[co + a * d + b] * inv - da * st.first[mo + b] * inv;
      s.covariances[co + a * d + b] = v;
      s.covariances[co + b * d + a] = v;
    }
    s.covariances[co + a * d + a] += reg;
  }
}

function heaviestHealthy(s: MixtureState, empty: readonly number[]): number {
  let best = -1;
  for (let c = 0; c < s.k; c++) {
    if (!empty.includes(c) && (best < 0 || s.weights[c] > s.weights[best])) best = c;
  }
  return best;
}

/** Splits component `from` into itself and `to` along its principal axis. */
function splitInto(s: MixtureState, from: number, to: number, work: Float64Array): void {
  const { d } = s;
  const dd = d * d;
  const { lambda, axis } = principalAxis(s.covariances.subarray(from * dd, (from + 1) * dd), d);
  const shift = Math.sqrt((2 / Math.PI) * lambda);
  const weight = 0.5 * (s.weights[from] + s.weights[to]);
  for (let a = 0; a < d; a++) {
    for (let b = 0; b < d; b++) s.covariances[from * dd + a * d + b] -= (2 / Math.PI) * lambda * axis[a] * axis[b];
  }
  s.covariances.copyWithin(to * dd, from * dd, (from + 1) * dd);
  for (let a = 0; a < d; a++) {
    const m = s.means[from * d + a];
    s.means[from * d + a] = m + shift * axis[a];
    s.means[to * d + a] = m - shift * axis[a];
  }
  s.weights[from] = weight;
  s.weights[to] = weight;
  // Σ − (2/π)λvvᵀ keeps eigenvalue (1 − 2/π)λ > 0 along v: still positive definite.
  refreshComponent(s, from, work);
  refreshComponent(s, to, work);
}

/** Largest eigenvalue and its unit eigenvector of a symmetric d×d matrix (power iteration). */
function principalAxis(m: Float64Array, d: number): { lambda: number; axis: Float64Array } {
  let v = new Float64Array(d);
  let start = 0;
  for (let a = 1; a < d; a++) if (m[a * d + a] > m[start * d + start]) start = a;
  for (let a = 0; a < d; a++) v[a] = m[a * d + start] + (a === start ? 0 : 1e-3 * m[start * d + start]);
  let lambda = 0;
  for (let it = 0; it < 100; it++) {
    const u = new Float64Array(d);
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) u[a] += m[a * d + b] * v[b];
    const norm = Math.hypot(...u);
    if (!(norm > 0)) break;
    for (let a = 0; a < d; a++) u[a] /= norm;
    const change = Math.abs(norm - lambda);
    lambda = norm;
    v = u;
    if (change <= 1e-12 * norm) break;
  }
  return { lambda, axis: v };
}

/** Last resort for a component that is still not positive definite: Σ = max(reg, 1e-12·scale)·I. */
function floorComponent(s: MixtureState, c: number, reg: number, work: Float64Array): void {
  const { d } = s;
  const co = c * d * d;
  let scale = 0;
  for (let a = 0; a < d; a++) scale = Math.max(scale, Math.abs(s.covariances[co + a * d + a]));
  const v = Math.max(reg, 1e-12 * scale, 1e-300);
  s.covariances.fill(0, co, co + d * d);
  for (let a = 0; a < d; a++) s.covariances[co + a * d + a] = v;
  refreshComponent(s, c, work);
}
