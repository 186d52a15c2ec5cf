/**
 * Gaia (E)DR3 parallax zero point of Lindegren et al. (2021), "Gaia Early Data Release 3:
 * Parallax bias versus magnitude, colour, and position", A&A 649, A4,
 * doi:10.1051/0004-6361/202039653.
 *
 * An independent TypeScript re-implementation of `zero_point.zpt.get_zpt` from the official
 * Python package `gaiadr3-zeropoint` 0.1.0 (PyPI; https://gitlab.com/icc-ub/public/gaiadr3_zeropoint,
 * P. Ramos & A. Brown after MATLAB code by L. Lindegren). No Python code is copied; the two
 * coefficient tables below are transcribed as data from the package files
 * `zero_point/coefficients/z5_200720.txt` and `z6_200720.txt` (table version 2020-07-20), which
 * carry the coefficients q_jk published in the paper. The package is distributed under the
 * GNU LGPL v3 or later ("LGPLv3+"); the tables are reproduced here with that attribution.
 * Reference values: test/fixtures/zero-point/make_fixture.py.
 *
 * Model (units: µas inside, mas returned). With β the ecliptic latitude and colour
 * x = ν_eff (5-parameter solutions, astrometric_params_solved = 31, table Z5) or
 * x = pseudocolour (6-parameter solutions, astrometric_params_solved = 95, table Z6):
 *
 *   Z(G, x, β) = Σ_i q_{j_i k_i}(G) · c_{j_i}(x) · b_{k_i}(β)
 *
 *   colour basis  c_0 = 1
 *                 c_1 = max(−0.24, min(0.24, x − 1.48))
 *                 c_2 = min(0.24, max(0, 1.48 − x))³
 *                 c_3 = min(0, x − 1.24)
 *                 c_4 = max(0, x − 1.72)
 *   latitude      b_0 = 1,  b_1 = sin β,  b_2 = sin²β − 1/3
 *   magnitude     q_jk(G) = (1 − h) q_jk(g_m) + h q_jk(g_{m+1}),  h = clamp((G − g_m)/(g_{m+1} − g_m), 0, 1)
 *                 where g_m is the last table node ≤ G, m clamped to [0, n − 2] (nodes 6.0 … 21.0).
 *
 * The package rounds the result to 1e-6 mas (numpy round-half-even); this port does the same.
 * Usage: parallax_corrected = parallax − parallaxZeroPoint(...).
 *
 * Calibrated ranges (package, open intervals): 6 < G < 21; 5p: 1.1 < ν_eff < 1.9; 6p:
 * 1.24 < pseudocolour < 1.72. `parallaxZeroPoint` follows `get_zpt(..., _warnings=False)` and
 * returns NaN outside them (including exactly on the bounds), for a missing (null) or NaN
 * required input, and for any solution type other than 31/95 (the package raises for 2p = 3).
 * `parallaxZeroPointExtrapolated` follows `_warnings=True`: outside 6–21 the G-interpolation is
 * clamped, so the values at G = 6 or G = 21 are returned; the colour basis saturates for
 * x ≤ 1.24 / x ≥ 1.72 except c_3 and c_4 (5p only), which keep growing linearly in x.
 */

/** astrometric_params_solved codes: 5-parameter and 6-parameter solutions. */
export const FIVE_PARAMETER = 31;
export const SIX_PARAMETER = 95;

interface ZeroPointTable {
  /** Colour-basis index j and latitude-basis index k of each coefficient column. */
  readonly j: readonly number[];
  readonly k: readonly number[];
  /** G nodes (mag). */
  readonly g: readonly number[];
  /** q[node][column] in µas. */
  readonly q: readonly (readonly number[])[];
}

