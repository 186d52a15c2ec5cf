/**
 * Design matrices that turn XP coefficients into fluxes on a wavelength grid
 * (docs/method.md §3). GaiaXPy's default grid uses its tabulated matrices; every other
 * grid is computed from the instrument model exactly as GaiaXPy computes it.
 */
import { BP_HIGH_NM, PLANCK_J_S, RP_LOW_NM, SPEED_OF_LIGHT_M_S, TELESCOPE_PUPIL_AREA_M2 } from '../config/science.js';
import {
  type InstrumentModel,
  type XpBandName,
  loadInstrumentModel,
  loadTabulatedSampling,
} from './calibration-files.js';
import type { GridSpec } from './grid.js';
import { hermiteFunctions } from './hermite.js';
import { evaluateSpline, notAKnotSpline } from './spline.js';

export interface BandSampling {
  /** Grid indices where this band's merge weight is > 0, ascending. */
  pixels: Int32Array;
  /** The band's merge weight at each of those pixels. */
  weights: Float64Array;
  /** Design matrix on those pixels, pixel-major: element [i * nCoefficients + k]. */
  design: Float64Array;
}

export interface XpSampler {
  wavelengths: Float64Array;
  nCoefficients: number;
  bp: BandSampling;
  rp: BandSampling;
  /** True for GaiaXPy's tabulated default grid. */
  tabulated: boolean;
}

/** GaiaXPy's merge ramp: BP weight 1 below 635 nm, 0 above 643 nm, linear between. */
export function mergeWeight(band: XpBandName, wavelength: number): number {
  const bp =
    wavelength < RP_LOW_NM ? 1 : wavelength > BP_HIGH_NM ? 0 : 1 - (wavelength - RP_LOW_NM) / (BP_HIGH_NM - RP_LOW_NM);
  return band === 'bp' ? bp : 1 - bp;
}

const samplerCache = new Map<string, XpSampler>();

/** The sampler for a grid; built once per process and grid. */
export function xpSampler(grid: GridSpec): XpSampler {
  const key = grid.kind === 'default' ? 'default' : Array.from(grid.wavelengths).join(',');
  let s = samplerCache.get(key);
  if (!s) {
    s = grid.kind === 'default' ? tabulatedSampler() : computedSampler(grid.wavelengths);
    samplerCache.set(key, s);
  }
  return s;
}

function restrict(weights: Float64Array, fullDesign: Float64Array, nCoefficients: number): BandSampling {
  const pixels: number[] = [];
  for (let p = 0; p < weights.length; p++) if (weights[p] > 0) pixels.push(p);
  const design = new Float64Array(pixels.length * nCoefficients);
  pixels.forEach((p, i) =>
    design.set(fullDesign.subarray(p * nCoefficients, (p + 1) * nCoefficients), i * nCoefficients),
  );
  return { pixels: Int32Array.from(pixels), weights: Float64Array.from(pixels, (p) => weights[p]), design };
}

function tabulatedSampler(): XpSampler {
  const t = loadTabulatedSampling();
  return {
    wavelengths: t.wavelengths,
    nCoefficients: t.nCoefficients,
    bp: restrict(t.weights.bp, t.designMatrices.bp, t.nCoefficients),
    rp: restrict(t.weights.rp, t.designMatrices.rp, t.nCoefficients),
    tabulated: true,
  };
}

function computedSampler(wavelengths: Float64Array): XpSampler {
  const bp = computeBand(loadInstrumentModel('bp'), wavelengths);
  const rp = computeBand(loadInstrumentModel('rp'), wavelengths);
  if (bp.nCoefficients !== rp.nCoefficients) throw new Error('BP and RP instrument models differ in size');
  return { wavelengths, nCoefficients: bp.nCoefficients, bp: bp.sampling, rp: rp.sampling, tabulated: false };
}

/** M = T · (B · Ψ) scaled by h c 1e9 / (A r(λ) λ), on the pixels where the band's weight is > 0. */
function computeBand(
  im: InstrumentModel,
  wavelengths: Float64Array,
): { sampling: BandSampling; nCoefficients: number } {
  const nB = im.nBases;
  const nInv = im.nInverseBasesCoefficients;
  if (im.nTransformedBases !== nB) throw new Error(`${im.band}: transformation matrix is not square`);
  const scale = (im.normRange[1] - im.normRange[0]) / (im.pwlRange[1] - im.pwlRange[0]);
  const offset = im.normRange[0] - im.pwlRange[0] * scale;
  const dispersion = notAKnotSpline(im.dispersion.wavelength, im.dispersion.pseudoWavelength);
  const response = notAKnotSpline(im.response.wavelength, im.response.response);
  const hc = 1e9 * SPEED_OF_LIGHT_M_S * PLANCK_J_S;
  const weights = Float64Array.from(wavelengths, (w) => mergeWeight(im.band, w));
  const full = new Float64Array(wavelengths.length * nB);
  const psi = new Float64Array(nInv);
  const basis = new Float64Array(nB);
  for (let p = 0; p < wavelengths.length; p++) {
    if (!(weights[p] > 0)) continue;
    const wl = wavelengths[p];
    hermiteFunctions(evaluateSpline(dispersion, wl) * scale + offset, psi);
    for (let j = 0; j < nB; j++) {
      let acc = 0;
      for (let m = 0; m < nInv; m++) acc += im.inverseBasesCoefficients[j * nInv + m] * psi[m];
      basis[j] = acc;
    }
    const r = evaluateSpline(response, wl);
    const norm = r > 0 ? hc / (TELESCOPE_PUPIL_AREA_M2 * r * wl) : 0;
    for (let i = 0; i < nB; i++) {
      let acc = 0;
      for (let j = 0; j < nB; j++) acc += im.transformationMatrix[i * nB + j] * basis[j];
      full[p * nB + i] = acc * norm;
    }
  }
  return { sampling: restrict(weights, full, nB), nCoefficients: nB };
}
