/**
 * What Gaia DR3 reports for a synthetic star: gaia_source (position, parallax with
 * DR3-like errors and the Lindegren et al. 2021 zero point, G, BP/RP excess factor,
 * RUWE, ν_eff or pseudocolour by solution type) and gaiaedr3_spurious (fidelity_v2,
 * norm_dg). Spurious parallaxes are injected here.
 */
import { ASTROMETRY, CROWDING, SPURIOUS, TRANSITS } from '../config/surveys.js';
import { EXCESS_FACTOR } from '../config/photometry.js';
import { lindegren2021ZeroPoint } from '../parallax-zero-point.js';
import { nuEffFromColour } from '../photometry.js';
import type { ParallaxZeroPoint } from '../options.js';
import type { SynthStar } from '../star.js';
import type { Row } from '../tables/row.js';

export interface GaiaObservation {
  gaia: Row;
  spurious: Row;
  /** Observed G (for the other surveys' noise). */
  gObserved: number;
  normDg: number | null;
  nTransits: number;
  spuriousParallax: boolean;
}

export interface GaiaOptions {
  spuriousRate: number;
  zeroPoint: ParallaxZeroPoint;
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

export function observeGaia(star: SynthStar, opts: GaiaOptions): GaiaObservation {
  const { rng } = star;
  const t = TRANSITS;
  const peak = Math.exp(-(((Math.abs(star.eclLat) - t.peakEclLatDeg) / t.peakWidthDeg) ** 2));
  const nTransits = Math.max(t.min, Math.round(t.base + t.peakExtra * peak + rng.gauss(0, t.scatter)));
  const a = ASTROMETRY;
  const u = rng.uniform();
  const solved = u < a.twoParameter ? 3 : u < a.twoParameter + a.sixParameterBase + a.sixParameterCrowded * star.crowding ? 95 : 31;
  const gObserved = star.g + rng.gauss(0, Math.hypot(a.gMagError.floor, a.gMagError.at17 * 10 ** (0.4 * (star.g - 17))));
  const nuEff = nuEffFromColour(star.bp - star.rp);
  const pseudocolour = clamp(nuEff + rng.gauss(0, a.pseudocolourError * (1 + 10 ** (0.4 * (star.g - 17)))), 1.1, 1.9);
  const binary = star.companion !== null;

  const pe = a.parallaxErrorUas;
  const z = 10 ** (0.4 * (Math.max(star.g, pe.gFloor) - 15));
  let sigma = 1e-3 * Math.sqrt(pe.a + pe.b * z + pe.c * z * z) * Math.exp(rng.gauss(0, a.scanLnScatter)) * Math.sqrt(40 / nTransits);
  if (solved === 95) sigma *= 1.5;
  if (binary) sigma *= 1.3;
  const spuriousParallax = solved !== 3 && rng.chance(opts.spuriousRate);
  const zp = opts.zeroPoint === 'lindegren2021' && solved !== 3 ? lindegren2021ZeroPoint(gObserved, nuEff, pseudocolour, star.eclLat, solved) : 0;
  let parallax = star.parallax + zp + sigma * rng.normal();
  if (spuriousParallax) parallax += (rng.chance(0.5) ? -1 : 1) * rng.between(SPURIOUS.minSigma, SPURIOUS.maxSigma) * sigma;

  let ruwe = Math.exp(rng.gauss(0, a.ruwe.lnSd));
  if (binary && rng.chance(a.ruwe.binaryProbability)) ruwe = a.ruwe.binaryMin + rng.exponential(a.ruwe.binaryMeanExtra);
  if (spuriousParallax && rng.chance(0.5)) ruwe += rng.exponential(a.ruwe.spuriousMeanExtra);

  const tailP = a.excessTail.probability + a.excessTail.crowdedProbability * star.crowding + (binary ? 0.1 : 0);
  const excess = excessFactor(star.bp - star.rp) + rng.gauss(0, excessSigma(gObserved)) + (rng.chance(tailP) ? rng.exponential(a.excessTail.meanExtra) : 0);

  const hasNeighbour = rng.chance(CROWDING.neighbourBase + CROWDING.neighbourSlope * star.crowding);
  const normDg = hasNeighbour ? 2 - 32 * rng.uniform() ** (1 + 2 * star.crowding) : null;
  const fidelity = spuriousParallax
    ? rng.chance(SPURIOUS.lowFidelityShare)
      ? rng.between(0, 0.5)
      : rng.between(0.5, 1)
    : clamp(1 - rng.exponential(0.005) - 0.3 * star.crowding * rng.uniform() ** 4, 0, 1);

  const gaia: Row = {
    source_id: star.sourceId,
    ra: star.ra,
    dec: star.dec,
    parallax: solved === 3 ? null : parallax,
    parallax_error: solved === 3 ? null : sigma,
    phot_g_mean_mag: gObserved,
    phot_bp_rp_excess_factor: excess,
    ruwe: solved === 3 ? null : ruwe,
    nu_eff_used_in_astrometry: solved === 31 ? nuEff : null,
    pseudocolour: solved === 95 ? pseudocolour : null,
    ecl_lat: star.eclLat,
    astrometric_params_solved: solved,
  };
  const spurious: Row = { source_id: star.sourceId, fidelity_v2: fidelity, norm_dg: normDg };
  return { gaia, spurious, gObserved, normDg, nTransits, spuriousParallax };
}

/** Riello et al. 2021 Table 2: the excess factor of an isolated source vs BP − RP. */
export function excessFactor(x: number): number {
  const e = EXCESS_FACTOR;
  if (x < 0.5) return e.blue[0] + e.blue[1] * x + e.blue[2] * x * x + e.blue[3] * x ** 3;
  if (x < 4) return e.mid[0] + e.mid[1] * x + e.mid[2] * x * x;
  return e.red[0] + e.red[1] * x;
}

function excessSigma(g: number): number {
  const s = EXCESS_FACTOR.sigma;
  return s.a + s.b * g ** s.power;
}
