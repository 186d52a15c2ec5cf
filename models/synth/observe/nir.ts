/**
 * 2MASS PSC and unWISE rows of a synthetic star, from its true NIR magnitudes:
 * noise growing with magnitude to each survey's depth, ph_qual letters and
 * upper limits (2MASS), fracflux/qf (unWISE), faint stars dropping out, positions at
 * each survey's epoch. Crowded fields (norm_dg above the pipeline's gates) get a
 * neighbour's light, as real blends do; the injected "contaminated NIR" defect adds
 * one everywhere while leaving the quality flags clean. Extra unmatched sources sit
 * near some stars.
 */
import { CROWDING_NORM_DG_MAX, UNWISE_NANOMAGGY_ZERO_POINT } from '../../config/science.js';
import { CONTAMINATION, TMASS, UNMATCHED, UNWISE } from '../config/surveys.js';
import type { Rng } from '../random.js';
import type { SynthStar } from '../star.js';
import type { Row } from '../tables/row.js';
import { cataloguePosition, nearbyPosition, type ProperMotion } from './positions.js';

export interface NirOptions {
  contaminatedRate: number;
  positionOffsetRate: number;
  unmatchedRate: number;
}

export interface NirObservation {
  tmass: Row[];
  unwise: Row[];
  contaminated: boolean;
}

const MAG = 2.5 / Math.LN10;
const TMASS_BANDS = ['j', 'h', 'k'] as const;

export function observeNir(star: SynthStar, pm: ProperMotion, normDg: number | null, o: NirOptions): NirObservation {
  const { rng } = star;
  const contaminated = rng.chance(o.contaminatedRate);
  const kappa = contaminated ? rng.between(CONTAMINATION.min, CONTAMINATION.max) : 0;
  // Light added to each band, as a fraction of the star's: the defect, and neighbours in crowded fields.
  const extra = CONTAMINATION.bandFactor.map((f) => kappa * f);
  const tmassBlend =
    normDg !== null && normDg > CROWDING_NORM_DG_MAX['2MASS']
      ? rng.between(CONTAMINATION.crowdedTmass[0], CONTAMINATION.crowdedTmass[1])
      : 0;
  const unwiseBlend =
    normDg !== null && normDg > CROWDING_NORM_DG_MAX.unWISE
      ? rng.between(CONTAMINATION.crowdedUnwise[0], CONTAMINATION.crowdedUnwise[1])
      : 0;
  const tmassMags = [0, 1, 2].map((k) => star.nir[k] - 2.5 * Math.log10(1 + extra[k] + tmassBlend));
  const unwiseFluxes = [3, 4].map((k) => 10 ** (-0.4 * (star.nir[k] - UNWISE_NANOMAGGY_ZERO_POINT)) * (1 + extra[k]));
  const out: NirObservation = { tmass: [], unwise: [], contaminated };
  const t = tmassRow(rng, tmassMags);
  if (t) {
    const pos = cataloguePosition(star, pm, rng, {
      epochYear: TMASS.epochYear,
      sigmaArcsec: TMASS.positionSigmaArcsec,
      offsetRate: o.positionOffsetRate,
    });
    out.tmass.push({ pts_key: TMASS.ptsKeyBase + star.index * 2, ra: pos.ra, dec: pos.dec, ...t });
  }
  const u = unwiseRow(rng, unwiseFluxes, unwiseBlend);
  if (u) {
    const sigma = UNWISE.positionSigmaArcsec.floor + UNWISE.positionSigmaArcsec.perSnr / u.snr;
    const pos = cataloguePosition(star, pm, rng, {
      epochYear: UNWISE.epochYear,
      sigmaArcsec: sigma,
      offsetRate: o.positionOffsetRate,
    });
    out.unwise.push({ unwise_objid: unwiseObjid(pos.ra, pos.dec, star.index * 2), ra: pos.ra, dec: pos.dec, ...u.row });
  }
  if (rng.chance(o.unmatchedRate)) out.tmass.push(unmatchedTmass(star, rng));
  if (rng.chance(o.unmatchedRate)) out.unwise.push(unmatchedUnwise(star, rng));
  return out;
}

/** J, H, Ks columns, or null when no band reaches the PSC's detection S/N. */
function tmassRow(rng: Rng, mags: number[]): Row | null {
  const row: Row = {};
  let letters = '';
  let detected = false;
  TMASS_BANDS.forEach((b, k) => {
    const m10 = TMASS.tenSigmaMag[k];
    const sigma = (MAG / 10) * 10 ** (0.4 * (mags[k] - m10));
    const m = mags[k] + sigma * rng.normal();
    const snr = 10 * 10 ** (-0.4 * (m - m10));
    const q = TMASS.qualitySnr;
    let letter = snr >= q.A ? 'A' : snr >= q.B ? 'B' : snr >= q.C ? 'C' : snr >= q.D ? 'D' : 'U';
    if (letter !== 'U' && rng.chance(TMASS.badFitProbability)) letter = 'E';
    if (snr >= TMASS.detectionSnr) detected = true;
    letters += letter;
    row[`${b}_m`] = letter === 'U' ? m10 + 2.5 * Math.log10(10 / 2) : m;
    row[`${b}_msigcom`] = letter === 'U' ? null : Math.hypot(MAG / Math.max(snr, 1e-3), TMASS.calibrationMag);
  });
  if (!detected) return null;
  row.ph_qual = letters;
  return row;
}

