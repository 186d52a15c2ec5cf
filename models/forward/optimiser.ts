/**
 * Host-side optimisers on flat Float32Arrays. The model: SGD with momentum (Keras
 * convention v ← μv − lr g, p ← p + v) or Adam, after clipping the gradient's global
 * norm. The stars: plain SGD (the code's choice: a batch holds different stars each
 * step, so a shared momentum means nothing) or Adam with per-star moments and step
 * counts; each star's 5-gradient is clipped on its own. All state is exportable for
 * checkpoints.
 */
import { ADAM, N_LABELS, N_STAR_PARAMS } from './config.js';
import type { Algorithm } from './recipe.js';
import type { StarParams } from './stars.js';

/** Scales g[o … o+len) to norm ≤ max; returns the norm before clipping. */
export function clipByNorm(g: Float32Array, o: number, len: number, max: number): number {
  let s = 0;
  for (let i = o; i < o + len; i++) s += g[i] * g[i];
  const norm = Math.sqrt(s);
  if (norm > max) {
    const f = max / norm;
    for (let i = o; i < o + len; i++) g[i] *= f;
  }
  return norm;
}

export interface OptimiserState {
  algorithm: Algorithm;
  /** SGD velocity, or Adam first moments. */
  m: Float32Array;
  /** Adam second moments (empty for SGD). */
  v: Float32Array;
  /** Adam step counts (one for the model; one per star). */
  t: Float32Array;
}

function adamUpdate(
  p: Float32Array,
  pi: number,
  g: number,
  s: OptimiserState,
  mi: number,
  t: number,
  lr: number,
): void {
  const m = (s.m[mi] = ADAM.beta1 * s.m[mi] + (1 - ADAM.beta1) * g);
  const v = (s.v[mi] = ADAM.beta2 * s.v[mi] + (1 - ADAM.beta2) * g * g);
  const mHat = m / (1 - ADAM.beta1 ** t);
  const vHat = v / (1 - ADAM.beta2 ** t);
  p[pi] -= (lr * mHat) / (Math.sqrt(vHat) + ADAM.epsilon);
}

export class ModelOptimiser {
  readonly state: OptimiserState;

  constructor(
    size: number,
    algorithm: Algorithm,
    private readonly momentum: number,
  ) {
    this.state = {
      algorithm,
      m: new Float32Array(size),
      v: new Float32Array(algorithm === 'adam' ? size : 0),
      t: new Float32Array(1),
    };
  }

  step(params: Float32Array, grad: Float32Array, lr: number): void {
    const s = this.state;
    if (s.algorithm === 'sgd') {
      for (let i = 0; i < params.length; i++) {
        s.m[i] = this.momentum * s.m[i] - lr * grad[i];
        params[i] += s.m[i];
      }
      return;
    }
    const t = ++s.t[0];
    for (let i = 0; i < params.length; i++) adamUpdate(params, i, grad[i], s, i, t, lr);
  }
}

export class StarOptimiser {
  readonly state: OptimiserState;

  constructor(n: number, algorithm: Algorithm) {
    const adam = algorithm === 'adam';
    this.state = {
      algorithm,
      m: new Float32Array(adam ? n * N_STAR_PARAMS : 0),
      v: new Float32Array(adam ? n * N_STAR_PARAMS : 0),
      t: new Float32Array(adam ? n : 0),
    };
  }

  /** Applies grads (count × 5: Θ, ln E, ln ϖ) to the listed stars. */
  step(stars: StarParams, idx: Int32Array, count: number, grads: Float32Array, lr: number): void {
    const s = this.state;
    for (let k = 0; k < count; k++) {
      const star = idx[k];
      const go = k * N_STAR_PARAMS;
      const t = s.algorithm === 'adam' ? ++s.t[star] : 0;
      for (let j = 0; j < N_STAR_PARAMS; j++) {
        const [arr, ai] =
          j < N_LABELS ? [stars.theta, star * N_LABELS + j] : j === N_LABELS ? [stars.lnE, star] : [stars.lnPlx, star];
        if (s.algorithm === 'sgd') arr[ai] -= lr * grads[go + j];
        else adamUpdate(arr, ai, grads[go + j], s, star * N_STAR_PARAMS + j, t, lr);
      }
    }
  }
}
