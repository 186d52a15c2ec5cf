/**
 * The default solver's optimiser: Levenberg–Marquardt on the 5 parameters with the
 * posterior's exact gradient and Gauss–Newton curvature H (posterior.ts), Marquardt's
 * diagonal damping (H + λ diag H) δ = −g, steps capped per parameter, a step kept only when
 * the −2 ln posterior decreases, and Nielsen's update of λ. Converged when the Gauss–Newton
 * decrement gᵀH⁻¹g (twice the decrease a full step predicts) falls below tolDecrement.
 * Allocation-free: one instance per solver.
 */
import { N_PARAMS, type StarPosterior } from './posterior.js';
import { choleskySolve } from './small-linalg.js';

export interface LmOptions {
  /** Iterations (tried steps) per start (default 100). */
  maxIter?: number;
  /** Converged when gᵀH⁻¹g < this (default 1e-6, in −2 ln p units). */
  tolDecrement?: number;
  /** Initial λ (default 1e-3). */
  initialDamping?: number;
  /** Largest step per parameter: Teff/kK, [Fe/H], log g, ln E, ln ϖ (default 1, 0.5, 1, 1, 1). */
  maxStep?: readonly number[];
}

export interface LmResult {
  value: number;
  iterations: number;
  converged: boolean;
}

const P = N_PARAMS;

export class LevenbergMarquardt {
  private readonly maxIter: number;
  private readonly tol: number;
  private readonly lambda0: number;
  private readonly maxStep: Float64Array;
  readonly g = new Float64Array(P);
  readonly h = new Float64Array(P * P);
  private readonly a = new Float64Array(P * P);
  private readonly d = new Float64Array(P);
  private readonly trial = new Float64Array(P);
  private readonly work = new Float64Array(P * P);
  private readonly negG = new Float64Array(P);

  constructor(
    private readonly post: StarPosterior,
    options: LmOptions = {},
  ) {
    this.maxIter = options.maxIter ?? 100;
    this.tol = options.tolDecrement ?? 1e-6;
    this.lambda0 = options.initialDamping ?? 1e-3;
    this.maxStep = Float64Array.from(options.maxStep ?? [1, 0.5, 1, 1, 1]);
  }

  /** Solves (H + λ diag H + tiny·I) d = −g; returns false when even that fails. */
  private step(lambda: number): boolean {
    const { h, a, d, work, negG, g } = this;
    let maxDiag = 0;
    for (let i = 0; i < P; i++) maxDiag = Math.max(maxDiag, h[i * P + i]);
    const tiny = 1e-12 * (maxDiag > 0 ? maxDiag : 1);
    for (let i = 0; i < P; i++) negG[i] = -g[i];
    a.set(h);
    for (let i = 0; i < P; i++) a[i * P + i] += lambda * Math.max(h[i * P + i], tiny) + tiny;
    return choleskySolve(a, negG, d, P, work);
  }

  /** Gauss–Newton decrement gᵀH⁻¹g at the current linearisation (g, h). */
  decrement(): number {
    if (!this.step(0)) return Infinity;
    let s = 0;
    for (let i = 0; i < P; i++) s -= this.g[i] * this.d[i];
    return s;
  }

  /** Minimises from p (overwritten with the result). */
  run(p: Float64Array): LmResult {
    const { post, g, h, d, trial, maxStep } = this;
    let f = post.linearise(p, g, h);
    if (!Number.isFinite(f)) return { value: f, iterations: 0, converged: false };
    let lambda = this.lambda0;
    let nu = 2;
    let it = 0;
    while (it < this.maxIter) {
      const dec = this.decrement();
      if (dec < this.tol) return { value: f, iterations: it, converged: true };
      let accepted = false;
      while (it < this.maxIter) {
        it++;
        if (!this.step(lambda)) {
          lambda = Math.max(lambda * nu, 1e-6);
          nu *= 2;
          continue;
        }
        let scale = 1;
        for (let i = 0; i < P; i++) {
          const r = Math.abs(d[i]) / maxStep[i];
          if (r > scale) scale = r;
        }
        let pred = 0;
        for (let i = 0; i < P; i++) {
          d[i] /= scale;
          trial[i] = p[i] + d[i];
          let hd = 0;
          for (let k = 0; k < P; k++) hd += h[i * P + k] * d[k];
          pred -= g[i] * d[i] + 0.5 * d[i] * hd;
        }
        const ft = post.value(trial);
        if (Number.isFinite(ft) && ft < f) {
          const rho = pred > 0 ? (f - ft) / pred : 0;
          lambda *= Math.max(1 / 3, 1 - (2 * rho - 1) ** 3);
          nu = 2;
          p.set(trial);
          const fPrev = f;
          f = post.linearise(p, g, h);
          accepted = true;
          if (fPrev - f < 1e-10 * Math.max(1, Math.abs(f)) && this.decrement() < 100 * this.tol)
            return { value: f, iterations: it, converged: true };
          break;
        }
        lambda *= nu;
        nu *= 2;
        if (lambda > 1e14) break;
      }
      if (!accepted) {
        // No step lowers the posterior: a minimum to rounding, or a stall.
        const dec2 = this.decrement();
        return { value: f, iterations: it, converged: dec2 < 1e-2 };
      }
    }
    return { value: f, iterations: it, converged: this.decrement() < this.tol * 100 };
  }
}
