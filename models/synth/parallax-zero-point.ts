/**
 * The parallax zero point the synthetic sky adds to its observed parallaxes: Lindegren
 * et al. (2021), the same function (models/astrometry) the pipeline subtracts, so a
 * correct pipeline cancels it exactly. Outside the calibrated G and colour ranges it is
 * clamped/extrapolated as the gaiadr3-zeropoint package does with warnings on.
 */
import { parallaxZeroPointExtrapolated } from '../astrometry/lindegren2021.js';

export function lindegren2021ZeroPoint(
  g: number,
  nuEff: number,
  pseudocolour: number,
  eclLatDeg: number,
  astrometricParamsSolved: number,
): number {
  return parallaxZeroPointExtrapolated(g, nuEff, pseudocolour, eclLatDeg, astrometricParamsSolved);
}
