/**
 * One star's −2 ln posterior at inference (docs/method.md §7) in the training
 * parameterisation p = (Θ0 = Teff/kK, Θ1 = [Fe/H], Θ2 = log g, ln E, ln ϖ[mas]):
 *
 *   χ² = |W (f_pred − f_obs)|²,  f_pred = exp(ln f_abs(Θ) + 2 ln ϖ − E R)   (raw χ², no softening)
 *   + −2 ln p_GMM(Θ)
 *   + ((ϖ − ϖ_obs)/σ_ϖ)²            where ϖ_obs and σ_ϖ > 0 are finite (else flat)
 *   + ((E − E_prior)/σ_E)²          where E_prior and σ_E > 0 are finite (else flat)
 *   − 2 ln E − 2 ln ϖ               the log parameterisation's Jacobian (loss.ts starPrior, jacobian = true)
 *
 * with its exact gradient and a Gauss–Newton curvature: 2 JᵀJ (J = ∂r/∂p, r = W(f_pred − f_obs))
 * plus the priors' positive-definite curvatures (GMM: gmm-prior.ts; ϖ and E: their Gauss–Newton
 * terms 2 (ϖ/σ)² and 2 (E/σ)² in ln ϖ, ln E; the Jacobian terms are linear in p). Host Float64,
 * preallocated per instance: one instance serves one star at a time.
 */
import type { ForwardModel } from '../forward/model.js';
import type { InferenceStar } from './types.js';
import { GmmPrior } from './gmm-prior.js';
import { HostMlp, N_THETA } from './host-mlp.js';

export const N_PARAMS = 5;
export const LN_E = 3;
export const LN_PLX = 4;

export interface PosteriorOptions {
  /** Include −2 ln E − 2 ln ϖ (default true, as training's logJacobian). */
  logJacobian?: boolean;
}

export class StarPosterior {
  readonly m: number;
  readonly mlp: HostMlp;
  readonly gmm: GmmPrior;
  /** R(λ) = exp(ln R). */
  readonly r: Float64Array;
  readonly jacobian: number;

  // The current star.
  /** Observed flux, NaN → 0. */
  readonly fobs: Float64Array;
  /** W (row-major, lower triangular), Float64 copy. */
  readonly w: Float64Array;
  /** W f_obs. */
  readonly wf: Float64Array;
  nFlux = 0;
  plx = NaN;
  plxErr = NaN;
  hasPlx = false;
  ePrior = NaN;
  ePriorErr = NaN;
  hasEPrior = false;

  // Results of the last evaluation.
  chi2 = NaN;
  lnPrior = NaN;

  // Scratch.
  private readonly lnf: Float64Array;
  private readonly jt: Float64Array;
  readonly fpred: Float64Array;
  /** ∂f_pred/∂p_k, 5 rows of m. */
  private readonly dF: Float64Array;
  /** J = W ∂f_pred/∂p (5 rows of m) and u = W (f_pred − f_obs). */
  private readonly jw: Float64Array;
  private readonly u: Float64Array;
  private readonly v: Float64Array;

  constructor(model: ForwardModel, prior: GmmPrior, options: PosteriorOptions = {}) {
    this.mlp = new HostMlp(model);
    this.gmm = prior;
    const m = (this.m = this.mlp.nOut);
    this.r = model.extinctionCurve();
    this.jacobian = (options.logJacobian ?? true) ? 2 : 0;
    this.fobs = new Float64Array(m);
    this.w = new Float64Array(m * m);
    this.wf = new Float64Array(m);
    this.lnf = new Float64Array(m);
    this.jt = new Float64Array(N_THETA * m);
    this.fpred = new Float64Array(m);
    this.dF = new Float64Array(N_PARAMS * m);
    this.jw = new Float64Array(N_PARAMS * m);
    this.u = new Float64Array(m);
    this.v = new Float64Array(m);
  }

