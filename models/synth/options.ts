/**
 * What a synthetic sky is made from: size, seed, output, LAMOST coverage and the
 * rates of the injected defects, with defaults and checks. A defect rate is the
 * fraction of stars it hits (wrong LAMOST log g: of the LAMOST rows; unmatched: extra
 * sources per star and catalogue; position offsets: per catalogue row).
 */
import { XpflowInputError } from '../../core/errors.js';
export type SkyFormat = 'parquet' | 'csv';
export type ParallaxZeroPoint = 'lindegren2021' | 'none';

export interface DefectRates {
  /** Unresolved binaries: a companion's light added (labels stay the primary's). */
  unresolvedBinary: number;
  /** LAMOST rows whose log g is wrong by 1–2 dex. */
  wrongLamostLogg: number;
  /** Parallaxes off by 5–25 σ. */
  spuriousParallax: number;
  /** 2MASS/unWISE brightened by a blended neighbour, with clean quality flags. */
  contaminatedNir: number;
  /** XP rows without BP (resp. RP) coefficients. */
  missingBp: number;
  missingRp: number;
  /** LAMOST/2MASS/unWISE positions offset by 1–3″. */
  positionOffset: number;
  /** Extra LAMOST/2MASS/unWISE sources with no XP counterpart, per star. */
  unmatched: number;
}

export interface SkyOptions {
  stars: number;
  seed: number;
  out: string;
  format: SkyFormat;
  /** Share of the XP stars with a LAMOST spectrum (real DR8: ~1 %). */
  lamostFraction: number;
  rates: DefectRates;
  /** Offset injected into observed parallaxes (the pipeline subtracts Lindegren et al. 2021). */
  parallaxZeroPoint: ParallaxZeroPoint;
  /** DuckDB memory limit while writing (bounded memory at any size). */
  memoryLimit: string;
  /** Rows buffered per table between DuckDB appends (≤ 2048; does not change the output). */
  chunkSize: number;
}

export const DEFAULT_RATES: DefectRates = {
  unresolvedBinary: 0.03,
  wrongLamostLogg: 0.02,
  spuriousParallax: 0.01,
  contaminatedNir: 0.02,
  missingBp: 0.003,
  missingRp: 0.003,
  positionOffset: 0.03,
  unmatched: 0.03,
};

export const DEFAULT_OPTIONS: Omit<SkyOptions, 'out' | 'stars' | 'seed'> = {
  format: 'parquet',
  lamostFraction: 0.01,
  rates: DEFAULT_RATES,
  parallaxZeroPoint: 'lindegren2021',
  memoryLimit: '512MB',
  chunkSize: 2048,
};

export const MAX_STARS = 10_000_000;

export class SkyOptionsError extends XpflowInputError {}

export type SkyOptionsInput = Partial<Omit<SkyOptions, 'rates'>> &
  Pick<SkyOptions, 'out'> & { rates?: Partial<DefectRates> };

const defined = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/** Fills defaults (undefined counts as absent) and checks every value; throws SkyOptionsError naming the bad one. */
export function resolveSkyOptions(input: SkyOptionsInput): SkyOptions {
  const o: SkyOptions = {
    ...DEFAULT_OPTIONS,
    stars: 1000,
    seed: 1,
    ...defined(input),
    out: input.out,
    rates: { ...DEFAULT_RATES, ...defined(input.rates ?? {}) },
  };
  const fail = (what: string): never => {
    throw new SkyOptionsError(what);
  };
  if (!Number.isInteger(o.stars) || o.stars < 1 || o.stars > MAX_STARS)
    fail(`stars must be an integer in 1…${MAX_STARS}, got ${o.stars}`);
  if (!Number.isSafeInteger(o.seed) || o.seed < 0)
    fail(`seed must be a non-negative integer below 2^53, got ${o.seed}`);
  if (!o.out) fail('out (the output folder) is required');
  if (o.format !== 'parquet' && o.format !== 'csv') fail(`format must be parquet or csv, got ${String(o.format)}`);
  if (o.parallaxZeroPoint !== 'lindegren2021' && o.parallaxZeroPoint !== 'none')
    fail(`parallaxZeroPoint must be lindegren2021 or none`);
  if (!(o.lamostFraction >= 0 && o.lamostFraction <= 1))
    fail(`lamostFraction must be in [0, 1], got ${o.lamostFraction}`);
  for (const [name, rate] of Object.entries(o.rates)) {
    if (!(typeof rate === 'number' && rate >= 0 && rate <= 1))
      fail(`rate ${name} must be in [0, 1], got ${String(rate)}`);
  }
  if (o.rates.missingBp + o.rates.missingRp > 1) fail('missingBp + missingRp must not exceed 1');
  if (!Number.isInteger(o.chunkSize) || o.chunkSize < 1 || o.chunkSize > 2048)
    fail(`chunkSize must be in 1…2048, got ${o.chunkSize}`);
  if (!/^\d+(\.\d+)?\s*[KMGT]i?B$/i.test(o.memoryLimit))
    fail(`memoryLimit must look like 1GB or 512MiB, got ${o.memoryLimit}`);
  return o;
}
