/**
 * The CSV flavour of the synthetic sky: the archive's column names, arrays written
 * as the Gaia archive writes them ("(a, b, ...)"), missing bands as empty fields,
 * and the XP table readable by the pipeline's CSV reader.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INPUT_TABLES, INPUT_TABLE_NAMES, TRUTH_TABLE } from '../models/catalogue/input-tables.js';
import { generateSky } from '../models/synth/generate.js';
import { parseNumberArray, splitCsvLine } from '../models/xp/parse-array.js';
import { readXpFile } from '../io/xp-table.js';

let dir: string;
const STARS = 400;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xpflow-synth-csv-'));
  await generateSky({
    out: dir,
    stars: STARS,
    seed: 8,
    format: 'csv',
    lamostFraction: 0.3,
    rates: { missingBp: 0.03, missingRp: 0.03 },
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lines = (table: string) =>
  readFileSync(join(dir, `${table}.csv`), 'utf8')
    .split('\n')
    .filter((l) => l !== '');

describe('synthetic sky as CSV', () => {
  it('has the archive column names in order', () => {
    for (const spec of [...INPUT_TABLE_NAMES.map((n) => INPUT_TABLES[n]), TRUTH_TABLE]) {
      expect(splitCsvLine(lines(spec.name)[0]), spec.name).toEqual(spec.columns.map((c) => c.name));
    }
  });

  it('writes XP arrays as "(a, b, ...)" with 55 / 1485 values, empty when the band is missing', () => {
    const [header, ...rows] = lines('xp_continuous_mean_spectrum');
    const names = splitCsvLine(header);
    const at = (name: string) => names.indexOf(name);
    let missing = 0;
    for (const line of rows) {
      const f = splitCsvLine(line);
      for (const band of ['bp', 'rp']) {
        const coef = f[at(`${band}_coefficients`)];
        if (coef === '') {
          missing++;
          expect(f[at(`${band}_n_parameters`)]).toBe('');
          expect(f[at(`${band}_coefficient_correlations`)]).toBe('');
          continue;
        }
        expect(coef).toMatch(/^\(-?\d[^()]*\)$/);
        expect(coef).toContain(', ');
        expect(parseNumberArray(coef)!.length).toBe(55);
        expect(parseNumberArray(f[at(`${band}_coefficient_errors`)])!.length).toBe(55);
        expect(parseNumberArray(f[at(`${band}_coefficient_correlations`)])!.length).toBe(1485);
      }
    }
    expect(missing).toBeGreaterThan(0);
  });

  it('is readable by the pipeline reader', async () => {
    let n = 0;
    for await (const batch of readXpFile(join(dir, 'xp_continuous_mean_spectrum.csv'), 55)) n += batch.records.length;
    expect(n).toBe(STARS);
  });
});
