/**
 * 2MASS J, H, Ks and unWISE W1, W2 → f_λ with errors (docs/method.md §3):
 * f_λ = 3631 Jy · c / λ² · 10^(−0.4 (m_Vega + Δm_AB)), σ_f = (2.5/ln 10)·σ_m·f with a 1 %
 * floor in quadrature. A band that is missing, fails its quality rules or sits in a
 * crowded field gets NaN flux and infinite error: never a made-up value.
 */
import {
  AB_ZERO_POINT_JY,
  CROWDING_NORM_DG_MAX,
  JANSKY_W_M2_HZ,
  MAG_TO_RELATIVE_FLUX,
  NIR_BANDS,
  NIR_QUALITY,
  SPEED_OF_LIGHT_M_S,
  UNWISE_NANOMAGGY_ZERO_POINT,
} from '../config/science.js';

export interface TmassPhotometry {
  j_m: number | null;
  j_msigcom: number | null;
  h_m: number | null;
  h_msigcom: number | null;
  k_m: number | null;
  k_msigcom: number | null;
  /** Three letters, J H Ks, e.g. "AAB". */
  ph_qual: string | null;
}

export interface UnwisePhotometry {
  flux_w1: number | null;
  dflux_w1: number | null;
  fracflux_w1: number | null;
  qf_w1: number | null;
  flux_w2: number | null;
  dflux_w2: number | null;
  fracflux_w2: number | null;
  qf_w2: number | null;
}

export interface NirInput {
  tmass?: TmassPhotometry | null;
  unwise?: UnwisePhotometry | null;
  /** Gaia norm_dg (Rybizki et al. 2022); null when the star has no neighbour. */
  normDg?: number | null;
}

export const N_NIR = NIR_BANDS.length;

/** f_λ in W m⁻² nm⁻¹ of an AB magnitude 0 source at λ (µm). */
export function abZeroPointFlux(wavelengthUm: number): number {
  const lambdaM = wavelengthUm * 1e-6;
  return ((AB_ZERO_POINT_JY * JANSKY_W_M2_HZ * SPEED_OF_LIGHT_M_S) / (lambdaM * lambdaM)) * 1e-9;
}

/** f_λ (W m⁻² nm⁻¹) of a Vega magnitude in one of NIR_BANDS. */
export function vegaMagnitudeToFlux(bandIndex: number, magnitude: number): number {
  const b = NIR_BANDS[bandIndex];
  return abZeroPointFlux(b.wavelengthUm) * 10 ** (-0.4 * (magnitude + b.abMinusVega));
}

const finite = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

/**
 * Writes the 5 NIR fluxes and errors (in units of fluxUnit W m⁻² nm⁻¹) into
 * flux/fluxError at offset; returns a bitmask of the bands used (bit i = NIR_BANDS[i]).
 */
export function nirFluxes(
  input: NirInput,
  fluxUnit: number,
  flux: Float64Array,
  fluxError: Float64Array,
  offset = 0,
): number {
  let used = 0;
  const crowded = (survey: keyof typeof CROWDING_NORM_DG_MAX) =>
    finite(input.normDg) && input.normDg > CROWDING_NORM_DG_MAX[survey];
  const put = (i: number, f: number, sigma: number) => {
    const floor = NIR_QUALITY.relativeErrorFloor * f;
    flux[offset + i] = f / fluxUnit;
    fluxError[offset + i] = Math.sqrt(sigma * sigma + floor * floor) / fluxUnit;
    used |= 1 << i;
  };
  for (let i = 0; i < N_NIR; i++) {
    flux[offset + i] = NaN;
    fluxError[offset + i] = Infinity;
  }
  const t = input.tmass;
  if (t && !crowded('2MASS')) {
    const mags = [t.j_m, t.h_m, t.k_m];
    const sigmas = [t.j_msigcom, t.h_msigcom, t.k_msigcom];
    for (let i = 0; i < 3; i++) {
      const m = mags[i];
      const s = sigmas[i];
      if (!finite(m) || !finite(s) || !(s < NIR_QUALITY.tmassMaxSigmaMag)) continue;
      if (t.ph_qual?.[i] !== NIR_QUALITY.tmassRequiredQuality) continue;
      const f = vegaMagnitudeToFlux(i, m);
      put(i, f, MAG_TO_RELATIVE_FLUX * s * f);
    }
  }
  const u = input.unwise;
  if (u && !crowded('unWISE')) {
    const bands = [
      [u.flux_w1, u.dflux_w1, u.fracflux_w1, u.qf_w1],
      [u.flux_w2, u.dflux_w2, u.fracflux_w2, u.qf_w2],
    ];
    for (let k = 0; k < 2; k++) {
      const [fl, dfl, frac, qf] = bands[k];
      if (!finite(fl) || !finite(dfl) || !finite(frac) || !finite(qf) || !(fl > 0)) continue;
      if (!(frac > NIR_QUALITY.unwiseMinFracflux && qf > NIR_QUALITY.unwiseMinQf)) continue;
      if (!(dfl / fl < NIR_QUALITY.unwiseMaxRelativeError) || dfl < 0) continue;
      const i = 3 + k;
      // Vega nanomaggies → Vega magnitude zero point 22.5; linear in flux, so is σ.
      const perNanomaggy = vegaMagnitudeToFlux(i, UNWISE_NANOMAGGY_ZERO_POINT);
      put(i, fl * perNanomaggy, dfl * perNanomaggy);
    }
  }
  return used;
}
