/**
 * Synthetic Gaia-like passbands for G, G_BP and G_RP (photon counting), and the
 * numbers that tie them to real magnitudes. The passbands are smooth stand-ins
 * (products of logistic edges) for the DR3 ones of Riello et al. 2021; their zero
 * points are set so the model Sun at 10 pc has the solar absolute magnitudes of
 * Casagrande & VandenBerg 2018 (M_G = 4.67, BP − RP = 0.82, G − RP = 0.49).
 */

export interface Passband {
  /** Blue edge: centre and width (nm) of the rising logistic. */
  blueNm: number;
  blueWidthNm: number;
  /** Red edge: centre and width (nm) of the falling logistic. */
  redNm: number;
  redWidthNm: number;
}

export const PASSBANDS: Record<'G' | 'BP' | 'RP', Passband> = {
  G: { blueNm: 400, blueWidthNm: 25, redNm: 900, redWidthNm: 45 },
  BP: { blueNm: 380, blueWidthNm: 15, redNm: 660, redWidthNm: 12 },
  RP: { blueNm: 640, blueWidthNm: 12, redNm: 930, redWidthNm: 40 },
};

export const SOLAR_ABSOLUTE_MAGNITUDES = { G: 4.67, BP: 5.0, RP: 4.18 } as const;

/**
 * EDR3's effective wavenumber from BP − RP (Lindegren et al. 2021, eq. 3):
 * ν_eff = 1.76 − (1.61/π) atan(0.531 C), kept in [1.24, 1.72] µm⁻¹.
 */
export const NU_EFF = { a: 1.76, b: 1.61, c: 0.531, min: 1.24, max: 1.72 } as const;

/**
 * phot_bp_rp_excess_factor C of an isolated source, as a function of x = BP − RP
 * (Riello et al. 2021, Table 2), and the scatter of C* with G (their eq. 18):
 * σ_C* = 0.0059898 + 8.817481e-12 · G^7.618399.
 */
export const EXCESS_FACTOR = {
  blue: [1.162004, 0.011464, 0.049255, -0.005879],
  mid: [1.15436, 0.033772, 0.032277],
  red: [1.057572, 0.140537],
  sigma: { a: 0.0059898, b: 8.817481e-12, power: 7.618399 },
} as const;
