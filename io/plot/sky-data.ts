/**
 * Reads what the synthetic-sky plots need from a sky folder: the truth (a
 * deterministic sample of at most maxStars rows, with observed G), a handful of
 * stars chosen across Teff at low E and across E at solar Teff, their XP spectra
 * sampled on the pipeline grid (through a small filtered copy read by the pipeline's
 * own reader), and the noiseless SED that generated each (for single stars).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { NO_XP_ERROR_TERMS } from '../../models/config/science.js';
import { PIPELINE_GRID } from '../../models/xp/grid.js';
import { XpFluxSampler } from '../../models/xp/sample-flux.js';
import { xpSampler } from '../../models/xp/sampler.js';
import { extinctionTable, redden } from '../../models/synth/extinction.js';
import { SedModel } from '../../models/synth/spectrum/sed.js';
import { readXpFile } from '../xp-table.js';

export interface TruthStar {
  sourceId: bigint;
  population: string;
  teff: number;
  logg: number;
  feh: number;
  E: number;
  parallax: number;
  rv: number;
  g: number;
  single: boolean;
}

export interface SampledSpectrum {
  star: TruthStar;
  wavelengths: Float64Array;
  flux: Float64Array;
  error: Float64Array;
}

export type SkyFormat = 'parquet' | 'csv';

function source(dir: string, table: string, format: SkyFormat): string {
  const path = join(dir, `${table}.${format}`).replaceAll("'", "''");
  return format === 'csv' ? `read_csv('${path}', header = true)` : `read_parquet('${path}')`;
}

export async function loadTruth(dir: string, format: SkyFormat, maxStars = 60_000): Promise<TruthStar[]> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const db = await instance.connect();
  try {
    const sql = `SELECT t.source_id, t.population, t.teff, t.logg, t.feh, t."E", t.parallax, t."R_V", g.phot_g_mean_mag,
        NOT (t.unresolved_binary OR t.missing_bp OR t.missing_rp) AS single
      FROM ${source(dir, 'truth', format)} t JOIN ${source(dir, 'gaia_source', format)} g USING (source_id)
      WHERE hash(t.source_id) % greatest(1, (SELECT count(*) FROM ${source(dir, 'truth', format)}) // ${maxStars}) = 0
      ORDER BY t.source_id`;
    const rows = (await db.runAndReadAll(sql)).getRows();
    return rows.map((r) => ({
      sourceId: BigInt(r[0] as bigint),
      population: String(r[1]),
      teff: Number(r[2]),
      logg: Number(r[3]),
      feh: Number(r[4]),
      E: Number(r[5]),
      parallax: Number(r[6]),
      rv: Number(r[7]),
      g: Number(r[8]),
      single: Boolean(r[9]),
    }));
  } finally {
    db.closeSync();
    instance.closeSync();
  }
}

/**
 * For each target, the brightest candidate within a window around it (distance(s, t)
 * below tolerance), without repeats; targets with no candidate are skipped.
 */
function pick(
  stars: TruthStar[],
  targets: number[],
  ok: (s: TruthStar) => boolean,
  distance: (s: TruthStar, t: number) => number,
  tolerance: number,
): TruthStar[] {
  const pool = stars.filter(ok);
  const out: TruthStar[] = [];
  for (const t of targets) {
    let best: TruthStar | undefined;
    for (const s of pool) {
      if (distance(s, t) < tolerance && !out.includes(s) && (!best || s.g < best.g)) best = s;
    }
    if (best) out.push(best);
  }
  return out;
}

export function pickAcrossTeff(stars: TruthStar[]): TruthStar[] {
  const targets = [3300, 4000, 4800, 5800, 7000, 9500, 15000];
  return pick(
    stars,
    targets,
    (s) => s.single && s.E < 0.08,
    (s, t) => Math.abs(Math.log(s.teff / t)),
    0.06,
  );
}

export function pickAcrossE(stars: TruthStar[]): TruthStar[] {
  const targets = [0.02, 0.3, 0.6, 1.0, 1.6];
  return pick(
    stars,
    targets,
    (s) => s.single && Math.abs(s.teff - 5800) < 400 && s.logg > 3.5,
    (s, t) => Math.abs(s.E - t) / (0.05 + 0.1 * t),
    1,
  );
}

/** XP spectra of the chosen stars on the pipeline grid (W m⁻² nm⁻¹), in the order given. */
export async function sampleSpectra(dir: string, format: SkyFormat, stars: TruthStar[]): Promise<SampledSpectrum[]> {
  if (stars.length === 0) return [];
  const scratch = mkdtempSync(join(tmpdir(), 'xpflow-plot-'));
  const subset = join(scratch, 'xp.parquet');
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const db = await instance.connect();
  try {
    const ids = stars.map((s) => s.sourceId.toString()).join(',');
    await db.run(
      `COPY (SELECT * FROM ${source(dir, 'xp_continuous_mean_spectrum', format)} WHERE source_id IN (${ids})) TO '${subset}' (FORMAT parquet)`,
    );
    const sampler = new XpFluxSampler(xpSampler(PIPELINE_GRID), { covariance: false, errorTerms: NO_XP_ERROR_TERMS });
    const byId = new Map<bigint, SampledSpectrum>();
    for await (const batch of readXpFile(subset, 55)) {
      for (const r of batch.records) {
        const o = sampler.sample(r);
        const star = stars.find((s) => s.sourceId === r.sourceId)!;
        byId.set(r.sourceId, {
          star,
          wavelengths: sampler.sampler.wavelengths,
          flux: Float64Array.from(o.flux),
          error: Float64Array.from(o.fluxError),
        });
      }
    }
    return stars.flatMap((s) => byId.get(s.sourceId) ?? []);
  } finally {
    db.closeSync();
    instance.closeSync();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The noiseless, reddened SED of a single star at the pipeline wavelengths, from its
 * truth. The truth holds no mass (it only scales the flux), so the curve is scaled to
 * the observed spectrum by least squares: only its shape is shown.
 */
export function modelSed(spectrum: SampledSpectrum): Float64Array {
  const sed = new SedModel();
  const s = spectrum.star;
  const f = sed.fluxAt1Mas({ teff: s.teff, logg: s.logg, feh: s.feh, mass: 1 }, new Float64Array(sed.length));
  redden(f, extinctionTable(sed.points.nm), s.E, s.rv);
  const model = Float64Array.from(spectrum.wavelengths, (l) => f[Math.round((l - 330) / 2)]);
  let num = 0;
  let den = 0;
  for (let i = 0; i < model.length; i++) {
    if (!Number.isFinite(spectrum.flux[i])) continue;
    num += model[i] * spectrum.flux[i];
    den += model[i] * model[i];
  }
  return model.map((m) => (m * num) / den);
}
