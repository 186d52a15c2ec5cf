/**
 * The trained model as JSON: format name and version, architecture, wavelengths,
 * input standardisation, each layer's weights and biases (float32, base64) and the
 * extinction curve (ln R as numbers, exact for float32; R alongside for readers,
 * checked for consistency on load). modelFromJson validates every field and names the
 * one at fault.
 */
import { XpflowInputError } from '../../core/errors.js';
import { base64ToF32, f32ToBase64 } from './codec.js';
import { ACTIVATIONS, type Activation } from './dense.js';
import { ForwardModel } from './model.js';
import { paramLayout, type Architecture } from './model-params.js';

export const MODEL_FORMAT = 'xpflow-forward-model';
export const MODEL_FORMAT_VERSION = 1;

export interface ModelFile {
  format: typeof MODEL_FORMAT;
  version: number;
  architecture: Architecture;
  wavelengthsNm: number[];
  standardisation: { median: number[]; scale: number[] };
  /** Layer k: weights nIn×nOut row-major (x·W), biases nOut; float32 little-endian, base64. */
  layers: { weights: string; bias: string }[];
  lnR: number[];
  /** exp(lnR), for readers; must agree with lnR. */
  extinctionCurve: number[];
}

/** A model file that is not one this code wrote (format, version, sizes). */
export class ModelFileError extends XpflowInputError {}

export function modelToJson(m: ForwardModel): ModelFile {
  const p = m.params;
  return {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    architecture: structuredClone(m.architecture),
    wavelengthsNm: [...m.wavelengthsNm],
    standardisation: structuredClone(m.standardisation),
    layers: m.layout.layers.map((l) => ({
      weights: f32ToBase64(p.subarray(l.wOffset, l.wOffset + l.nIn * l.nOut)),
      bias: f32ToBase64(p.subarray(l.bOffset, l.bOffset + l.nOut)),
    })),
    lnR: Array.from(m.lnR()),
    extinctionCurve: Array.from(m.extinctionCurve()),
  };
}

function fail(field: string, msg: string): never {
  throw new ModelFileError(`model file ${field}: ${msg}`);
}

function finiteArray(v: unknown, field: string, length?: number): number[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'number' || !Number.isFinite(x)))
    fail(field, 'expected an array of finite numbers');
  if (length !== undefined && v.length !== length) fail(field, `${v.length} values, expected ${length}`);
  return v as number[];
}

function parseArchitecture(v: unknown): Architecture {
  const a = (typeof v === 'object' && v !== null ? v : fail('architecture', 'expected an object')) as Record<
    string,
    unknown
  >;
  const int = (x: unknown, f: string) =>
    Number.isInteger(x) && (x as number) > 0 ? (x as number) : fail(`architecture.${f}`, 'expected a positive integer');
  const hidden = finiteArray(a.hidden, 'architecture.hidden').map((h, i) => int(h, `hidden[${i}]`));
  if (!ACTIVATIONS.includes(a.activation as Activation))
    fail('architecture.activation', `expected one of ${ACTIVATIONS.join(', ')}`);
  const arch: Architecture = {
    nInput: int(a.nInput, 'nInput'),
    hidden,
    activation: a.activation as Activation,
    nOutput: int(a.nOutput, 'nOutput'),
  };
  if (a.linearSkip !== undefined) {
    const cols = finiteArray(a.linearSkip, 'architecture.linearSkip');
    if (
      cols.length === 0 ||
      cols.some((c, i) => !Number.isInteger(c) || c < 0 || c >= arch.nInput || (i > 0 && c <= cols[i - 1]))
    )
      fail('architecture.linearSkip', `expected increasing input indices in [0, ${arch.nInput})`);
    arch.linearSkip = cols;
  }
  return arch;
}

/** Rebuilds a model from parsed JSON, checking every field. */
export function modelFromJson(json: unknown): ForwardModel {
  const o = (typeof json === 'object' && json !== null ? json : fail('', 'expected an object')) as Record<
    string,
    unknown
  >;
  if (o.format !== MODEL_FORMAT) fail('format', `expected "${MODEL_FORMAT}", got ${JSON.stringify(o.format)}`);
  if (o.version !== MODEL_FORMAT_VERSION)
    fail('version', `unsupported version ${JSON.stringify(o.version)} (this reader: ${MODEL_FORMAT_VERSION})`);
  const arch = parseArchitecture(o.architecture);
  const layout = paramLayout(arch);
  const wl = finiteArray(o.wavelengthsNm, 'wavelengthsNm', arch.nOutput);
  const st = (o.standardisation ?? fail('standardisation', 'missing')) as Record<string, unknown>;
  const median = finiteArray(st.median, 'standardisation.median', arch.nInput);
  const scale = finiteArray(st.scale, 'standardisation.scale', arch.nInput);
  if (scale.some((s) => !(s > 0))) fail('standardisation.scale', 'every scale must be > 0');
  if (!Array.isArray(o.layers) || o.layers.length !== layout.layers.length)
    fail('layers', `expected ${layout.layers.length} layers`);
  const params = new Float32Array(layout.size);
  layout.layers.forEach((l, k) => {
    const entry = (o.layers as Record<string, unknown>[])[k];
    const field = `layers[${k}]`;
    if (typeof entry?.weights !== 'string' || typeof entry?.bias !== 'string')
      fail(field, 'expected { weights, bias } base64 strings');
    params.set(base64ToF32(entry.weights as string, l.nIn * l.nOut, `model file ${field}.weights`), l.wOffset);
    params.set(base64ToF32(entry.bias as string, l.nOut, `model file ${field}.bias`), l.bOffset);
  });
  if (params.some((x) => !Number.isFinite(x))) fail('layers', 'non-finite weight or bias');
  const lnR = finiteArray(o.lnR, 'lnR', arch.nOutput);
  params.set(lnR, layout.lnROffset);
  const r = finiteArray(o.extinctionCurve, 'extinctionCurve', arch.nOutput);
  r.forEach((x, i) => {
    if (Math.abs(x - Math.exp(params[layout.lnROffset + i])) > 1e-5 * Math.abs(x))
      fail(`extinctionCurve[${i}]`, 'disagrees with exp(lnR)');
  });
  return new ForwardModel(arch, { median, scale }, wl, params);
}
