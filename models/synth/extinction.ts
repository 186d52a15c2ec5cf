/**
 * Interstellar extinction of the synthetic sky: Cardelli, Clayton & Mathis 1989
 * (CCM89, ApJ 345, 245), A_λ / A_V = a(x) + b(x)/R_V with x = 1/λ in µm⁻¹; the
 * infrared power law (0.3 ≤ x < 1.1) is extended to the unWISE bands (x ≈ 0.22–0.30),
 * which puts A_W1/A_Ks ≈ 0.5 and A_W2/A_Ks ≈ 0.3, inside the published range
 * (Indebetouw et al. 2005; Wang & Chen 2019). Truth E ≡ E(B−V) in the reddening
 * prior's units, so A_λ = E (R_V a(x) + b(x)). In the pipeline's convention
 * (docs/method.md §4) R(λ) = A_λ / (1.0857 E), so exp(−E R) = 10^(−0.4 A).
 */
import { MAG_TO_RELATIVE_FLUX, NIR_BANDS, PIPELINE_GRID_NM } from '../config/science.js';
import { wavelengthRange } from '../xp/grid.js';
import { R_V } from './config/galaxy.js';

export interface CcmCoefficients {
  a: number;
  b: number;
}

/** CCM89 a(x), b(x) at λ in nm (valid 125 nm – 5 µm here). */
export function ccm89(nm: number): CcmCoefficients {
  const x = 1000 / nm;
  if (x < 1.1) {
    const p = x ** 1.61;
    return { a: 0.574 * p, b: -0.527 * p };
  }
  if (x < 3.3) {
    const y = x - 1.82;
    const a =
      1 + y * (0.17699 + y * (-0.50447 + y * (-0.02427 + y * (0.72085 + y * (0.01979 + y * (-0.7753 + y * 0.32999))))));
    const b =
      y * (1.41338 + y * (2.28305 + y * (1.07233 + y * (-5.38434 + y * (-0.62251 + y * (5.3026 + y * -2.09002))))));
    return { a, b };
  }
  if (x <= 8) {
    let fa = 0;
    let fb = 0;
    if (x >= 5.9) {
      const t = x - 5.9;
      fa = -0.04473 * t * t - 0.009779 * t ** 3;
      fb = 0.213 * t * t + 0.1207 * t ** 3;
    }
    return {
      a: 1.752 - 0.316 * x - 0.104 / ((x - 4.67) ** 2 + 0.341) + fa,
      b: -3.09 + 1.825 * x + 1.206 / ((x - 4.62) ** 2 + 0.263) + fb,
    };
  }
  throw new RangeError(`CCM89 is defined for λ ≥ 125 nm, got ${nm} nm`);
}

/** A_λ / E(B−V) at λ (nm) for a given R_V. */
export function extinctionPerE(nm: number, rv: number): number {
  const { a, b } = ccm89(nm);
  return rv * a + b;
}

/** Per sample point: a(x), b(x), so A_i = E (R_V a_i + b_i). */
export interface ExtinctionTable {
  a: Float64Array;
  b: Float64Array;
}

export function extinctionTable(nm: Float64Array): ExtinctionTable {
  const a = new Float64Array(nm.length);
  const b = new Float64Array(nm.length);
  nm.forEach((l, i) => {
    const c = ccm89(l);
    a[i] = c.a;
    b[i] = c.b;
  });
  return { a, b };
}

/** Multiplies flux in place by 10^(−0.4 E (R_V a + b)). */
export function redden(
  flux: Float64Array,
  table: ExtinctionTable,
  e: number,
  rv: number,
  out: Float64Array = flux,
): Float64Array {
  const k = -0.4 * Math.LN10 * e;
  for (let i = 0; i < flux.length; i++) out[i] = flux[i] * Math.exp(k * (rv * table.a[i] + table.b[i]));
  return out;
}

export interface ExtinctionLaw {
  description: string;
  rv: number;
  /** 61 XP wavelengths (nm) then the 5 NIR effective wavelengths. */
  wavelengthsNm: number[];
  bands: string[];
  /** R(λ) = A_λ / (1.0857 E), E = E(B−V) in the reddening prior's units. */
  R: number[];
}

/** The generator's mean law in the pipeline's convention, on its 61 + 5 wavelengths. */
export function pipelineExtinctionLaw(rv: number = R_V.mean): ExtinctionLaw {
  const xp = Array.from(wavelengthRange(PIPELINE_GRID_NM.start, PIPELINE_GRID_NM.stop, PIPELINE_GRID_NM.step));
  const nir = NIR_BANDS.map((b) => b.wavelengthUm * 1000);
  const wavelengthsNm = [...xp, ...nir];
  return {
    description: 'CCM89 at mean R_V; R(λ) = A_λ/(1.0857·E), E = E(B−V) (docs/method.md §4 convention); monochromatic',
    rv,
    wavelengthsNm,
    bands: [...xp.map((l) => `XP${l}`), ...NIR_BANDS.map((b) => b.name)],
    R: wavelengthsNm.map((l) => extinctionPerE(l, rv) / MAG_TO_RELATIVE_FLUX),
  };
}
