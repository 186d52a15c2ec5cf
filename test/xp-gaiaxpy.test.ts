import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NO_XP_ERROR_TERMS } from '../models/config/science.js';
import { parseGridSpec } from '../models/xp/grid.js';
import { XpFluxSampler } from '../models/xp/sample-flux.js';
import { xpSampler } from '../models/xp/sampler.js';
import { FIXTURES, REAL_XP_CSV, GAIAXPY_FIXTURES } from './helpers/paths.js';
import { maxRelativeDifference, readAll, readCalibrated } from './helpers/xp.js';

const cases = [
  {
    name: 'default grid (tabulated)',
    grid: 'default',
    input: REAL_XP_CSV,
    expected: join(GAIAXPY_FIXTURES, 'real', 'calibrator_solution_default.csv'),
  },
  {
    name: 'custom grid 350,550,750,950',
    grid: '350,550,750,950',
    input: REAL_XP_CSV,
    expected: join(GAIAXPY_FIXTURES, 'real', 'calibrator_solution_custom.csv'),
  },
  {
    name: 'pipeline grid 392:992:10',
    grid: '392:992:10',
    input: REAL_XP_CSV,
    expected: join(FIXTURES, 'gaiaxpy', 'pipeline_grid.csv'),
  },
  {
    name: 'one band missing, default grid',
    grid: 'default',
    input: join(FIXTURES, 'gaiaxpy', 'one_band_input.csv'),
    expected: join(FIXTURES, 'gaiaxpy', 'one_band_default.csv'),
  },
];

describe('XP sampling equals GaiaXPy calibrate()', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const records = await readAll(c.input);
      const expected = readCalibrated(c.expected);
      expect(records.length).toBe(expected.size);
      const sampler = new XpFluxSampler(xpSampler(parseGridSpec(c.grid)), {
        errorTerms: NO_XP_ERROR_TERMS,
        covariance: false,
      });
      for (const r of records) {
        const want = expected.get(r.sourceId.toString())!;
        const got = sampler.sample(r);
        expect(got.flux.length).toBe(want.flux.length);
        expect(maxRelativeDifference(got.flux, want.flux)).toBeLessThan(1e-10);
        expect(maxRelativeDifference(got.fluxError, want.error)).toBeLessThan(1e-10);
        // Where GaiaXPy gives no value, we give no flux and infinite variance.
        want.flux.forEach((v, i) => {
          if (Number.isNaN(v)) {
            expect(got.flux[i]).toBeNaN();
            expect(got.fluxError[i]).toBe(Infinity);
          } else expect(Number.isFinite(got.flux[i])).toBe(true);
        });
      }
    });
  }
});
