/**
 * How each survey of the synthetic sky measures a star: selection, errors, flags.
 * Sources beside each number; "rough" marks a plausible value chosen for realism of
 * shape rather than taken from a paper.
 */

/** Gaia DR3 XP: spectra published for G < 17.65 (De Angeli et al. 2023). */
export const GAIA_SELECTION = { gLimit: 17.65 } as const;

/**
 * Projection of the noiseless SED onto the XP basis (xp/projection.ts): pixels weighted
 * by ‖M_i‖^(−1/2), a ridge on coefficient k of r·(mean diagonal)·((k+1)/55)^4. Chosen
 * by experiment: it keeps the high orders at ~0.1–1 % of c0, as in real DR3 spectra,
 * for a representation error of ~0.2 % rms (RP) and ~0.4 % rms (BP) on 400–992 nm,
 * the size of the real XP spectra's known "wiggles".
 */
export const XP_PROJECTION = { relativeRidge: 1e-4, ridgeOrderPower: 4, weightPower: 0.5 } as const;

/**
 * XP coefficient errors: the real DR3 error pattern of a G ≈ 13.2 star (the "faint"
 * template of xp/dr3-templates.json; its sampled fluxes have S/N ≈ 100–180 per 10 nm)
 * scaled with brightness. With x = c0/c0_template of the band, the variance scales as
 * background + photon·x + calibration·x² (the fractions at x = 1; rough, chosen so that
 * G = 17.5 gives S/N ≈ 15 per 10 nm pixel and G = 9 a few hundred), and as
 * 1/n_transits (template: ~40 transits). Per-coefficient log-normal scatter 5 %.
 */
export const XP_NOISE = {
  varianceAtTemplate: { background: 0.03, photon: 0.8, calibration: 0.17 },
  referenceTransits: 40,
  perCoefficientLnScatter: 0.05,
  /** Brighter than this G, the bright (G ≈ 8.7) source's correlation pattern is used. */
  brightTemplateBelowG: 11,
  /** bp/rp_standard_deviation: log-normal around 1.07, σ_ln 0.04 (the real rows: 1.05–1.32). */
  standardDeviation: { median: 1.07, lnSd: 0.04, binaryExtra: 0.15 },
  /** Samples per transit (real rows: n_measurements ≈ 58 × transits). */
  samplesPerTransit: 58,
  rejectedFraction: 0.004,
  solutionId: 4545469030156206080n,
  basisFunctionId: { bp: 56, rp: 57 },
  /** n_relevant_bases counts coefficients with |c| > this many σ. */
  relevantSigma: 3,
} as const;

/** Gaia transits over the mission: most near |β| ≈ 45° (scanning law), rough. */
export const TRANSITS = { base: 28, peakExtra: 28, peakEclLatDeg: 45, peakWidthDeg: 15, scatter: 5, min: 12 } as const;

/**
 * Gaia DR3 astrometry. Parallax error (µas) = sqrt(40 + 800 z + 30 z²), z = 10^(0.4
 * (max(G, 13) − 15)): the EDR3 science-performance fit (Gaia Collaboration,
 * Lindegren et al. 2021 Fig./Table), times a per-star scan factor (log-normal, 15 %)
 * and √(40 / transits). Solutions: 6-parameter ~2 % (more in crowded fields),
 * 2-parameter 0.2 % (no parallax).
 */
export const ASTROMETRY = {
  parallaxErrorUas: { a: 40, b: 800, c: 30, gFloor: 13 },
  scanLnScatter: 0.15,
  /** 6-parameter solutions and unresolved binaries have larger errors (rough). */
  sixParameterErrorFactor: 1.5,
  binaryErrorFactor: 1.3,
  sixParameterBase: 0.02,
  sixParameterCrowded: 0.1,
  twoParameter: 0.002,
  pseudocolourError: 0.02,
  gMagError: { floor: 0.0003, at17: 0.0015 },
  ruwe: { lnSd: 0.06, binaryProbability: 0.6, binaryMin: 1.4, binaryMeanExtra: 1.0, spuriousMeanExtra: 0.6 },
  excessTail: { probability: 0.03, meanExtra: 0.08, crowdedProbability: 0.3, binaryProbability: 0.1 },
  /** fidelity_v2 of good solutions: 1 − Exp(mean), lowered by up to this in crowded fields. */
  fidelity: { offMean: 0.005, crowdedDrop: 0.3 },
} as const;

/**
 * Parallax defects: offset of U(5, 25) σ, either sign; fidelity_v2 low for 70 % of them
 * (Rybizki et al. 2022 find most spurious solutions below 0.5), RUWE raised for half.
 */
export const SPURIOUS = { minSigma: 5, maxSigma: 25, lowFidelityShare: 0.7, raisedRuweShare: 0.5 } as const;

/**
 * Crowding (rough): a star has a neighbour (norm_dg not null) with probability
 * base + slope · c, c = exp(−|b|/6°) · (0.5 + 0.5 exp(−θ_GC/30°)); norm_dg = 2 − 32 u^(1+2c)
 * so crowded fields sit higher (Rybizki et al. 2022 use norm_dg > −5 as "crowded").
 */
export const CROWDING = { neighbourBase: 0.08, neighbourSlope: 0.6, latitudeScaleDeg: 6, bulgeScaleDeg: 30 } as const;

/**
 * LAMOST DR8 LRS (Luo et al. 2015; DR8 release notes): S/N in r ≈ 20 at G = 17 with
 * an exposure/weather scatter of 0.3 dex in ln; label errors from S/N in g with
 * floors (DR8 LASP: ~20–150 K, 0.03–0.2 dex). Hot Payne (Xiang et al. 2022) labels
 * stars above 7000 K; LASP stops near 8000 K, so 7000–8000 K stars have both.
 */
