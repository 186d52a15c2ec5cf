/**
 * How strong each feature group is for a star of (Teff, log g, [Fe/H]): the
 * amplitudes a_g that multiply the profiles of profiles.ts. Hydrogen peaks near A0
 * and strengthens with gravity in hot stars (Stark broadening); metals grow with
 * [Fe/H] and fall with Teff; molecules switch on below ~4000 K (TiO), ~3300 K (VO);
 * CaH, MgH and Na D favour dwarfs while the Ca triplet, CH and CO favour giants:
 * these are the handles on log g. Shapes of the dependences follow Gray & Corbally
 * 2009; their numbers are in config/spectrum.ts or stated inline as rough scalings.
 */
import { BLANKETING, JUMPS, LINE_EW_NM } from '../config/spectrum.js';
import { SOLAR } from '../config/population.js';
import { GROUP, N_GROUPS } from './profiles.js';

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const bump = (x: number, centre: number, sd: number) => Math.exp(-0.5 * ((x - centre) / sd) ** 2);

/** Asymmetric Gaussian in log Teff around the A0 peak of hydrogen features. */
function hydrogenStrength(logT: number, sigmaCool: number, sigmaHot: number): number {
  const d = logT - JUMPS.balmer.peakLogTeff;
  const s = d < 0 ? sigmaCool : sigmaHot;
  return Math.exp(-0.5 * (d / s) ** 2);
}

/** Fills a (length N_GROUPS) with the star's feature amplitudes. */
export function featureAmplitudes(teff: number, logg: number, feh: number, a: Float64Array): Float64Array {
  if (a.length < N_GROUPS) throw new Error('amplitude buffer too short');
  const logT = Math.log10(teff);
  const z = 10 ** feh;
  const coolness = SOLAR.teffK / teff;
  // Hot stars: pressure (Stark) broadening makes hydrogen lines stronger in dwarfs.
  const hotness = clamp((teff - 6000) / 2000, 0, 1);
  const starkGravity = Math.max(0.3, 1 + 0.25 * (logg - 4) * hotness);

  a[GROUP.metalContinuum] =
    BLANKETING.tau400 *
    z ** BLANKETING.metalExponent *
    coolness ** BLANKETING.teffExponent *
    Math.max(0.5, 1 + BLANKETING.perLoggBelowSun * (SOLAR.logg - logg));

  const bj = JUMPS.balmer;
  const jump =
    bj.peakDex * hydrogenStrength(logT, bj.sigmaCool, bj.sigmaHot) * Math.max(0.5, 1 + bj.perLoggBelow4 * (4 - logg));
  // The apparent edge moves redward with gravity: split the jump between two edges.
  const dwarfShare = clamp((logg - 1.5) / 3, 0, 1);
  a[GROUP.balmerJumpGiant] = jump * (1 - dwarfShare);
  a[GROUP.balmerJumpDwarf] = jump * dwarfShare;
  a[GROUP.paschenJump] = JUMPS.paschen.ratio * jump;

  const hLines = hydrogenStrength(logT, 0.13, 0.22) * starkGravity;
  a[GROUP.balmer] = LINE_EW_NM.balmer * hLines;
  a[GROUP.paschen] = LINE_EW_NM.paschen * hLines;

  // Ca II H&K: strong from G to M, weakening through the A stars (a metallicity index there).
  a[GROUP.caHK] = (LINE_EW_NM.caHK * z ** 0.5) / (1 + (teff / 6500) ** 6);
  a[GROUP.chGBand] = LINE_EW_NM.chGBand * z ** 0.7 * bump(teff, 4900, 900) * Math.max(0.3, 1 + 0.15 * (3.5 - logg));
  a[GROUP.mgB] = LINE_EW_NM.mgB * z ** 0.6 * bump(teff, 4700, 1100) * Math.max(0.3, 1 + 0.25 * (logg - 3.5));
  a[GROUP.naD] =
    (LINE_EW_NM.naD * z ** 0.6 * coolness ** 3 * Math.max(0.2, 1 + 0.3 * (logg - 3.5))) / (1 + (teff / 7500) ** 8);
  a[GROUP.caTriplet] = LINE_EW_NM.caTriplet * z ** 0.4 * bump(teff, 5000, 1500) * Math.max(0.4, 1 + 0.2 * (3.5 - logg));
  a[GROUP.heI] = LINE_EW_NM.heI * bump(logT, 4.35, 0.08);

  const tio = clamp((4000 - teff) / 600, 0, 3) ** 1.5 * z ** 0.5;
  a[GROUP.tio] = tio * Math.max(0.5, 1 + 0.1 * (4.5 - logg));
  a[GROUP.vo] = 0.6 * clamp((3300 - teff) / 400, 0, 3) ** 1.5 * z ** 0.5;
  a[GROUP.cah] = tio * clamp(logg - 3.5, 0, 1.5);
  a[GROUP.co] = clamp((5200 - teff) / 1000, 0, 2.5) * Math.max(0.3, 1 + 0.3 * (3 - logg)) * z ** 0.5;
  a[GROUP.h2o] = clamp((4200 - teff) / 800, 0, 2.5) ** 1.5 * (0.5 + 0.5 * clamp(logg - 3.5, 0, 1));
  a[GROUP.hMinus] = clamp((7000 - teff) / 3000, 0, 1);
  return a;
}
