/**
 * The forward model's MLP Θ → ln f_abs on the host in Float64, with its Θ-Jacobian by
 * forward-mode differentiation (3 tangents carried through every layer), for the per-star
 * solver's hot path (no TensorFlow.js). It follows ForwardModel.lnFluxAbs exactly:
 * standardised inputs x = (Θ − median)/scale, dense layers with the architecture's
 * activation, a linear output layer, plus the optional linear skip path from some
 * standardised Θ columns (model-params.ts layout). Weights are copied and transposed
 * once; evaluation allocates nothing.
 */
import type { Activation } from '../forward/dense.js';
import type { ForwardModel } from '../forward/model.js';

interface HostLayer {
  nIn: number;
  nOut: number;
  /** Wᵀ, out×in row-major (each output's weights contiguous). */
  wT: Float64Array;
  b: Float64Array;
  activation: Activation;
}

/** Number of Θ inputs the solver differentiates (Teff/kK, [Fe/H], log g). */
export const N_THETA = 3;

export class HostMlp {
  readonly nOut: number;
  private readonly median: Float64Array;
  private readonly invScale: Float64Array;
  private readonly layers: HostLayer[];
  /** The skip path (weights out×nSkip) and its Θ columns, or null. */
  private readonly skip: { wT: Float64Array; b: Float64Array; cols: Int32Array } | null;
  /** Per layer: activations and their 3 tangents (value, t0, t1, t2), each layer's width. */
  private readonly act: Float64Array[];
  private readonly tan: Float64Array[];
  private readonly x0 = new Float64Array(N_THETA);

  constructor(model: ForwardModel) {
    const { architecture: arch, standardisation: st, layout, params } = model;
    if (arch.nInput !== N_THETA) throw new Error(`HostMlp: ${arch.nInput} inputs, expected ${N_THETA}`);
    this.nOut = arch.nOutput;
    this.median = Float64Array.from(st.median);
    this.invScale = Float64Array.from(st.scale, (s) => 1 / s);
    const toHost = (l: (typeof layout.layers)[number]): HostLayer => {
      const wT = new Float64Array(l.nIn * l.nOut);
      for (let i = 0; i < l.nIn; i++)
        for (let j = 0; j < l.nOut; j++) wT[j * l.nIn + i] = params[l.wOffset + i * l.nOut + j];
      const b = Float64Array.from(params.subarray(l.bOffset, l.bOffset + l.nOut));
      return { nIn: l.nIn, nOut: l.nOut, wT, b, activation: l.activation };
    };
    this.layers = layout.layers.filter((l) => !l.skip).map(toHost);
    const skipSlice = layout.layers.find((l) => l.skip);
    if (skipSlice) {
      const h = toHost(skipSlice);
      this.skip = { wT: h.wT, b: h.b, cols: Int32Array.from(arch.linearSkip ?? []) };
    } else this.skip = null;
    this.act = this.layers.map((l) => new Float64Array(l.nOut));
    this.tan = this.layers.map((l) => new Float64Array(N_THETA * l.nOut));
  }

  /**
   * ln f_abs(Θ) into out[oo … oo + nOut); with `jac`, ∂ln f_abs/∂Θ_k into
   * jac[jo + k·nOut + j] (3 rows of nOut).
   */
  evaluate(
    theta: ArrayLike<number>,
    to: number,
    out: Float64Array,
    oo: number,
    jac: Float64Array | null = null,
    jo = 0,
  ): void {
    const x0 = this.x0;
    for (let k = 0; k < N_THETA; k++) x0[k] = (theta[to + k] - this.median[k]) * this.invScale[k];
    const nl = this.layers.length;
    const want = jac !== null;
    let x: Float64Array = x0;
    let tx: Float64Array | null = null; // tangents of x: 3 rows of the layer's width (null = identity/scale)
    for (let li = 0; li < nl; li++) {
      const l = this.layers[li];
      const last = li === nl - 1;
      const y = last ? out : this.act[li];
      const yo = last ? oo : 0;
      const ty = !want ? null : last ? jac : this.tan[li];
      const tyo = last ? jo : 0;
      const rowStride = last ? this.nOut : l.nOut;
      const { nIn, nOut, wT, b } = l;
      for (let j = 0; j < nOut; j++) {
        const wo = j * nIn;
        let z = b[j];
        for (let i = 0; i < nIn; i++) z += wT[wo + i] * x[i];
        let d0 = 0,
          d1 = 0,
          d2 = 0;
        if (!want) {
          // value only
        } else if (tx === null) {
          d0 = wT[wo] * this.invScale[0];
          d1 = wT[wo + 1] * this.invScale[1];
          d2 = wT[wo + 2] * this.invScale[2];
        } else {
          for (let i = 0; i < nIn; i++) {
            const w = wT[wo + i];
            d0 += w * tx[i];
            d1 += w * tx[nIn + i];
            d2 += w * tx[2 * nIn + i];
          }
        }
        let v: number, s: number;
        switch (l.activation) {
          case 'tanh':
            v = Math.tanh(z);
            s = 1 - v * v;
            break;
          case 'relu':
            v = z > 0 ? z : 0;
            s = z > 0 ? 1 : 0;
            break;
          case 'sigmoid':
            v = 1 / (1 + Math.exp(-z));
            s = v * (1 - v);
            break;
          default:
            v = z;
            s = 1;
        }
        y[yo + j] = v;
        if (ty !== null) {
          ty[tyo + j] = s * d0;
          ty[tyo + rowStride + j] = s * d1;
          ty[tyo + 2 * rowStride + j] = s * d2;
        }
      }
      x = this.act[li];
      tx = this.tan[li];
    }
    const sk = this.skip;
    if (sk !== null) {
      const nS = sk.cols.length;
      const n = this.nOut;
      for (let j = 0; j < n; j++) {
        let z = sk.b[j];
        for (let c = 0; c < nS; c++) {
          const col = sk.cols[c];
          const w = sk.wT[j * nS + c];
          z += w * x0[col];
          if (jac !== null) jac[jo + col * n + j] += w * this.invScale[col];
        }
        out[oo + j] += z;
      }
    }
  }
}
