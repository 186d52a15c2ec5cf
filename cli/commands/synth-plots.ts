/**
 * xpflow synth-plots: pictures of a synthetic sky, for a person to look at:
 * spectra.png (XP spectra across Teff and across E, with the generating SEDs) and
 * kiel.png (Teff against log g coloured by [Fe/H]).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writePng } from '../../io/png.js';
import {
  loadTruth,
  modelSed,
  pickAcrossE,
  pickAcrossTeff,
  sampleSpectra,
  type SkyFormat,
} from '../../io/plot/sky-data.js';
import { kielFigure, spectraFigure, type SpectrumCurve } from '../../io/plot/sky-figures.js';
import { UsageError } from '../usage-error.js';

export const usage = `xpflow synth-plots --sky DIR --out DIR [--max-stars N]

  --sky DIR        a folder written by xpflow synth (its manifest.json says the format)
  --out DIR        where spectra.png and kiel.png go (created)
  --max-stars N    at most this many stars in the Kiel diagram (default 60000)`;

function skyFormat(dir: string): SkyFormat {
  const manifest = join(dir, 'manifest.json');
  if (!existsSync(manifest)) throw new UsageError(`${dir}: no manifest.json (not a synthetic sky?)`);
  const format = (JSON.parse(readFileSync(manifest, 'utf8')) as { format?: string }).format;
  if (format !== 'parquet' && format !== 'csv') throw new UsageError(`${manifest}: unknown format ${String(format)}`);
  return format;
}

export async function synthPlotsCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { sky: { type: 'string' }, out: { type: 'string' }, 'max-stars': { type: 'string', default: '60000' } },
    strict: true,
  });
  if (!values.sky || !values.out) throw new UsageError(usage);
  const maxStars = Number(values['max-stars']);
  if (!Number.isInteger(maxStars) || maxStars < 1) throw new UsageError('--max-stars expects a positive integer');
  const files = await writeSkyPlots(values.sky, values.out, maxStars);
  process.stderr.write(`synth-plots: ${files.join(', ')}\n`);
}

/** Writes the plots; returns the paths written. */
export async function writeSkyPlots(sky: string, out: string, maxStars = 60_000): Promise<string[]> {
  const format = skyFormat(sky);
  mkdirSync(out, { recursive: true });
  const truth = await loadTruth(sky, format, maxStars);
  const curves = async (stars: typeof truth): Promise<SpectrumCurve[]> =>
    (await sampleSpectra(sky, format, stars)).map((spectrum) => ({ spectrum, model: modelSed(spectrum) }));
  const spectra = spectraFigure(await curves(pickAcrossTeff(truth)), await curves(pickAcrossE(truth)));
  const kiel = kielFigure(truth);
  const paths = [join(out, 'spectra.png'), join(out, 'kiel.png')];
  writePng(paths[0], spectra.width, spectra.height, spectra.data);
  writePng(paths[1], kiel.width, kiel.height, kiel.data);
  return paths;
}
