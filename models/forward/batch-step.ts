/**
 * One batch's losses and gradients, in a single forward and backward pass.
 * The model's loss is the mean softened χ² (+ L2), each star's softened χ² times its
 * weight ω_i (1 unless density weights are given); each star's is its own χ² (+ priors).
 * Both come from one backward pass of J = Σ_i w_i χ²_i with w_i = ω_i asinh'(χ²_i/K)/B
 * (held fixed): ∂J/∂(model) is the model loss's gradient, and since star i's
 * parameters touch only χ²_i, ∂χ²_i/∂(star i) = (∂J/∂(star i)) / w_i. Priors, the L2
 * term and clipping are added on the host (loss.ts, optimiser.ts).
 *
 * In an apparent-scale stage (apparent-scale.ts) the stars' third coordinate is ψ and
 * ln ϖ = ψ − ½ m̄(Θ) depends on the model, so the ϖ prior joins the graph: J gains
 * Σ_i w_i p_i ln ϖ_i with p_i = d(prior_i)/d ln ϖ_i taken on the host (held fixed), and
 * both gradients then carry it — the model's too, which is the point.
 */
import * as tf from '@tensorflow/tfjs';
import { CHI2_SOFTENING, N_FLUX, N_LABELS, N_STAR_PARAMS } from './config.js';
import { hostChi2, tensorChi2, type Chi2Kernel, type Chi2Op } from './chi2.js';
import type { SpectraSource } from './data.js';
import { l2Penalty, parallaxPriorSlope, softenChi2, softenChi2Slope, starPrior, type PriorData } from './loss.js';
import type { ForwardModel } from './model.js';
import { clipByNorm } from './optimiser.js';
import type { StageRecipe, StarParamName } from './recipe.js';
import type { StarParams } from './stars.js';
import { WhitenKernel } from './wasm/whiten-kernel.js';

export interface BatchResult {
  /** Gradient of the model loss (layout order), clipped; undefined when the model is fixed. */
  modelGrad?: Float32Array;
  /** count × 5 gradients of each star's loss (Θ, ln E, ln ϖ), masked and clipped. */
  starGrad?: Float32Array;
  /** Mean softened χ² + L2. */
  modelLoss: number;
  /** Mean over the batch of χ² + prior. */
  starLoss: number;
  /** Sum of raw χ² over the batch's stars (finite ones). */
  chi2Sum: number;
  /** Stars whose χ² was not finite (left out of both gradients). */
  nonFinite: number;
}

export class BatchStepper {
  private readonly theta: Float32Array;
  private readonly lnE: Float32Array;
  private readonly lnPlx: Float32Array;
  /** ln ϖ of the batch's stars in an apparent-scale stage (lnPlx then holds ψ). */
  private readonly plxOfPsi: Float32Array;
  private readonly flux: Float32Array;
  private readonly whitening: Float32Array;
  private readonly simd: WhitenKernel | undefined;

  constructor(
    private readonly model: ForwardModel,
    private readonly spectra: SpectraSource,
    private readonly priors: PriorData,
    private readonly kernel: Chi2Kernel,
    batchSize: number,
    private readonly starWeights?: Float32Array,
  ) {
    this.theta = new Float32Array(batchSize * N_LABELS);
    this.lnE = new Float32Array(batchSize);
    this.lnPlx = new Float32Array(batchSize);
    this.plxOfPsi = new Float32Array(batchSize);
    this.flux = new Float32Array(kernel === 'tensor' ? batchSize * N_FLUX : 0);
    this.whitening = new Float32Array(kernel === 'tensor' ? batchSize * N_FLUX * N_FLUX : 0);
    this.simd = kernel === 'host' ? WhitenKernel.create(batchSize) : undefined;
  }

