/**
 * Sky geometry for the synthetic sky: Galactic → ICRS (Hipparcos rotation, ESA 1997
 * vol. 1 §1.5.3, as Gaia uses), ecliptic latitude (obliquity 23°26′21.448″), the
 * HEALPix nested index at level 12 that Gaia source_ids carry in their top bits
 * (Gaia DR3 documentation §14.1.1: source_id = HEALPix-12 index · 2^35 + a number),
 * and small-offset moves on the sphere for catalogue positions.
 */

const DEG = Math.PI / 180;

/** Rows map ICRS (x, y, z) to Galactic; its transpose maps Galactic to ICRS. */
const ICRS_TO_GALACTIC = [
  [-0.0548755604162154, -0.873437090234885, -0.4838350155487132],
  [0.4941094278755837, -0.4448296299600112, 0.746982244497219],
  [-0.8676661490190047, -0.1980763734312015, 0.4559837761750669],
] as const;

const OBLIQUITY_RAD = (23 + 26 / 60 + 21.448 / 3600) * DEG;

export interface RaDec {
  ra: number;
  dec: number;
}

/** Unit vector (Galactic) → ICRS ra, dec in degrees, ra in [0, 360). */
export function galacticVectorToIcrs(x: number, y: number, z: number): RaDec {
  const m = ICRS_TO_GALACTIC;
  const xi = m[0][0] * x + m[1][0] * y + m[2][0] * z;
  const yi = m[0][1] * x + m[1][1] * y + m[2][1] * z;
  const zi = m[0][2] * x + m[1][2] * y + m[2][2] * z;
  let ra = Math.atan2(yi, xi) / DEG;
  if (ra < 0) ra += 360;
  if (ra >= 360) ra -= 360;
  return { ra, dec: Math.asin(Math.max(-1, Math.min(1, zi))) / DEG };
}

/** Ecliptic latitude (degrees) of an ICRS position. */
export function eclipticLatitude(raDeg: number, decDeg: number): number {
  const a = raDeg * DEG;
  const d = decDeg * DEG;
  const s = Math.sin(d) * Math.cos(OBLIQUITY_RAD) - Math.cos(d) * Math.sin(OBLIQUITY_RAD) * Math.sin(a);
  return Math.asin(Math.max(-1, Math.min(1, s))) / DEG;
}

/** Interleaves the low 16 bits of v with zeros (bit i → bit 2i). */
function spread(v: number): number {
  let x = v & 0xffff;
  x = (x | (x << 8)) & 0x00ff00ff;
  x = (x | (x << 4)) & 0x0f0f0f0f;
  x = (x | (x << 2)) & 0x33333333;
  x = (x | (x << 1)) & 0x55555555;
  return x >>> 0;
}

/** HEALPix nested pixel index of (ra, dec) in degrees (Górski et al. 2005, ang2pix_nest). */
export function healpixNest(level: number, raDeg: number, decDeg: number): number {
  const nside = 2 ** level;
  const z = Math.sin(decDeg * DEG);
  const za = Math.abs(z);
  let phi = (raDeg * DEG) % (2 * Math.PI);
  if (phi < 0) phi += 2 * Math.PI;
  const tt = phi / (Math.PI / 2);
  let face: number;
  let ix: number;
  let iy: number;
  if (za <= 2 / 3) {
    const t1 = nside * (0.5 + tt);
    const t2 = nside * z * 0.75;
    const jp = Math.floor(t1 - t2);
    const jm = Math.floor(t1 + t2);
    const ifp = Math.floor(jp / nside);
    const ifm = Math.floor(jm / nside);
    face = ifp === ifm ? ifp | 4 : ifp < ifm ? ifp : ifm + 8;
    ix = jm & (nside - 1);
    iy = nside - (jp & (nside - 1)) - 1;
  } else {
    const ntt = Math.min(3, Math.floor(tt));
    const tp = tt - ntt;
    const tmp = nside * Math.sqrt(3 * (1 - za));
    const jp = Math.min(nside - 1, Math.floor(tp * tmp));
    const jm = Math.min(nside - 1, Math.floor((1 - tp) * tmp));
    if (z >= 0) {
      face = ntt;
      ix = nside - jm - 1;
      iy = nside - jp - 1;
    } else {
      face = ntt + 8;
      ix = jp;
      iy = jm;
    }
  }
  return face * nside * nside + spread(ix) + 2 * spread(iy);
}

/** A Gaia-like source_id: HEALPix level-12 index in the top bits, a unique number below. */
export function gaiaSourceId(raDeg: number, decDeg: number, running: number): bigint {
  return (BigInt(healpixNest(12, raDeg, decDeg)) << 35n) | BigInt(running);
}

/**
 * Moves (ra, dec) by a small offset: `east` and `north` in arcsec on the tangent
 * plane. Accurate for offsets of arcseconds to arcminutes away from the poles'
 * immediate vicinity, which is all the catalogues need.
 */
export function offsetPosition(raDeg: number, decDeg: number, eastArcsec: number, northArcsec: number): RaDec {
  const dec = decDeg + northArcsec / 3600;
  const cosDec = Math.max(1e-6, Math.cos(decDeg * DEG));
  let ra = raDeg + eastArcsec / 3600 / cosDec;
  ra = ((ra % 360) + 360) % 360;
  const clamped = Math.max(-90, Math.min(90, dec));
  return { ra, dec: clamped };
}
