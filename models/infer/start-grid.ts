/**
 * Starting points of the per-star optimisation (docs/method.md §7 "Start"): a grid of
 * stellar types Θ shared by all stars (half drawn from the GMM prior, half spread over its
 * support by farthest-point selection, so giants and hot stars are covered as well as the
 * main sequence), with f_abs(Θ) precomputed once, × a grid of E (10^(−2 … 0.5), plus
 * E = E_prior where given). At each (Θ, E) the best ϖ² follows in closed form (f_pred is
 * linear in ϖ²). Every pair is scored with the diagonal χ² (weights diag(WᵀW) = diag Σ⁻¹) +
 * the priors; the best few (and the best dwarf- and giant-like ones) are re-scored with the
 * full χ², and distinct ones kept as starts.
 */
import { sampleGmm, scoreSamples } from '../gmm/index.js';
import type { GmmModel } from '../gmm/types.js';
import { distinctSolutions, isDwarf } from './distinct.js';
import { LN_E, LN_PLX, N_PARAMS, type StarPosterior } from './posterior.js';

export interface StartGridOptions {
  /** Θ grid size (default 256). */
  nTheta?: number;
  /** E grid: nE values log-spaced over [eMin, eMax] (default 12 over 0.01 … 10^0.5). */
  nE?: number;
  eMin?: number;
  eMax?: number;
  /** Candidates re-scored with the full χ² (default 16, plus 4 dwarf- and 4 giant-like). */
  nCandidates?: number;
  /** Seed of the GMM draws (default 1). */
  seed?: number;
}

/** ϖ² floor of a start (ϖ = 10⁻⁴ mas). */
const MIN_PLX2 = 1e-8;
const PER_CLASS = 4;

export class StartGrid {
  readonly nTheta: number;
  readonly nE: number;
  /** nTheta × 3. */
  readonly theta: Float64Array;
  /** f_abs(Θ_g) and its square, nTheta × m. */
  private readonly a: Float64Array;
  private readonly a2: Float64Array;
  /** −2 ln p_GMM(Θ_g). */
  private readonly gmmTerm: Float64Array;
  readonly lnEGrid: Float64Array;
  /** exp(−E_e R) for the grid's E and (row nE) the star's E_prior. */
  private readonly t: Float64Array;
  private readonly m: number;
  private readonly nCand: number;

  // Per-star scratch.
  private readonly dw: Float64Array;
  private readonly uE: Float64Array;
  private readonly vE: Float64Array;
  private readonly wm: Float64Array;
  private readonly mm: Float64Array;
  /** Candidate lists: overall, dwarf-like, giant-like (indices g·(nE+1) + e, score). */
  private readonly lists: { idx: Int32Array; score: Float64Array; n: number; cap: number }[];
  private readonly cand: Float64Array;
  private readonly candScore: Float64Array;
  private readonly order: Int32Array;
  private readonly used: Uint8Array;

  constructor(posterior: StarPosterior, prior: GmmModel, options: StartGridOptions = {}) {
    const m = (this.m = posterior.m);
    this.theta = spreadThetaGrid(prior, options.nTheta ?? 256, options.seed ?? 1);
    const nTheta = (this.nTheta = this.theta.length / 3);
    const nE = (this.nE = options.nE ?? 12);
    const eMin = options.eMin ?? 0.01;
    const eMax = options.eMax ?? 10 ** 0.5;
    this.a = new Float64Array(nTheta * m);
    this.a2 = new Float64Array(nTheta * m);
    for (let g = 0; g < nTheta; g++) {
      posterior.mlp.evaluate(this.theta, g * 3, this.a, g * m);
      for (let j = 0; j < m; j++) {
        const v = Math.exp(this.a[g * m + j]);
        this.a[g * m + j] = v;
        this.a2[g * m + j] = v * v;
      }
    }
    this.gmmTerm = scoreSamples(prior, this.theta, nTheta).map((v) => -2 * v);
    this.lnEGrid = Float64Array.from({ length: nE }, (_, i) =>
      Math.log(eMin * (eMax / eMin) ** (nE === 1 ? 0 : i / (nE - 1))),
    );
    this.t = new Float64Array((nE + 1) * m);
    for (let e = 0; e < nE; e++) {
      const ev = Math.exp(this.lnEGrid[e]);
      for (let j = 0; j < m; j++) this.t[e * m + j] = Math.exp(-ev * posterior.r[j]);
    }
    this.nCand = options.nCandidates ?? 16;
    this.dw = new Float64Array(m);
    this.uE = new Float64Array((nE + 1) * m);
    this.vE = new Float64Array((nE + 1) * m);
    this.wm = new Float64Array(m);
    this.mm = new Float64Array(m);
    const list = (cap: number) => ({ idx: new Int32Array(cap), score: new Float64Array(cap), n: 0, cap });
    this.lists = [list(this.nCand), list(PER_CLASS), list(PER_CLASS)];
    const total = this.nCand + 2 * PER_CLASS;
    this.cand = new Float64Array(total * N_PARAMS);
    this.candScore = new Float64Array(total);
    this.order = new Int32Array(total);
    this.used = new Uint8Array(total);
  }

