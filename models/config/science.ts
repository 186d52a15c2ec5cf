/**
 * The numbers that are science, each with its source. Nothing else in xpflow should
 * hard-code a wavelength, threshold or offset: import it from here.
 */

/** GaiaXPy 2.1.5 `core/nature.py` (CODATA 2014 Planck constant, as GaiaXPy uses). */
export const PLANCK_J_S = 6.62607004e-34;
export const SPEED_OF_LIGHT_M_S = 2.99792458e8;

/** GaiaXPy `core/satellite.py`: the telescope pupil area in m², and the BP/RP overlap. */
export const TELESCOPE_PUPIL_AREA_M2 = 0.7278;
/** BP is weighted 1 below RP_LOW_NM, 0 above BP_HIGH_NM, linearly in between (GaiaXPy merge). */
export const RP_LOW_NM = 635;
export const BP_HIGH_NM = 643;

/** Number of Hermite coefficients per band in Gaia DR3 XP spectra. */
export const XP_N_COEFFICIENTS = 55;

/** The pipeline's XP grid (docs/method.md §3): 392, 402, ..., 992 nm, 61 pixels. */
export const PIPELINE_GRID_NM = { start: 392, stop: 992, step: 10 } as const;

/** The forward model's flux unit (docs/method.md §3): 1e-18 W m⁻² nm⁻¹. */
export const MODEL_FLUX_UNIT_W_M2_NM = 1e-18;

/**
 * Extra error terms added to the XP pixel covariance, as fractions of the flux
 * (docs/method.md §3, after the authors' `xp_utils.XPSampler.sample`).
 */
export interface XpErrorTerms {
  /** BP zero point: adds frac²·f_BP f_BPᵀ to the BP block before merging. */
  bpZeroPoint: number;
  /** RP zero point, likewise. */
  rpZeroPoint: number;
  /** A joint zero point: adds frac²·f fᵀ to the merged covariance. */
  jointZeroPoint: number;
  /** Independent per-pixel error: adds (frac·f_i)² to the diagonal. */
  perPixel: number;
}

export const DEFAULT_XP_ERROR_TERMS: XpErrorTerms = {
  bpZeroPoint: 0.001,
  rpZeroPoint: 0.001,
  jointZeroPoint: 0.005,
  perPixel: 0.005,
};

export const NO_XP_ERROR_TERMS: XpErrorTerms = { bpZeroPoint: 0, rpZeroPoint: 0, jointZeroPoint: 0, perPixel: 0 };

/**
 * Relative floor on the Cholesky pivots of the pixel covariance: a pivot below
 * floor·Σ_jj is raised to it, the analogue of the authors' eigenvalue floor (1e-9).
 */
export const COVARIANCE_PIVOT_FLOOR = 1e-9;

/** 1 Jy in W m⁻² Hz⁻¹. */
export const JANSKY_W_M2_HZ = 1e-26;
/** AB magnitude zero point flux density, in Jy. */
export const AB_ZERO_POINT_JY = 3631;

export type NirBandName = 'J' | 'H' | 'Ks' | 'W1' | 'W2';

export interface NirBand {
  name: NirBandName;
  survey: '2MASS' | 'unWISE';
  /** Effective wavelength in µm. */
  wavelengthUm: number;
  /** m_AB − m_Vega in magnitudes. */
  abMinusVega: number;
}

/** docs/method.md §3: 2MASS J, H, Ks and unWISE W1, W2, in the order of the data vector. */
export const NIR_BANDS: readonly NirBand[] = [
  { name: 'J', survey: '2MASS', wavelengthUm: 1.235, abMinusVega: 0.91 },
  { name: 'H', survey: '2MASS', wavelengthUm: 1.662, abMinusVega: 1.39 },
  { name: 'Ks', survey: '2MASS', wavelengthUm: 2.159, abMinusVega: 1.85 },
  { name: 'W1', survey: 'unWISE', wavelengthUm: 3.3526, abMinusVega: 2.699 },
  { name: 'W2', survey: 'unWISE', wavelengthUm: 4.6028, abMinusVega: 3.339 },
];

/** unWISE fluxes are Vega nanomaggies: m_Vega = 22.5 − 2.5 log10(flux). */
export const UNWISE_NANOMAGGY_ZERO_POINT = 22.5;

/** NIR quality rules (docs/method.md §3). */
export const NIR_QUALITY = {
  /** 2MASS: a band is used only with ph_qual 'A' and σ below this (mag). */
  tmassMaxSigmaMag: 0.2,
  tmassRequiredQuality: 'A',
  /** unWISE: fracflux and qf above these, dflux/flux below this. */
  unwiseMinFracflux: 0.8,
  unwiseMinQf: 0.8,
  unwiseMaxRelativeError: 0.2,
  /** Relative flux error floor added in quadrature to every NIR band. */
  relativeErrorFloor: 0.01,
} as const;

/** 2.5 / ln 10: converts a magnitude error to a relative flux error. */
export const MAG_TO_RELATIVE_FLUX = 2.5 / Math.LN10;

/**
 * Crowding gates (docs/method.md §2, Rybizki et al. 2022 norm_dg): a band is dropped when
 * norm_dg is above the gate; a missing norm_dg (no neighbour) counts as uncrowded.
 */
export const CROWDING_NORM_DG_MAX = { '2MASS': -5, unWISE: -10 } as const;

/** Cross-match radii in arcsec (docs/method.md §2). */
export const CROSSMATCH_RADII_ARCSEC = {
  /** LAMOST and the Hot Payne: by gaia_source_id where present, else nearest within this. */
  lamost: 1.0,
  /** 2MASS: nearest within ~1 arcsec (no best-neighbour table here). */
  tmass: 1.0,
  /** unWISE: nearest within 0.5 arcsec, kept only below 0.25 arcsec. */
  unwise: 0.5,
  unwiseKeep: 0.25,
} as const;

/** Training-sample cuts (docs/method.md §2, the seed's values). */
export const TRAINING_CUTS = {
  /** LAMOST S/N bands and threshold: the paper uses r, i, z; the authors' code g, r, i. */
  lamostSnrBands: ['r', 'i', 'z'] as const,
  minLamostSnr: 20,
  maxTeffErrK: 500,
  maxFehErrDex: 0.5,
  maxLoggErrDex: 0.5,
  minParallaxOverError: 3,
  minFidelityV2: 0.5,
  maxBpRpExcessFactor: 1.3,
} as const;

/** Label error floor added in quadrature on Teff [kK], [Fe/H] and log g (docs/method.md §2). */
export const LABEL_ERROR_FLOOR = 0.02;

/** Train/validation split (docs/method.md §2). */
export const TRAIN_FRACTION = 0.8;
