/**
 * The SIMD WebAssembly χ² kernel (whiten.as.ts, embedded by whiten-binary.ts) behind a
 * small API: a batch's whitening factors are copied into the kernel's memory once, the
 * forward pass gives u = W r and χ² = |u|², the backward pass g = s·Wᵀu. About 5× the
 * plain-JS loops (whitening.ts), which remain the fallback where SIMD is unavailable.
 */
import { N_FLUX } from '../config.js';
import { WHITEN_WASM_BASE64 } from './whiten-binary.js';

const M = N_FLUX;
const MM = M * M;
/** Vector stride in floats (16-byte rows), as in whiten.as.ts. */
export const V_STRIDE = 68;

interface Exports {
  memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  forward(w: number, r: number, u: number, chi2: number, count: number): void;
  backward(w: number, u: number, scale: number, g: number, count: number): void;
}

export class WhitenKernel {
  private readonly e: Exports;
  private readonly w: number;
  private readonly r: number;
  private readonly u: number;
  private readonly g: number;
  private readonly chi2: number;
  private readonly scale: number;

  private constructor(
    module: WebAssembly.Module,
    readonly capacity: number,
  ) {
    this.e = new WebAssembly.Instance(module, {
      env: {
        abort: () => {
          throw new Error('whiten.wasm aborted');
        },
      },
    }).exports as unknown as Exports;
    const vBytes = capacity * V_STRIDE * 4;
    this.w = this.e.alloc(capacity * MM * 4);
    this.r = this.e.alloc(vBytes);
    this.u = this.e.alloc(vBytes);
    this.g = this.e.alloc(vBytes);
    this.chi2 = this.e.alloc(capacity * 4);
    this.scale = this.e.alloc(capacity * 4);
  }

  /** A kernel for up to `capacity` stars per batch, or undefined without WebAssembly SIMD. */
  static create(capacity: number): WhitenKernel | undefined {
    try {
      return new WhitenKernel(new WebAssembly.Module(Buffer.from(WHITEN_WASM_BASE64, 'base64')), capacity);
    } catch {
      return undefined;
    }
  }

  private heap(): Float32Array {
    return new Float32Array(this.e.memory.buffer);
  }

  /** Slot k's whitening factor and residual, to be filled before forward(). */
  slots(): { w: (k: number) => Float32Array; r: (k: number) => Float32Array } {
    const h = this.heap();
    return {
      w: (k) => h.subarray(this.w / 4 + k * MM, this.w / 4 + (k + 1) * MM),
      r: (k) => h.subarray(this.r / 4 + k * V_STRIDE, this.r / 4 + k * V_STRIDE + M),
    };
  }

  /** χ²_k = |W_k r_k|² for k < count (keeps u for backward). */
  forward(count: number): Float32Array {
    this.check(count);
    this.e.forward(this.w, this.r, this.u, this.chi2, count);
    return this.heap().slice(this.chi2 / 4, this.chi2 / 4 + count);
  }

  /** g_k = scale_k · W_kᵀ u_k; returns the g region (stride V_STRIDE), valid until the next call. */
  backward(scale: ArrayLike<number>, count: number): Float32Array {
    this.check(count);
    const h = this.heap();
    for (let k = 0; k < count; k++) h[this.scale / 4 + k] = scale[k];
    this.e.backward(this.w, this.u, this.scale, this.g, count);
    return h.subarray(this.g / 4, this.g / 4 + count * V_STRIDE);
  }

  private check(count: number): void {
    if (count > this.capacity) throw new Error(`whiten kernel: batch of ${count} > capacity ${this.capacity}`);
  }
}