  /** Prior terms of a start other than the GMM's, at E and ϖ² = s. */
  private static otherPriors(post: StarPosterior, lnE: number, s: number): number {
    const j = post.jacobian;
    const lnPlx = 0.5 * Math.log(s);
    let v = -j * (lnE + lnPlx);
    if (post.hasEPrior) {
      const z = (Math.exp(lnE) - post.ePrior) / post.ePriorErr;
      v += z * z;
    }
    if (post.hasPlx) {
      const z = (Math.sqrt(s) - post.plx) / post.plxErr;
      v += z * z;
    }
    return v;
  }

  private static insert(l: { idx: Int32Array; score: Float64Array; n: number; cap: number }, i: number, s: number) {
    if (l.n === l.cap && !(s < l.score[l.n - 1])) return;
    let k = l.n < l.cap ? l.n++ : l.n - 1;
    while (k > 0 && l.score[k - 1] > s) {
      l.score[k] = l.score[k - 1];
      l.idx[k] = l.idx[k - 1];
      k--;
    }
    l.score[k] = s;
    l.idx[k] = i;
  }

  /**
   * Scores the grid for the star loaded in `post` and writes up to maxStarts distinct starts
   * (5 values each) into out, best first: the best overall, the best of the other log g class
   * (dwarf-like log g > 3.5 vs giant-like), then the best others distinct from those already
   * chosen (distinct.ts). Returns how many; their scores (approximate −2 ln posterior) go to
   * scores.
   */
  findStarts(post: StarPosterior, out: Float64Array, scores: Float64Array, maxStarts: number): number {
    const { m, nE, nTheta, a, a2, t, dw, uE, vE, wm, mm, lists } = this;
    const w = post.w;
    // Diagonal weights and the star's E_prior row.
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let i = j; i < m; i++) s += w[i * m + j] * w[i * m + j];
      dw[j] = s;
    }
    const hasEp = post.hasEPrior && post.ePrior > 0;
    const nERows = hasEp ? nE + 1 : nE;
    if (hasEp) for (let j = 0; j < m; j++) t[nE * m + j] = Math.exp(-post.ePrior * post.r[j]);
    let sff = 0;
    for (let j = 0; j < m; j++) sff += dw[j] * post.fobs[j] * post.fobs[j];
    for (let e = 0; e < nERows; e++)
      for (let j = 0; j < m; j++) {
        const te = t[e * m + j];
        uE[e * m + j] = te * dw[j] * post.fobs[j];
        vE[e * m + j] = te * te * dw[j];
      }
    for (const l of lists) l.n = 0;
    const lnEp = hasEp ? Math.log(post.ePrior) : 0;
    for (let g = 0; g < nTheta; g++) {
      const go = g * m;
      const dwarf = this.theta[g * 3 + 2] > 3.5;
      const gmm = this.gmmTerm[g];
      for (let e = 0; e < nERows; e++) {
        const eo = e * m;
        // Two accumulators per sum (m is even: 66) to break the add chains.
        let smf = 0,
          smf1 = 0,
          smm = 0,
          smm1 = 0;
        let j = 0;
        for (; j + 1 < m; j += 2) {
          smf += a[go + j] * uE[eo + j];
          smf1 += a[go + j + 1] * uE[eo + j + 1];
          smm += a2[go + j] * vE[eo + j];
          smm1 += a2[go + j + 1] * vE[eo + j + 1];
        }
        if (j < m) {
          smf += a[go + j] * uE[eo + j];
          smm += a2[go + j] * vE[eo + j];
        }
        smf += smf1;
        smm += smm1;
        let s = smm > 0 ? smf / smm : MIN_PLX2;
        if (!(s > MIN_PLX2)) s = MIN_PLX2;
        const chi2 = sff - 2 * s * smf + s * s * smm;
        const lnE = e < nE ? this.lnEGrid[e] : lnEp;
        const score = chi2 + gmm + StartGrid.otherPriors(post, lnE, s);
        if (!Number.isFinite(score)) continue;
        const i = g * (nE + 1) + e;
        StartGrid.insert(lists[0], i, score);
        StartGrid.insert(lists[dwarf ? 1 : 2], i, score);
      }
    }
    // Full-χ² re-scoring of the candidates (deduplicated).
    let nc = 0;
    const cand = this.cand;
    const wf = post.wf;
    let wff = 0;
    for (let j = 0; j < m; j++) wff += wf[j] * wf[j];
    for (const l of lists) {
      for (let k = 0; k < l.n; k++) {
        const i = l.idx[k];
        let dup = false;
        for (let c = 0; c < nc; c++) if (this.order[c] === i) dup = true;
        if (dup) continue;
        this.order[nc] = i;
        const g = Math.floor(i / (nE + 1));
        const e = i - g * (nE + 1);
        for (let j = 0; j < m; j++) mm[j] = a[g * m + j] * t[e * m + j];
        let smf = 0;
        let smm = 0;
        for (let r = 0; r < m; r++) {
          let acc = 0;
          for (let j = 0; j <= r; j++) acc += w[r * m + j] * mm[j];
          wm[r] = acc;
          smf += acc * wf[r];
          smm += acc * acc;
        }
        let s = smm > 0 ? smf / smm : MIN_PLX2;
        if (!(s > MIN_PLX2)) s = MIN_PLX2;
        const lnE = e < nE ? this.lnEGrid[e] : lnEp;
        const co = nc * N_PARAMS;
        cand[co] = this.theta[g * 3];
        cand[co + 1] = this.theta[g * 3 + 1];
        cand[co + 2] = this.theta[g * 3 + 2];
        cand[co + LN_E] = lnE;
        cand[co + LN_PLX] = 0.5 * Math.log(s);
        this.candScore[nc] = wff - 2 * s * smf + s * s * smm + this.gmmTerm[g] + StartGrid.otherPriors(post, lnE, s);
        nc++;
      }
    }
    return this.select(nc, out, scores, maxStarts);
  }

  /** Distinct starts from the nc re-scored candidates (see findStarts). */
  private select(nc: number, out: Float64Array, scores: Float64Array, maxStarts: number): number {
    const { cand, candScore, used } = this;
    used.fill(0);
    let n = 0;
    const take = (c: number) => {
      out.set(cand.subarray(c * N_PARAMS, (c + 1) * N_PARAMS), n * N_PARAMS);
      scores[n++] = candScore[c];
      used[c] = 1;
    };
    const best = (pred: (c: number) => boolean) => {
      let b = -1;
      for (let c = 0; c < nc; c++)
        if (!used[c] && Number.isFinite(candScore[c]) && pred(c) && (b < 0 || candScore[c] < candScore[b])) b = c;
      return b;
    };
    const first = best(() => true);
    if (first < 0 || maxStarts < 1) return 0;
    take(first);
    const dwarf0 = isDwarf(cand, first * N_PARAMS);
    const other = best((c) => isDwarf(cand, c * N_PARAMS) !== dwarf0);
    if (other >= 0 && n < maxStarts) take(other);
    while (n < maxStarts) {
      const c = best((c) => {
        for (let k = 0; k < n; k++) if (!distinctSolutions(cand, c * N_PARAMS, out, k * N_PARAMS)) return false;
        return true;
      });
      if (c < 0) break;
      take(c);
    }
    return n;
  }
}

