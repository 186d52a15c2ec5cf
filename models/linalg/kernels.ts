/**
 * The dense float64 kernels behind the per-star covariance and whitening: the SIMD
 * WebAssembly build of kernels/linalg.ts (AssemblyScript) when it is there, else the
 * plain TypeScript reference below (same results to rounding; about 5x slower).
 * Buffers live in the kernels' memory: take a fresh view with array() after any
 * other allocation, since growing the memory detaches old views.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { choleskyInPlace, invertLowerTriangular } from './cholesky.js';
import { dot } from './dot.js';

export interface KernelBuffer {
  readonly ptr: number;
  readonly length: number;
  array(): Float64Array;
}

export interface LinalgKernels {
  readonly simd: boolean;
  buffer(length: number): KernelBuffer;
  /** C[i, j] = A_i · B_j for i < m, j < n; rows of length k; C row stride ldc. */
  gemmABt(a: KernelBuffer, b: KernelBuffer, c: KernelBuffer, m: number, n: number, k: number, ldc: number): void;
  /** Lower triangle only: C[i, j] = A_i · B_j for j ≤ i < m. */
  gemmABtLower(a: KernelBuffer, b: KernelBuffer, c: KernelBuffer, m: number, k: number, ldc: number): void;
  /** In-place lower Cholesky factor with a relative pivot floor; returns the floored count. */
  cholesky(a: KernelBuffer, m: number, floor: number): number;
  /** out = L⁻¹ for lower-triangular L. */
  invertLower(l: KernelBuffer, m: number, out: KernelBuffer): void;
}

interface WasmExports {
  memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  gemmABt(a: number, b: number, c: number, m: number, n: number, k: number, ldc: number): void;
  gemmABtLower(a: number, b: number, c: number, m: number, k: number, ldc: number): void;
  cholesky(a: number, m: number, floor: number): number;
  invertLower(l: number, m: number, out: number): void;
}

function wasmPath(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  // From models/linalg (sources, tests) or dist/models/linalg (compiled).
  return [
    join(here, '..', '..', 'dist', 'kernels', 'linalg.wasm'),
    join(here, '..', '..', 'kernels', 'linalg.wasm'),
  ].find((p) => existsSync(p));
}

function wasmKernels(path: string): LinalgKernels {
  const module = new WebAssembly.Module(readFileSync(path));
  const instance = new WebAssembly.Instance(module, {
    env: {
      abort: () => {
        throw new Error('linalg.wasm aborted');
      },
    },
  });
  const w = instance.exports as unknown as WasmExports;
  return {
    simd: true,
    buffer(length) {
      const ptr = w.alloc(length * 8);
      let view = new Float64Array(w.memory.buffer, ptr, length);
      return {
        ptr,
        length,
        array() {
          if (view.buffer !== w.memory.buffer) view = new Float64Array(w.memory.buffer, ptr, length);
          return view;
        },
      };
    },
    gemmABt: (a, b, c, m, n, k, ldc) => w.gemmABt(a.ptr, b.ptr, c.ptr, m, n, k, ldc),
    gemmABtLower: (a, b, c, m, k, ldc) => w.gemmABtLower(a.ptr, b.ptr, c.ptr, m, k, ldc),
    cholesky: (a, m, floor) => w.cholesky(a.ptr, m, floor),
    invertLower: (l, m, out) => w.invertLower(l.ptr, m, out.ptr),
  };
}

/** The TypeScript reference: identical contracts, no WebAssembly. */
export function typescriptKernels(): LinalgKernels {
  return {
    simd: false,
    buffer(length) {
      const view = new Float64Array(length);
      return { ptr: -1, length, array: () => view };
    },
    gemmABt(a, b, c, m, n, k, ldc) {
      const [av, bv, cv] = [a.array(), b.array(), c.array()];
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) cv[i * ldc + j] = dot(av, i * k, bv, j * k, k);
    },
    gemmABtLower(a, b, c, m, k, ldc) {
      const [av, bv, cv] = [a.array(), b.array(), c.array()];
      for (let i = 0; i < m; i++) for (let j = 0; j <= i; j++) cv[i * ldc + j] = dot(av, i * k, bv, j * k, k);
    },
    cholesky: (a, m, floor) => choleskyInPlace(a.array(), m, floor),
    invertLower: (l, m, out) => void invertLowerTriangular(l.array(), m, out.array()),
  };
}

let shared: LinalgKernels | undefined;

/** The process's kernels: WebAssembly SIMD unless XPFLOW_KERNELS=ts or the build is absent. */
export function linalgKernels(): LinalgKernels {
  if (!shared) {
    const path = process.env.XPFLOW_KERNELS === 'ts' ? undefined : wasmPath();
    shared = path ? wasmKernels(path) : typescriptKernels();
  }
  return shared;
}
