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
  const solved =
    u < a.twoParameter ? 3 : u < a.twoParameter + a.sixParameterBase + a.sixParameterCrowded * star.crowding ? 95 : 31;
  const gObserved =
    star.g + rng.gauss(0, Math.hypot(a.gMagError.floor, a.gMagError.at17 * 10 ** (0.4 * (star.g - 17))));
  const nuEff = nuEffFromColour(star.bp - star.rp);
  const pseudocolour = clamp(nuEff + rng.gauss(0, a.pseudocolourError * (1 + 10 ** (0.4 * (star.g - 17)))), 1.1, 1.9);
  const astro = astrometry(star, { solved, nTransits, gObserved, nuEff, pseudocolour }, opts);
  const q = quality(star, gObserved, astro.spuriousParallax);
  const gaia: Row = {
    source_id: star.sourceId,
    ra: star.ra,
    dec: star.dec,
    parallax: solved === 3 ? null : astro.parallax,
    parallax_error: solved === 3 ? null : astro.sigma,
    phot_g_mean_mag: gObserved,
    phot_bp_rp_excess_factor: q.excess,
    ruwe: solved === 3 ? null : q.ruwe,
    nu_eff_used_in_astrometry: solved === 31 ? nuEff : null,
    pseudocolour: solved === 95 ? pseudocolour : null,
    ecl_lat: star.eclLat,
    astrometric_params_solved: solved,
  };
  const spurious: Row = { source_id: star.sourceId, fidelity_v2: q.fidelity, norm_dg: q.normDg };
  return { gaia, spurious, gObserved, normDg: q.normDg, nTransits, spuriousParallax: astro.spuriousParallax };
}

interface Solution {
  solved: number;
  nTransits: number;
  gObserved: number;
  nuEff: number;
  pseudocolour: number;
}

/** Parallax: truth + zero point + DR3-like noise, or a spurious solution 5–25 σ away. */
function astrometry(
  star: SynthStar,
  s: Solution,
  opts: GaiaOptions,
): { parallax: number; sigma: number; spuriousParallax: boolean } {
  const { rng } = star;
  const pe = ASTROMETRY.parallaxErrorUas;
  const z = 10 ** (0.4 * (Math.max(star.g, pe.gFloor) - 15));
  let sigma =
    1e-3 *
    Math.sqrt(pe.a + pe.b * z + pe.c * z * z) *
    Math.exp(rng.gauss(0, ASTROMETRY.scanLnScatter)) *
    Math.sqrt(40 / s.nTransits);
  if (s.solved === 95) sigma *= ASTROMETRY.sixParameterErrorFactor;
  if (star.companion) sigma *= ASTROMETRY.binaryErrorFactor;
  const spuriousParallax = s.solved !== 3 && rng.chance(opts.spuriousRate);
  const zp =
    opts.zeroPoint === 'lindegren2021' && s.solved !== 3
      ? lindegren2021ZeroPoint(s.gObserved, s.nuEff, s.pseudocolour, star.eclLat, s.solved)
      : 0;
  let parallax = star.parallax + zp + sigma * rng.normal();
  if (spuriousParallax)
    parallax += (rng.chance(0.5) ? -1 : 1) * rng.between(SPURIOUS.minSigma, SPURIOUS.maxSigma) * sigma;
  return { parallax, sigma, spuriousParallax };
}

/** RUWE, BP/RP excess factor, the nearest neighbour's norm_dg and fidelity_v2. */
function quality(star: SynthStar, gObserved: number, spuriousParallax: boolean) {
  const { rng } = star;
  const a = ASTROMETRY;
  const binary = star.companion !== null;
  let ruwe = Math.exp(rng.gauss(0, a.ruwe.lnSd));
  if (binary && rng.chance(a.ruwe.binaryProbability)) ruwe = a.ruwe.binaryMin + rng.exponential(a.ruwe.binaryMeanExtra);
  if (spuriousParallax && rng.chance(SPURIOUS.raisedRuweShare)) ruwe += rng.exponential(a.ruwe.spuriousMeanExtra);
  const tailP =
    a.excessTail.probability +
    a.excessTail.crowdedProbability * star.crowding +
    (binary ? a.excessTail.binaryProbability : 0);
  const excess =
    excessFactor(star.bp - star.rp) +
    rng.gauss(0, excessSigma(gObserved)) +
    (rng.chance(tailP) ? rng.exponential(a.excessTail.meanExtra) : 0);
  const hasNeighbour = rng.chance(CROWDING.neighbourBase + CROWDING.neighbourSlope * star.crowding);
  const normDg = hasNeighbour ? 2 - 32 * rng.uniform() ** (1 + 2 * star.crowding) : null;
  const fidelity = spuriousParallax
    ? rng.chance(SPURIOUS.lowFidelityShare)
      ? rng.between(0, 0.5)
      : rng.between(0.5, 1)
    : clamp(
        1 - rng.exponential(a.fidelity.offMean) - a.fidelity.crowdedDrop * star.crowding * rng.uniform() ** 4,
        0,
        1,
      );
  return { ruwe, excess, normDg, fidelity };
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
