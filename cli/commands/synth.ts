/**
 * xpflow synth: writes a synthetic sky (the eight input tables of docs/method.md §1 plus
 * truth, manifest.json and extinction_law.json) with models/synth/generate.ts.
 */
import { parseArgs } from 'node:util';
import { generateSky } from '../../models/synth/generate.js';
import { DEFAULT_RATES, type DefectRates, type SkyOptionsInput } from '../../models/synth/options.js';
import { SKY_PRESETS } from '../../models/synth/presets.js';
import { UsageError } from '../usage-error.js';

export const usage = `xpflow synth --out DIR [--stars N] [--seed S] [--preset default|realistic] [options]

  Writes a synthetic sky: gaia_source, xp_continuous_mean_spectrum, gaiaedr3_spurious,
  lamost_dr8, hot_payne, tmass_psc, unwise, reddening_prior (archive names and types),
  plus truth (never read by the pipeline), extinction_law.json and manifest.json.
  Same options, same bytes.

  --out DIR                  output folder (created)
  --stars N                  XP stars, 1 … 10,000,000 (required unless --preset)
  --seed S                   non-negative integer (default 1, or the preset's)
  --preset NAME              default: ${SKY_PRESETS.default.stars} stars, LAMOST fraction ${SKY_PRESETS.default.lamostFraction} (what npm start uses);
                             realistic: ${SKY_PRESETS.realistic.stars} stars, LAMOST fraction ${SKY_PRESETS.realistic.lamostFraction}
  --format parquet|csv       default parquet; csv writes arrays as the Gaia archive does
  --lamost-fraction F        share of stars with LAMOST spectra (default 0.01)
  --zero-point lindegren2021|none   parallax zero point injected (default lindegren2021)
  --memory-limit SIZE        DuckDB memory while writing (default 512MB)
  Defect rates (fractions; defaults in parentheses):
  --binary-rate R            unresolved binaries (${DEFAULT_RATES.unresolvedBinary})
  --wrong-logg-rate R        LAMOST rows with wrong log g (${DEFAULT_RATES.wrongLamostLogg})
  --spurious-parallax-rate R (${DEFAULT_RATES.spuriousParallax})
  --contaminated-nir-rate R  blended 2MASS/unWISE with clean flags (${DEFAULT_RATES.contaminatedNir})
  --missing-bp-rate R        (${DEFAULT_RATES.missingBp})
  --missing-rp-rate R        (${DEFAULT_RATES.missingRp})
  --offset-rate R            catalogue positions offset by 1-3" (${DEFAULT_RATES.positionOffset})
  --unmatched-rate R         extra sources without XP counterpart (${DEFAULT_RATES.unmatched})`;

const RATE_FLAGS: Record<string, keyof DefectRates> = {
  'binary-rate': 'unresolvedBinary',
  'wrong-logg-rate': 'wrongLamostLogg',
  'spurious-parallax-rate': 'spuriousParallax',
  'contaminated-nir-rate': 'contaminatedNir',
  'missing-bp-rate': 'missingBp',
  'missing-rp-rate': 'missingRp',
  'offset-rate': 'positionOffset',
  'unmatched-rate': 'unmatched',
};

function number(flag: string, text: string | undefined, integer: boolean): number | undefined {
  if (text === undefined) return undefined;
  const v = Number(text.replaceAll('_', ''));
  if (text.trim() === '' || !Number.isFinite(v) || (integer && !Number.isInteger(v))) {
    throw new UsageError(`--${flag} expects ${integer ? 'an integer' : 'a number'}, got "${text}"`);
  }
  return v;
}

/** Parses argv into generateSky options (exported for tests). */
export function parseSynthArgs(argv: string[]): SkyOptionsInput {
  const stringOptions = [
    'out',
    'stars',
    'seed',
    'preset',
    'format',
    'lamost-fraction',
    'zero-point',
    'memory-limit',
    ...Object.keys(RATE_FLAGS),
  ];
  const { values, positionals } = parseArgs({
    args: argv,
    options: Object.fromEntries(stringOptions.map((o) => [o, { type: 'string' as const }])),
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"\n\n${usage}`);
  const v = values as Record<string, string | undefined>;
  if (!v.out) throw new UsageError(`--out is required\n\n${usage}`);
  const preset = v.preset === undefined ? {} : SKY_PRESETS[v.preset];
  if (!preset) throw new UsageError(`unknown preset "${v.preset}"; known: ${Object.keys(SKY_PRESETS).join(', ')}`);
  const stars = number('stars', v.stars, true) ?? preset.stars;
  if (stars === undefined) throw new UsageError(`--stars (or --preset) is required\n\n${usage}`);
  if (v.format !== undefined && v.format !== 'parquet' && v.format !== 'csv')
    throw new UsageError(`--format must be parquet or csv`);
  if (v['zero-point'] !== undefined && v['zero-point'] !== 'lindegren2021' && v['zero-point'] !== 'none') {
    throw new UsageError(`--zero-point must be lindegren2021 or none`);
  }
  const rates: Partial<DefectRates> = { ...preset.rates };
  for (const [flag, key] of Object.entries(RATE_FLAGS)) {
    const r = number(flag, v[flag], false);
    if (r !== undefined) rates[key] = r;
  }
  return {
    ...preset,
    out: v.out,
    stars,
    seed: number('seed', v.seed, true) ?? preset.seed,
    format: (v.format as 'parquet' | 'csv' | undefined) ?? preset.format,
    lamostFraction: number('lamost-fraction', v['lamost-fraction'], false) ?? preset.lamostFraction,
    parallaxZeroPoint: (v['zero-point'] as 'lindegren2021' | 'none' | undefined) ?? preset.parallaxZeroPoint,
    memoryLimit: v['memory-limit'] ?? preset.memoryLimit,
    rates,
  };
}

export async function synthCommand(argv: string[]): Promise<void> {
  const options = parseSynthArgs(argv);
  const t0 = performance.now();
  const manifest = await generateSky(options);
  const seconds = (performance.now() - t0) / 1000;
  const lines = Object.entries(manifest.tables).map(
    ([name, t]) => `  ${name.padEnd(28)} ${String(t.rows).padStart(9)} rows  ${t.file}`,
  );
  process.stderr.write(
    `synth: ${manifest.stars} stars, seed ${manifest.seed}, ${seconds.toFixed(1)} s → ${options.out}\n${lines.join('\n')}\n`,
  );
}