/** W1, W2 columns (a band below 5σ is null), or null when neither is detected. */
function unwiseRow(rng: Rng, fluxes: number[], blend: number): { row: Row; snr: number } | null {
  const row: Row = {};
  let detected = false;
  let snrW1 = 1;
  fluxes.forEach((f0, k) => {
    const name = `w${k + 1}`;
    const f = f0 * (1 + blend);
    const background = 10 ** (-0.4 * (UNWISE.fiveSigmaMag[k] - UNWISE_NANOMAGGY_ZERO_POINT)) / 5;
    const dflux = Math.hypot(background, UNWISE.calibrationFraction * f);
    const flux = f + dflux * rng.normal();
    const snr = flux / dflux;
    if (k === 0) snrW1 = Math.max(snr, 1);
    const fracflux = Math.max(0, 1 - rng.exponential(UNWISE.fracfluxOffMean)) / (1 + blend);
    const qf = rng.chance(UNWISE.lowQfProbability)
      ? rng.between(UNWISE.lowQfRange[0], UNWISE.lowQfRange[1])
      : Math.max(0, 1 - rng.exponential(UNWISE.qfOffMean));
    const ok = snr >= UNWISE.detectionSnr;
    detected ||= ok;
    row[`flux_${name}`] = ok ? flux : null;
    row[`dflux_${name}`] = ok ? dflux : null;
    row[`fracflux_${name}`] = ok ? fracflux : null;
    row[`qf_${name}`] = ok ? qf : null;
  });
  return detected ? { row, snr: snrW1 } : null;
}

/** unWISE-style id: the coadd tile (RRRR[p|m]DDD, 1.5° tiles) + 'o' + a running number. */
export function unwiseObjid(ra: number, dec: number, running: number): string {
  const decT = Math.round(dec / 1.5) * 1.5;
  const step = 1.5 / Math.max(0.05, Math.cos((decT * Math.PI) / 180));
  const raT = (((Math.round(ra / step) * step) % 360) + 360) % 360;
  const tile = `${String(Math.round(raT * 10) % 3600).padStart(4, '0')}${decT >= 0 ? 'p' : 'm'}${String(Math.round(Math.abs(decT) * 10)).padStart(3, '0')}`;
  return `${tile}o${String(running).padStart(7, '0')}`;
}

function unmatchedTmass(star: SynthStar, rng: Rng): Row {
  const pos = nearbyPosition(star, rng);
  const u = UNMATCHED;
  const j = rng.between(u.tmassJ[0], u.tmassJ[1]);
  const h = j - rng.between(u.tmassJMinusH[0], u.tmassJMinusH[1]);
  const k = h - rng.between(u.tmassHMinusK[0], u.tmassHMinusK[1]);
  const row: Row = { pts_key: TMASS.ptsKeyBase + star.index * 2 + 1, ra: pos.ra, dec: pos.dec };
  const t = tmassRow(rng, [j, h, k]);
  return {
    ...row,
    ...(t ?? { j_m: j, j_msigcom: 0.1, h_m: h, h_msigcom: 0.1, k_m: k, k_msigcom: 0.1, ph_qual: 'BBB' }),
  };
}

function unmatchedUnwise(star: SynthStar, rng: Rng): Row {
  const pos = nearbyPosition(star, rng);
  const w1 = rng.between(UNMATCHED.unwiseW1[0], UNMATCHED.unwiseW1[1]);
  const w2 = w1 - rng.between(UNMATCHED.unwiseW1MinusW2[0], UNMATCHED.unwiseW1MinusW2[1]);
  const fluxes = [w1, w2].map((m) => 10 ** (-0.4 * (m - UNWISE_NANOMAGGY_ZERO_POINT)));
  const u = unwiseRow(rng, fluxes, 0);
  const fallback: Row = {
    flux_w1: fluxes[0],
    dflux_w1: fluxes[0] / 6,
    fracflux_w1: 1,
    qf_w1: 1,
    flux_w2: null,
    dflux_w2: null,
    fracflux_w2: null,
    qf_w2: null,
  };
  return {
    unwise_objid: unwiseObjid(pos.ra, pos.dec, star.index * 2 + 1),
    ra: pos.ra,
    dec: pos.dec,
    ...(u ? u.row : fallback),
  };
}
