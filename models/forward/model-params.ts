/**
 * The model's parameters as one flat Float32Array: for each dense layer its weights
 * (in×out, row-major) then biases, then ln R(λ) (66). The optimiser, checkpoints and
 * model files all work on this one array; the layout says where each piece lives.
 * With `linearSkip` the last layer is a linear map from some of the standardised
 * inputs straight to the outputs, added to the MLP's (model.ts).
 */
import { EXTINCTION_INIT, MODEL_WAVELENGTHS_NM, N_FLUX, N_LABELS } from './config.js';
import type { Activation } from './dense.js';
import type { Prng } from './prng.js';

export interface Architecture {
  nInput: number;
  hidden: number[];
  activation: Activation;
  nOutput: number;
  /** The inputs (column indices of Θ) of a linear path to the outputs beside the MLP; absent = none. */
  linearSkip?: number[];
}

export interface LayerSlice {
  nIn: number;
  nOut: number;
  wOffset: number;
  bOffset: number;
  activation: Activation;
  /**
   * The linear skip path: its inputs are columns of the standardised Θ, not the previous
   * layer (its biases duplicate the output layer's; kept so every layer has one layout).
   */
  skip?: boolean;
}

export interface ParamLayout {
  layers: LayerSlice[];
  lnROffset: number;
  /** Number of MLP weights (the L2 penalty's normaliser; biases excluded). */
  nWeights: number;
  size: number;
}

export function defaultArchitecture(
  hidden: number[],
  activation: Activation,
  options: { linearSkip?: readonly number[] } = {},
): Architecture {
  const arch: Architecture = { nInput: N_LABELS, hidden: [...hidden], activation, nOutput: N_FLUX };
  if (options.linearSkip?.length) arch.linearSkip = [...options.linearSkip];
  return arch;
}

export function paramLayout(arch: Architecture): ParamLayout {
  const sizes = [arch.nInput, ...arch.hidden, arch.nOutput];
  const layers: LayerSlice[] = [];
  let offset = 0;
  let nWeights = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const nIn = sizes[l];
    const nOut = sizes[l + 1];
    const activation = l + 2 < sizes.length ? arch.activation : 'linear';
    layers.push({ nIn, nOut, wOffset: offset, bOffset: offset + nIn * nOut, activation });
    offset += nIn * nOut + nOut;
    nWeights += nIn * nOut;
  }
  const nSkip = arch.linearSkip?.length ?? 0;
  if (nSkip > 0) {
    layers.push({
      nIn: nSkip,
      nOut: arch.nOutput,
      wOffset: offset,
      bOffset: offset + nSkip * arch.nOutput,
      activation: 'linear',
      skip: true,
    });
    offset += nSkip * arch.nOutput + arch.nOutput;
    nWeights += nSkip * arch.nOutput;
  }
  return { layers, lnROffset: offset, nWeights, size: offset + arch.nOutput };
}

/** ln R(λ) of the initial power law (config EXTINCTION_INIT). */
export function initialLnR(wavelengthsNm: readonly number[] = MODEL_WAVELENGTHS_NM): Float32Array {
  const { r550, pivotNm, slope } = EXTINCTION_INIT;
  return Float32Array.from(wavelengthsNm, (l) => Math.log(r550) - slope * Math.log(l / pivotNm));
}

/** Glorot-uniform weights from our PRNG (the skip path's start at zero), zero biases, the initial ln R. */
export function initParams(
  arch: Architecture,
  layout: ParamLayout,
  prng: Prng,
  wavelengthsNm: readonly number[],
): Float32Array {
  const p = new Float32Array(layout.size);
  for (const l of layout.layers) {
    if (l.skip) continue;
    const limit = Math.sqrt(6 / (l.nIn + l.nOut));
    for (let i = 0; i < l.nIn * l.nOut; i++) p[l.wOffset + i] = (2 * prng.uniform() - 1) * limit;
  }
  p.set(initialLnR(wavelengthsNm), layout.lnROffset);
  return p;
}

/** Wᵀ of one layer (out×in, row-major) from the flat array. */
export function transposedWeights(p: Float32Array, l: LayerSlice): Float32Array {
  const t = new Float32Array(l.nIn * l.nOut);
  for (let i = 0; i < l.nIn; i++) for (let j = 0; j < l.nOut; j++) t[j * l.nIn + i] = p[l.wOffset + i * l.nOut + j];
  return t;
}