  /**
   * Loads one star; returns false (and nFlux = 0) when it has no usable flux: wrong array
   * sizes, a non-finite whitening entry, or every row of W zero.
   */
  setStar(star: InferenceStar): boolean {
    const m = this.m;
    const fin = (x: number) => Number.isFinite(x);
    this.hasPlx = fin(star.parallax) && fin(star.parallaxErr) && star.parallaxErr > 0;
    this.plx = star.parallax;
    this.plxErr = star.parallaxErr;
    this.hasEPrior = fin(star.ePrior) && fin(star.ePriorErr) && star.ePriorErr > 0;
    this.ePrior = star.ePrior;
    this.ePriorErr = star.ePriorErr;
    this.nFlux = 0;
    if (star.flux.length !== m || star.whitening.length !== m * m) return false;
    const w = this.w;
    const wsrc = star.whitening;
    for (let i = 0; i < m * m; i++) {
      const x = wsrc[i];
      if (!fin(x)) {
        this.nFlux = 0;
        return false;
      }
      w[i] = x;
    }
    let n = 0;
    for (let i = 0; i < m; i++) {
      const f = star.flux[i];
      this.fobs[i] = fin(f) ? f : 0;
      if (w[i * m + i] !== 0) n++;
    }
    this.nFlux = n;
    for (let i = 0; i < m; i++) {
      let acc = 0;
      const row = i * m;
      for (let j = 0; j <= i; j++) acc += w[row + j] * this.fobs[j];
      this.wf[i] = acc;
    }
    return n > 0;
  }

  /**
   * The prior terms (everything but χ²) at p; adds their gradient to grad and their
   * curvature to h (5×5) when given. Sets lnPrior.
   */
  priorTerms(p: ArrayLike<number>, grad: Float64Array | null, h: Float64Array | null): number {
    const lnp = this.gmm.lnPdf(p, 0, grad, 0, h, 0, N_PARAMS);
    this.lnPrior = lnp;
    let total = -2 * lnp;
    const lnE = p[LN_E];
    const lnPlx = p[LN_PLX];
    const j = this.jacobian;
    total -= j * (lnE + lnPlx);
    if (grad !== null) {
      grad[LN_E] -= j;
      grad[LN_PLX] -= j;
    }
    if (this.hasEPrior) {
      const e = Math.exp(lnE);
      const z = (e - this.ePrior) / this.ePriorErr;
      total += z * z;
      const s = e / this.ePriorErr;
      if (grad !== null) grad[LN_E] += 2 * z * s;
      if (h !== null) h[LN_E * N_PARAMS + LN_E] += 2 * s * s;
    }
    if (this.hasPlx) {
      const x = Math.exp(lnPlx);
      const z = (x - this.plx) / this.plxErr;
      total += z * z;
      const s = x / this.plxErr;
      if (grad !== null) grad[LN_PLX] += 2 * z * s;
      if (h !== null) h[LN_PLX * N_PARAMS + LN_PLX] += 2 * s * s;
    }
    return total;
  }

  /** f_pred at p into fpred (and ln f_abs's Θ-Jacobian into jt when `withJac`). */
  private predict(p: ArrayLike<number>, withJac: boolean): void {
    const m = this.m;
    this.mlp.evaluate(p, 0, this.lnf, 0, withJac ? this.jt : null, 0);
    const e = Math.exp(p[LN_E]);
    const twoLnPlx = 2 * p[LN_PLX];
    for (let j = 0; j < m; j++) this.fpred[j] = Math.exp(this.lnf[j] + twoLnPlx - e * this.r[j]);
  }

  /** χ² = |W f_pred − W f_obs|² for the current fpred (u = W(f_pred − f_obs) kept). */
  private chi2OfPrediction(): number {
    const { m, w, fpred, wf, u } = this;
    let chi2 = 0;
    for (let i = 0; i < m; i++) {
      const row = i * m;
      let acc = 0;
      for (let j = 0; j <= i; j++) acc += w[row + j] * fpred[j];
      const ui = acc - wf[i];
      u[i] = ui;
      chi2 += ui * ui;
    }
    return chi2;
  }

  /** −2 ln posterior at p (value only). Sets chi2 and lnPrior. */
  value(p: ArrayLike<number>): number {
    this.predict(p, false);
    this.chi2 = this.chi2OfPrediction();
    return this.chi2 + this.priorTerms(p, null, null);
  }

