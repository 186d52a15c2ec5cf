/**
 * The per-star MAP solver of inference (docs/method.md §7): host Float64 code, one
 * instance per worker, reused for every star (the grid of stellar types, its f_abs and all
 * scratch are built once in the constructor).
 *
 * 'default': starts from the shared grid (start-grid.ts), Levenberg–Marquardt from the best
 *   nStarts distinct starts (levenberg-marquardt.ts); if none converges, from up to nRetries
 *   further starts; the lowest converged optimum is kept (or, if none converged, the lowest
 *   value found, flagged notConverged). The other distinct optima give secondSolutionDelta.
 * 'adam-reference': the authors' Adam schedule (adam-reference.ts) from the same best start;
 *   one start, so secondSolutionDelta is Infinity; flagged notConverged when the Gauss–Newton
 *   decrement at its end exceeds REFERENCE_DECREMENT.
 * Both finish the same way: the Laplace covariance (laplace.ts) and the quality flags. A star
 * with no usable flux gets the prior-only solution (prior-only.ts). solve() never throws for a
 * star's data; NaN appears in a solution only with QUALITY_FLAG.notConverged.
 */
import type { ForwardModel } from '../forward/model.js';
import type { GmmModel } from '../gmm/types.js';
import { AdamReference } from './adam-reference.js';
import { distinctSolutions } from './distinct.js';
import { GmmPrior } from './gmm-prior.js';
import { LaplaceCovariance } from './laplace.js';
import { LevenbergMarquardt, type LmOptions } from './levenberg-marquardt.js';
import { LN_E, LN_PLX, N_PARAMS, StarPosterior } from './posterior.js';
import { mixtureMoments, priorOnlySolution } from './prior-only.js';
import { StartGrid, type StartGridOptions } from './start-grid.js';
import { QUALITY_FLAG, solutionNumbers, type InferenceStar, type StarSolution } from './types.js';

export type SolverName = 'default' | 'adam-reference';

export interface SolverOptions {
  solver?: SolverName;
  /** Starts optimised for every star (default 3: the best, the best of the other log g class, the next distinct). */
  nStarts?: number;
  /** Further starts tried when none of those converged (default 3). */
  nRetries?: number;
  /** The start grid (Θ grid size, E grid, candidates, seed). */
  grid?: StartGridOptions;
  /** Levenberg–Marquardt settings. */
  lm?: LmOptions;
  /** −2 ln E − 2 ln ϖ in the posterior (default true: as training's logJacobian). */
  logJacobian?: boolean;
  /** Adam steps of the reference (default 8192, the authors'; fewer only for experiments). */
  referenceSteps?: number;
}

/**
 * Δ(−2 ln posterior) below which a second, distinct optimum is flagged: 2 is a peak density
 * ratio of e⁻¹ ≈ 0.37, so for peaks of similar width the second holds over a quarter of the
 * posterior mass (e⁻¹/(1 + e⁻¹) ≈ 27 %) and the best one's Laplace σ no longer describes the
 * posterior; it is also the Δχ² of a 1σ-ish change in a 2-parameter fit, the level at which
 * the data cannot tell the two apart.
 */
export const SECOND_SOLUTION_DELTA = 2;

/** χ²/nFlux above which QUALITY_FLAG.chi2 is set (the paper's χ²/61 > 2, here per flux used). */
export const CHI2_PER_FLUX_FLAG = 2;
/** |ϖ − ϖ_Gaia|/σ above which QUALITY_FLAG.parallax is set. */
export const PARALLAX_SIGMA_FLAG = 10;
/** The reference counts as converged when its end's Gauss–Newton decrement is below this. */
export const REFERENCE_DECREMENT = 0.01;

const P = N_PARAMS;

