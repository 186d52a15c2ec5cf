import { describe, expect, it } from 'vitest';
import { withMemoryDuckDB } from '../io/duckdb.js';
import { queryRows } from '../io/duckdb-query.js';
import { sqlModel } from '../io/sql-files.js';

/** Deterministic points: some in ordinary sky, some across RA = 0/360, some near the pole. */
function points(seed: number, n: number): { id: number; ra: number; dec: number }[] {
  let s = seed;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Array.from({ length: n }, (_, id) => {
    const region = id % 3;
    const ra = region === 0 ? 120 + rnd() * 0.05 : region === 1 ? (360 + (rnd() - 0.5) * 0.05) % 360 : rnd() * 360;
    const dec = region === 2 ? 89.99 + rnd() * 0.009 : (rnd() - 0.5) * 0.05 + (region === 0 ? 30 : -10);
    return { id, ra, dec };
  });
}

function sepArcsec(a: { ra: number; dec: number }, b: { ra: number; dec: number }): number {
  const r = Math.PI / 180;
  const h =
    Math.sin(((b.dec - a.dec) * r) / 2) ** 2 +
    Math.cos(a.dec * r) * Math.cos(b.dec * r) * Math.sin(((b.ra - a.ra) * r) / 2) ** 2;
  return ((2 * Math.asin(Math.sqrt(h))) / r) * 3600;
}

describe('positional cross-match (declination zones)', () => {
  it('finds exactly the brute-force pairs within the radius, across RA = 0 and near the pole', async () => {
    const gaia = points(1, 600);
    const cat = points(2, 600);
    const radius = 20;
    const pairs = await withMemoryDuckDB(async (c) => {
      await c.run('CREATE TEMP TABLE xm_gaia (source_id BIGINT, ra DOUBLE, dec DOUBLE)');
      await c.run('CREATE TEMP TABLE xm_cat (cat_id BIGINT, ra DOUBLE, dec DOUBLE)');
      await c.run(sqlModel('positional_candidates'));
      for (const [t, pts] of [
        ['xm_gaia', gaia],
        ['xm_cat', cat],
      ] as const) {
        await c.run(`INSERT INTO ${t} VALUES ${pts.map((p) => `(${p.id}, ${p.ra}, ${p.dec})`).join(',')}`);
      }
      return queryRows<{ source_id: bigint; cat_id: bigint; sep_arcsec: number }>(
        c,
        'SELECT * FROM positional_candidates($r) ORDER BY 1, 2',
        { r: radius },
      );
    });
    const expected: string[] = [];
    for (const g of gaia) for (const k of cat) if (sepArcsec(g, k) <= radius) expected.push(`${g.id}:${k.id}`);
    expect(pairs.map((p) => `${p.source_id}:${p.cat_id}`).sort()).toEqual(expected.sort());
    expect(expected.length).toBeGreaterThan(50);
    for (const p of pairs)
      expect(Math.abs(p.sep_arcsec - sepArcsec(gaia[Number(p.source_id)], cat[Number(p.cat_id)]))).toBeLessThan(1e-6);
  });
});
