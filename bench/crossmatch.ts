/**
 * Benchmark: cross-match of N × N sources at 1 arcsec (N = 1 million by default).
 * Measures, in one run and one DuckDB instance, (a) the bare declination-zone join
 * (sql/positional_candidates.sql, pairs counted) and (b) the stage's 2MASS model
 * (nearest neighbour per Gaia source with candidate counts, written to Parquet), and
 * reports (b)/(a).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { queryValue } from '../io/duckdb-query.js';
import { withMemoryDuckDB } from '../io/duckdb.js';
import { quoteLiteral } from '../io/sql-quote.js';
import { sqlModel } from '../io/sql-files.js';
import type { BenchResult } from './bench-util.js';

export async function benchCrossmatch(n = 1_000_000): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'xpflow-bench-xm-'));
  try {
    return await withMemoryDuckDB(async (c) => {
      // Gaia-like sources over a 30°×30° field (~1 per 3 arcmin²); the catalogue holds
      // 90 % of them moved by up to 0.5″ and 10 % unrelated sources.
      await c.run(
        `CREATE TABLE xm_gaia AS SELECT range AS source_id, 100 + 30 * random() AS ra, -15 + 30 * random() AS dec FROM range(${n})`,
      );
      await c.run(
        `CREATE TABLE xm_cat AS
         SELECT source_id AS cat_id, ra + (random() - 0.5) * 0.5 / 3600 / cos(radians(dec)) AS ra, dec + (random() - 0.5) * 0.5 / 3600 AS dec FROM xm_gaia WHERE source_id % 10 <> 0
         UNION ALL SELECT ${n} + range, 100 + 30 * random(), -15 + 30 * random() FROM range(${Math.floor(n / 10)})`,
      );
      await c.run(sqlModel('positional_candidates'));
      const time = async (f: () => Promise<unknown>) => {
        const t0 = performance.now();
        const v = await f();
        return { seconds: (performance.now() - t0) / 1000, value: v };
      };
      const bare = await time(() => queryValue<bigint>(c, 'SELECT count(*) FROM positional_candidates(1.0)'));
      const out = join(dir, 'tmass_match.parquet');
      const stage = await time(async () => {
        await c.run(`CREATE OR REPLACE TEMP TABLE xm_result AS ${sqlModel('crossmatch_tmass')}`, {
          radius_arcsec: 1.0,
        });
        await c.run(
          `COPY (SELECT * FROM xm_result ORDER BY source_id) TO ${quoteLiteral(out)} (FORMAT parquet, COMPRESSION zstd)`,
        );
        return queryValue<bigint>(c, 'SELECT count(*) FROM xm_result');
      });
      return [
        {
          name: `bare zone join, ${n} × ${n} at 1″`,
          value: bare.seconds,
          unit: 's',
          detail: { pairs: Number(bare.value) },
        },
        {
          name: 'cross-match stage model (nearest + counts + Parquet)',
          value: stage.seconds,
          unit: 's',
          detail: { matched: Number(stage.value) },
        },
        { name: 'stage / bare join (same run; goal ≤ 1.5)', value: stage.seconds / bare.seconds, unit: '×' },
      ];
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
