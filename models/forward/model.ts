/**
 * The forward model (docs/method.md §4): f_pred(λ) = f_abs(λ|Θ) · ϖ² · exp(−E R(λ)),
 * ln f_abs = MLP((Θ − median)/scale), R(λ) = exp(ln R) with 66 learned values.
 * Parameters live on the host (one flat Float32Array, see model-params.ts); each batch
 * turns them into tensors with bind(), so gradients can be taken with respect to any
 * of them, and nothing stays resident on a backend.
 */
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_ACTIVATION, DEFAULT_HIDDEN, MODEL_WAVELENGTHS_NM } from './config.js';
import { dense, denseAutodiff, type Activation } from './dense.js';
import {
  defaultArchitecture,
  initParams,
  paramLayout,
  transposedWeights,
  type Architecture,
  type LayerSlice,
  type ParamLayout,
} from './model-params.js';
import { Prng } from './prng.js';
import { computeStandardisation, type Standardisation } from './standardise.js';

/** The model's tensors for one batch: `params` are differentiable, in layout order. */
export interface BoundModel {
  /** [w0, b0, w1, b1, …, lnR]: the inputs gradients are taken with respect to. */
  params: tf.Tensor[];
  /** Host transposes of the weights (not differentiated). */
  weightsT: tf.Tensor2D[];
}

export interface ModelOptions {
  hidden?: number[];
  activation?: Activation;
  linearSkip?: readonly number[];
  seed?: number;
  wavelengthsNm?: readonly number[];
}

export class ForwardModel {
  readonly layout: ParamLayout;

  constructor(
    readonly architecture: Architecture,
    readonly standardisation: Standardisation,
    readonly wavelengthsNm: readonly number[],
    readonly params: Float32Array,
  ) {
    this.layout = paramLayout(architecture);
    if (params.length !== this.layout.size)
      throw new Error(`model params: ${params.length} values, expected ${this.layout.size}`);
    if (wavelengthsNm.length !== architecture.nOutput)
      throw new Error(`model wavelengths: ${wavelengthsNm.length}, expected ${architecture.nOutput}`);
  }

  /** A fresh model; the standardisation comes from the training labels (n×3). */
  static create(labels: Float32Array, opts: ModelOptions = {}): ForwardModel {
    const arch = defaultArchitecture(opts.hidden ?? [...DEFAULT_HIDDEN], opts.activation ?? DEFAULT_ACTIVATION, opts);
    const wl = opts.wavelengthsNm ?? MODEL_WAVELENGTHS_NM;
    const layout = paramLayout(arch);
    const params = initParams(arch, layout, new Prng(opts.seed ?? 0, 1), wl);
    return new ForwardModel(arch, computeStandardisation(labels, arch.nInput), wl, params);
  }

  clone(): ForwardModel {
    return new ForwardModel(
      structuredClone(this.architecture),
      structuredClone(this.standardisation),
      [...this.wavelengthsNm],
      this.params.slice(),
    );
  }

  /** ln R(λ), a view into the parameters. */
  lnR(): Float32Array {
    return this.params.subarray(this.layout.lnROffset, this.layout.lnROffset + this.architecture.nOutput);
  }

  /** R(λ). */
  extinctionCurve(): Float64Array {
    return Float64Array.from(this.lnR(), Math.exp);
  }

  /** The MLP's last layer, whose outputs (with the skip path's) are ln f_abs. */
  get outputLayer(): LayerSlice {
    return this.layout.layers.filter((l) => !l.skip).at(-1)!;
  }

  /** Sets the output layer's biases (e.g. to the training set's mean ln f_abs). */
  setOutputBias(bias: Float32Array): void {
    const last = this.outputLayer;
    if (bias.length !== last.nOut) throw new Error(`output bias: ${bias.length} values, expected ${last.nOut}`);
    this.params.set(bias, last.bOffset);
  }