/** Z5 (5p solutions, colour = nu_eff_used_in_astrometry); from z5_200720.txt. */
const Z5: ZeroPointTable = {
  j: [0, 0, 0, 1, 1, 2, 3, 4],
  k: [0, 1, 2, 0, 1, 0, 0, 0],
  g: [6.0, 10.8, 11.2, 11.8, 12.2, 12.9, 13.1, 15.9, 16.1, 17.5, 19.0, 20.0, 21.0],
  q: [
    [-26.98, -9.62, 27.4, -25.1, -0.0, -1257, 0, 0],
    [-27.23, -3.07, 23.04, 35.3, 15.7, -1257, 0, 0],
    [-30.33, -9.23, 9.08, -88.4, -11.8, -1257, 0, 0],
    [-33.54, -10.08, 13.28, -126.7, 11.6, -1257, 0, 0],
    [-13.65, -0.07, 9.35, -111.4, 40.6, -1257, 0, 0],
    [-19.53, -1.64, 15.86, -66.8, 20.6, -1257, 0, 0],
    [-37.99, 2.63, 16.14, -5.7, 14.0, -1257, 107.9, 104.3],
    [-38.33, 5.61, 15.42, 0, 18.7, -1189, 243.8, 155.2],
    [-31.05, 2.83, 8.59, 0, 15.5, -1404, 105.5, 170.7],
    [-29.18, -0.09, 2.41, 0, 24.5, -1165, 189.7, 325.0],
    [-18.4, 5.98, -6.46, 0, 5.5, 0, 0, 276.6],
    [-12.65, -4.57, -7.46, 0, 97.9, 0, 0, 0],
    [-18.22, -15.24, -18.54, 0, 128.2, 0, 0, 0],
  ],
};

/** Z6 (6p solutions, colour = pseudocolour); from z6_200720.txt. */
const Z6: ZeroPointTable = {
  j: [0, 0, 0, 1, 1, 1, 2],
  k: [0, 1, 2, 0, 1, 2, 0],
  g: Z5.g,
  q: [
    [-27.85, -7.78, 27.47, -32.1, 14.4, 9.5, -67],
    [-28.91, -3.57, 22.92, 7.7, 12.6, 1.6, -572],
    [-26.72, -8.74, 9.36, -30.3, 5.6, 17.2, -1104],
    [-29.04, -9.69, 13.63, -49.4, 36.3, 17.7, -1129],
    [-12.39, -2.16, 10.23, -92.6, 19.8, 27.6, -365],
    [-18.99, -1.93, 15.9, -57.2, -8.0, 19.9, -554],
    [-38.29, 2.59, 16.2, -10.5, 1.4, 0.4, -960],
    [-36.83, 4.2, 15.76, 22.3, 11.1, 10.0, -1367],
    [-28.37, 1.99, 9.28, 50.4, 17.2, 13.7, -1351],
    [-24.68, -1.37, 3.52, 86.8, 19.8, 21.3, -1380],
    [-15.32, 4.01, -6.03, 29.2, 14.1, 0.4, -563],
    [-13.73, -10.92, -8.3, -74.4, 196.4, -42.0, 536],
    [-29.53, -20.34, -18.74, -39.5, 326.8, -262.3, 1598],
  ],
};

/** Calibrated (open) ranges of the package; values on a bound are outside. */
export const CALIBRATED_RANGES = {
  g: [6, 21],
  nuEff: [1.1, 1.9],
  pseudocolour: [1.24, 1.72],
} as const;

export type ZeroPointValidity =
  'ok' | 'unsupported-solution' | 'missing-input' | 'g-out-of-range' | 'colour-out-of-range';

/** Colour used by the solution type (ν_eff for 5p, pseudocolour for 6p), or null. */
function solutionColour(
  nuEff: number | null,
  pseudocolour: number | null,
  astrometricParamsSolved: number,
): number | null {
  if (astrometricParamsSolved === FIVE_PARAMETER) return nuEff;
  if (astrometricParamsSolved === SIX_PARAMETER) return pseudocolour;
  return null;
}

const inside = (x: number, range: readonly [number, number]): boolean => x > range[0] && x < range[1];

/**
 * Whether the inputs lie in the calibrated domain ('ok'), and otherwise why not. The
 * colour range checked is the one of the solution type; the other colour is ignored.
 */
export function zeroPointValidity(
  g: number,
  nuEff: number | null,
  pseudocolour: number | null,
  eclLatDeg: number,
  astrometricParamsSolved: number,
): ZeroPointValidity {
  const isFive = astrometricParamsSolved === FIVE_PARAMETER;
  if (!isFive && astrometricParamsSolved !== SIX_PARAMETER) return 'unsupported-solution';
  const colour = solutionColour(nuEff, pseudocolour, astrometricParamsSolved);
  if (colour === null || Number.isNaN(colour) || Number.isNaN(g) || Number.isNaN(eclLatDeg)) {
    return 'missing-input';
  }
  if (!inside(g, CALIBRATED_RANGES.g)) return 'g-out-of-range';
  const range = isFive ? CALIBRATED_RANGES.nuEff : CALIBRATED_RANGES.pseudocolour;
  return inside(colour, range) ? 'ok' : 'colour-out-of-range';
}

