/**
 * The synthetic sky's files: every archive column with its exact type, keys unique,
 * required columns filled, the XP table readable by the pipeline's own reader, the
 * LAMOST share and the injected defects at about the requested rates.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INPUT_TABLES, INPUT_TABLE_NAMES, TRUTH_TABLE, type TableSpec } from '../models/catalogue/input-tables.js';
import { generateSky, type SkyManifest } from '../models/synth/generate.js';
import { readXpFile } from '../io/xp-table.js';

const STARS = 2000;
const RATES = {
  unresolvedBinary: 0.05,
  wrongLamostLogg: 0.05,
  spuriousParallax: 0.03,
  contaminatedNir: 0.05,
  missingBp: 0.01,
  missingRp: 0.01,
  positionOffset: 0.03,
  unmatched: 0.03,
};
const LAMOST_FRACTION = 0.3;

let dir: string;
let manifest: SkyManifest;
let instance: DuckDBInstance;
let db: DuckDBConnection;

const file = (t: string) => `'${join(dir, `${t}.parquet`)}'`;
async function one(sql: string): Promise<Record<string, unknown>> {
  return (await db.runAndReadAll(sql)).getRowObjectsJS()[0];
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xpflow-synth-schema-'));
  manifest = await generateSky({ out: dir, stars: STARS, seed: 5, lamostFraction: LAMOST_FRACTION, rates: RATES });
  instance = await DuckDBInstance.create(':memory:');
  db = await instance.connect();
});

afterAll(() => {
  db?.closeSync();
  instance?.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

describe('synthetic sky schema', () => {
  const specs: TableSpec[] = [...INPUT_TABLE_NAMES.map((n) => INPUT_TABLES[n]), TRUTH_TABLE];

  it.each(specs.map((s) => [s.name, s] as const))('%s has exactly the archive columns and types', async (_, spec) => {
    const described = (await db.runAndReadAll(`DESCRIBE SELECT * FROM ${file(spec.name)}`)).getRowObjectsJS();
    expect(described.map((r) => [r.column_name, r.column_type])).toEqual(spec.columns.map((c) => [c.name, c.type]));
  });

  it.each(specs.map((s) => [s.name, s] as const))(
    '%s: key unique and sorted, required columns filled',
    async (_, spec) => {
      const key = `"${spec.key}"`;
      const r = await one(`SELECT count(*) AS n, count(DISTINCT ${key}) AS k FROM ${file(spec.name)}`);
      expect(r.n).toBe(r.k);
      expect(Number(r.n)).toBe(manifest.tables[spec.name].rows);
      const sorted = await one(
        `SELECT count(*) AS bad FROM (SELECT ${key} < lag(${key}) OVER () AS down FROM ${file(spec.name)}) WHERE down`,
      );
      expect(Number(sorted.bad)).toBe(0);
      for (const c of spec.columns.filter((c) => !c.nullable)) {
        const nulls = await one(`SELECT count(*) AS n FROM ${file(spec.name)} WHERE "${c.name}" IS NULL`);
        expect(Number(nulls.n), c.name).toBe(0);
      }
    },
  );

  it('one row per star in the per-source tables', () => {
    for (const t of ['gaia_source', 'xp_continuous_mean_spectrum', 'gaiaedr3_spurious', 'reddening_prior', 'truth']) {
      expect(manifest.tables[t].rows, t).toBe(STARS);
    }
  });

  it('the XP table is readable by the pipeline reader, 55 coefficients, missing bands null', async () => {
    let records = 0;
    let missingBp = 0;
    let missingRp = 0;
    for await (const batch of readXpFile(join(dir, 'xp_continuous_mean_spectrum.parquet'), 55)) {
      for (const r of batch.records) {
        records++;
        if (!r.bp) missingBp++;
        if (!r.rp) missingRp++;
        if (r.bp) expect(r.bp.correlations.length).toBe(1485);
      }
    }
    expect(records).toBe(STARS);
    const truth = await one(`SELECT sum(missing_bp::INT) AS bp, sum(missing_rp::INT) AS rp FROM ${file('truth')}`);
    expect(missingBp).toBe(Number(truth.bp));
    expect(missingRp).toBe(Number(truth.rp));
  });

  it('LAMOST covers the requested share; hot stars go to the Hot Payne', async () => {
    const r = await one(`SELECT avg(in_lamost::INT) AS f FROM ${file('truth')}`);
    expect(Number(r.f)).toBeGreaterThan(LAMOST_FRACTION - 0.04);
    expect(Number(r.f)).toBeLessThan(LAMOST_FRACTION + 0.04);
    const hot = await one(`SELECT min(teff) AS t FROM ${file('hot_payne')} WHERE gaia_source_id IS NOT NULL`);
    expect(Number(hot.t)).toBeGreaterThan(6000);
    const cool = await one(
      `SELECT count(*) AS n FROM ${file('lamost_dr8')} l JOIN ${file('truth')} t ON l.gaia_source_id = t.source_id WHERE t.teff > 8000`,
    );
    expect(Number(cool.n)).toBe(0);
    const noId = await one(`SELECT avg((gaia_source_id IS NULL)::INT) AS f FROM ${file('lamost_dr8')}`);
    expect(Number(noId.f)).toBeGreaterThan(0.03);
  });

  it('injects every defect at about its rate', async () => {
    const r = await one(`SELECT avg(unresolved_binary::INT) AS binary, avg(spurious_parallax::INT) AS spurious,
      avg(contaminated_nir::INT) AS nir, avg(missing_bp::INT) AS bp, avg(missing_rp::INT) AS rp,
      sum(wrong_lamost_logg::INT) / sum((in_lamost AND teff < 8000)::INT) AS logg FROM ${file('truth')}`);
    const near = (got: unknown, want: number) => {
      const sd = Math.sqrt((want * (1 - want)) / 600);
      expect(Math.abs(Number(got) - want)).toBeLessThan(4 * sd + 0.002);
    };
    near(r.binary, RATES.unresolvedBinary);
    near(r.spurious, RATES.spuriousParallax);
    near(r.nir, RATES.contaminatedNir);
    near(r.bp, RATES.missingBp);
    near(r.rp, RATES.missingRp);
    near(r.logg, RATES.wrongLamostLogg);
  });

  it('spurious parallaxes and wrong log g are visible as outliers against the truth', async () => {
    const plx =
      await one(`SELECT median(abs(g.parallax - t.parallax) / g.parallax_error) FILTER (WHERE t.spurious_parallax) AS bad,
      median(abs(g.parallax - t.parallax) / g.parallax_error) FILTER (WHERE NOT t.spurious_parallax) AS good
      FROM ${file('gaia_source')} g JOIN ${file('truth')} t USING (source_id) WHERE g.parallax IS NOT NULL`);
    expect(Number(plx.bad)).toBeGreaterThan(4);
    expect(Number(plx.good)).toBeLessThan(1.5);
    const logg = await one(`SELECT median(abs(l.logg - t.logg)) FILTER (WHERE t.wrong_lamost_logg) AS bad,
      median(abs(l.logg - t.logg)) FILTER (WHERE NOT t.wrong_lamost_logg) AS good
      FROM ${file('lamost_dr8')} l JOIN ${file('truth')} t ON l.gaia_source_id = t.source_id`);
    expect(Number(logg.bad)).toBeGreaterThan(0.9);
    expect(Number(logg.good)).toBeLessThan(0.15);
  });

  it('catalogues hold unmatched sources and offset positions', async () => {
    const extra = await one(`SELECT count(*) AS n FROM ${file('tmass_psc')} WHERE pts_key % 2 = 1`);
    expect(Number(extra.n)).toBeGreaterThan(0);
    const far =
      await one(`SELECT avg((3600 * sqrt(((u.ra - g.ra) * cos(radians(g.dec))) ^ 2 + (u.dec - g.dec) ^ 2) > 1)::INT) AS f
      FROM ${file('tmass_psc')} u JOIN ${file('gaia_source')} g
      ON u.pts_key = 200000000 + 2 * (g.source_id & 34359738367) - 2`);
    expect(Number(far.f)).toBeGreaterThan(0.01);
    expect(Number(far.f)).toBeLessThan(0.2);
  });

  it('writes the manifest and the extinction law', () => {
    expect(manifest.seed).toBe(5);
    expect(manifest.tables.truth.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.extinctionLaw.file).toBe('extinction_law.json');
  });
});
