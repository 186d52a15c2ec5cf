/**
 * Noiseless SED → XP coefficients: per band, the least-squares coefficients c that
 * best reproduce the SED through GaiaXPy's own design matrix M (computed on the fine
 * grid, models/xp/sampler.ts) where the band's merge weight is > 0. Pixels are
 * weighted by ‖M_i‖^(−1/2) (M ∝ 1/(response·λ)), half-way to the instrument's own
 * weighting, so the edges where the response is tiny count less; a ridge growing
 * as k⁴ with the order keeps the high orders small, as in real spectra (the basis
 * restricted to where a band is used is rank-deficient without it). The
 * (55 × pixels) solve matrix is computed once per band.
 */
import { choleskyInPlace } from '../../linalg/cholesky.js';
import { dot } from '../../linalg/dot.js';
import { parseGridSpec } from '../../xp/grid.js';
import { xpSampler, type BandSampling } from '../../xp/sampler.js';
import { FINE_GRID_NM } from '../config/spectrum.js';
import { XP_PROJECTION } from '../config/surveys.js';

export interface BandProjection {
  /** Fine-grid indices of the band's pixels: a contiguous run starting at firstPixel. */
  pixels: Int32Array;
  firstPixel: number;
  /** Solve matrix, coefficient-major: c_k = Σ_i solve[k * nPix + i] f[pixels[i]]. */
  solve: Float64Array;
  /** The design matrix on those pixels (pixel-major, as BandSampling.design). */
  design: Float64Array;
}

export interface XpProjection {
  nCoefficients: number;
  bp: BandProjection;
  rp: BandProjection;
}

let cached: XpProjection | undefined;

export function xpProjection(): XpProjection {
  if (cached) return cached;
  const spec = `${FINE_GRID_NM.start}:${FINE_GRID_NM.stop}:${FINE_GRID_NM.step}`;
  const sampler = xpSampler(parseGridSpec(spec));
  const n = sampler.nCoefficients;
  cached = { nCoefficients: n, bp: bandProjection(sampler.bp, n), rp: bandProjection(sampler.rp, n) };
  return cached;
}

function bandProjection(band: BandSampling, n: number): BandProjection {
  const m = band.pixels.length;
  for (let i = 1; i < m; i++) {
    if (band.pixels[i] !== band.pixels[0] + i) throw new Error('XP band pixels are not contiguous on the fine grid');
  }
  const d = band.design;
  // Weighted design W² M, with w_i = ‖M_i‖^(−p).
  const wd = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += d[i * n + k] ** 2;
    const w = s > 0 ? s ** (-XP_PROJECTION.weightPower / 2) : 0;
    for (let k = 0; k < n; k++) wd[i * n + k] = w * w * d[i * n + k];
  }
  // Normal matrix N = Mᵀ W² M + diag(λ_k), λ_k = r (trace/n) ((k+1)/n)^q.
  const normal = new Float64Array(n * n);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < n; k++) {
      const v = wd[i * n + k];
      if (v === 0) continue;
      for (let l = 0; l <= k; l++) normal[k * n + l] += v * d[i * n + l];
    }
  }
  let trace = 0;
  for (let k = 0; k < n; k++) trace += normal[k * n + k];
  const { relativeRidge, ridgeOrderPower } = XP_PROJECTION;
  for (let k = 0; k < n; k++) normal[k * n + k] += ((relativeRidge * trace) / n) * ((k + 1) / n) ** ridgeOrderPower;
  choleskyInPlace(normal, n, 1e-14);
  // solve[:, i] = N⁻¹ (W² M)_i for every pixel i.
  const solve = new Float64Array(n * m);
  const col = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < n; k++) col[k] = wd[i * n + k];
    choleskySolve(normal, n, col);
    for (let k = 0; k < n; k++) solve[k * m + i] = col[k];
  }
  return { pixels: band.pixels, firstPixel: band.pixels[0], solve, design: d };
}

/** Solves L Lᵀ x = b in place (L lower triangular, row-major). */
function choleskySolve(l: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * b[k];
    b[i] = s / l[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * b[k];
    b[i] = s / l[i * n + i];
  }
}

/** Coefficients of one band for a flux on the fine grid. */
export function project(band: BandProjection, fineFlux: Float64Array, out: Float64Array): Float64Array {
  const m = band.pixels.length;
  for (let k = 0; k < out.length; k++) out[k] = dot(band.solve, k * m, fineFlux, band.firstPixel, m);
  return out;
}