  /** ∂f_pred/∂p into dF from the current fpred and jt. */
  private fluxDerivatives(p: ArrayLike<number>): void {
    const { m, fpred, jt, dF, r } = this;
    const e = Math.exp(p[LN_E]);
    for (let j = 0; j < m; j++) {
      const f = fpred[j];
      dF[j] = f * jt[j];
      dF[m + j] = f * jt[m + j];
      dF[2 * m + j] = f * jt[2 * m + j];
      dF[LN_E * m + j] = -e * r[j] * f;
      dF[LN_PLX * m + j] = 2 * f;
    }
  }

  /**
   * −2 ln posterior at p with its exact gradient (grad, 5) and, in −2 ln p units, the
   * Gauss–Newton Hessian 2 JᵀJ + prior curvature (h, 5×5); jtj (5×5) receives JᵀJ alone and
   * hPrior (5×5) the priors' curvature alone, when given.
   */
  linearise(
    p: ArrayLike<number>,
    grad: Float64Array,
    h: Float64Array,
    jtj: Float64Array | null = null,
    hPrior: Float64Array | null = null,
  ): number {
    const { m, w, fpred, wf, u, dF, jw } = this;
    this.predict(p, true);
    this.fluxDerivatives(p);
    const P = N_PARAMS;
    let chi2 = 0;
    for (let i = 0; i < m; i++) {
      const row = i * m;
      let a = 0,
        a0 = 0,
        a1 = 0,
        a2 = 0,
        a3 = 0,
        a4 = 0;
      for (let j = 0; j <= i; j++) {
        const wij = w[row + j];
        a += wij * fpred[j];
        a0 += wij * dF[j];
        a1 += wij * dF[m + j];
        a2 += wij * dF[2 * m + j];
        a3 += wij * dF[3 * m + j];
        a4 += wij * dF[4 * m + j];
      }
      const ui = a - wf[i];
      u[i] = ui;
      chi2 += ui * ui;
      jw[i] = a0;
      jw[m + i] = a1;
      jw[2 * m + i] = a2;
      jw[3 * m + i] = a3;
      jw[4 * m + i] = a4;
    }
    this.chi2 = chi2;
    for (let a = 0; a < P; a++) {
      let g = 0;
      for (let i = 0; i < m; i++) g += jw[a * m + i] * u[i];
      grad[a] = 2 * g;
      for (let b = 0; b <= a; b++) {
        let s = 0;
        for (let i = 0; i < m; i++) s += jw[a * m + i] * jw[b * m + i];
        h[a * P + b] = s;
        h[b * P + a] = s;
      }
    }
    if (jtj !== null) jtj.set(h.subarray(0, P * P));
    for (let k = 0; k < P * P; k++) h[k] *= 2;
    let prior: number;
    if (hPrior !== null) {
      hPrior.fill(0);
      prior = this.priorTerms(p, grad, hPrior);
      for (let k = 0; k < P * P; k++) h[k] += hPrior[k];
    } else prior = this.priorTerms(p, grad, h);
    return chi2 + prior;
  }

  /**
   * −2 ln posterior and its exact gradient only (the reference solver's step): χ²'s gradient
   * as 2 (∂f/∂p)ᵀ Wᵀ u, two triangular passes instead of six.
   */
  gradient(p: ArrayLike<number>, grad: Float64Array): number {
    const { m, w, u, v, dF } = this;
    this.predict(p, true);
    this.fluxDerivatives(p);
    const chi2 = this.chi2OfPrediction();
    this.chi2 = chi2;
    v.fill(0);
    for (let i = 0; i < m; i++) {
      const ui = u[i];
      if (ui === 0) continue;
      const row = i * m;
      for (let j = 0; j <= i; j++) v[j] += w[row + j] * ui;
    }
    for (let a = 0; a < N_PARAMS; a++) {
      let g = 0;
      for (let j = 0; j < m; j++) g += dF[a * m + j] * v[j];
      grad[a] = 2 * g;
    }
    return chi2 + this.priorTerms(p, grad, null);
  }
}
