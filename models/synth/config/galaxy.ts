/**
 * The synthetic Milky Way: where stars are, how metal-rich they are, and where the
 * dust is. Each number carries its source; where the value is a deliberately rough
 * stand-in, the comment says so. Nothing here is used by the pipeline.
 */

/** Sun: R0 from Bland-Hawthorn & Gerhard 2016 (8.2 ± 0.1 kpc); z0 from Bennett & Bovy 2019 (20.8 pc). */
export const SUN = { galactocentricRadiusKpc: 8.2, heightKpc: 0.0208 } as const;

export type ComponentName = 'thin' | 'thick' | 'halo';

export interface DiskComponent {
  scaleLengthKpc: number;
  scaleHeightKpc: number;
  /** [Fe/H]: mean and spread (no radial gradient: labels are drawn before positions). */
  fehMean: number;
  fehSd: number;
}

/**
 * Thin and thick disks: scale lengths/heights from Bland-Hawthorn & Gerhard 2016
 * (thin 2.6 / 0.3 kpc, thick 2.0 / 0.9 kpc); metallicities from Hayden et al. 2015
 * (thin ≈ −0.05 ± 0.2 near the Sun; thick/α-rich ≈ −0.55 ± 0.25).
 * "halo" is a crude stand-in for the metal-poor inner halo as a very thick
 * exponential (a G < 17.65 sample holds ~1–2 % such stars), [Fe/H] ≈ −1.5 ± 0.45
 * (e.g. Ivezić et al. 2008).
 */
export const COMPONENTS: Record<ComponentName, DiskComponent> = {
  thin: { scaleLengthKpc: 2.6, scaleHeightKpc: 0.3, fehMean: -0.05, fehSd: 0.2 },
  thick: { scaleLengthKpc: 2.0, scaleHeightKpc: 0.9, fehMean: -0.55, fehSd: 0.25 },
  halo: { scaleLengthKpc: 3.5, scaleHeightKpc: 2.5, fehMean: -1.5, fehSd: 0.45 },
};

/** [Fe/H] is kept within the range spectroscopic surveys label (LAMOST LASP: −2.5 … +0.5). */
export const FEH_RANGE = { min: -2.5, max: 0.5 } as const;

/** Stars are placed no farther than this (the disk components hold ≪ 1 % of their mass beyond it). */
export const MAX_DISTANCE_KPC = 25;
/** Galactocentric radius beyond which the disks are truncated (stellar disk edge ~ 15–20 kpc). */
export const MAX_GALACTOCENTRIC_RADIUS_KPC = 20;

/**
 * Dust: an exponential layer. E(B−V) per kpc in the plane at the Sun ≈ 0.25 (A_V ≈ 0.8
 * mag/kpc, the classic local value, e.g. Whittet 2003); scale height 0.1 kpc and scale
 * length 3 kpc after Drimmel & Spergel 2001 (h_z ≈ 0.13 kpc, h_R ≈ 0.28 R0 with a
 * warp and arms we leave out). The column is multiplied by a log-normal patchiness
 * field over the sky (σ in ln, angular scales of ~5–30°) so that some sight lines
 * are clear and some dusty, as in real maps.
 */
export const DUST = {
  ePerKpcAtSun: 0.25,
  scaleHeightKpc: 0.1,
  scaleLengthKpc: 3.0,
  patchinessSigma: 0.6,
  patchinessModes: 24,
  /** Wavenumbers of the patchiness field's plane waves on the unit sphere (radians⁻¹). */
  patchinessWavenumber: { min: 6, max: 36 },
  /** Segments of the line-of-sight integral (z part exact, radial part per segment): at least this many… */
  integrationSegments: 8,
  /** …and none longer than this (kpc)… */
  maxSegmentKpc: 0.25,
  /** …up to where the sight line has left the layer by this many scale heights (e^−30 of the column is left). */
  layerEndHeights: 30,
} as const;

/**
 * R_V per star ~ N(3.1, 0.2), kept in [2.3, 4.5]: Schlafly et al. 2016 find a spread
 * σ(R_V) ≈ 0.18 around 3.3 in their normalisation; 3.1 is the CCM diffuse-ISM value.
 */
export const R_V = { mean: 3.1, sd: 0.2, min: 2.3, max: 4.5 } as const;