/** numpy.rint: round half to even. */
function rint(y: number): number {
  const f = Math.floor(y);
  const d = y - f;
  if (d !== 0.5) return d < 0.5 ? f : f + 1;
  return f % 2 === 0 ? f : f + 1;
}

/** Colour basis c_0 … c_4, written in the same operation order as the package. */
function colourBasis(x: number): number[] {
  return [
    1,
    Math.max(-0.24, Math.min(0.24, x - 1.48)),
    Math.pow(Math.min(0.24, Math.max(0, 1.48 - x)), 3),
    Math.min(0, x - 1.24),
    Math.max(0, x - 1.72),
  ];
}

/** Z(G, x, β) in µas with G clamped to the table (the package's _calc_zpt). */
function evaluateTable(t: ZeroPointTable, g: number, colour: number, eclLatDeg: number): number {
  const n = t.g.length;
  let last = -1; // numpy.digitize(g, nodes) − 1: last node ≤ g
  while (last + 1 < n && t.g[last + 1] <= g) last++;
  const m = Math.max(0, Math.min(n - 2, last));
  const h = Math.max(0, Math.min(1, (g - t.g[m]) / (t.g[m + 1] - t.g[m])));
  const sinBeta = Math.sin(eclLatDeg * (Math.PI / 180));
  const c = colourBasis(colour);
  const b = [1, sinBeta, sinBeta * sinBeta - 1 / 3];
  let z = 0;
  for (let i = 0; i < t.j.length; i++) {
    z += ((1 - h) * t.q[m][i] + h * t.q[m + 1][i]) * c[t.j[i]] * b[t.k[i]];
  }
  return z;
}

/**
 * Zero point (mas) as `get_zpt(..., _warnings=True)` computes it: no range check; G is clamped
 * to 6–21 and the colour basis saturates/extrapolates as described in the file header. NaN only
 * for unsupported solution types or missing/NaN inputs.
 */
export function parallaxZeroPointExtrapolated(
  g: number,
  nuEff: number | null,
  pseudocolour: number | null,
  eclLatDeg: number,
  astrometricParamsSolved: number,
): number {
  const colour = solutionColour(nuEff, pseudocolour, astrometricParamsSolved);
  if (colour === null) return NaN;
  const table = astrometricParamsSolved === FIVE_PARAMETER ? Z5 : Z6;
  const microArcsec = evaluateTable(table, g, colour, eclLatDeg);
  return rint(microArcsec * 0.001 * 1e6) / 1e6;
}

/**
 * Parallax zero point (mas, to be SUBTRACTED from the Gaia parallax) of Lindegren et al. (2021),
 * equal to `zpt.get_zpt(g, nuEff, pseudocolour, eclLatDeg, astrometricParamsSolved,
 * _warnings=False)`: NaN whenever `zeroPointValidity(...)` is not 'ok' (2p solutions, missing
 * colour, 6 < G < 21 or the colour range violated).
 *
 * @param g phot_g_mean_mag
 * @param nuEff nu_eff_used_in_astrometry (µm⁻¹), needed for 5p solutions
 * @param pseudocolour pseudocolour (µm⁻¹), needed for 6p solutions
 * @param eclLatDeg ecliptic latitude (deg)
 * @param astrometricParamsSolved 31 (5p) or 95 (6p); anything else gives NaN
 */
export function parallaxZeroPoint(
  g: number,
  nuEff: number | null,
  pseudocolour: number | null,
  eclLatDeg: number,
  astrometricParamsSolved: number,
): number {
  if (zeroPointValidity(g, nuEff, pseudocolour, eclLatDeg, astrometricParamsSolved) !== 'ok') return NaN;
  return parallaxZeroPointExtrapolated(g, nuEff, pseudocolour, eclLatDeg, astrometricParamsSolved);
}
