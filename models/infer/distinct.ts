/**
 * When two solutions of one star count as different local optima (the second-solution
 * check, and the choice of distinct starts): |Δlog g| > 0.5 dex, or |ΔTeff|/Teff > 10 %,
 * or |ΔE| > 0.1. Smaller differences are one optimum reached twice (or a start that would
 * lead to it), at the scale of the catalogue's typical uncertainties.
 */
import { LN_E } from './posterior.js';

export const DISTINCT_LOGG = 0.5;
export const DISTINCT_TEFF_REL = 0.1;
export const DISTINCT_E = 0.1;

/** Whether parameter vectors a and b (p = Θ0, Θ1, Θ2, ln E, ln ϖ) are distinct solutions. */
export function distinctSolutions(a: ArrayLike<number>, ao: number, b: ArrayLike<number>, bo: number): boolean {
  if (Math.abs(a[ao + 2] - b[bo + 2]) > DISTINCT_LOGG) return true;
  const ta = a[ao];
  const tb = b[bo];
  if (Math.abs(ta - tb) > DISTINCT_TEFF_REL * Math.min(Math.abs(ta), Math.abs(tb))) return true;
  return Math.abs(Math.exp(a[ao + LN_E]) - Math.exp(b[bo + LN_E])) > DISTINCT_E;
}

/** Dwarf-like (log g > 3.5) rather than giant-like. */
export function isDwarf(p: ArrayLike<number>, o = 0): boolean {
  return p[o + 2] > 3.5;
}
