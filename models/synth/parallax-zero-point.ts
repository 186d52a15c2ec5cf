/**
 * The Gaia EDR3/DR3 parallax zero point of Lindegren et al. 2021 (A&A 649, A4,
 * Tables 9 and 10; the same coefficients as the authors' `gaiadr3_zeropoint` code,
 * version 2020-07-20), written here so the synthetic sky's observed parallaxes carry
 * the offset the pipeline will subtract: ϖ_obs = ϖ_true + Z(G, ν, β) + noise.
 * Z = Σ_jk q_jk(G) c_j(ν) b_k(β), q_jk interpolated linearly in G (held constant
 * outside 6–21 mag); 5-parameter solutions use nu_eff_used_in_astrometry, 6-parameter
 * ones pseudocolour. Returns mas.
 */

/** Column (j, k) indices of the coefficient tables; then rows: G, q for each column (µas). */
interface ZeroPointTable {
  j: number[];
  k: number[];
  rows: number[][];
}

const Z5: ZeroPointTable = {
  j: [0, 0, 0, 1, 1, 2, 3, 4],
  k: [0, 1, 2, 0, 1, 0, 0, 0],
  rows: [
    [6.0, -26.98, -9.62, 27.4, -25.1, -0.0, -1257, 0, 0],
    [10.8, -27.23, -3.07, 23.04, 35.3, 15.7, -1257, 0, 0],
    [11.2, -30.33, -9.23, 9.08, -88.4, -11.8, -1257, 0, 0],
    [11.8, -33.54, -10.08, 13.28, -126.7, 11.6, -1257, 0, 0],
    [12.2, -13.65, -0.07, 9.35, -111.4, 40.6, -1257, 0, 0],
    [12.9, -19.53, -1.64, 15.86, -66.8, 20.6, -1257, 0, 0],
    [13.1, -37.99, 2.63, 16.14, -5.7, 14.0, -1257, 107.9, 104.3],
    [15.9, -38.33, 5.61, 15.42, 0, 18.7, -1189, 243.8, 155.2],
    [16.1, -31.05, 2.83, 8.59, 0, 15.5, -1404, 105.5, 170.7],
    [17.5, -29.18, -0.09, 2.41, 0, 24.5, -1165, 189.7, 325.0],
    [19.0, -18.4, 5.98, -6.46, 0, 5.5, 0, 0, 276.6],
    [20.0, -12.65, -4.57, -7.46, 0, 97.9, 0, 0, 0],
    [21.0, -18.22, -15.24, -18.54, 0, 128.2, 0, 0, 0],
  ],
};

const Z6: ZeroPointTable = {
  j: [0, 0, 0, 1, 1, 1, 2],
  k: [0, 1, 2, 0, 1, 2, 0],
  rows: [
    [6.0, -27.85, -7.78, 27.47, -32.1, 14.4, 9.5, -67],
    [10.8, -28.91, -3.57, 22.92, 7.7, 12.6, 1.6, -572],
    [11.2, -26.72, -8.74, 9.36, -30.3, 5.6, 17.2, -1104],
    [11.8, -29.04, -9.69, 13.63, -49.4, 36.3, 17.7, -1129],
    [12.2, -12.39, -2.16, 10.23, -92.6, 19.8, 27.6, -365],
    [12.9, -18.99, -1.93, 15.9, -57.2, -8.0, 19.9, -554],
    [13.1, -38.29, 2.59, 16.2, -10.5, 1.4, 0.4, -960],
    [15.9, -36.83, 4.2, 15.76, 22.3, 11.1, 10.0, -1367],
    [16.1, -28.37, 1.99, 9.28, 50.4, 17.2, 13.7, -1351],
    [17.5, -24.68, -1.37, 3.52, 86.8, 19.8, 21.3, -1380],
    [19.0, -15.32, 4.01, -6.03, 29.2, 14.1, 0.4, -563],
    [20.0, -13.73, -10.92, -8.3, -74.4, 196.4, -42.0, 536],
    [21.0, -29.53, -20.34, -18.74, -39.5, 326.8, -262.3, 1598],
  ],
};

/** Colour basis c_j(ν) of Lindegren et al. 2021 eq. A.1. */
function colourBasis(nu: number): number[] {
  return [
    1,
    Math.max(-0.24, Math.min(0.24, nu - 1.48)),
    Math.min(0.24, Math.max(0, 1.48 - nu)) ** 3,
    Math.min(0, nu - 1.24),
    Math.max(0, nu - 1.72),
  ];
}

/**
 * Parallax zero point in mas. astrometricParamsSolved: 31 (5p, colour = nuEff),
 * 95 (6p, colour = pseudocolour); anything else (2p) has no parallax: NaN.
 */
export function lindegren2021ZeroPoint(g: number, nuEff: number, pseudocolour: number, eclLatDeg: number, astrometricParamsSolved: number): number {
  const table = astrometricParamsSolved === 31 ? Z5 : astrometricParamsSolved === 95 ? Z6 : null;
  if (!table) return NaN;
  const colour = astrometricParamsSolved === 31 ? nuEff : pseudocolour;
  const sinBeta = Math.sin((eclLatDeg * Math.PI) / 180);
  const b = [1, sinBeta, sinBeta * sinBeta - 1 / 3];
  const c = colourBasis(colour);
  const rows = table.rows;
  const gs = rows.map((r) => r[0]);
  let ig = 0;
  while (ig < gs.length - 2 && g >= gs[ig + 1]) ig++;
  const h = Math.max(0, Math.min(1, (g - gs[ig]) / (gs[ig + 1] - gs[ig])));
  let z = 0;
  for (let m = 0; m < table.j.length; m++) {
    const q = (1 - h) * rows[ig][m + 1] + h * rows[ig + 1][m + 1];
    z += q * c[table.j[m]] * b[table.k[m]];
  }
  return z * 1e-3;
}
