/**
 * The stellar populations of the synthetic sky and how their labels are drawn.
 * Fractions are those of a G < 17.65 magnitude-limited sample, read roughly off the
 * Gaia DR3 HR diagram (Gaia Collaboration, Babusiaux et al. 2018, 2023): a
 * hand-set mixture, not a derived luminosity function; the pipeline only needs a
 * realistic spread of types, not exact star counts.
 */
import type { ComponentName } from './galaxy.js';

export type PopulationName = 'main_sequence' | 'subgiant' | 'giant' | 'red_clump' | 'hot' | 'm_dwarf';

export const POPULATION_NAMES: readonly PopulationName[] = [
  'main_sequence',
  'subgiant',
  'giant',
  'red_clump',
  'hot',
  'm_dwarf',
];

/** Share of each population among the selected stars. */
export const POPULATION_FRACTIONS: Record<PopulationName, number> = {
  main_sequence: 0.5,
  subgiant: 0.12,
  giant: 0.16,
  red_clump: 0.1,
  hot: 0.06,
  m_dwarf: 0.06,
};

/** Share of each Galactic component within a population (thin, thick, halo). Giants reach farther, so more of them are thick disk/halo. */
export const COMPONENT_MIX: Record<PopulationName, Record<ComponentName, number>> = {
  main_sequence: { thin: 0.82, thick: 0.16, halo: 0.02 },
  subgiant: { thin: 0.75, thick: 0.22, halo: 0.03 },
  giant: { thin: 0.65, thick: 0.28, halo: 0.07 },
  red_clump: { thin: 0.8, thick: 0.18, halo: 0.02 },
  hot: { thin: 1, thick: 0, halo: 0 },
  m_dwarf: { thin: 0.85, thick: 0.14, halo: 0.01 },
};

/** Solar reference values: Teff⊙ (IAU 2015 B3), log g⊙ in cgs, GM⊙ (IAU 2015 B3), R⊙. */
export const SOLAR = { teffK: 5772, logg: 4.438, gmM3S2: 1.3271244e20, radiusM: 6.957e8 } as const;

/**
 * Label recipes. Main sequence log g follows docs/method.md §8 (4.6 below 5000 K, linear
 * to 3.95 at 6300 K) with a scatter for age; subgiants run from a turnoff (~6050 K,
 * log g 3.95) to the base of the giant branch (~5050 K, log g 3.55), as in
 * solar-age isochrones; giants follow docs/method.md §8's giant branch
 * Teff(log g), shifted hotter by 200 K per dex of lower [Fe/H] (metal-poor giant
 * branches are bluer, e.g. the PARSEC isochrones); the red clump sits at log g 2.45,
 * Teff ≈ 4700 K (Bovy et al. 2014). Hot stars (A/B) follow p(Teff) ∝ Teff⁻³
 * (IMF × lifetime, steep); M dwarfs favour the warmer (brighter, more distant) ones.
 */
export const LABELS = {
  mainSequence: { teffMean: 5900, teffSd: 750, teffMin: 4000, teffMax: 7400, loggScatter: 0.1 },
  subgiant: {
    turnoffTeff: 6050,
    turnoffSd: 250,
    baseTeff: 5050,
    teffPerFeh: -200,
    loggTurnoff: 3.95,
    loggBase: 3.55,
    loggScatter: 0.08,
    massMean: 1.15,
    massSd: 0.15,
  },
  giant: { loggMean: 2.5, loggSd: 0.7, loggMin: 0.6, loggMax: 3.6, teffPerFeh: -200, teffScatter: 80 },
  redClump: { teffBase: 4700, teffPerFeh: -250, teffScatter: 60, loggMean: 2.45, loggSd: 0.08 },
  hot: { teffMin: 7500, teffMax: 20000, teffPowerLaw: -3, loggMean: 4.05, loggSd: 0.15, loggMin: 3.5, loggMax: 4.4 },
  mDwarf: { teffMin: 3000, teffMax: 4000, teffScaleK: 350, loggAt4000: 4.65, loggPerKK: 0.45, loggScatter: 0.05 },
} as const;

/**
 * Masses (M⊙). Main sequence: M = (Teff/Teff⊙)^1.7, from L ∝ M⁴ and R ∝ M^0.8 (good
 * to ~15 % for 0.7–10 M⊙); M dwarfs: linear from 0.15 M⊙ at 3000 K to 0.6 M⊙ at
 * 4000 K (Mann et al. 2015/2019 trend); giants and clump: log-normal around 1.1 M⊙
 * (thin disk) and 0.9 M⊙ (older thick disk/halo), σ_ln 0.2.
 */
export const MASSES = {
  mainSequenceExponent: 1.7,
  mDwarf: { atTeffMin: 0.15, perKK: 0.45 },
  giantMedian: { thin: 1.1, thick: 0.9, halo: 0.85 },
  giantLnSd: 0.2,
  clumpMedian: 1.2,
} as const;

/** Unresolved binaries: companion mass = q · M1 with q ~ U(0.3, 1) (Raghavan et al. 2010: flat q distribution). */
export const BINARY = { qMin: 0.3, qMax: 1 } as const;
