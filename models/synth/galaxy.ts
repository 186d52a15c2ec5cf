/**
 * Where a star of a given Galactic component sits, seen from the Sun: positions are
 * drawn from the component's double-exponential density ρ ∝ exp(−R/h_R − |z|/h_z)
 * restricted to the sphere within which the star could be bright enough to be seen
 * (d ≤ d_lim, from its unreddened absolute magnitude). Two exact samplers of the
 * same restricted density: near the Sun, |z| from the exponential and (x, y) in the
 * sphere's bounding box, accepted with the radial factor; far out, R from its
 * Gamma(2, h_R) law and the star kept when it falls within d_lim.
 */
import {
  COMPONENTS,
  MAX_DISTANCE_KPC,
  MAX_GALACTOCENTRIC_RADIUS_KPC,
  SUN,
  type ComponentName,
} from './config/galaxy.js';
import type { Rng } from './random.js';

/** Heliocentric Galactic position: x toward the Galactic centre, y toward l = 90°, z toward the NGP. */
export interface Position {
  x: number;
  y: number;
  z: number;
  distanceKpc: number;
  /** Galactic longitude and latitude in degrees. */
  l: number;
  b: number;
}

const MIN_DISTANCE_KPC = 0.005;
const LOCAL_SAMPLER_MAX_KPC = 4;
const MAX_TRIES = 20000;

function laplace(rng: Rng, scale: number): number {
  const e = rng.exponential(scale);
  return rng.uniform() < 0.5 ? -e : e;
}

function toPosition(x: number, y: number, z: number): Position {
  const d = Math.sqrt(x * x + y * y + z * z);
  return {
    x,
    y,
    z,
    distanceKpc: d,
    l: ((Math.atan2(y, x) * 180) / Math.PI + 360) % 360,
    b: (Math.asin(z / d) * 180) / Math.PI,
  };
}

/** A position within dLim (kpc) of the Sun, or null if none was found (dLim tiny). */
export function samplePosition(rng: Rng, component: ComponentName, dLimKpc: number): Position | null {
  const dLim = Math.min(MAX_DISTANCE_KPC, dLimKpc);
  if (!(dLim > MIN_DISTANCE_KPC)) return null;
  return dLim <= LOCAL_SAMPLER_MAX_KPC ? sampleLocal(rng, component, dLim) : sampleGlobal(rng, component, dLim);
}

function sampleLocal(rng: Rng, component: ComponentName, dLim: number): Position | null {
  const c = COMPONENTS[component];
  const r0 = SUN.galactocentricRadiusKpc;
  const rMin = Math.max(0, r0 - dLim);
  for (let i = 0; i < MAX_TRIES; i++) {
    const z = laplace(rng, c.scaleHeightKpc) - SUN.heightKpc;
    if (Math.abs(z) > dLim) continue;
    const x = rng.between(-dLim, dLim);
    const y = rng.between(-dLim, dLim);
    const d2 = x * x + y * y + z * z;
    if (d2 > dLim * dLim || d2 < MIN_DISTANCE_KPC * MIN_DISTANCE_KPC) continue;
    const radius = Math.hypot(x - r0, y);
    if (radius > MAX_GALACTOCENTRIC_RADIUS_KPC) continue;
    if (rng.uniform() < Math.exp(-(radius - rMin) / c.scaleLengthKpc)) return toPosition(x, y, z);
  }
  return null;
}

function sampleGlobal(rng: Rng, component: ComponentName, dLim: number): Position | null {
  const c = COMPONENTS[component];
  const r0 = SUN.galactocentricRadiusKpc;
  for (let i = 0; i < MAX_TRIES; i++) {
    // Surface density ∝ exp(−R/h) in the plane: R ~ Gamma(2, h).
    const radius = rng.exponential(c.scaleLengthKpc) + rng.exponential(c.scaleLengthKpc);
    if (radius > MAX_GALACTOCENTRIC_RADIUS_KPC) continue;
    const phi = rng.between(0, 2 * Math.PI);
    const x = r0 + radius * Math.cos(phi);
    const y = radius * Math.sin(phi);
    const z = laplace(rng, c.scaleHeightKpc) - SUN.heightKpc;
    const d2 = x * x + y * y + z * z;
    if (d2 <= dLim * dLim && d2 >= MIN_DISTANCE_KPC * MIN_DISTANCE_KPC) return toPosition(x, y, z);
  }
  return null;
}

/** Galactocentric radius (kpc) at heliocentric (x, y). */
export function galactocentricRadius(x: number, y: number): number {
  return Math.hypot(x - SUN.galactocentricRadiusKpc, y);
}
