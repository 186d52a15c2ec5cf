import { describe, expect, it } from 'vitest';
import { lnNormalCdf, normalCdfLogSlope } from '../models/stats/normal-cdf.js';

// ln Φ(u) and φ(u)/Φ(u) from Python's math.erfc (double precision), u from the far tail to +8.
const REFERENCE: Array<[number, number, number]> = [
  [-37, -689.0305855768905, 37.02698768612336],
  [-30, -454.3212439563431, 30.033259667430148],
  [-10, -53.23128515051246, 10.098093233962423],
  [-5, -15.064998393988724, 5.18650396712583],
  [-2, -3.783184333682031, 2.37321553282284],
  [-1, -1.8410216450092634, 1.525135276160981],
  [0, -0.6931471805599453, 0.7978845608028654],
  [1, -0.1727537790234499, 0.2875999709391784],
  [1.96, -0.025315649164282163, 0.05993930068729001],
  [3, -0.0013508099647482027, 0.004437839042125664],
];

describe('ln Φ', () => {
  it.each(REFERENCE)('at u = %d matches math.erfc to 1e-6 (relative) with its slope', (u, lnPhi, slope) => {
    expect(Math.abs(lnNormalCdf(u) - lnPhi)).toBeLessThan(1e-6 * Math.max(1, Math.abs(lnPhi)));
    expect(Math.abs(normalCdfLogSlope(u) / slope - 1)).toBeLessThan(1e-6);
  });

  it('is finite where Φ underflows, and its slope is the derivative', () => {
    expect(Number.isFinite(lnNormalCdf(-60))).toBe(true);
    for (const u of [-45, -3, 0.5, 4]) {
      const h = 1e-5;
      expect(normalCdfLogSlope(u)).toBeCloseTo((lnNormalCdf(u + h) - lnNormalCdf(u - h)) / (2 * h), 4);
    }
    expect(Math.abs(lnNormalCdf(40))).toBe(0);
  });
});
