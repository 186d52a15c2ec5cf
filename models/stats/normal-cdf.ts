/**
 * ln Φ(u), the log of the standard normal CDF, and its derivative φ(u)/Φ(u) (the inverse
 * Mills ratio), accurate far into the lower tail where Φ itself underflows. erfc from
 * Numerical Recipes' Chebyshev fit (erfcc, relative error < 1.2·10⁻⁷ everywhere), kept in
 * log form so that ln erfc(x) = ln t − x² + P(t) never underflows.
 */

/** ln erfc(x) for x ≥ 0. */
function lnErfcNonNegative(x: number): number {
  const t = 1 / (1 + 0.5 * x);
  const p =
    -1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  return Math.log(t) - x * x + p;
}

/** ln Φ(u). */
export function lnNormalCdf(u: number): number {
  const x = -u / Math.SQRT2;
  // Φ(u) = erfc(−u/√2)/2; for u > 0 the argument is negative and erfc(x) = 2 − erfc(−x).
  if (x >= 0) return lnErfcNonNegative(x) - Math.LN2;
  return Math.log1p(-0.5 * Math.exp(lnErfcNonNegative(-x)));
}

const LN_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** d ln Φ(u)/du = φ(u)/Φ(u). */
export function normalCdfLogSlope(u: number): number {
  return Math.exp(-0.5 * u * u - LN_SQRT_2PI - lnNormalCdf(u));
}