export class InferenceSolver {
  readonly solverName: SolverName;
  private readonly post: StarPosterior;
  private readonly grid: StartGrid;
  private readonly lm: LevenbergMarquardt;
  private readonly adam: AdamReference;
  private readonly laplace = new LaplaceCovariance();
  private readonly moments: { mean: Float64Array; cov: Float64Array };
  private readonly lnPriorClip: number | null;
  private readonly nStarts: number;
  private readonly nRetries: number;
  // Scratch.
  private readonly starts: Float64Array;
  private readonly startScores: Float64Array;
  private readonly sol: Float64Array;
  private readonly solValue: Float64Array;
  private readonly solConverged: Uint8Array;
  private readonly solIter: Int32Array;
  private readonly g = new Float64Array(P);
  private readonly h = new Float64Array(P * P);
  private readonly jtj = new Float64Array(P * P);
  private readonly hPrior = new Float64Array(P * P);
  private readonly sigma = new Float64Array(P);
  private readonly fallback = new Float64Array(P);

  constructor(model: ForwardModel, prior: GmmModel, options: SolverOptions = {}) {
    this.solverName = options.solver ?? 'default';
    const gmm = new GmmPrior(prior);
    this.post = new StarPosterior(model, gmm, { logJacobian: options.logJacobian });
    this.grid = new StartGrid(this.post, prior, options.grid);
    this.lm = new LevenbergMarquardt(this.post, options.lm);
    this.adam = new AdamReference(this.post, options.referenceSteps);
    this.moments = mixtureMoments(prior);
    this.lnPriorClip = prior.lnPriorClip;
    this.nStarts = Math.max(1, options.nStarts ?? 3);
    this.nRetries = Math.max(0, options.nRetries ?? 3);
    const nMax = this.nStarts + this.nRetries + 1;
    this.starts = new Float64Array(nMax * P);
    this.startScores = new Float64Array(nMax);
    this.sol = new Float64Array(nMax * P);
    this.solValue = new Float64Array(nMax);
    this.solConverged = new Uint8Array(nMax);
    this.solIter = new Int32Array(nMax);
    // A start for when the grid scores nothing finite: the prior's mean, E = 0.1, ϖ = 1 mas.
    this.fallback.set(this.moments.mean);
    this.fallback[LN_E] = Math.log(0.1);
    this.fallback[LN_PLX] = 0;
  }

  /** The −2 ln posterior of `star` at p (Θ0, Θ1, Θ2, ln E, ln ϖ) — for tests and diagnostics. */
  evaluate(star: InferenceStar, p: ArrayLike<number>): number {
    this.post.setStar(star);
    return this.post.value(p);
  }

  solve(star: InferenceStar): StarSolution {
    const post = this.post;
    if (!post.setStar(star)) return priorOnlySolution(post, this.moments, this.lnPriorClip);
    const nMax = this.nStarts + this.nRetries;
    let nStart = this.grid.findStarts(post, this.starts, this.startScores, nMax);
    if (nStart === 0) {
      this.starts.set(this.fallback);
      nStart = 1;
    }
    let nSol = 0;
    const run = (s: number, reference: boolean) => {
      const p = this.sol.subarray(nSol * P, (nSol + 1) * P);
      p.set(this.starts.subarray(s * P, (s + 1) * P));
      if (reference) {
        const v = this.adam.run(p);
        const dec = this.decrementAt(p);
        this.solValue[nSol] = v;
        this.solConverged[nSol] = Number.isFinite(v) && dec < REFERENCE_DECREMENT ? 1 : 0;
        this.solIter[nSol] = this.adam.steps;
      } else {
        const r = this.lm.run(p);
        this.solValue[nSol] = r.value;
        this.solConverged[nSol] = r.converged && Number.isFinite(r.value) ? 1 : 0;
        this.solIter[nSol] = r.iterations;
      }
      nSol++;
    };
    if (this.solverName === 'adam-reference') run(0, true);
    else {
      const first = Math.min(this.nStarts, nStart);
      for (let s = 0; s < first; s++) run(s, false);
      if (!this.anyConverged(nSol)) for (let s = first; s < nStart && !this.anyConverged(nSol); s++) run(s, false);
    }
    let best = this.bestIndex(nSol);
    if (this.solverName === 'default' && !this.solConverged[best] && Number.isFinite(this.solValue[best])) {
      // Continue the lowest, unconverged run once more (fresh damping).
      const p = this.sol.subarray(best * P, (best + 1) * P);
      const r = this.lm.run(p);
      this.solValue[best] = r.value;
      this.solConverged[best] = r.converged && Number.isFinite(r.value) ? 1 : 0;
      this.solIter[best] += r.iterations;
      best = this.bestIndex(nSol);
    }
    return this.finish(best, nSol);
  }