  step(stars: StarParams, idx: Int32Array, count: number, stage: StageRecipe): BatchResult {
    const wantModel = stage.optimise !== 'stars';
    const wantStars = stage.optimise !== 'model';
    stars.gather(idx, count, this.theta, this.lnE, this.lnPlx);
    if (this.kernel === 'tensor') this.spectra.gather(idx, count, this.flux, this.whitening);
    const chi2 = new Float32Array(count);
    const weights = new Float32Array(count);
    const grads = this.backward(idx, count, wantModel, wantStars, stage, chi2, weights);
    const result = this.summarise(idx, chi2, count, stage);
    if (wantModel && grads.model) {
      result.modelLoss += l2Penalty(this.model.params, this.model.layout, stage.l2, grads.model);
      clipByNorm(grads.model, 0, grads.model.length, stage.clipModel);
      result.modelGrad = grads.model;
    }
    if (wantStars && grads.stars) {
      result.starLoss = this.finishStarGrads(idx, count, stage, chi2, weights, grads.stars);
      result.starGrad = grads.stars;
    }
    return result;
  }

  /** The tfjs part: forward, J = Σ w χ², backward; fills chi2 and weights. */
  private backward(
    idx: Int32Array,
    count: number,
    wantModel: boolean,
    wantStars: boolean,
    stage: StageRecipe,
    chi2: Float32Array,
    weights: Float32Array,
  ): { model?: Float32Array; stars?: Float32Array } {
    const out: { model?: Float32Array; stars?: Float32Array } = {};
    // The results leave tidy through `out`: returning typed arrays would make tidy walk them.
    tf.tidy(() => {
      const bound = this.model.bind();
      const nP = bound.params.length;
      const thetaT = tf.tensor2d(this.theta.subarray(0, count * N_LABELS), [count, N_LABELS]);
      const lnET = tf.tensor1d(this.lnE.subarray(0, count));
      const lnPlxT = tf.tensor1d(this.lnPlx.subarray(0, count));
      const op: Chi2Op =
        this.kernel === 'host'
          ? hostChi2(this.spectra, idx, count, this.simd)
          : tensorChi2(this.flux, this.whitening, count);
      const xs: tf.Tensor[] = [...(wantModel ? bound.params : []), ...(wantStars ? [thetaT, lnET, lnPlxT] : [])];
      const f = (...args: tf.Tensor[]): tf.Scalar => {
        const params = wantModel ? args.slice(0, nP) : bound.params;
        const s = wantStars ? args.slice(wantModel ? nP : 0) : [thetaT, lnET, lnPlxT];
        const [th, le, third] = [s[0] as tf.Tensor2D, s[1] as tf.Tensor1D, s[2] as tf.Tensor1D];
        const apparent = stage.apparentScale
          ? this.model.predictLnApparent(params, bound.weightsT, th, le, third)
          : undefined;
        const c = op(apparent ? apparent.lnPred : this.model.predictLn(params, bound.weightsT, th, le, third));
        chi2.set(c.dataSync());
        fillWeights(chi2, weights, stage.optimise === 'stars' ? (stage.softenStars ? 'slope' : 'one') : 'mean-slope');
        if (stage.optimise !== 'stars' && this.starWeights)
          for (let k = 0; k < count; k++) weights[k] *= this.starWeights[idx[k]];
        const j = tf.sum<tf.Scalar>(tf.mul(c, tf.tensor1d(weights)));
        if (!apparent) return j;
        this.plxOfPsi.set(apparent.lnPlx.dataSync());
        const p = new Float32Array(count);
        for (let k = 0; k < count; k++)
          p[k] = weights[k] * parallaxPriorSlope(this.priors, idx[k], this.plxOfPsi[k], stage.logJacobian);
        return tf.add(j, tf.sum(tf.mul(apparent.lnPlx, tf.tensor1d(p)))) as tf.Scalar;
      };
      const { grads } = tf.valueAndGrads(f)(xs);
      const host = grads.map((g) => g.dataSync() as Float32Array);
      if (wantModel) out.model = concat(host.slice(0, nP), this.model.layout.size);
      if (wantStars) out.stars = interleaveStarGrads(host.slice(wantModel ? nP : 0), count);
    });
    return out;
  }

