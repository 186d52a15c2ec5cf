import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  parallaxZeroPoint,
  parallaxZeroPointExtrapolated,
  zeroPointValidity,
} from '../models/astrometry/lindegren2021.js';
import { FIXTURES } from './helpers/paths.js';

/** [g, nu_eff, pseudocolour, ecl_lat, astrometric_params_solved, zpt, zpt_extrapolated]; see make_fixture.py. */
type Case = [number | null, number | null, number | null, number | null, number, number | null, number | null];
interface Reference {
  source: string;
  cases: Case[];
}

const reference = JSON.parse(readFileSync(join(FIXTURES, 'zero-point', 'reference.json'), 'utf8')) as Reference;
const TOL = 1e-9; // mas

/** Largest |ours − package| over all cases; Infinity when NaN-ness differs. */
function maxDeviation(pick: (c: Case) => number | null, f: typeof parallaxZeroPoint): number {
  let worst = 0;
  for (const c of reference.cases) {
    const ours = f(c[0] ?? NaN, c[1], c[2], c[3] ?? NaN, c[4]);
    const want = pick(c);
    if (want === null || Number.isNaN(ours)) {
      if (want !== null || !Number.isNaN(ours)) return Infinity;
    } else {
      worst = Math.max(worst, Math.abs(ours - want));
    }
  }
  return worst;
}

describe('Lindegren et al. (2021) parallax zero point vs gaiadr3-zeropoint', () => {
  it('has a few thousand reference cases covering 5p, 6p, in and out of range', () => {
    expect(reference.cases.length).toBeGreaterThan(2000);
    expect(reference.cases.some((c) => c[4] === 31 && c[5] !== null)).toBe(true);
    expect(reference.cases.some((c) => c[4] === 95 && c[5] !== null)).toBe(true);
    expect(reference.cases.some((c) => c[5] === null && c[6] !== null)).toBe(true);
  });

  it('matches get_zpt(..., _warnings=False) to 1e-9 mas, NaN where it gives NaN', () => {
    expect(maxDeviation((c) => c[5], parallaxZeroPoint)).toBeLessThanOrEqual(TOL);
  });

  it('matches get_zpt(..., _warnings=True) (clamped/extrapolated) to 1e-9 mas', () => {
    expect(maxDeviation((c) => c[6], parallaxZeroPointExtrapolated)).toBeLessThanOrEqual(TOL);
  });

  it('flags exactly the cases the package sets to NaN', () => {
    for (const c of reference.cases) {
      const ok = zeroPointValidity(c[0] ?? NaN, c[1], c[2], c[3] ?? NaN, c[4]) === 'ok';
      expect(ok).toBe(c[5] !== null);
    }
  });
});

describe('hand-checkable values at table nodes (coefficients q_jk in µas, result in mas)', () => {
  it('5p, G = 17.5 node, ν_eff = 1.48 (all colour terms 0), β = 0: q00 − q02/3', () => {
    // −29.18 − 2.41/3 = −29.983333 µas
    expect(parallaxZeroPoint(17.5, 1.48, null, 0, 31)).toBeCloseTo(-0.029983, 9);
  });

  it('5p, G = 16.8 (half-way 16.1–17.5), ν_eff = 1.48, β = 0: mean of the two nodes', () => {
    // (−31.05 − 29.18)/2 − ((8.59 + 2.41)/2)/3 = −30.115 − 1.833333 = −31.948333 µas
    expect(parallaxZeroPoint(16.8, 1.48, null, 0, 31)).toBeCloseTo(-0.031948, 9);
  });

  it('5p, G = 20 node, ν_eff = 1.8, sin β = 1/3: q00 + q01/3 − 2/9 q02 + 0.24/3 q11', () => {
    // c1 = 0.24, c2 = c3 = 0, c4 = 0.08 (q40 = 0 at G = 20), b1 = 1/3, b2 = 1/9 − 1/3 = −2/9:
    // −12.65 − 4.57/3 + 7.46·2/9 + 97.9·0.24/3 = −12.65 − 1.523333 + 1.657778 + 7.832 = −4.683556 µas
    const beta = (Math.asin(1 / 3) * 180) / Math.PI;
    expect(parallaxZeroPoint(20, 1.8, null, beta, 31)).toBeCloseTo(-0.004684, 9);
  });

  it('6p, G = 15.9 node, pseudocolour = 1.48, β = 90°: q00 + q01 + 2/3 q02', () => {
    // −36.83 + 4.20 + 15.76·2/3 = −22.123333 µas
    expect(parallaxZeroPoint(15.9, 1.5, 1.48, 90, 95)).toBeCloseTo(-0.022123, 9);
  });
});

describe('domain handling (_warnings=False semantics)', () => {
  it('returns NaN for 2-parameter and unknown solutions', () => {
    expect(parallaxZeroPoint(15, 1.5, 1.5, 10, 3)).toBeNaN();
    expect(parallaxZeroPointExtrapolated(15, 1.5, 1.5, 10, 3)).toBeNaN();
    expect(zeroPointValidity(15, 1.5, 1.5, 10, 3)).toBe('unsupported-solution');
  });

  it('treats the range bounds as outside and needs only the colour of the solution type', () => {
    expect(zeroPointValidity(6, 1.5, null, 0, 31)).toBe('g-out-of-range');
    expect(zeroPointValidity(21, 1.5, null, 0, 31)).toBe('g-out-of-range');
    expect(zeroPointValidity(15, 1.9, null, 0, 31)).toBe('colour-out-of-range');
    expect(zeroPointValidity(15, null, 1.24, 0, 95)).toBe('colour-out-of-range');
    expect(zeroPointValidity(15, null, 1.5, 0, 31)).toBe('missing-input');
    expect(zeroPointValidity(15, 1.5, null, 0, 31)).toBe('ok');
    expect(zeroPointValidity(15, null, 1.5, 0, 95)).toBe('ok');
  });

  it('extrapolated form returns the G = 6 / G = 21 values beyond the magnitude range', () => {
    expect(parallaxZeroPointExtrapolated(4, 1.5, null, 30, 31)).toBe(
      parallaxZeroPointExtrapolated(6, 1.5, null, 30, 31),
    );
    expect(parallaxZeroPointExtrapolated(23, null, 1.5, 30, 95)).toBe(
      parallaxZeroPointExtrapolated(21, null, 1.5, 30, 95),
    );
  });
});