  /** Gauss–Newton decrement gᵀH⁻¹g at p. */
  private decrementAt(p: Float64Array): number {
    this.post.linearise(p, this.lm.g, this.lm.h);
    return this.lm.decrement();
  }

  private anyConverged(n: number): boolean {
    for (let i = 0; i < n; i++) if (this.solConverged[i]) return true;
    return false;
  }

  /** Lowest converged solution, else lowest finite, else 0. */
  private bestIndex(n: number): number {
    let b = -1;
    for (let i = 0; i < n; i++) if (this.solConverged[i] && (b < 0 || this.solValue[i] < this.solValue[b])) b = i;
    if (b >= 0) return b;
    for (let i = 0; i < n; i++)
      if (Number.isFinite(this.solValue[i]) && (b < 0 || this.solValue[i] < this.solValue[b])) b = i;
    return Math.max(b, 0);
  }

  private finish(best: number, nSol: number): StarSolution {
    const { post, g, h, jtj, hPrior, sigma } = this;
    const p = this.sol.subarray(best * P, (best + 1) * P);
    let converged = this.solConverged[best] === 1;
    const value = post.linearise(p, g, h, jtj, hPrior);
    const covariance = new Float64Array(15);
    this.laplace.compute(jtj, hPrior, p, covariance, sigma);
    let second = Infinity;
    for (let i = 0; i < nSol; i++) {
      if (i === best || !this.solConverged[i]) continue;
      if (!distinctSolutions(this.sol, i * P, p, 0)) continue;
      const d = this.solValue[i] - value;
      if (d < second) second = Math.max(d, 0);
    }
    const nFlux = post.nFlux;
    const out: StarSolution = {
      teff: 1000 * p[0],
      feh: p[1],
      logg: p[2],
      E: Math.exp(p[LN_E]),
      parallax: Math.exp(p[LN_PLX]),
      teffErr: sigma[0],
      fehErr: sigma[1],
      loggErr: sigma[2],
      EErr: sigma[LN_E],
      parallaxErr: sigma[LN_PLX],
      covariance,
      chi2: post.chi2,
      nFlux,
      lnPrior: post.lnPrior,
      minus2LnPosterior: value,
      secondSolutionDelta: second,
      qualityFlags: 0,
      iterations: this.solIter[best],
    };
    if (!allFinite(out)) converged = false;
    let flags = 0;
    if (out.chi2 / nFlux > CHI2_PER_FLUX_FLAG) flags |= QUALITY_FLAG.chi2;
    if (this.lnPriorClip !== null && out.lnPrior < this.lnPriorClip) flags |= QUALITY_FLAG.lnPrior;
    if (post.hasPlx && Math.abs(out.parallax - post.plx) / post.plxErr > PARALLAX_SIGMA_FLAG)
      flags |= QUALITY_FLAG.parallax;
    if (second < SECOND_SOLUTION_DELTA) flags |= QUALITY_FLAG.secondSolution;
    if (!converged) flags |= QUALITY_FLAG.notConverged;
    out.qualityFlags = flags;
    return out;
  }
}

function allFinite(s: StarSolution): boolean {
  return solutionNumbers(s).every(Number.isFinite);
}
