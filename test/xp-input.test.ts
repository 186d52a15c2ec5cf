import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { NO_XP_ERROR_TERMS } from '../models/config/science.js';
import { parseGridSpec } from '../models/xp/grid.js';
import { XpInputError } from '../models/xp/record.js';
import { XpFluxSampler } from '../models/xp/sample-flux.js';
import { xpSampler } from '../models/xp/sampler.js';
import { splitCsvLine } from '../models/xp/parse-array.js';
import { REAL_XP_CSV } from './helpers/paths.js';
import { readAll } from './helpers/xp.js';

const dir = mkdtempSync(join(tmpdir(), 'xpflow-xp-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const [header, ...rows] = readFileSync(REAL_XP_CSV, 'utf8')
  .split(/\r?\n/)
  .filter((l) => l.trim());
const columns = splitCsvLine(header);

/** Writes the real CSV with one field of one row (0-based) replaced. */
function withField(name: string, row: number, column: string, edit: (v: string) => string): string {
  const out = rows.map((line, i) => {
    const fields = splitCsvLine(line);
    if (i === row) fields[columns.indexOf(column)] = edit(fields[columns.indexOf(column)]);
    return fields.map((f) => (f.includes(',') ? `"${f}"` : f)).join(',');
  });
  const path = join(dir, name);
  writeFileSync(path, [header, ...out].join('\n') + '\n');
  return path;
}

const dropLast = (v: string) => v.replace(/,\s*[^,]*\)$/, ')');

async function expectInputError(path: string, match: RegExp) {
  const err = await readAll(path).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(XpInputError);
  expect((err as Error).message).toMatch(match);
  expect((err as XpInputError).nonRetryable).toBe(true);
}

describe('XP input checks', () => {
  it('rejects a coefficient array of the wrong length, naming file, row, source_id and column', async () => {
    const path = withField('short.csv', 1, 'bp_coefficients', dropLast);
    await expectInputError(
      path,
      /short\.csv, row 2, source_id 5762406957886626816, column bp_coefficients: expected 55 values, got 54/,
    );
  });

  it('rejects a NaN coefficient', async () => {
    const path = withField('nan.csv', 0, 'rp_coefficients', (v) => v.replace(/^\(([^,]*),/, '(NaN,'));
    await expectInputError(path, /row 1, source_id 5853498713190525696, column rp_coefficients: element 0 is NaN/);
  });

  it('rejects correlations of the wrong size', async () => {
    const path = withField('corr.csv', 0, 'rp_coefficient_correlations', dropLast);
    await expectInputError(path, /column rp_coefficient_correlations: expected 1485 values, got 1484/);
  });

  it('rejects text where numbers belong', async () => {
    const path = withField('text.csv', 1, 'bp_coefficient_errors', (v) => v.replace(/^\(([^,]*),/, '(abc,'));
    await expectInputError(path, /row 2, .*column bp_coefficient_errors: not an array of numbers/);
  });

  it('names a missing column', async () => {
    const path = join(dir, 'nocol.csv');
    writeFileSync(path, readFileSync(REAL_XP_CSV, 'utf8').replace('rp_coefficient_errors', 'rp_coefficient_errs'));
    await expectInputError(path, /nocol\.csv, column rp_coefficient_errors: required column is missing/);
  });

  it('reads Parquet lists the same as the archive CSV strings', async () => {
    const parquet = join(dir, 'real.parquet');
    const instance = await DuckDBInstance.create(':memory:');
    const con = await instance.connect();
    const list = (c: string) => `list_transform(string_split(trim(${c}, '()'), ','), x -> x::DOUBLE) AS ${c}`;
    const arrays = ['coefficients', 'coefficient_errors', 'coefficient_correlations'].flatMap((a) => [
      list(`bp_${a}`),
      list(`rp_${a}`),
    ]);
    await con.run(
      `COPY (SELECT source_id::BIGINT AS source_id, bp_n_parameters::SMALLINT AS bp_n_parameters, rp_n_parameters::SMALLINT AS rp_n_parameters,
        bp_standard_deviation::FLOAT AS bp_standard_deviation, rp_standard_deviation::FLOAT AS rp_standard_deviation, ${arrays.join(', ')}
        FROM read_csv('${REAL_XP_CSV}', all_varchar = true)) TO '${parquet}' (FORMAT parquet)`,
    );
    con.closeSync();
    instance.closeSync();
    const fromCsv = await readAll(REAL_XP_CSV);
    const fromParquet = await readAll(parquet);
    expect(fromParquet.map((r) => r.sourceId)).toEqual(fromCsv.map((r) => r.sourceId));
    const sampler = new XpFluxSampler(xpSampler(parseGridSpec('default')), {
      errorTerms: NO_XP_ERROR_TERMS,
      covariance: false,
    });
    for (let i = 0; i < fromCsv.length; i++) {
      const a = sampler.sample(fromCsv[i]).flux.slice();
      const b = sampler.sample(fromParquet[i]).flux;
      expect(Array.from(b)).toEqual(Array.from(a));
    }
  });

  it('treats empty band arrays as a missing band, but not a half-empty band', async () => {
    const fields = splitCsvLine(rows[0]);
    const emptyBand = columns.map((c, i) =>
      /^bp_(coefficients|coefficient_errors|coefficient_correlations|n_parameters)$/.test(c) ? '' : fields[i],
    );
    const path = join(dir, 'no-bp.csv');
    writeFileSync(path, `${header}\n${emptyBand.map((f) => (f.includes(',') ? `"${f}"` : f)).join(',')}\n`);
    const [record] = await readAll(path);
    expect(record.bp).toBeNull();
    expect(record.rp).not.toBeNull();
    const emptied = withField('empty-bp.csv', 0, 'bp_coefficients', () => '');
    const err = await readAll(emptied).catch((e: unknown) => e);
    // Coefficients emptied but errors/correlations present: malformed, not "missing".
    expect((err as Error).message).toMatch(/column bp_coefficients: expected 55 values, got 0/);
  });
});
