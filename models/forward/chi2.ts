/**
 * χ² = |W (exp(ln f_pred) − f_obs)|² per star as one differentiable op on ln f_pred
 * [B, 66] → [B], with its gradient f_pred ⊙ 2 Wᵀ W r written out (missing f_obs → 0;
 * W's zero rows and columns drop them). Two kernels:
 * - 'host': exp and residual in JS, W r and Wᵀu on the lower triangle only, by the
 *   SIMD WebAssembly kernel (wasm/whiten-kernel.ts) or, without SIMD, plain loops
 *   (whitening.ts). No Exp kernel (a scalar loop on tfjs-wasm), no [B, 66, 66] tensor;
 *   the fastest on the wasm and cpu backends.
 * - 'tensor': tf ops with one batched matMul on an uploaded [B, 66, 66] tensor (the form
 *   for tfjs-node / GPU); the backward is uᵀW, so no operand is transposed.
 */
import * as tf from '@tensorflow/tfjs';
import { N_FLUX } from './config.js';
import type { SpectraSource } from './data.js';
import { V_STRIDE, type WhitenKernel } from './wasm/whiten-kernel.js';
import { whitenLower, whitenLowerTransposed } from './whitening.js';

export type Chi2Kernel = 'host' | 'tensor';

/** ln f_pred [B, 66] → χ² [B]. */
export type Chi2Op = (lnPred: tf.Tensor2D) => tf.Tensor1D;

const M = N_FLUX;

/** pred = exp(lnPred) (count×66, Float64) and r = pred − obs written by `put(k, r)`. */
function residuals(
  spectra: SpectraSource,
  stars: Int32Array,
  count: number,
  lnPred: ArrayLike<number>,
  put: (k: number, r: Float64Array) => void,
): Float64Array {
  const pred = new Float64Array(count * M);
  const r = new Float64Array(M);
  for (let k = 0; k < count; k++) {
    const obs = spectra.fluxOf(stars[k]);
    for (let j = 0; j < M; j++) {
      const p = (pred[k * M + j] = Math.exp(lnPred[k * M + j]));
      r[j] = p - (Number.isNaN(obs[j]) ? 0 : obs[j]);
    }
    put(k, r);
  }
  return pred;
}

/** The host kernel for the given stars (count of them, in batch order). */
export function hostChi2(spectra: SpectraSource, stars: Int32Array, count: number, simd?: WhitenKernel): Chi2Op {
  return tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const lnPred = (args[0] as tf.Tensor2D).dataSync();
    let chi2: Float32Array;
    let pred: Float64Array;
    const u = new Float64Array(simd ? 0 : count * M);
    if (simd) {
      const slot = simd.slots();
      for (let k = 0; k < count; k++) slot.w(k).set(spectra.whiteningOf(stars[k]));
      pred = residuals(spectra, stars, count, lnPred, (k, r) => slot.r(k).set(r));
      chi2 = simd.forward(count);
    } else {
      chi2 = new Float32Array(count);
      pred = residuals(
        spectra,
        stars,
        count,
        lnPred,
        (k, r) => (chi2[k] = whitenLower(spectra.whiteningOf(stars[k]), 0, r, 0, u, k * M)),
      );
    }
    return {
      value: tf.tensor1d(chi2),
      gradFunc: (dy: tf.Tensor) => {
        // A weight-0 star (non-finite χ²) gives 0, not 0·∞.
        const scale = Float32Array.from(dy.dataSync(), (d) => 2 * d);
        const g = new Float32Array(count * M);
        const gs = simd?.backward(scale, count);
        for (let k = 0; k < count; k++) {
          if (scale[k] === 0) continue;
          if (gs) for (let j = 0; j < M; j++) g[k * M + j] = gs[k * V_STRIDE + j];
          else whitenLowerTransposed(spectra.whiteningOf(stars[k]), 0, u, k * M, scale[k], g, k * M);
          for (let j = 0; j < M; j++) g[k * M + j] *= pred[k * M + j];
        }
        return tf.tensor2d(g, [count, M]);
      },
    };
  }) as Chi2Op;
}

/** The tensor kernel; `flux` count×66 (missing → 0), `whitening` count×66×66. */
export function tensorChi2(flux: Float32Array, whitening: Float32Array, count: number): Chi2Op {
  return tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const save = args[1] as tf.GradSaveFunc;
    const pred = tf.exp(args[0] as tf.Tensor2D);
    const obs = tf.tensor2d(flux.subarray(0, count * M), [count, M]);
    const w = tf.tensor3d(whitening.subarray(0, count * M * M), [count, M, M]);
    const u = tf.reshape(tf.matMul(w, tf.reshape(tf.sub(pred, obs), [count, M, 1])), [count, 1, M]);
    save([w, u, pred]);
    return {
      value: tf.sum(tf.mul(u, u), [1, 2]) as tf.Tensor1D,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [ws, us, ps] = saved as [tf.Tensor3D, tf.Tensor3D, tf.Tensor2D];
        const g = tf.mul(tf.reshape(tf.matMul(us, ws), [count, M]), ps);
        const d = tf.broadcastTo(tf.reshape(tf.mul(dy, 2), [count, 1]), [count, M]);
        return tf.where(tf.equal(d, 0), tf.zerosLike(g), tf.mul(g, d));
      },
    };
  }) as Chi2Op;
}
