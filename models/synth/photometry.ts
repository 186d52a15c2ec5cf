/**
 * Synthetic photometry from an SED at the sample points: Gaia-like G, BP, RP
 * (photon-counting integrals over the fine grid with config/photometry.ts's
 * passbands, zero points fixed by the model Sun), EDR3's ν_eff from BP − RP, and the
 * 2MASS/unWISE Vega magnitudes, computed as the inverse of the pipeline's own
 * conversion (models/nir/nir-flux.ts) so a round trip gives back the band flux.
 */
import { NIR_BANDS } from '../config/science.js';
import { abZeroPointFlux } from '../nir/nir-flux.js';
import { NU_EFF, PASSBANDS, SOLAR_ABSOLUTE_MAGNITUDES, type Passband } from './config/photometry.js';
import { NIR_SAMPLING } from './config/spectrum.js';
import { SOLAR } from './config/population.js';
import { SedModel } from './spectrum/sed.js';
import type { SamplePoints } from './spectrum/sample-points.js';

export type GaiaBand = 'G' | 'BP' | 'RP';
export const GAIA_BANDS: readonly GaiaBand[] = ['G', 'BP', 'RP'];

export interface GaiaPhotometry {
  /** Photon weights per fine-grid point (passband · λ · Δλ), per band. */
  weights: Record<GaiaBand, Float64Array>;
  /** m = −2.5 log10(Σ w f) + zeroPoint. */
  zeroPoints: Record<GaiaBand, number>;
}

const logistic = (x: number) => 1 / (1 + Math.exp(-x));

function passbandWeights(pb: Passband, points: SamplePoints): Float64Array {
  const w = new Float64Array(points.nFine);
  for (let i = 0; i < points.nFine; i++) {
    const l = points.nm[i];
    w[i] = logistic((l - pb.blueNm) / pb.blueWidthNm) * logistic((pb.redNm - l) / pb.redWidthNm) * l * points.stepNm;
  }
  return w;
}

export function bandSum(weights: Float64Array, flux: Float64Array): number {
  let s = 0;
  for (let i = 0; i < weights.length; i++) s += weights[i] * flux[i];
  return s;
}

let cached: GaiaPhotometry | undefined;

/** Passband weights and zero points, calibrated once on the model Sun at 10 pc. */
export function gaiaPhotometry(): GaiaPhotometry {
  if (cached) return cached;
  const sed = new SedModel();
  const sun = sed.fluxAt1Mas({ teff: SOLAR.teffK, logg: SOLAR.logg, feh: 0, mass: 1 }, new Float64Array(sed.length));
  const at10pc = 100 * 100; // ϖ = 100 mas
  const weights = {} as Record<GaiaBand, Float64Array>;
  const zeroPoints = {} as Record<GaiaBand, number>;
  for (const b of GAIA_BANDS) {
    weights[b] = passbandWeights(PASSBANDS[b], sed.points);
    zeroPoints[b] = SOLAR_ABSOLUTE_MAGNITUDES[b] + 2.5 * Math.log10(bandSum(weights[b], sun) * at10pc);
  }
  cached = { weights, zeroPoints };
  return cached;
}

export function magnitude(phot: GaiaPhotometry, band: GaiaBand, flux: Float64Array, scale = 1): number {
  return -2.5 * Math.log10(bandSum(phot.weights[band], flux) * scale) + phot.zeroPoints[band];
}

/** EDR3 ν_eff (µm⁻¹) from BP − RP (Lindegren et al. 2021 eq. 3), clamped. */
export function nuEffFromColour(bpRp: number): number {
  const v = NU_EFF.a - (NU_EFF.b / Math.PI) * Math.atan(NU_EFF.c * bpRp);
  return Math.min(NU_EFF.max, Math.max(NU_EFF.min, v));
}

/** Band-mean f_λ (W m⁻² nm⁻¹) of NIR band k from the SED's three points for it. */
export function nirBandFlux(points: SamplePoints, flux: Float64Array, k: number): number {
  const i0 = points.nirStart[k];
  const w = NIR_SAMPLING.weights;
  return w[0] * flux[i0] + w[1] * flux[i0 + 1] + w[2] * flux[i0 + 2];
}

/** Vega magnitude whose pipeline flux (vegaMagnitudeToFlux) equals f_λ. */
export function nirMagnitude(k: number, flux: number): number {
  const b = NIR_BANDS[k];
  return -2.5 * Math.log10(flux / abZeroPointFlux(b.wavelengthUm)) - b.abMinusVega;
}
