/**
 * XP coefficients → fluxes on a grid, with flux errors and (optionally) the full
 * pixel covariance (METHOD.md §3). Per band, coefficient covariance
 * C = diag(e)·Corr·diag(e); sampled covariance Mᵀ C M; merged
 * Σ_ij = Σ_band w_i w_j (Mᵀ C M)_ij, plus the zero-point and per-pixel terms.
 * A missing band leaves the other band's flux unweighted and the pixels it does not
 * cover with NaN flux and infinite variance, as GaiaXPy does (its NaN flux_error is
 * our σ = ∞).
 */
import { type XpErrorTerms, DEFAULT_XP_ERROR_TERMS } from '../config/science.js';
import type { BandSampling, XpSampler } from './sampler.js';
import type { XpBandData, XpRecord } from './record.js';
import { dot } from '../linalg/dot.js';

export interface XpSampleOptions {
  /** Output flux unit in W m⁻² nm⁻¹ (1 for GaiaXPy's units, 1e-18 for the model's). */
  fluxUnit: number;
  /** Compute the full covariance (else only flux and flux errors). */
  covariance: boolean;
  /** Compute flux errors (ignored, i.e. true, when covariance is on). */
  errors: boolean;
  errorTerms: XpErrorTerms;
}

export const DEFAULT_SAMPLE_OPTIONS: XpSampleOptions = {
  fluxUnit: 1,
  covariance: true,
  errors: true,
  errorTerms: DEFAULT_XP_ERROR_TERMS,
};

export interface XpSampled {
  flux: Float64Array;
  /** σ per pixel; +∞ where the pixel has no data. */
  fluxError: Float64Array;
  /** n×n row-major, or empty when not computed; diagonal +∞ and row/column 0 where no data. */
  covariance: Float64Array;
  /** Per pixel: 1 where the pixel has data. */
  covered: Uint8Array;
}

export class XpFluxSampler {
  readonly n: number;
  private readonly nc: number;
  private readonly corr: Float64Array;
  private readonly a: Float64Array;
  private readonly b: Float64Array;
  private readonly bandFlux: Float64Array;
  private readonly bandWeight: Float64Array;
  private readonly opts: XpSampleOptions;

  constructor(
    readonly sampler: XpSampler,
    options: Partial<XpSampleOptions> = {},
  ) {
    this.opts = { ...DEFAULT_SAMPLE_OPTIONS, ...options };
    this.n = sampler.wavelengths.length;
    this.nc = sampler.nCoefficients;
    const maxPix = Math.max(sampler.bp.pixels.length, sampler.rp.pixels.length);
    this.corr = new Float64Array(this.nc * this.nc);
    this.a = new Float64Array(maxPix * this.nc);
    this.b = new Float64Array(maxPix * this.nc);
    this.bandFlux = new Float64Array(maxPix);
    this.bandWeight = new Float64Array(maxPix);
  }

  allocate(): XpSampled {
    const n = this.n;
    return {
      flux: new Float64Array(n),
      fluxError: new Float64Array(n),
      covariance: new Float64Array(this.opts.covariance ? n * n : 0),
      covered: new Uint8Array(n),
    };
  }

  /** Samples one record into out (allocated if absent) and returns it. */
  sample(record: XpRecord, out: XpSampled = this.allocate()): XpSampled {
    const n = this.n;
    const { covariance: wantCov, errorTerms } = this.opts;
    const wantErr = wantCov || this.opts.errors;
    const { flux, fluxError, covariance, covered } = out;
    flux.fill(0);
    fluxError.fill(0);
    covered.fill(0);
    if (wantCov) covariance.fill(0);
    const both = record.bp !== null && record.rp !== null;
    if (!record.bp && !record.rp) {
      throw new Error(`source_id ${record.sourceId}: neither BP nor RP coefficients`);
    }
    for (const [band, zp] of [
      [record.bp, errorTerms.bpZeroPoint],
      [record.rp, errorTerms.rpZeroPoint],
    ] as const) {
      if (!band) continue;
      const bs = band === record.bp ? this.sampler.bp : this.sampler.rp;
      this.addBand(band, bs, both, zp, out, wantErr, wantCov);
    }
    // Joint zero point and per-pixel terms, on covered pixels; then mark the rest.
    const jz2 = errorTerms.jointZeroPoint ** 2;
    const pp2 = errorTerms.perPixel ** 2;
    for (let p = 0; p < n; p++) {
      if (!covered[p]) {
        flux[p] = NaN;
        fluxError[p] = Infinity;
        if (wantCov) covariance[p * n + p] = Infinity;
        continue;
      }
      if (!wantErr) continue;
      const fp = flux[p];
      if (wantCov) {
        const rp = p * n;
        if (jz2 > 0) {
          for (let q = 0; q < p; q++) {
            if (!covered[q]) continue;
            const v = jz2 * fp * flux[q];
            covariance[rp + q] += v;
            covariance[q * n + p] += v;
          }
        }
        covariance[rp + p] += (jz2 + pp2) * fp * fp;
        fluxError[p] = Math.sqrt(covariance[rp + p]);
      } else {
        fluxError[p] = Math.sqrt(fluxError[p] + (jz2 + pp2) * fp * fp);
      }
    }
    return out;
  }