  /** The parameters as tensors for one batch (call inside tf.tidy). */
  bind(): BoundModel {
    const p = this.params;
    const params: tf.Tensor[] = [];
    const weightsT: tf.Tensor2D[] = [];
    for (const l of this.layout.layers) {
      params.push(tf.tensor2d(p.slice(l.wOffset, l.wOffset + l.nIn * l.nOut), [l.nIn, l.nOut]));
      params.push(tf.tensor1d(p.slice(l.bOffset, l.bOffset + l.nOut)));
      weightsT.push(tf.tensor2d(transposedWeights(p, l), [l.nOut, l.nIn]));
    }
    params.push(tf.tensor2d(this.lnR().slice(), [1, this.architecture.nOutput]));
    return { params, weightsT };
  }

  /** Standardised inputs [B, nInput] from Θ [B, nInput]. */
  standardise(theta: tf.Tensor2D): tf.Tensor2D {
    const { median, scale } = this.standardisation;
    return tf.div<tf.Tensor2D>(
      tf.sub(theta, tf.tensor2d(median, [1, median.length])),
      tf.tensor2d(scale, [1, scale.length]),
    );
  }

  /** The standardised inputs the linear skip path takes (architecture.linearSkip's columns). */
  private skipInputs(inputs: tf.Tensor2D): tf.Tensor2D {
    const cols = this.architecture.linearSkip ?? [];
    if (cols.length === this.architecture.nInput && cols.every((c, i) => c === i)) return inputs;
    return tf.concat(
      cols.map((c) => tf.slice(inputs, [0, c], [-1, 1])),
      1,
    );
  }

  /**
   * ln f_abs [B, 66] from Θ [B, 3], with `params` the (possibly watched) bound tensors.
   * The hand-written layer gradients pay off on wasm (3–4× for this MLP); on the cpu and
   * tfjs-node backends tfjs's own are as fast or faster (bench/train.ts).
   */
  lnFluxAbs(params: tf.Tensor[], weightsT: tf.Tensor2D[], theta: tf.Tensor2D): tf.Tensor2D {
    const custom = tf.getBackend() === 'wasm';
    const inputs = this.standardise(theta);
    const layer = (x: tf.Tensor2D, l: LayerSlice, k: number) => {
      const [w, b] = [params[2 * k] as tf.Tensor2D, params[2 * k + 1] as tf.Tensor1D];
      return custom ? dense(x, w, weightsT[k], b, l.activation) : denseAutodiff(x, w, b, l.activation);
    };
    let x = inputs;
    let skip: tf.Tensor2D | undefined;
    this.layout.layers.forEach((l, k) => {
      if (l.skip) skip = layer(this.skipInputs(inputs), l, k);
      else x = layer(x, l, k);
    });
    return skip ? tf.add(x, skip) : x;
  }

  /**
   * ln f_pred [B, 66] = ln f_abs + 2 ln ϖ − E R for Θ [B, 3], ln E [B], ln ϖ [B];
   * `params` as from bind() (the last one is ln R [1, 66]).
   */
  predictLn(
    params: tf.Tensor[],
    weightsT: tf.Tensor2D[],
    theta: tf.Tensor2D,
    lnE: tf.Tensor1D,
    lnPlx: tf.Tensor1D,
  ): tf.Tensor2D {
    return this.distanceAndDust(params, this.lnFluxAbs(params, weightsT, theta), lnE, lnPlx);
  }

  /**
   * As predictLn, with each star's distance given by its apparent scale ψ = ln ϖ +
   * ½ m̄(Θ), m̄ the mean of ln f_abs over the outputs (apparent-scale.ts): ln f_pred =
   * ln f_abs − m̄ + 2ψ − E R. Also returns the ln ϖ that ψ stands for.
   */
  predictLnApparent(
    params: tf.Tensor[],
    weightsT: tf.Tensor2D[],
    theta: tf.Tensor2D,
    lnE: tf.Tensor1D,
    psi: tf.Tensor1D,
  ): { lnPred: tf.Tensor2D; lnPlx: tf.Tensor1D } {
    const lnAbs = this.lnFluxAbs(params, weightsT, theta);
    const lnPlx = tf.sub(psi, tf.mul(tf.mean(lnAbs, 1), 0.5)) as tf.Tensor1D;
    return { lnPred: this.distanceAndDust(params, lnAbs, lnE, lnPlx), lnPlx };
  }

