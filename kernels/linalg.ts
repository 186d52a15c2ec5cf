// AssemblyScript (compiled by `asc` to dist/kernels/linalg.wasm, see asconfig.json):
// the dense float64 kernels of the per-star covariance and whitening, with 128-bit
// SIMD. Measured on this project's 2-core machine: 0.23 ns per multiply-add against
// 1.35 ns for the best plain TypeScript loop (bench: npm run bench -- xp).
// Matrices are row-major; pointers are byte offsets into this module's memory.
// models/linalg/ holds the TypeScript reference the tests compare these against.

@inline
function dot(a: usize, b: usize, n: i32): f64 {
  let acc0 = f64x2.splat(0.0);
  let acc1 = f64x2.splat(0.0);
  let k: i32 = 0;
  for (; k + 3 < n; k += 4) {
    const o = <usize>k << 3;
    acc0 = f64x2.add(acc0, f64x2.mul(v128.load(a + o), v128.load(b + o)));
    acc1 = f64x2.add(acc1, f64x2.mul(v128.load(a + o, 16), v128.load(b + o, 16)));
  }
  const acc = f64x2.add(acc0, acc1);
  let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (; k < n; k++) s += load<f64>(a + (<usize>k << 3)) * load<f64>(b + (<usize>k << 3));
  return s;
}

@inline
function at(base: usize, index: i32): usize {
  return base + (<usize>index << 3);
}

/** Reserves bytes (16-byte aligned) for the caller's matrices; never freed. */
export function alloc(bytes: i32): usize {
  return heap.alloc(<usize>bytes);
}

/** C[i, j] = A_i · B_j for i < m, j < n (rows of length k; C has row stride ldc). */
export function gemmABt(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, ldc: i32): void {
  for (let i = 0; i < m; i++) {
    const ai = at(a, i * k);
    const ci = at(c, i * ldc);
    for (let j = 0; j < n; j++) store<f64>(at(ci, j), dot(ai, at(b, j * k), k));
  }
}

/** Lower triangle only: C[i, j] = A_i · B_j for j ≤ i < m. */
export function gemmABtLower(a: usize, b: usize, c: usize, m: i32, k: i32, ldc: i32): void {
  for (let i = 0; i < m; i++) {
    const ai = at(a, i * k);
    const ci = at(c, i * ldc);
    for (let j = 0; j <= i; j++) store<f64>(at(ci, j), dot(ai, at(b, j * k), k));
  }
}

/**
 * In-place lower Cholesky factor of the m×m matrix at a (lower triangle read, strict
 * upper zeroed). A pivot below floor·A_ii (or not positive) is raised to it; returns
 * how many were.
 */
export function cholesky(a: usize, m: i32, floor: f64): i32 {
  let floored: i32 = 0;
  for (let i = 0; i < m; i++) {
    const ri = at(a, i * m);
    for (let j = 0; j < i; j++) {
      const rj = at(a, j * m);
      store<f64>(at(ri, j), (load<f64>(at(ri, j)) - dot(ri, rj, j)) / load<f64>(at(rj, j)));
    }
    const aii = load<f64>(at(ri, i));
    let d = aii - dot(ri, ri, i);
    const minPivot = floor * Math.abs(aii);
    if (!(d > minPivot)) {
      d = minPivot > 0 ? minPivot : 5e-324;
      floored++;
    }
    store<f64>(at(ri, i), Math.sqrt(d));
    for (let j = i + 1; j < m; j++) store<f64>(at(ri, j), 0.0);
  }
  return floored;
}

/**
 * out = L⁻¹ for lower-triangular L (m×m): with Σ = L Lᵀ, Wᵀ W = Σ⁻¹ for W = L⁻¹.
 * Row i: W_i = (e_i − Σ_{k<i} L_ik W_k) / L_ii, as SIMD row updates.
 */
export function invertLower(l: usize, m: i32, out: usize): void {
  memory.fill(out, 0, <usize>(m * m) << 3);
  for (let i = 0; i < m; i++) {
    const li = at(l, i * m);
    const wi = at(out, i * m);
    for (let k = 0; k < i; k++) {
      const lik = f64x2.splat(-load<f64>(at(li, k)));
      const wk = at(out, k * m);
      let j: i32 = 0;
      for (; j + 1 <= k; j += 2) {
        const o = <usize>j << 3;
        v128.store(wi + o, f64x2.add(v128.load(wi + o), f64x2.mul(lik, v128.load(wk + o))));
      }
      for (; j <= k; j++) store<f64>(at(wi, j), load<f64>(at(wi, j)) - load<f64>(at(li, k)) * load<f64>(at(wk, j)));
    }
    const inv = 1.0 / load<f64>(at(li, i));
    for (let j = 0; j < i; j++) store<f64>(at(wi, j), load<f64>(at(wi, j)) * inv);
    store<f64>(at(wi, i), inv);
  }
}
