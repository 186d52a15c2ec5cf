/**
 * The inference's shard plan (pipeline/infer-shards.ts) on hand-made gaia and xp tables:
 * whole HEALPix-8 pixels grouped up to the shard size, a larger pixel split at level 12,
 * and a level-12 pixel larger still split into runs of source ids; stars without BP and
 * RP, and XP rows without a Gaia source, not counted.
 */
import { describe, expect, it } from 'vitest';
import { withMemoryDuckDB } from '../io/duckdb.js';
import { groupCells, planShards } from '../pipeline/infer-shards.js';

const p8 = (pixel: number, k: number) => (BigInt(pixel) << 43n) + BigInt(k) * 1000n;
const p12 = (pixel: number, k: number) => (BigInt(pixel) << 35n) + BigInt(k) * 1000n;

describe('the shard plan', () => {
  it('groups consecutive cells up to the limit and leaves an oversize cell alone', () => {
    const cells = [3, 2, 6, 12, 1, 9].map((stars, i) => ({ lo: BigInt(i * 10), hi: BigInt(i * 10 + 9), stars }));
    expect(groupCells(cells, 10).map((g) => [g.lo, g.hi, g.stars, g.oversize])).toEqual([
      [0n, 19n, 5, false],
      [20n, 29n, 6, false],
      [30n, 39n, 12, true],
      [40n, 59n, 10, false],
    ]);
  });

  it('splits a level-8 pixel at level 12, then by source_id, and counts only XP stars with BP or RP', async () => {
    const shards = await withMemoryDuckDB(async (c) => {
      const ids = [
        ...[0, 1, 2].map((k) => p8(1, k)),
        ...[0, 1].map((k) => p8(2, k)),
        ...[0, 1, 2, 3].map((k) => p12(5 * 256, k)),
        ...[0, 1, 2, 3].map((k) => p12(5 * 256 + 1, k)),
        ...Array.from({ length: 18 }, (_, k) => p12(5 * 256 + 7, k)),
      ];
      const noSpectrum = p8(9, 0);
      const noGaia = p8(11, 0);
      await c.run('CREATE TABLE gaia (source_id BIGINT)');
      await c.run(
        `CREATE TABLE xp (source_id BIGINT, bp_coefficients DOUBLE[], bp_coefficient_errors DOUBLE[], bp_coefficient_correlations DOUBLE[],
          rp_coefficients DOUBLE[], rp_coefficient_errors DOUBLE[], rp_coefficient_correlations DOUBLE[])`,
      );
      for (const id of [...ids, noSpectrum]) await c.run(`INSERT INTO gaia VALUES (${id})`);
      for (const [k, id] of [...ids, noGaia].entries())
        await c.run(
          k % 2
            ? `INSERT INTO xp VALUES (${id}, [1.0], [1.0], [], NULL, NULL, NULL)`
            : `INSERT INTO xp VALUES (${id}, NULL, NULL, NULL, [1.0], [1.0], [])`,
        );
      await c.run(`INSERT INTO xp VALUES (${noSpectrum}, [], [], [], NULL, NULL, NULL)`);
      return planShards(c, 10);
    });
    expect(shards.map((s) => [s.stage, s.stars, s.splitLevel, s.healpix8First, s.healpix8Last])).toEqual([
      ['infer_00000', 5, 'healpix8', '1', '2'],
      ['infer_00001', 8, 'healpix12', '5', '5'],
      ['infer_00002', 10, 'source_id', '5', '5'],
      ['infer_00003', 8, 'source_id', '5', '5'],
    ]);
    expect([shards[0].lo, shards[0].hi]).toEqual([String(1n << 43n), String((3n << 43n) - 1n)]);
    expect([shards[1].lo, shards[1].hi]).toEqual([
      String(BigInt(5 * 256) << 35n),
      String((BigInt(5 * 256 + 2) << 35n) - 1n),
    ]);
    expect([shards[2].lo, shards[2].hi]).toEqual([String(p12(5 * 256 + 7, 0)), String(p12(5 * 256 + 7, 9))]);
    expect([shards[3].lo, shards[3].hi]).toEqual([String(p12(5 * 256 + 7, 10)), String(p12(5 * 256 + 7, 17))]);
  });
});