  /** ln f_abs + 2 ln ϖ − E R. */
  private distanceAndDust(params: tf.Tensor[], lnAbs: tf.Tensor2D, lnE: tf.Tensor1D, lnPlx: tf.Tensor1D): tf.Tensor2D {
    const lnR = params[params.length - 1] as tf.Tensor2D;
    const tau = tf.mul(tf.expandDims(tf.exp(lnE), 1), tf.exp(lnR));
    const lnDist = tf.expandDims(tf.mul(lnPlx, 2), 1);
    return tf.sub(tf.add(lnAbs, lnDist), tau) as tf.Tensor2D;
  }

  /**
   * What the output layers see, for `count` stars' Θ (host arrays, [count, width] row-major):
   * the last hidden layer's activations, a 1 (the biases) and the skip path's standardised
   * Θ columns. Adding γ·(this row) to every band's ln f_abs changes the output layers alone.
   */
  outputLayerInputsHost(theta: Float32Array, count: number): { values: Float32Array; width: number } {
    let values = new Float32Array(0);
    let width = 0;
    tf.tidy(() => {
      const b = this.bind();
      const inputs = this.standardise(
        tf.tensor2d(theta.subarray(0, count * this.architecture.nInput), [count, this.architecture.nInput]),
      );
      const mlp = this.layout.layers.map((l, k) => ({ l, k })).filter(({ l }) => !l.skip);
      let x = inputs;
      for (const { l, k } of mlp.slice(0, -1))
        x = denseAutodiff(x, b.params[2 * k] as tf.Tensor2D, b.params[2 * k + 1] as tf.Tensor1D, l.activation);
      const parts: tf.Tensor2D[] = [x, tf.ones([count, 1])];
      if (this.layout.layers.some((l) => l.skip)) parts.push(this.skipInputs(inputs));
      const all = tf.concat(parts, 1);
      width = all.shape[1];
      values = (all.dataSync() as Float32Array).slice();
    });
    return { values, width };
  }

  /** m̄(Θ), the mean over the outputs of ln f_abs, for `count` stars' Θ (host arrays). */
  meanLnFluxAbsHost(theta: Float32Array, count: number): Float32Array {
    let out = new Float32Array(0);
    tf.tidy(() => {
      const b = this.bind();
      const th = tf.tensor2d(theta.subarray(0, count * this.architecture.nInput), [count, this.architecture.nInput]);
      out = (tf.mean(this.lnFluxAbs(b.params, b.weightsT, th), 1).dataSync() as Float32Array).slice();
    });
    return out;
  }

  /** f_pred [B, 66] = f_abs · ϖ² · exp(−E R). */
  predict(
    params: tf.Tensor[],
    weightsT: tf.Tensor2D[],
    theta: tf.Tensor2D,
    lnE: tf.Tensor1D,
    lnPlx: tf.Tensor1D,
  ): tf.Tensor2D {
    return tf.exp(this.predictLn(params, weightsT, theta, lnE, lnPlx));
  }

  /** Host convenience: f_pred for `count` stars (arrays as in StarParams), no gradients. */
  predictHost(theta: Float32Array, lnE: Float32Array, lnPlx: Float32Array, count: number): Float32Array {
    let out = new Float32Array(0);
    tf.tidy(() => {
      const b = this.bind();
      const f = this.predict(
        b.params,
        b.weightsT,
        tf.tensor2d(theta.subarray(0, count * this.architecture.nInput), [count, this.architecture.nInput]),
        tf.tensor1d(lnE.subarray(0, count)),
        tf.tensor1d(lnPlx.subarray(0, count)),
      );
      out = (f.dataSync() as Float32Array).slice();
    });
    return out;
  }
}
