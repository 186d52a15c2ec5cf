/**
 * A dense layer y = act(x·W + b) with its own gradient. tfjs's autodiff computes
 * dx = dy·Wᵀ and dW = xᵀ·dy as matMuls with transposed operands, which the wasm
 * backend runs through a slow generic loop (5–10× slower at our shapes); here the
 * caller passes Wᵀ (a host-side copy, as the model keeps its weights on the host) and
 * x is transposed by the Transpose kernel, so every matMul is plain (false, false).
 */
import * as tf from '@tensorflow/tfjs';

export type Activation = 'tanh' | 'relu' | 'sigmoid' | 'linear';
export const ACTIVATIONS: readonly Activation[] = ['tanh', 'relu', 'sigmoid', 'linear'];

/**
 * act(z). On wasm tanh is computed as 2σ(2z) − 1: that backend's Tanh kernel is a
 * scalar loop, its Sigmoid XNNPACK's vectorised one (4× faster at [512, 32]); the other
 * backends' own Tanh is faster than the four ops.
 */
function activate(z: tf.Tensor2D, act: Activation): tf.Tensor2D {
  switch (act) {
    case 'tanh':
      return tf.getBackend() === 'wasm' ? tf.sub(tf.mul(tf.sigmoid(tf.mul(z, 2)), 2), 1) : tf.tanh(z);
    case 'relu':
      return tf.relu(z);
    case 'sigmoid':
      return tf.sigmoid(z);
    case 'linear':
      return z;
  }
}

/** dL/dz from dL/dy and y = act(z). */
function activationGrad(dy: tf.Tensor2D, y: tf.Tensor2D, act: Activation): tf.Tensor2D {
  switch (act) {
    case 'tanh':
      return tf.mul(dy, tf.sub(1, tf.mul(y, y)));
    case 'relu':
      return tf.mul(dy, tf.step(y));
    case 'sigmoid':
      return tf.mul(dy, tf.mul(y, tf.sub(1, y)));
    case 'linear':
      return dy;
  }
}

/**
 * y = act(x·w + b) for x [batch, in], w [in, out], wT = wᵀ [out, in] (not
 * differentiated: its gradient is w's), b [out]. Gradients flow to x, w and b.
 */
export function dense(x: tf.Tensor2D, w: tf.Tensor2D, wT: tf.Tensor2D, b: tf.Tensor1D, act: Activation): tf.Tensor2D {
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xi, wi, bi] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
    const save = args[3] as tf.GradSaveFunc;
    const y = activate(tf.add(tf.matMul(xi, wi), bi), act);
    save([xi, y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ys] = saved as [tf.Tensor2D, tf.Tensor2D];
        const dz = activationGrad(dy as tf.Tensor2D, ys, act);
        return [tf.matMul(dz, wT), tf.matMul(tf.transpose(xs), dz), tf.sum(dz, 0)];
      },
    };
  });
  return op(x, w, b) as tf.Tensor2D;
}

/** The same layer through tfjs's own ops and autodiff (reference for tests and benchmarks). */
export function denseAutodiff(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, act: Activation): tf.Tensor2D {
  const z = tf.add<tf.Tensor2D>(tf.matMul(x, w), b);
  return act === 'tanh' ? tf.tanh(z) : activate(z, act);
}