/**
 * nTheta points of Θ: half drawn from the GMM, half chosen by farthest-point selection (in
 * coordinates scaled by the mixture's overall σ per dimension) from a larger pool of draws
 * with the lowest 0.5 % of ln p removed, so the grid spans the prior's support.
 */
export function spreadThetaGrid(prior: GmmModel, nTheta: number, seed: number): Float64Array {
  const nPool = Math.max(4 * nTheta, 2048);
  const pool = sampleGmm(prior, nPool, seed);
  const lp = scoreSamples(prior, pool, nPool);
  const sorted = Float64Array.from(lp).sort();
  const cut = sorted[Math.floor(0.005 * nPool)];
  const mean = [0, 0, 0];
  const sd = [0, 0, 0];
  for (let i = 0; i < nPool; i++) for (let k = 0; k < 3; k++) mean[k] += pool[i * 3 + k] / nPool;
  for (let i = 0; i < nPool; i++) for (let k = 0; k < 3; k++) sd[k] += (pool[i * 3 + k] - mean[k]) ** 2 / nPool;
  for (let k = 0; k < 3; k++) sd[k] = Math.sqrt(sd[k]) || 1;
  const out = new Float64Array(nTheta * 3);
  const nRandom = Math.ceil(nTheta / 2);
  const dist = new Float64Array(nPool).fill(Infinity);
  const chosen = new Uint8Array(nPool);
  let n = 0;
  const add = (i: number) => {
    out.set(pool.subarray(i * 3, i * 3 + 3), n * 3);
    n++;
    chosen[i] = 1;
    for (let q = 0; q < nPool; q++) {
      let d = 0;
      for (let k = 0; k < 3; k++) d += ((pool[q * 3 + k] - pool[i * 3 + k]) / sd[k]) ** 2;
      if (d < dist[q]) dist[q] = d;
    }
  };
  for (let i = 0; i < nPool && n < nRandom; i++) if (lp[i] >= cut) add(i);
  while (n < nTheta) {
    let b = -1;
    for (let q = 0; q < nPool; q++) if (!chosen[q] && lp[q] >= cut && (b < 0 || dist[q] > dist[b])) b = q;
    if (b < 0) break;
    add(b);
  }
  return n === nTheta ? out : out.subarray(0, n * 3).slice();
}
