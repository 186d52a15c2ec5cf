/**
 * The reference optimiser (solver 'adam-reference'): the authors' inference schedule
 * (docs/method.md §7; code: Adam, lr 0.01 halved every 768 steps, 8,192 steps) with
 * xpflow's Adam constants (β₁ 0.9, β₂ 0.999, ε 1e-7: models/forward/config.ts ADAM), on
 * the same −2 ln posterior and parameters as the default solver, with its exact gradient
 * (2 Jᵀr + the priors'). Slow by design: the yardstick the default solver must match.
 * It returns the last iterate, as the authors' code does.
 */
import { ADAM } from '../forward/config.js';
import { N_PARAMS, type StarPosterior } from './posterior.js';

export const ADAM_REFERENCE = {
  learningRate: 0.01,
  halveEvery: 768,
  steps: 8192,
  ...ADAM,
} as const;

export class AdamReference {
  private readonly g = new Float64Array(N_PARAMS);
  private readonly m1 = new Float64Array(N_PARAMS);
  private readonly m2 = new Float64Array(N_PARAMS);

  constructor(
    private readonly post: StarPosterior,
    readonly steps: number = ADAM_REFERENCE.steps,
  ) {}

  /** Runs the schedule from p (overwritten); returns the final −2 ln posterior. */
  run(p: Float64Array): number {
    const { post, g, m1, m2 } = this;
    const { learningRate, halveEvery, beta1, beta2, epsilon } = ADAM_REFERENCE;
    m1.fill(0);
    m2.fill(0);
    let b1t = 1;
    let b2t = 1;
    for (let t = 0; t < this.steps; t++) {
      post.gradient(p, g);
      let ok = true;
      for (let i = 0; i < N_PARAMS; i++) if (!Number.isFinite(g[i])) ok = false;
      if (!ok) break;
      const lr = learningRate * 0.5 ** Math.floor(t / halveEvery);
      b1t *= beta1;
      b2t *= beta2;
      for (let i = 0; i < N_PARAMS; i++) {
        m1[i] = beta1 * m1[i] + (1 - beta1) * g[i];
        m2[i] = beta2 * m2[i] + (1 - beta2) * g[i] * g[i];
        const mh = m1[i] / (1 - b1t);
        const vh = m2[i] / (1 - b2t);
        p[i] -= (lr * mh) / (Math.sqrt(vh) + epsilon);
      }
    }
    return post.value(p);
  }
}
