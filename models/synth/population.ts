/**
 * Draws a star's type and labels: population (main sequence, subgiant, giant, red
 * clump, hot, M dwarf), Galactic component (thin/thick disk, halo-like), [Fe/H] from
 * the component, Teff and log g from the population's recipe, and a mass, all from
 * config/population.ts. Companions of unresolved binaries are main-sequence stars
 * of a fraction of the primary's mass.
 */
import { COMPONENTS, FEH_RANGE, type ComponentName } from './config/galaxy.js';
import {
  BINARY,
  COMPONENT_MIX,
  LABELS,
  MASSES,
  POPULATION_FRACTIONS,
  POPULATION_NAMES,
  SOLAR,
  type PopulationName,
} from './config/population.js';
import type { Rng } from './random.js';
import type { StellarLabels } from './spectrum/sed.js';

export interface StarType extends StellarLabels {
  population: PopulationName;
  component: ComponentName;
}

const COMPONENT_NAMES: readonly ComponentName[] = ['thin', 'thick', 'halo'];
const POPULATION_WEIGHTS = POPULATION_NAMES.map((p) => POPULATION_FRACTIONS[p]);
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** docs/method.md §8: main-sequence log g as a function of Teff. */
export function mainSequenceLogg(teff: number): number {
  if (teff < 5000) return 4.6;
  if (teff < 6300) return 4.6 - 5e-4 * (teff - 5000);
  return 3.95;
}

/** docs/method.md §8: giant-branch Teff as a function of log g. */
export function giantBranchTeff(logg: number): number {
  return logg < 3.65 ? 5200 - 441.86 * (3.65 - logg) : 5900 - 1400 * (4.15 - logg);
}

export function mainSequenceMass(teff: number): number {
  return (teff / SOLAR.teffK) ** MASSES.mainSequenceExponent;
}

export function mDwarfMass(teff: number): number {
  return MASSES.mDwarf.atTeffMin + (MASSES.mDwarf.perKK * (teff - LABELS.mDwarf.teffMin)) / 1000;
}

/** [Fe/H] of a component. */
export function drawFeh(rng: Rng, component: ComponentName): number {
  const c = COMPONENTS[component];
  return clamp(rng.gauss(c.fehMean, c.fehSd), FEH_RANGE.min, FEH_RANGE.max);
}

export function drawPopulation(rng: Rng): { population: PopulationName; component: ComponentName } {
  const population = POPULATION_NAMES[rng.pick(POPULATION_WEIGHTS)];
  const mix = COMPONENT_MIX[population];
  const component = COMPONENT_NAMES[rng.pick(COMPONENT_NAMES.map((c) => mix[c]))];
  return { population, component };
}

/** Teff, log g and mass of a population given its [Fe/H]. */
export function drawLabels(rng: Rng, population: PopulationName, component: ComponentName, feh: number): StellarLabels {
  switch (population) {
    case 'main_sequence': {
      const l = LABELS.mainSequence;
      const teff = rng.truncatedGauss(l.teffMean, l.teffSd, l.teffMin, l.teffMax);
      return { teff, logg: mainSequenceLogg(teff) + rng.gauss(0, l.loggScatter), feh, mass: mainSequenceMass(teff) };
    }
    case 'subgiant': {
      const l = LABELS.subgiant;
      const u = rng.uniform();
      const turnoff = rng.gauss(l.turnoffTeff, l.turnoffSd) + l.teffPerFeh * feh;
      const teff = turnoff - u * (turnoff - (l.baseTeff + l.teffPerFeh * feh));
      const logg = l.loggTurnoff - u * (l.loggTurnoff - l.loggBase) + rng.gauss(0, l.loggScatter);
      return { teff, logg, feh, mass: Math.max(0.8, rng.gauss(l.massMean, l.massSd)) };
    }
    case 'giant': {
      const l = LABELS.giant;
      const logg = rng.truncatedGauss(l.loggMean, l.loggSd, l.loggMin, l.loggMax);
      const teff = giantBranchTeff(logg) + l.teffPerFeh * feh + rng.gauss(0, l.teffScatter);
      return { teff, logg, feh, mass: giantMass(rng, MASSES.giantMedian[component]) };
    }
    case 'red_clump': {
      const l = LABELS.redClump;
      const teff = l.teffBase + l.teffPerFeh * feh + rng.gauss(0, l.teffScatter);
      return { teff, logg: rng.gauss(l.loggMean, l.loggSd), feh, mass: giantMass(rng, MASSES.clumpMedian) };
    }
    case 'hot': {
      const l = LABELS.hot;
      const teff = powerLaw(rng, l.teffMin, l.teffMax, l.teffPowerLaw);
      const logg = rng.truncatedGauss(l.loggMean, l.loggSd, l.loggMin, l.loggMax);
      return { teff, logg, feh, mass: mainSequenceMass(teff) };
    }
    case 'm_dwarf': {
      const l = LABELS.mDwarf;
      // p(Teff) ∝ exp((Teff − Tmax)/s) on [Tmin, Tmax], by inversion.
      const span = 1 - Math.exp((l.teffMin - l.teffMax) / l.teffScaleK);
      const teff = l.teffMax + l.teffScaleK * Math.log(1 - rng.uniform() * span);
      const logg = l.loggAt4000 + (l.loggPerKK * (l.teffMax - teff)) / 1000 + rng.gauss(0, l.loggScatter);
      return { teff, logg, feh, mass: mDwarfMass(teff) };
    }
  }
}

function giantMass(rng: Rng, median: number): number {
  return median * Math.exp(rng.gauss(0, MASSES.giantLnSd));
}

/** p(x) ∝ x^k on [lo, hi] (k ≠ −1), by inversion. */
function powerLaw(rng: Rng, lo: number, hi: number, k: number): number {
  const a = lo ** (k + 1);
  const b = hi ** (k + 1);
  return (a + rng.uniform() * (b - a)) ** (1 / (k + 1));
}

/** A main-sequence companion of mass q·M1: its labels follow the dwarf relations. */
export function drawCompanion(rng: Rng, primary: StellarLabels): StellarLabels {
  const mass = Math.max(0.12, rng.between(BINARY.qMin, BINARY.qMax) * primary.mass);
  const mDwarfTop = mDwarfMass(LABELS.mDwarf.teffMax);
  let teff: number;
  let logg: number;
  if (mass < mDwarfTop) {
    const l = LABELS.mDwarf;
    teff = l.teffMin + ((mass - MASSES.mDwarf.atTeffMin) / MASSES.mDwarf.perKK) * 1000;
    teff = Math.max(2900, teff);
    logg = l.loggAt4000 + (l.loggPerKK * (l.teffMax - teff)) / 1000;
  } else {
    teff = Math.max(LABELS.mDwarf.teffMax, SOLAR.teffK * mass ** (1 / MASSES.mainSequenceExponent));
    logg = mainSequenceLogg(teff);
  }
  return { teff, logg, feh: primary.feh, mass };
}
