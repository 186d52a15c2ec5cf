// @ts-nocheck — AssemblyScript, compiled by asc (not tsc) into whiten-binary.ts:
//   npx asc models/forward/wasm/whiten.as.ts -o /tmp/whiten.wasm -O3 --runtime stub --noAssert --enable simd
//   node models/forward/wasm/embed.mjs /tmp/whiten.wasm  (or see test/forward-kernels.test.ts)
//
// The χ² kernel of the forward model for a batch of stars, with f32x4 SIMD:
// per star k, W_k is a lower-triangular 66×66 f32 matrix (row-major, stride W_STRIDE
// floats), r_k, u_k and g_k are 66-vectors at stride V_STRIDE (68, 16-byte rows).
//   forward:  u_k = W_k r_k,  chi2_k = |u_k|²
//   backward: g_k = scale_k · W_kᵀ u_k
// Only the lower triangle of W is read.

const M: i32 = 66;
const W_STRIDE: i32 = 66 * 66;
const V_STRIDE: i32 = 68;

export function alloc(bytes: i32): usize {
  return heap.alloc(<usize>bytes);
}

function rowDot(row: usize, r: usize, n: i32): f32 {
  let acc = f32x4.splat(0);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    acc = f32x4.add(acc, f32x4.mul(v128.load(row + <usize>(j << 2)), v128.load(r + <usize>(j << 2))));
  }
  let s: f32 = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
  for (; j < n; j++) s += load<f32>(row + <usize>(j << 2)) * load<f32>(r + <usize>(j << 2));
  return s;
}

function rowAxpy(row: usize, a: f32, g: usize, n: i32): void {
  const av = f32x4.splat(a);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const p = g + <usize>(j << 2);
    v128.store(p, f32x4.add(v128.load(p), f32x4.mul(v128.load(row + <usize>(j << 2)), av)));
  }
  for (; j < n; j++) {
    const p = g + <usize>(j << 2);
    store<f32>(p, load<f32>(p) + load<f32>(row + <usize>(j << 2)) * a);
  }
}

export function forward(w: usize, r: usize, u: usize, chi2: usize, count: i32): void {
  for (let k = 0; k < count; k++) {
    const wk = w + <usize>(k * W_STRIDE * 4);
    const rk = r + <usize>(k * V_STRIDE * 4);
    const uk = u + <usize>(k * V_STRIDE * 4);
    let c: f32 = 0;
    for (let i = 0; i < M; i++) {
      const s = rowDot(wk + <usize>(i * M * 4), rk, i + 1);
      store<f32>(uk + <usize>(i << 2), s);
      c += s * s;
    }
    store<f32>(chi2 + <usize>(k << 2), c);
  }
}

export function backward(w: usize, u: usize, scale: usize, g: usize, count: i32): void {
  for (let k = 0; k < count; k++) {
    const wk = w + <usize>(k * W_STRIDE * 4);
    const uk = u + <usize>(k * V_STRIDE * 4);
    const gk = g + <usize>(k * V_STRIDE * 4);
    const sk = load<f32>(scale + <usize>(k << 2));
    for (let j = 0; j < V_STRIDE; j += 4) v128.store(gk + <usize>(j << 2), f32x4.splat(0));
    if (sk == 0) continue;
    for (let i = 0; i < M; i++) {
      const a = sk * load<f32>(uk + <usize>(i << 2));
      if (a != 0) rowAxpy(wk + <usize>(i * M * 4), a, gk, i + 1);
    }
  }
}
