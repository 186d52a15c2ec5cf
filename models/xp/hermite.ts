/**
 * Normalised Hermite functions ψ_n(x) = (2ⁿ n! √π)^(-1/2) H_n(x) e^(−x²/2), by the
 * stable three-term recurrence GaiaXPy uses:
 * ψ0 = π^(-1/4) e^(−x²/2), ψ1 = √2 x ψ0, ψn = √(2/n) x ψ(n−1) − √((n−1)/n) ψ(n−2).
 * Writes ψ_0..ψ_{out.length−1} at x into out.
 */
export function hermiteFunctions(x: number, out: Float64Array): Float64Array {
  const n = out.length;
  if (n === 0) return out;
  out[0] = Math.PI ** -0.25 * Math.exp(-0.5 * x * x);
  if (n > 1) out[1] = Math.SQRT2 * x * out[0];
  for (let k = 2; k < n; k++) {
    out[k] = Math.sqrt(2 / k) * x * out[k - 1] - Math.sqrt((k - 1) / k) * out[k - 2];
  }
  return out;
}
