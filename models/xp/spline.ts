/**
 * Cubic spline interpolation with not-a-knot ends: the curve scipy's
 * `splrep(x, y, s=0)` + `splev` gives (knots at the data, x[1] and x[n-2] not knots),
 * which GaiaXPy uses for the dispersion and response tables. Extrapolates with the
 * end polynomials, as splev does by default.
 */
export interface CubicSpline {
  readonly x: Float64Array;
  readonly y: Float64Array;
  /** First derivative at each knot. */
  readonly slope: Float64Array;
}

export function notAKnotSpline(xIn: ArrayLike<number>, yIn: ArrayLike<number>): CubicSpline {
  const n = xIn.length;
  if (n !== yIn.length) throw new Error(`spline: ${n} x values but ${yIn.length} y values`);
  if (n < 4) throw new Error(`spline: need at least 4 points, got ${n}`);
  const x = Float64Array.from(xIn);
  const y = Float64Array.from(yIn);
  const dx = new Float64Array(n - 1);
  const secant = new Float64Array(n - 1);
  for (let i = 0; i < n - 1; i++) {
    dx[i] = x[i + 1] - x[i];
    if (!(dx[i] > 0)) throw new Error(`spline: x must increase strictly (x[${i}]=${x[i]}, x[${i + 1}]=${x[i + 1]})`);
    secant[i] = (y[i + 1] - y[i]) / dx[i];
  }
  // Tridiagonal system for the knot slopes (sub, diag, sup, rhs).
  const sub = new Float64Array(n);
  const diag = new Float64Array(n);
  const sup = new Float64Array(n);
  const rhs = new Float64Array(n);
  for (let i = 1; i < n - 1; i++) {
    sub[i] = dx[i];
    diag[i] = 2 * (dx[i - 1] + dx[i]);
    sup[i] = dx[i - 1];
    rhs[i] = 3 * (dx[i] * secant[i - 1] + dx[i - 1] * secant[i]);
  }
  const span0 = x[2] - x[0];
  diag[0] = dx[1];
  sup[0] = span0;
  rhs[0] = ((dx[0] + 2 * span0) * dx[1] * secant[0] + dx[0] * dx[0] * secant[1]) / span0;
  const spanN = x[n - 1] - x[n - 3];
  sub[n - 1] = spanN;
  diag[n - 1] = dx[n - 3];
  rhs[n - 1] = (dx[n - 2] * dx[n - 2] * secant[n - 3] + (2 * spanN + dx[n - 2]) * dx[n - 3] * secant[n - 2]) / spanN;
  return { x, y, slope: solveTridiagonal(sub, diag, sup, rhs) };
}

/** Evaluates the spline at t (cubic Hermite form on the interval holding t). */
export function evaluateSpline(s: CubicSpline, t: number): number {
  const { x, y, slope } = s;
  const i = intervalOf(x, t);
  const h = x[i + 1] - x[i];
  const secant = (y[i + 1] - y[i]) / h;
  const u = t - x[i];
  const c2 = (3 * secant - 2 * slope[i] - slope[i + 1]) / h;
  const c3 = (slope[i] + slope[i + 1] - 2 * secant) / (h * h);
  return y[i] + u * (slope[i] + u * (c2 + u * c3));
}

function intervalOf(x: Float64Array, t: number): number {
  let lo = 0;
  let hi = x.length - 2;
  if (t <= x[0]) return 0;
  if (t >= x[hi]) return hi;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid] <= t) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * Solves a tridiagonal system by Gaussian elimination with partial pivoting
 * (LAPACK gtsv): the not-a-knot end rows are not diagonally dominant.
 * sub[i] multiplies u[i-1], sup[i] multiplies u[i+1].
 */
export function solveTridiagonal(
  subIn: Float64Array,
  diagIn: Float64Array,
  supIn: Float64Array,
  rhsIn: Float64Array,
): Float64Array {
  const n = diagIn.length;
  const dl = subIn.slice(1); // dl[i] = A[i+1][i]
  const d = diagIn.slice();
  const du = supIn.slice(0, n - 1); // du[i] = A[i][i+1]
  const du2 = new Float64Array(Math.max(n - 2, 0)); // fill-in A[i][i+2] after a swap
  const b = rhsIn.slice();
  for (let i = 0; i < n - 1; i++) {
    if (Math.abs(d[i]) >= Math.abs(dl[i])) {
      const f = dl[i] / d[i];
      d[i + 1] -= f * du[i];
      b[i + 1] -= f * b[i];
      if (i < n - 2) du2[i] = 0;
    } else {
      const f = d[i] / dl[i];
      d[i] = dl[i];
      const tmp = d[i + 1];
      d[i + 1] = du[i] - f * tmp;
      if (i < n - 2) {
        du2[i] = du[i + 1];
        du[i + 1] = -f * du2[i];
      }
      du[i] = tmp;
      const tb = b[i];
      b[i] = b[i + 1];
      b[i + 1] = tb - f * b[i + 1];
    }
  }
  const u = new Float64Array(n);
  u[n - 1] = b[n - 1] / d[n - 1];
  if (n > 1) u[n - 2] = (b[n - 2] - du[n - 2] * u[n - 1]) / d[n - 2];
  for (let i = n - 3; i >= 0; i--) u[i] = (b[i] - du[i] * u[i + 1] - du2[i] * u[i + 2]) / d[i];
  return u;
}
