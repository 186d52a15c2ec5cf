/**
 * The synthetic SED's physics, as numbers: a Planck continuum with the Balmer and
 * Paschen jumps, hydrogen lines, metal line blanketing, the strong metal features,
 * molecular bands of cool stars and a few near-infrared features, all at roughly
 * the XP spectra's resolution. Wavelengths are vacuum-ish nm (the difference from
 * air, ~0.1–0.3 nm, is far below the XP resolution). Equivalent widths (EW) are in
 * nm at each feature's strongest; the functions of Teff, log g and [Fe/H] that scale
 * them live in models/synth/spectrum/features.ts. Values are rounded from standard
 * references (Gray & Corbally 2009, "Stellar Spectral Classification"; Kirkpatrick
 * et al. 1991 for M-dwarf bands; Jaschek & Jaschek 1987): a physically shaped model,
 * not a fit to any library, and deliberately not the pipeline's forward model.
 */

/** CODATA 2018 exact SI constants. */
export const PHYSICS = {
  planckJs: 6.62607015e-34,
  speedOfLightMs: 2.99792458e8,
  boltzmannJK: 1.380649e-23,
  stefanBoltzmann: 5.670374419e-8,
  /** 1 kpc in m (IAU 2015 B2 parsec). */
  kpcM: 3.085677581491367e19,
} as const;

/** The fine XP-range grid the SED is evaluated on (nm), inside the instrument model's 330–1050 nm. */
export const FINE_GRID_NM = { start: 330, stop: 1050, step: 2 } as const;

/**
 * Each NIR band's flux is the mean over three points at λ_eff·(1 − s, 1, 1 + s) with
 * weights ¼, ½, ¼, a crude passband that lets band-edge features (H₂O, CO) count.
 */
export const NIR_SAMPLING = { spread: 0.08, weights: [0.25, 0.5, 0.25] } as const;

/**
 * XP line-spread FWHM (nm), linear in λ within each band: approximate, after the
 * dispersion of Carrasco et al. 2021 (BP 3–27 nm/px, RP 7–15 nm/px) and De Angeli et
 * al. 2023; it only sets how sharp the model's features are before projection.
 */
export const XP_LSF_FWHM_NM = {
  bp: { atNm: [330, 643], fwhm: [6, 22] },
  rp: { atNm: [635, 1050], fwhm: [14, 28] },
} as const;
/** Below this wavelength features take BP's resolution, above it RP's. */
export const LSF_SWITCH_NM = 639;

export interface LineSpec {
  nm: number;
  /** EW relative to the group's. */
  weight: number;
  /** Intrinsic Gaussian σ (nm) before the LSF: Stark/damping wings, blends. */
  sigmaNm: number;
}

/** Balmer series Hα … H12 (Wiese & Fuhr 2009 wavelengths); EW 1.2 nm at A0 V for weight 1. */
export const BALMER_LINES: readonly LineSpec[] = [
  { nm: 656.28, weight: 1.0, sigmaNm: 1.2 },
  { nm: 486.13, weight: 1.1, sigmaNm: 1.2 },
  { nm: 434.05, weight: 1.1, sigmaNm: 1.2 },
  { nm: 410.17, weight: 1.05, sigmaNm: 1.2 },
  { nm: 397.01, weight: 0.9, sigmaNm: 1.0 },
  { nm: 388.91, weight: 0.8, sigmaNm: 0.9 },
  { nm: 383.54, weight: 0.65, sigmaNm: 0.8 },
  { nm: 379.79, weight: 0.5, sigmaNm: 0.7 },
  { nm: 377.06, weight: 0.4, sigmaNm: 0.6 },
  { nm: 375.01, weight: 0.3, sigmaNm: 0.5 },
];

/** Paschen lines in RP (P9–P17, Paε, Paδ); EW 0.35 nm at A0 V for weight 1. */
export const PASCHEN_LINES: readonly LineSpec[] = [
  { nm: 1004.94, weight: 1.0, sigmaNm: 0.8 },
  { nm: 954.6, weight: 1.0, sigmaNm: 0.7 },
  { nm: 922.9, weight: 1.0, sigmaNm: 0.6 },
  { nm: 901.49, weight: 0.95, sigmaNm: 0.6 },
  { nm: 886.28, weight: 0.9, sigmaNm: 0.5 },
  { nm: 875.05, weight: 0.85, sigmaNm: 0.5 },
  { nm: 866.5, weight: 0.8, sigmaNm: 0.5 },
  { nm: 859.82, weight: 0.75, sigmaNm: 0.5 },
  { nm: 854.54, weight: 0.7, sigmaNm: 0.4 },
  { nm: 850.25, weight: 0.65, sigmaNm: 0.4 },
  { nm: 846.71, weight: 0.6, sigmaNm: 0.4 },
];

export const METAL_LINES = {
  /** Ca II K and H; EW 1.1 nm for weight 1 in a solar-type dwarf. */
  caHK: [
    { nm: 393.37, weight: 1.0, sigmaNm: 1.0 },
    { nm: 396.85, weight: 0.9, sigmaNm: 1.0 },
  ],
  /** CH G band around 430 nm, treated as one broad absorption. */
  chGBand: [{ nm: 430.5, weight: 1, sigmaNm: 1.5 }],
  /** Mg I b triplet + MgH (dwarf-sensitive). */
  mgB: [{ nm: 517.5, weight: 1, sigmaNm: 1.5 }],
  /** Na I D. */
  naD: [{ nm: 589.3, weight: 1, sigmaNm: 0.5 }],
  /** Ca II infrared triplet (giant-sensitive). */
  caTriplet: [
    { nm: 849.8, weight: 0.3, sigmaNm: 0.4 },
    { nm: 854.21, weight: 0.55, sigmaNm: 0.4 },
    { nm: 866.21, weight: 0.45, sigmaNm: 0.4 },
  ],
  /** He I in B stars. */
  heI: [
    { nm: 447.15, weight: 1, sigmaNm: 0.3 },
    { nm: 587.56, weight: 1, sigmaNm: 0.3 },
    { nm: 667.82, weight: 0.7, sigmaNm: 0.3 },
  ],
} as const satisfies Record<string, readonly LineSpec[]>;

