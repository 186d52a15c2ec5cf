/**
 * The wavelengths a synthetic SED is evaluated at: the fine XP-range grid (330–1050
 * nm, 2 nm; also what the XP coefficients are fitted to) followed by three points
 * per NIR band (2MASS J, H, Ks; unWISE W1, W2), plus the XP line-spread width there.
 */
import { NIR_BANDS } from '../../config/science.js';
import { wavelengthRange } from '../../xp/grid.js';
import { FINE_GRID_NM, LSF_SWITCH_NM, NIR_SAMPLING, XP_LSF_FWHM_NM } from '../config/spectrum.js';

export interface SamplePoints {
  /** All wavelengths (nm): nFine fine-grid points, then 3 per NIR band. */
  nm: Float64Array;
  nFine: number;
  /** Index of the first of each NIR band's three points. */
  nirStart: Int32Array;
  /** Fine-grid spacing (nm). */
  stepNm: number;
}

let cached: SamplePoints | undefined;

export function samplePoints(): SamplePoints {
  if (cached) return cached;
  const fine = wavelengthRange(FINE_GRID_NM.start, FINE_GRID_NM.stop, FINE_GRID_NM.step);
  const nir: number[] = [];
  const nirStart = new Int32Array(NIR_BANDS.length);
  NIR_BANDS.forEach((b, k) => {
    nirStart[k] = fine.length + nir.length;
    const l = b.wavelengthUm * 1000;
    nir.push(l * (1 - NIR_SAMPLING.spread), l, l * (1 + NIR_SAMPLING.spread));
  });
  const nm = new Float64Array(fine.length + nir.length);
  nm.set(fine);
  nm.set(nir, fine.length);
  cached = { nm, nFine: fine.length, nirStart, stepNm: FINE_GRID_NM.step };
  return cached;
}

/** XP line-spread σ (nm) at a wavelength inside the XP range; 0 beyond it (NIR points). */
export function xpLsfSigmaNm(nm: number): number {
  if (nm > FINE_GRID_NM.stop + 1) return 0;
  const band = nm < LSF_SWITCH_NM ? XP_LSF_FWHM_NM.bp : XP_LSF_FWHM_NM.rp;
  const [l0, l1] = band.atNm;
  const [f0, f1] = band.fwhm;
  const t = Math.min(1, Math.max(0, (nm - l0) / (l1 - l0)));
  return (f0 + t * (f1 - f0)) / (2 * Math.sqrt(2 * Math.log(2)));
}