  /**
   * Adds one band: flux f_i = Σ_k c_k M_ik, weighted by w_i (1 when the other band is
   * missing); covariance A Corr Aᵀ with A_ik = w_i e_k M_ik, plus zp² (w f)(w f)ᵀ.
   * Accumulates the variance into out.fluxError when only errors are wanted.
   */
  private addBand(
    band: XpBandData,
    bs: BandSampling,
    weighted: boolean,
    zeroPoint: number,
    out: XpSampled,
    wantErr: boolean,
    wantCov: boolean,
  ): void {
    const { nc, corr, a, b, bandFlux, bandWeight } = this;
    const n = this.n;
    const scale = 1 / this.opts.fluxUnit;
    const m = bs.pixels.length;
    const design = bs.design;
    const c = band.coefficients;
    for (let i = 0; i < m; i++) {
      let f = 0;
      const ri = i * nc;
      for (let k = 0; k < nc; k++) f += c[k] * design[ri + k];
      const w = weighted ? bs.weights[i] : 1;
      bandFlux[i] = f * scale;
      bandWeight[i] = w;
      const p = bs.pixels[i];
      out.flux[p] += w * f * scale;
      out.covered[p] = 1;
    }
    if (!wantErr) return;
    this.expandCorrelations(band.correlations);
    const e = band.errors;
    for (let i = 0; i < m; i++) {
      const ri = i * nc;
      const ws = bandWeight[i] * scale;
      for (let k = 0; k < nc; k++) a[ri + k] = ws * e[k] * design[ri + k];
    }
    // B = A · Corr; Corr is symmetric, so B_il = A_i· · Corr_l· (two contiguous rows).
    for (let i = 0; i < m; i++) {
      const ri = i * nc;
      for (let l = 0; l < nc; l++) b[ri + l] = dot(a, ri, corr, l * nc, nc);
    }
    const zp2 = zeroPoint * zeroPoint;
    if (!wantCov) {
      for (let i = 0; i < m; i++) {
        const ri = i * nc;
        const s = dot(b, ri, a, ri, nc);
        const wf = bandWeight[i] * bandFlux[i];
        out.fluxError[bs.pixels[i]] += s + zp2 * wf * wf;
      }
      return;
    }
    const cov = out.covariance;
    for (let i = 0; i < m; i++) {
      const ri = i * nc;
      const pi = bs.pixels[i];
      const wfi = bandWeight[i] * bandFlux[i];
      for (let j = 0; j <= i; j++) {
        const s = dot(b, ri, a, j * nc, nc) + zp2 * wfi * bandWeight[j] * bandFlux[j];
        const pj = bs.pixels[j];
        cov[pi * n + pj] += s;
        if (pi !== pj) cov[pj * n + pi] += s;
      }
    }
  }

  /** Strict lower triangle (row-major) → full symmetric matrix with unit diagonal. */
  private expandCorrelations(lower: Float64Array): void {
    const { nc, corr } = this;
    let idx = 0;
    for (let i = 0; i < nc; i++) {
      corr[i * nc + i] = 1;
      for (let j = 0; j < i; j++) {
        const v = lower[idx++];
        corr[i * nc + j] = v;
        corr[j * nc + i] = v;
      }
    }
  }
}
