/**
 * XP coefficients → fluxes on a grid, with flux errors and (optionally) the full
 * pixel covariance (docs/method.md §3). Per band, coefficient covariance
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
import { type KernelBuffer, type LinalgKernels, linalgKernels } from '../linalg/kernels.js';

export interface XpSampleOptions {
  /** Output flux unit in W m⁻² nm⁻¹ (1 for GaiaXPy's units, 1e-18 for the model's). */
  fluxUnit: number;
  /** Compute the full covariance (else only flux and flux errors). */
  covariance: boolean;
  /** Compute flux errors (ignored, i.e. true, when covariance is on). */
  errors: boolean;
  errorTerms: XpErrorTerms;
  /** Dense kernels (WebAssembly SIMD by default). */
  kernels: LinalgKernels;
}

export const DEFAULT_SAMPLE_OPTIONS: XpSampleOptions = {
  fluxUnit: 1,
  covariance: true,
  errors: true,
  errorTerms: DEFAULT_XP_ERROR_TERMS,
  kernels: linalgKernels(),
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
  private readonly opts: XpSampleOptions;
  private readonly corr: KernelBuffer;
  private readonly a: KernelBuffer;
  private readonly b: KernelBuffer;
  private readonly s: KernelBuffer;
  private readonly bandFlux: Float64Array;
  private readonly bandWeight: Float64Array;

  constructor(
    readonly sampler: XpSampler,
    options: Partial<XpSampleOptions> = {},
  ) {
    this.opts = { ...DEFAULT_SAMPLE_OPTIONS, ...options };
    this.n = sampler.wavelengths.length;
    this.nc = sampler.nCoefficients;
    const maxPix = Math.max(sampler.bp.pixels.length, sampler.rp.pixels.length);
    const k = this.opts.kernels;
    this.corr = k.buffer(this.nc * this.nc);
    this.a = k.buffer(maxPix * this.nc);
    this.b = k.buffer(maxPix * this.nc);
    this.s = k.buffer(maxPix * maxPix);
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
    const { covariance: wantCov, errorTerms } = this.opts;
    const wantErr = wantCov || this.opts.errors;
    out.flux.fill(0);
    out.fluxError.fill(0);
    out.covered.fill(0);
    if (wantCov) out.covariance.fill(0);
    if (!record.bp && !record.rp) throw new Error(`source_id ${record.sourceId}: neither BP nor RP coefficients`);
    const both = record.bp !== null && record.rp !== null;
    if (record.bp) this.addBand(record.bp, this.sampler.bp, both, errorTerms.bpZeroPoint, out, wantErr, wantCov);
    if (record.rp) this.addBand(record.rp, this.sampler.rp, both, errorTerms.rpZeroPoint, out, wantErr, wantCov);
    this.finish(out, wantErr, wantCov);
    return out;
  }

  /** Joint zero point and per-pixel terms on covered pixels; NaN flux and σ = ∞ elsewhere. */
  private finish(out: XpSampled, wantErr: boolean, wantCov: boolean): void {
    const { n } = this;
    const { flux, fluxError, covariance, covered } = out;
    const jz2 = this.opts.errorTerms.jointZeroPoint ** 2;
    const pp2 = this.opts.errorTerms.perPixel ** 2;
    for (let p = 0; p < n; p++) {
      if (!covered[p]) {
        flux[p] = NaN;
        fluxError[p] = Infinity;
        if (wantCov) covariance[p * n + p] = Infinity;
        continue;
      }
      if (!wantErr) continue;
      const fp = flux[p];
      if (!wantCov) {
        fluxError[p] = Math.sqrt(fluxError[p] + (jz2 + pp2) * fp * fp);
        continue;
      }
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
    }
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
    const { nc, bandFlux, bandWeight } = this;
    const scale = 1 / this.opts.fluxUnit;
    const m = bs.pixels.length;
    const design = bs.design;
    const c = band.coefficients;
    for (let i = 0; i < m; i++) {
      const f = dot(c as Float64Array, 0, design, i * nc, nc) * scale;
      const w = weighted ? bs.weights[i] : 1;
      bandFlux[i] = f;
      bandWeight[i] = w;
      const p = bs.pixels[i];
      out.flux[p] += w * f;
      out.covered[p] = 1;
    }
    if (!wantErr) return;
    this.expandCorrelations(band.correlations);
    const a = this.a.array();
    const e = band.errors;
    for (let i = 0; i < m; i++) {
      const ri = i * nc;
      const ws = bandWeight[i] * scale;
      for (let k = 0; k < nc; k++) a[ri + k] = ws * e[k] * design[ri + k];
    }
    // B = A · Corr = A · Corrᵀ (Corr is symmetric).
    const kernels = this.opts.kernels;
    kernels.gemmABt(this.a, this.corr, this.b, m, nc, nc, nc);
    const zp2 = zeroPoint * zeroPoint;
    if (!wantCov) {
      const b = this.b.array();
      const av = this.a.array();
      for (let i = 0; i < m; i++) {
        const wf = bandWeight[i] * bandFlux[i];
        out.fluxError[bs.pixels[i]] += dot(b, i * nc, av, i * nc, nc) + zp2 * wf * wf;
      }
      return;
    }
    kernels.gemmABtLower(this.b, this.a, this.s, m, nc, m);
    this.scatterBand(this.s.array(), bs, m, zp2, out.covariance);
  }

  /** Adds the band block S (lower triangle, m×m) and its zero-point term into the n×n covariance. */
  private scatterBand(s: Float64Array, bs: BandSampling, m: number, zp2: number, cov: Float64Array): void {
    const { n, bandFlux, bandWeight } = this;
    for (let i = 0; i < m; i++) {
      const pi = bs.pixels[i];
      const zi = zp2 * bandWeight[i] * bandFlux[i];
      for (let j = 0; j <= i; j++) {
        const v = s[i * m + j] + zi * bandWeight[j] * bandFlux[j];
        const pj = bs.pixels[j];
        cov[pi * n + pj] += v;
        if (pi !== pj) cov[pj * n + pi] += v;
      }
    }
  }

  /** Strict lower triangle (row-major) → full symmetric matrix with unit diagonal. */
  private expandCorrelations(lower: Float64Array): void {
    const { nc } = this;
    const corr = this.corr.array();
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