/** Peak EWs (nm) of the line groups, for weight 1 at the group's strongest. */
export const LINE_EW_NM = {
  balmer: 1.2,
  paschen: 0.35,
  caHK: 1.1,
  chGBand: 0.6,
  mgB: 0.5,
  naD: 0.15,
  caTriplet: 0.6,
  heI: 0.08,
} as const;

export interface BandSpec {
  /** Band head (nm); the band fades redward. */
  headNm: number;
  /** Optical depth at the head for strength 1. */
  depth: number;
  /** e-folding length redward of the head (nm). */
  decayNm: number;
}

/**
 * TiO band heads of M stars (Kirkpatrick et al. 1991; Valenti et al. 1998); the
 * optical bands overlap into the near-continuous blanket that makes M dwarfs' BP − RP
 * ≈ 2.7 at 3300 K (Pecaut & Mamajek 2013), the depths were tuned to that.
 */
export const TIO_BANDS: readonly BandSpec[] = [
  { headNm: 476.1, depth: 0.8, decayNm: 35 },
  { headNm: 495.4, depth: 0.9, decayNm: 35 },
  { headNm: 516.7, depth: 0.9, decayNm: 35 },
  { headNm: 544.8, depth: 1.0, decayNm: 30 },
  { headNm: 559.7, depth: 1.0, decayNm: 40 },
  { headNm: 615.9, depth: 1.1, decayNm: 35 },
  { headNm: 665.1, depth: 1.0, decayNm: 35 },
  { headNm: 705.3, depth: 1.0, decayNm: 35 },
  { headNm: 759.0, depth: 0.6, decayNm: 25 },
  { headNm: 843.2, depth: 0.35, decayNm: 25 },
  { headNm: 885.9, depth: 0.3, decayNm: 25 },
];
/** VO in late M (Kirkpatrick et al. 1991). */
export const VO_BANDS: readonly BandSpec[] = [
  { headNm: 740.0, depth: 0.5, decayNm: 25 },
  { headNm: 785.1, depth: 0.5, decayNm: 25 },
  { headNm: 852.7, depth: 0.4, decayNm: 25 },
];
/** CaH, strong in M dwarfs, weak in giants (the classic luminosity discriminant). */
export const CAH_BANDS: readonly BandSpec[] = [
  { headNm: 638.2, depth: 0.5, decayNm: 10 },
  { headNm: 685.0, depth: 0.4, decayNm: 15 },
];
/** CO first overtone band head (2.293 µm) in cool giants. */
export const CO_BANDS: readonly BandSpec[] = [{ headNm: 2293, depth: 0.25, decayNm: 150 }];

/** H₂O absorption in M dwarfs, Gaussian in λ (nm): centre, σ, depth for strength 1. */
export const H2O_BANDS = [
  { nm: 1400, sigmaNm: 70, depth: 0.5 },
  { nm: 1900, sigmaNm: 90, depth: 0.5 },
  { nm: 2700, sigmaNm: 150, depth: 0.4 },
] as const;

/** The H⁻ opacity minimum near 1.6 µm (a flux bump in cool stars): centre, σ in ln λ, strength. */
export const H_MINUS_BUMP = { nm: 1650, lnSigma: 0.18, depth: -0.12 } as const;

/**
 * Continuum jumps (in dex of flux below the edge). Balmer: up to 0.52 dex near
 * 9500 K (A0–A2 V; Gray & Corbally 2009 Fig. 3.x; the BCD system's D), falling to
 * ~0.1 by 20000 K and into G stars; the apparent edge moves redward at high gravity
 * (BCD λ1: ~368 nm for supergiants, ~374 nm for dwarfs). Paschen ≈ 0.3 × Balmer.
 */
export const JUMPS = {
  balmer: { peakDex: 0.52, peakLogTeff: 3.98, sigmaCool: 0.12, sigmaHot: 0.18, perLoggBelow4: 0.12 },
  balmerEdgeNm: { giant: 367, dwarf: 374, sigmaNm: 4 },
  paschen: { edgeNm: 820.4, ratio: 0.3, sigmaNm: 4 },
} as const;

/**
 * Metal line blanketing as a smooth optical depth τ = τ0 · Z^κ · (Teff⊙/Teff)^3 ·
 * (λ/400 nm)^−4 · (1 + 0.08 (4.44 − log g)): ~25 % of the Sun's flux is blanketed near
 * 400 nm, ~12 % at 500 nm, a few % in the red (e.g. Gray 2005, ch. 17). Z = 10^[Fe/H];
 * κ = 0.75 rather than 1 because strong lines saturate (curve of growth).
 */
export const BLANKETING = {
  tau400: 0.3,
  lambdaExponent: 4,
  metalExponent: 0.75,
  teffExponent: 3,
  perLoggBelowSun: 0.08,
} as const;
