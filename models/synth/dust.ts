/**
 * The synthetic sky's dust: E(B−V) to a star is the line-of-sight integral of an
 * exponential dust layer (config/galaxy.ts DUST), exact in z and piecewise in R,
 * times a log-normal patchiness field over the sky: a sum of random plane waves on
 * the unit sphere, drawn once per sky from its seed. Also the crowding of a sight
 * line (for norm_dg, 6-parameter solutions, blends).
 */
import { DUST, SUN } from './config/galaxy.js';
import { CROWDING } from './config/surveys.js';
import { Rng, STREAM } from './random.js';

interface Mode {
  kx: number;
  ky: number;
  kz: number;
  phase: number;
}

/** Antiderivative of exp(−|z|/h): sign(z)·h·(1 − exp(−|z|/h)); continuous through 0. */
function layerIntegral(z: number, h: number): number {
  return Math.sign(z) * h * -Math.expm1(-Math.abs(z) / h);
}

export class DustMap {
  private readonly modes: Mode[];
  private readonly norm: number;

  constructor(seed: number) {
    const rng = new Rng(seed, STREAM.dustField, 0);
    const { min, max } = DUST.patchinessWavenumber;
    this.modes = Array.from({ length: DUST.patchinessModes }, () => {
      const cz = rng.between(-1, 1);
      const phi = rng.between(0, 2 * Math.PI);
      const s = Math.sqrt(1 - cz * cz);
      const k = min * (max / min) ** rng.uniform();
      return { kx: k * s * Math.cos(phi), ky: k * s * Math.sin(phi), kz: k * cz, phase: rng.between(0, 2 * Math.PI) };
    });
    this.norm = Math.sqrt(2 / DUST.patchinessModes);
  }

  /** Log-normal patchiness factor (mean ≈ 1) toward unit vector (nx, ny, nz). */
  patchiness(nx: number, ny: number, nz: number): number {
    let g = 0;
    for (const m of this.modes) g += Math.cos(m.kx * nx + m.ky * ny + m.kz * nz + m.phase);
    const s = DUST.patchinessSigma;
    return Math.exp(s * this.norm * g - (s * s) / 2);
  }

  /**
   * E(B−V) from the Sun to distance d (kpc) along unit vector n (heliocentric Galactic).
   * The z part of each segment is exact; the radial factor is taken at the segment's
   * middle, so segments are at most DUST.maxSegmentKpc long (with 8 segments over a
   * 30 kpc total column, that factor was read kpc away from where the dust of a high-
   * latitude sight line is, and the SFD-like prior came out ~30 % high). The integral
   * stops once the sight line is beyond DUST.layerEndHeights scale heights and leaving.
   */
  reddening(nx: number, ny: number, nz: number, d: number): number {
    const h = DUST.scaleHeightKpc;
    const z0 = SUN.heightKpc;
    const r0 = SUN.galactocentricRadiusKpc;
    const segments = Math.max(DUST.integrationSegments, Math.ceil(d / DUST.maxSegmentKpc));
    let column = 0;
    for (let k = 0; k < segments; k++) {
      const s1 = (d * k) / segments;
      const s2 = (d * (k + 1)) / segments;
      const z1 = z0 + s1 * nz;
      if (Math.abs(z1) > DUST.layerEndHeights * h && z1 * nz > 0) break;
      const zPart =
        Math.abs(nz) < 1e-9
          ? (s2 - s1) * Math.exp(-Math.abs(z0) / h)
          : (layerIntegral(z0 + s2 * nz, h) - layerIntegral(z1, h)) / nz;
      const sm = 0.5 * (s1 + s2);
      const radius = Math.hypot(sm * nx - r0, sm * ny);
      column += zPart * Math.exp(-(radius - r0) / DUST.scaleLengthKpc);
    }
    return DUST.ePerKpcAtSun * column * this.patchiness(nx, ny, nz);
  }
}

/** Crowding in [0, 1] toward (l, b) in degrees: high in the plane, highest toward the bulge. */
export function crowding(lDeg: number, bDeg: number): number {
  const rad = Math.PI / 180;
  const cosTheta = Math.cos(bDeg * rad) * Math.cos(lDeg * rad);
  const theta = Math.acos(Math.max(-1, Math.min(1, cosTheta))) / rad;
  return (
    Math.exp(-Math.abs(bDeg) / CROWDING.latitudeScaleDeg) * (0.5 + 0.5 * Math.exp(-theta / CROWDING.bulgeScaleDeg))
  );
}
