/**
 * LAMOST DR8 LRS and Hot Payne rows of a synthetic star. A share of the stars
 * (lamostFraction) has a spectrum; its S/N in g, r, i, z follows the star's
 * brightness and colour, its labels are the truth plus errors that shrink with S/N.
 * LASP labels stars below 8000 K (lamost_dr8), the Hot Payne those above 7000 K
 * (hot_payne, same obsid); wrong log g values are injected into lamost_dr8 rows.
 * Most rows carry gaia_source_id; the others must be matched by position. Extra
 * rows of faint stars without XP spectra sit near some stars.
 */
import { FINE_GRID_NM } from '../config/spectrum.js';
import { LAMOST, UNMATCHED } from '../config/surveys.js';
import type { Rng } from '../random.js';
import type { SynthStar } from '../star.js';
import type { Row } from '../tables/row.js';
import { cataloguePosition, nearbyPosition, type ProperMotion } from './positions.js';

export interface LamostOptions {
  fraction: number;
  wrongLoggRate: number;
  positionOffsetRate: number;
  unmatchedRate: number;
}

export interface LamostObservation {
  lamost: Row[];
  hotPayne: Row[];
  inLamost: boolean;
  wrongLogg: boolean;
}

/** Photon flux (∝ f_λ λ) at a wavelength, from the star's observed flux on the fine grid. */
function photons(star: SynthStar, nm: number): number {
  const i = Math.round((nm - FINE_GRID_NM.start) / FINE_GRID_NM.step);
  return Math.max(0, star.flux[i]) * nm;
}

function snrs(star: SynthStar, gObserved: number, rng: Rng): number[] {
  const r = Math.min(
    LAMOST.snrMax,
    LAMOST.snrAtG17 * 10 ** (0.2 * (17 - gObserved)) * Math.exp(rng.gauss(0, LAMOST.snrLnScatter)),
  );
  const ref = photons(star, LAMOST.bandsNm[1]);
  return LAMOST.bandsNm.map((nm) => Math.min(LAMOST.snrMax, Math.max(0.5, r * Math.sqrt(photons(star, nm) / ref))));
}

export function observeLamost(
  star: SynthStar,
  pm: ProperMotion,
  gObserved: number,
  o: LamostOptions,
): LamostObservation {
  const { rng, labels, index } = star;
  const out: LamostObservation = { lamost: [], hotPayne: [], inLamost: false, wrongLogg: false };
  if (rng.chance(o.fraction)) {
    out.inLamost = true;
    const [snrg, snrr, snri, snrz] = snrs(star, gObserved, rng);
    const pos = cataloguePosition(star, pm, rng, {
      epochYear: LAMOST.epochYear,
      sigmaArcsec: LAMOST.positionSigmaArcsec,
      offsetRate: o.positionOffsetRate,
    });
    const base: Row = {
      obsid: LAMOST.obsidBase + index * 4,
      ra: pos.ra,
      dec: pos.dec,
      gaia_source_id: rng.chance(LAMOST.withGaiaId) ? star.sourceId : null,
      snrg,
      snrr,
      snri,
      snrz,
    };
    if (labels.teff < LAMOST.lastpMaxTeff) {
      const wrong = rng.chance(o.wrongLoggRate);
      out.wrongLogg = wrong;
      out.lamost.push({ ...base, ...lasp(rng, labels, snrg, wrong) });
    }
    if (labels.teff > LAMOST.hotPayneMinTeff) out.hotPayne.push({ ...base, ...hotPayne(rng, labels, snrg) });
  }
  if (rng.chance(o.unmatchedRate * o.fraction)) out.lamost.push(unmatchedRow(star, rng));
  return out;
}

type Labels = SynthStar['labels'];

function lasp(rng: Rng, l: Labels, snr: number, wrongLogg: boolean): Row {
  const e = LAMOST;
  const tf = e.typeFactor;
  const typeFactor = 1 + tf.a * ((l.teff - tf.centreK) / tf.widthK) ** 2;
  const teffErr = Math.hypot(e.teffErr.floor, e.teffErr.perSnr / snr) * typeFactor;
  const loggErr = Math.hypot(e.loggErr.floor, e.loggErr.perSnr / snr) * typeFactor;
  const fehErr = Math.hypot(e.fehErr.floor, e.fehErr.perSnr / snr) * typeFactor;
  let logg = l.logg + loggErr * rng.normal();
  if (wrongLogg) logg += (l.logg > 3.5 ? -1 : 1) * rng.between(e.wrongLogg.min, e.wrongLogg.max);
  return {
    teff: l.teff + teffErr * rng.normal(),
    teff_err: teffErr,
    logg,
    logg_err: loggErr,
    feh: l.feh + fehErr * rng.normal(),
    feh_err: fehErr,
  };
}

function hotPayne(rng: Rng, l: Labels, snr: number): Row {
  const h = LAMOST.hotPayne;
  const teffErr = l.teff * Math.hypot(h.teffRelFloor, 1 / snr);
  const loggErr = Math.hypot(h.loggFloor, h.loggPerSnr / snr);
  const fehErr = Math.hypot(h.fehFloor, h.fehPerSnr / snr);
  return {
    teff: l.teff + teffErr * rng.normal(),
    teff_err: teffErr,
    logg: l.logg + loggErr * rng.normal(),
    logg_err: loggErr,
    feh: l.feh + fehErr * rng.normal(),
    feh_err: fehErr,
  };
}

/** A faint dwarf near the star with no XP spectrum: no gaia_source_id, or one not in gaia_source. */
function unmatchedRow(star: SynthStar, rng: Rng): Row {
  const pos = nearbyPosition(star, rng);
  const u = UNMATCHED;
  const snr = rng.between(u.lamostSnr[0], u.lamostSnr[1]);
  const teff = rng.between(u.lamostTeff[0], u.lamostTeff[1]);
  const fakeId = (star.sourceId & ~((1n << 35n) - 1n)) | (1n << 34n) | BigInt(star.index);
  return {
    obsid: LAMOST.obsidBase + star.index * 4 + 2,
    ra: pos.ra,
    dec: pos.dec,
    gaia_source_id: rng.chance(u.lamostWithGaiaId) ? fakeId : null,
    teff,
    teff_err: Math.hypot(LAMOST.teffErr.floor, LAMOST.teffErr.perSnr / snr),
    logg: rng.between(u.lamostLogg[0], u.lamostLogg[1]),
    logg_err: Math.hypot(LAMOST.loggErr.floor, LAMOST.loggErr.perSnr / snr),
    feh: rng.gauss(u.lamostFeh.mean, u.lamostFeh.sd),
    feh_err: Math.hypot(LAMOST.fehErr.floor, LAMOST.fehErr.perSnr / snr),
    snrg: snr,
    snrr: snr * 1.5,
    snri: snr * 1.8,
    snrz: snr * 1.6,
  };
}
