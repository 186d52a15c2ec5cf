/**
 * Where another catalogue puts a Gaia star: the Gaia (epoch 2016) position moved by
 * the star's proper motion to the catalogue's epoch, plus the catalogue's
 * astrometric jitter, plus (injected, at a rate) an offset of 1–3″. Also the places
 * of extra, unmatched sources near a star.
 */
import { EPOCH, POSITION_OFFSET, UNMATCHED } from '../config/surveys.js';
import { offsetPosition, type RaDec } from '../coords.js';
import type { Rng } from '../random.js';
import type { SynthStar } from '../star.js';

/** Proper motion in mas/yr (east, north) from a tangential velocity drawn per axis. */
export interface ProperMotion {
  east: number;
  north: number;
}

export function drawProperMotion(star: SynthStar): ProperMotion {
  const k = EPOCH.kmsPerMasYrAtKpc * star.position.distanceKpc;
  const s = EPOCH.tangentialVelocitySdKms;
  return { east: star.rng.gauss(0, s) / k, north: star.rng.gauss(0, s) / k };
}

export interface CataloguePlacement {
  epochYear: number;
  /** Per-axis astrometric jitter (arcsec). */
  sigmaArcsec: number;
  offsetRate: number;
}

export function cataloguePosition(
  star: SynthStar,
  pm: ProperMotion,
  rng: Rng,
  p: CataloguePlacement,
): RaDec & { offset: boolean } {
  const years = p.epochYear - EPOCH.gaiaYear;
  let east = (pm.east * years) / 1000 + p.sigmaArcsec * rng.normal();
  let north = (pm.north * years) / 1000 + p.sigmaArcsec * rng.normal();
  const offset = rng.chance(p.offsetRate);
  if (offset) {
    const r = rng.between(POSITION_OFFSET.minArcsec, POSITION_OFFSET.maxArcsec);
    const angle = rng.between(0, 2 * Math.PI);
    east += r * Math.cos(angle);
    north += r * Math.sin(angle);
  }
  return { ...offsetPosition(star.ra, star.dec, east, north), offset };
}

/** A random place 1.5–30″ from the star, for a source with no XP counterpart. */
export function nearbyPosition(star: SynthStar, rng: Rng): RaDec {
  const r = rng.between(UNMATCHED.minArcsec, UNMATCHED.maxArcsec);
  const angle = rng.between(0, 2 * Math.PI);
  return offsetPosition(star.ra, star.dec, r * Math.cos(angle), r * Math.sin(angle));
}