export const LAMOST = {
  snrAtG17: 20,
  snrLnScatter: 0.3,
  snrMax: 900,
  teffErr: { floor: 20, perSnr: 1500 },
  /** Errors grow away from solar-type stars: × (1 + a ((Teff − centre)/width)²). */
  typeFactor: { a: 0.5, centreK: 5500, widthK: 2500 },
  loggErr: { floor: 0.03, perSnr: 2.0 },
  fehErr: { floor: 0.02, perSnr: 1.2 },
  lastpMaxTeff: 8000,
  hotPayneMinTeff: 7000,
  hotPayne: { teffRelFloor: 0.02, loggFloor: 0.05, loggPerSnr: 1.5, fehFloor: 0.1, fehPerSnr: 2.5 },
  /** Share of rows that carry gaia_source_id (the rest need a positional match). */
  withGaiaId: 0.9,
  positionSigmaArcsec: 0.1,
  /** LAMOST input-catalogue positions are J2000-epoch (UCAC4, PPMXL, 2MASS). */
  epochYear: 2000,
  /** Wrong log g: shifted toward the other branch by U(1, 2) dex. */
  wrongLogg: { min: 1, max: 2 },
  /** Reference wavelengths (nm) of the S/N bands g, r, i, z. */
  bandsNm: [470, 620, 750, 890],
  obsidBase: 100_000_000,
} as const;

/**
 * 2MASS PSC (Skrutskie et al. 2006): 10σ at J 15.8, H 15.1, Ks 14.3; msigcom includes
 * ~0.015 mag calibration; ph_qual A/B/C/D for S/N ≥ 10/7/5/3, U below; a source
 * enters the PSC when some band has S/N ≥ 7. Epoch ≈ 1999.
 */
export const TMASS = {
  tenSigmaMag: [15.8, 15.1, 14.3],
  calibrationMag: 0.015,
  detectionSnr: 7,
  qualitySnr: { A: 10, B: 7, C: 5, D: 3 },
  badFitProbability: 0.005,
  positionSigmaArcsec: 0.08,
  epochYear: 1999,
  ptsKeyBase: 200_000_000,
} as const;

/**
 * unWISE (Schlafly et al. 2019): 5σ ≈ 17.6 (W1) and 16.4 (W2) Vega, rough; 0.5 %
 * flux calibration; fracflux ≈ 1 when isolated, qf < 0.8 for ~3 % (masks). Epoch ≈ 2012.
 */
export const UNWISE = {
  fiveSigmaMag: [17.6, 16.4],
  calibrationFraction: 0.005,
  detectionSnr: 5,
  fracfluxOffMean: 0.01,
  qfOffMean: 0.003,
  lowQfProbability: 0.03,
  lowQfRange: [0.3, 0.8],
  positionSigmaArcsec: { floor: 0.05, perSnr: 1.5 },
  epochYear: 2012,
} as const;

/** Gaia's reference epoch and the disk's velocity dispersion for proper motions (rough). */
export const EPOCH = { gaiaYear: 2016, tangentialVelocitySdKms: 35, kmsPerMasYrAtKpc: 4.74047 } as const;

/**
 * Reddening prior: Bayestar19-like, σ_E = sqrt(0.02² + (0.12 E)²) with a 20 % spread
 * (Green et al. 2019); beyond |z| = 400 pc the SFD-like total column with 10 %
 * uncertainty (docs/method.md §1).
 */
export const REDDENING_PRIOR = {
  floor: 0.02,
  relative: 0.12,
  spreadLn: 0.2,
  sfdAboveKpc: 0.4,
  sfdRelative: 0.1,
  sfdFloor: 0.01,
} as const;

/**
 * Extra, unmatched catalogue sources (faint stars without XP spectra, galaxies in
 * unWISE): placed 1.5–30″ from a star; their magnitudes and labels (rough).
 */
export const UNMATCHED = {
  minArcsec: 1.5,
  maxArcsec: 30,
  tmassJ: [13.5, 16],
  tmassJMinusH: [0.3, 0.8],
  tmassHMinusK: [0.05, 0.35],
  unwiseW1: [14, 17],
  unwiseW1MinusW2: [-0.2, 0.3],
  lamostTeff: [4000, 6500],
  lamostLogg: [4.0, 4.7],
  lamostFeh: { mean: -0.2, sd: 0.3 },
  lamostSnr: [3, 20],
  /** Share that carry a gaia_source_id (of a faint Gaia source, absent from gaia_source). */
  lamostWithGaiaId: 0.5,
} as const;

/** Positional defects: offsets of U(1, 3)″ in a random direction. */
export const POSITION_OFFSET = { minArcsec: 1, maxArcsec: 3 } as const;

/**
 * Contaminated NIR (defect): a blended neighbour adds k·(1, 1.1, 1.2, 1.5, 1.6) of the
 * flux, k ~ U(0.2, 1). Crowded fields (norm_dg above the pipeline's gates) get a
 * neighbour's light too: U(0.05, 0.6) in 2MASS, U(0.1, 1) in unWISE (rough).
 */
export const CONTAMINATION = {
  min: 0.2,
  max: 1,
  bandFactor: [1, 1.1, 1.2, 1.5, 1.6],
  crowdedTmass: [0.05, 0.6],
  crowdedUnwise: [0.1, 1],
} as const;