  private summarise(idx: Int32Array, chi2: Float32Array, count: number, stage: StageRecipe): BatchResult {
    let soft = 0;
    let raw = 0;
    let nonFinite = 0;
    for (let k = 0; k < count; k++) {
      if (!Number.isFinite(chi2[k])) {
        nonFinite++;
        continue;
      }
      soft += softenChi2(chi2[k]) * (this.starWeights ? this.starWeights[idx[k]] : 1);
      raw += chi2[k];
    }
    const modelLoss = stage.optimise === 'stars' ? NaN : soft / count;
    return { modelLoss, starLoss: NaN, chi2Sum: raw, nonFinite };
  }

  /** χ² gradient per star from ∂J/∂s_i, plus priors, mask and clipping; returns the mean star loss. */
  private finishStarGrads(
    idx: Int32Array,
    count: number,
    stage: StageRecipe,
    chi2: Float32Array,
    weights: Float32Array,
    g: Float32Array,
  ): number {
    const has = (name: StarParamName) => stage.starParams.includes(name);
    const mask = [
      has('theta') || has('teff'),
      has('theta') || has('feh'),
      has('theta') || has('logg'),
      has('lnE'),
      has('lnPlx'),
    ];
    let loss = 0;
    for (let k = 0; k < count; k++) {
      const go = k * N_STAR_PARAMS;
      const w = weights[k];
      const scale = w > 0 ? (stage.softenStars ? softenChi2Slope(chi2[k]) : 1) / w : 0;
      for (let j = 0; j < N_STAR_PARAMS; j++) g[go + j] = w > 0 ? g[go + j] * scale : 0;
      const c = w > 0 ? (stage.softenStars ? softenChi2(chi2[k]) : chi2[k]) : 0;
      const lnPlx = stage.apparentScale ? this.plxOfPsi[k] : this.lnPlx[k];
      loss +=
        c +
        starPrior(
          this.priors,
          idx[k],
          this.theta,
          k * N_LABELS,
          this.lnE[k],
          lnPlx,
          g,
          go,
          stage.logJacobian,
          !stage.apparentScale,
        );
      for (let j = 0; j < N_STAR_PARAMS; j++) if (!mask[j] || w === 0) g[go + j] = 0;
      clipByNorm(g, go, N_STAR_PARAMS, stage.clipStars);
    }
    return loss / count;
  }
}

/** w_i: 1, asinh'(χ²_i/K), or asinh'(χ²_i/K)/B; 0 where χ² is not finite. */
function fillWeights(chi2: Float32Array, w: Float32Array, kind: 'one' | 'slope' | 'mean-slope'): void {
  const n = chi2.length;
  for (let k = 0; k < n; k++) {
    if (!Number.isFinite(chi2[k])) w[k] = 0;
    else if (kind === 'one') w[k] = 1;
    else w[k] = softenChi2Slope(chi2[k], CHI2_SOFTENING) / (kind === 'slope' ? 1 : n);
  }
}

function concat(parts: Float32Array[], size: number): Float32Array {
  const out = new Float32Array(size);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  if (o !== size) throw new Error(`model gradient: ${o} values, expected ${size}`);
  return out;
}

/** [Θ (count×3), ln E (count), ln ϖ (count)] → count × 5. */
function interleaveStarGrads(parts: Float32Array[], count: number): Float32Array {
  const [th, le, lp] = parts;
  const g = new Float32Array(count * N_STAR_PARAMS);
  for (let k = 0; k < count; k++) {
    for (let j = 0; j < N_LABELS; j++) g[k * N_STAR_PARAMS + j] = th[k * N_LABELS + j];
    g[k * N_STAR_PARAMS + N_LABELS] = le[k];
    g[k * N_STAR_PARAMS + N_LABELS + 1] = lp[k];
  }
  return g;
}
