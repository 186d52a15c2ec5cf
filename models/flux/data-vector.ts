/**
 * The forward model's data vector for one star (docs/method.md §3): 61 XP pixels on the
 * pipeline grid + 5 NIR bands = 66 fluxes in model units (1e-18 W m⁻² nm⁻¹), with
 * their full covariance and a whitening factor W (lower triangular, WᵀW = Σ⁻¹ on the
 * covered entries, zero rows and columns where the variance is infinite), so that
 * χ² = |W (f_pred − f_obs)|².
 */
import {
  COVARIANCE_PIVOT_FLOOR,
  DEFAULT_XP_ERROR_TERMS,
  MODEL_FLUX_UNIT_W_M2_NM,
  NIR_BANDS,
  type XpErrorTerms,
} from '../config/science.js';
import { type KernelBuffer, type LinalgKernels, linalgKernels } from '../linalg/kernels.js';
import { type NirInput, N_NIR, nirFluxes } from '../nir/nir-flux.js';
import { type GridSpec, PIPELINE_GRID } from '../xp/grid.js';
import type { XpRecord } from '../xp/record.js';
import { type XpSampled, XpFluxSampler } from '../xp/sample-flux.js';
import { xpSampler } from '../xp/sampler.js';

export interface DataVectorOptions {
  grid: GridSpec;
  fluxUnit: number;
  errorTerms: XpErrorTerms;
  /** Full covariance (needed for the whitening). */
  covariance: boolean;
  whitening: boolean;
  pivotFloor: number;
  kernels: LinalgKernels;
}

export const DEFAULT_DATA_VECTOR_OPTIONS: DataVectorOptions = {
  grid: PIPELINE_GRID,
  fluxUnit: MODEL_FLUX_UNIT_W_M2_NM,
  errorTerms: DEFAULT_XP_ERROR_TERMS,
  covariance: true,
  whitening: true,
  pivotFloor: COVARIANCE_PIVOT_FLOOR,
  kernels: linalgKernels(),
};

export interface DataVector {
  flux: Float64Array;
  fluxError: Float64Array;
  /** n×n, row-major (empty if not computed). */
  covariance: Float64Array;
  /** n×n lower-triangular, row-major (empty if not computed). */
  whitening: Float64Array;
  /** Bit i set: NIR band i used. */
  nirUsed: number;
  /** Cholesky pivots raised to the floor (a near-singular covariance). */
  flooredPivots: number;
}

export class DataVectorBuilder {
  readonly nXp: number;
  readonly n: number;
  readonly wavelengthsNm: Float64Array;
  private readonly opts: DataVectorOptions;
  private readonly xp: XpFluxSampler;
  private readonly xpOut: XpSampled;
  private readonly active: Int32Array;
  private readonly work: KernelBuffer;
  private readonly inverse: KernelBuffer;

  constructor(options: Partial<DataVectorOptions> = {}) {
    this.opts = { ...DEFAULT_DATA_VECTOR_OPTIONS, ...options };
    if (this.opts.whitening && !this.opts.covariance) throw new Error('whitening needs the covariance');
    const sampler = xpSampler(this.opts.grid);
    this.xp = new XpFluxSampler(sampler, {
      fluxUnit: this.opts.fluxUnit,
      covariance: this.opts.covariance,
      errors: true,
      errorTerms: this.opts.errorTerms,
      kernels: this.opts.kernels,
    });
    this.nXp = this.xp.n;
    this.n = this.nXp + N_NIR;
    this.wavelengthsNm = new Float64Array(this.n);
    this.wavelengthsNm.set(sampler.wavelengths);
    NIR_BANDS.forEach((b, i) => (this.wavelengthsNm[this.nXp + i] = b.wavelengthUm * 1000));
    this.xpOut = this.xp.allocate();
    this.active = new Int32Array(this.nXp);
    this.work = this.opts.kernels.buffer(this.nXp * this.nXp);
    this.inverse = this.opts.kernels.buffer(this.nXp * this.nXp);
  }

  allocate(): DataVector {
    const n = this.n;
    return {
      flux: new Float64Array(n),
      fluxError: new Float64Array(n),
      covariance: new Float64Array(this.opts.covariance ? n * n : 0),
      whitening: new Float64Array(this.opts.whitening ? n * n : 0),
      nirUsed: 0,
      flooredPivots: 0,
    };
  }

  build(xpRecord: XpRecord, nir: NirInput, out: DataVector = this.allocate()): DataVector {
    const { n, nXp } = this;
    const xp = this.xp.sample(xpRecord, this.xpOut);
    out.flux.set(xp.flux);
    out.fluxError.set(xp.fluxError);
    out.nirUsed = nirFluxes(nir, this.opts.fluxUnit, out.flux, out.fluxError, nXp);
    out.flooredPivots = 0;
    if (!this.opts.covariance) return out;
    const cov = out.covariance;
    cov.fill(0);
    for (let i = 0; i < nXp; i++) cov.set(xp.covariance.subarray(i * nXp, (i + 1) * nXp), i * n);
    for (let b = nXp; b < n; b++) cov[b * n + b] = out.fluxError[b] ** 2;
    if (this.opts.whitening) this.whiten(xp, out);
    return out;
  }

  /** W = L⁻¹ of the covered XP block (Cholesky), 1/σ on the NIR diagonal. */
  private whiten(xp: XpSampled, out: DataVector): void {
    const { n, nXp, active } = this;
    const w = out.whitening;
    w.fill(0);
    let m = 0;
    for (let p = 0; p < nXp; p++) if (xp.covered[p]) active[m++] = p;
    const work = this.work.array();
    for (let i = 0; i < m; i++) {
      const ri = active[i] * nXp;
      for (let j = 0; j <= i; j++) work[i * m + j] = xp.covariance[ri + active[j]];
    }
    const { kernels } = this.opts;
    out.flooredPivots = kernels.cholesky(this.work, m, this.opts.pivotFloor);
    kernels.invertLower(this.work, m, this.inverse);
    const inverse = this.inverse.array();
    for (let i = 0; i < m; i++) {
      const row = active[i] * n;
      for (let j = 0; j <= i; j++) w[row + active[j]] = inverse[i * m + j];
    }
    for (let b = nXp; b < n; b++) {
      const s = out.fluxError[b];
      w[b * n + b] = Number.isFinite(s) ? 1 / s : 0;
    }
  }
}
