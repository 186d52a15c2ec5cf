/**
 * The GMM prior on disk: a versioned JSON document (format 'xpflow-gmm', version 1)
 * with nested arrays (means K×D, covariances K×D×D) for readability. Loading checks
 * every field and rebuilds the precision Cholesky factors from the covariances
 * (which must be symmetric positive definite); errors name the field.
 */
import { GmmFormatError } from './errors.js';
import { gmmFromParameters } from './model.js';
import type { EmptyComponentPolicy, GmmFitInfo, GmmModel } from './types.js';

export const GMM_FORMAT = 'xpflow-gmm';
export const GMM_FORMAT_VERSION = 1;

export interface GmmJson {
  readonly format: typeof GMM_FORMAT;
  readonly version: number;
  readonly dimensions: number;
  readonly components: number;
  readonly labels: readonly string[];
  readonly weights: readonly number[];
  readonly means: readonly (readonly number[])[];
  readonly covariances: readonly (readonly (readonly number[])[])[];
  readonly lnPriorClip: number | null;
  /** null when not known (NaN in the model). */
  readonly logLikelihood: number | null;
  readonly iterations: number;
  readonly converged: boolean;
  readonly fit: GmmFitInfo | null;
}

function rows(v: Float64Array, offset: number, count: number, width: number): number[][] {
  return Array.from({ length: count }, (_, r) => Array.from(v.subarray(offset + r * width, offset + (r + 1) * width)));
}

/** A JSON-ready document of the model (JSON.stringify keeps every double exactly). */
export function toJson(model: GmmModel): GmmJson {
  const { components: k, dimensions: d } = model;
  return {
    format: GMM_FORMAT,
    version: GMM_FORMAT_VERSION,
    dimensions: d,
    components: k,
    labels: [...model.labels],
    weights: Array.from(model.weights),
    means: rows(model.means, 0, k, d),
    covariances: Array.from({ length: k }, (_, c) => rows(model.covariances, c * d * d, d, d)),
    lnPriorClip: model.lnPriorClip,
    logLikelihood: Number.isFinite(model.logLikelihood) ? model.logLikelihood : null,
    iterations: model.iterations,
    converged: model.converged,
    fit: model.fit,
  };
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function field<T>(o: Json, name: string, what: string, ok: (v: unknown) => v is T, path = name): T {
  const v = o[name];
  if (!ok(v)) throw new GmmFormatError(path, `expected ${what}, got ${JSON.stringify(v) ?? 'nothing'}`);
  return v;
}

const isNumber = (v: unknown): v is number => typeof v === 'number';
const isInteger = (v: unknown): v is number => Number.isInteger(v);
const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
const isString = (v: unknown): v is string => typeof v === 'string';
const isNumberOrNull = (v: unknown): v is number | null => v === null || typeof v === 'number';

/** Flattens nested arrays of the given shape into numbers, naming the first bad element. */
function flatten(v: unknown, shape: readonly number[], path: string, out: number[] = []): number[] {
  if (shape.length === 0) {
    if (typeof v !== 'number')
      throw new GmmFormatError(path, `expected a number, got ${JSON.stringify(v) ?? 'nothing'}`);
    out.push(v);
    return out;
  }
  if (!Array.isArray(v) || v.length !== shape[0]) {
    throw new GmmFormatError(
      path,
      `expected an array of ${shape[0]}, got ${Array.isArray(v) ? `${v.length} entries` : typeof v}`,
    );
  }
  v.forEach((e, i) => flatten(e, shape.slice(1), `${path}[${i}]`, out));
  return out;
}

function readFit(o: Json): GmmFitInfo | null {
  if (o.fit === null || o.fit === undefined) return null;
  const f = field(o, 'fit', 'an object or null', isObject);
  const int = (name: string) => field(f, name, 'an integer', isInteger, `fit.${name}`);
  const num = (name: string) => field(f, name, 'a number', isNumber, `fit.${name}`);
  const policy = field(
    f,
    'emptyComponents',
    "'split' or 'floor'",
    (v): v is EmptyComponentPolicy => v === 'split' || v === 'floor',
    'fit.emptyComponents',
  );
  return {
    samples: int('samples'),
    seed: int('seed'),
    nInit: int('nInit'),
    bestInit: int('bestInit'),
    regCovar: num('regCovar'),
    tol: num('tol'),
    maxIter: int('maxIter'),
    kmeansIterations: int('kmeansIterations'),
    emptyComponents: policy,
    splits: int('splits'),
  };
}

/** A validated model from a GmmJson document (object or its JSON text). */
export function fromJson(json: unknown): GmmModel {
  const o = typeof json === 'string' ? (JSON.parse(json) as unknown) : json;
  if (!isObject(o)) throw new GmmFormatError('document', 'expected a JSON object');
  if (o.format !== GMM_FORMAT)
    throw new GmmFormatError('format', `expected '${GMM_FORMAT}', got ${JSON.stringify(o.format) ?? 'nothing'}`);
  const version = field(o, 'version', 'an integer', isInteger);
  if (version !== GMM_FORMAT_VERSION)
    throw new GmmFormatError('version', `version ${version} is not supported (this code reads ${GMM_FORMAT_VERSION})`);
  const d = field(o, 'dimensions', 'an integer', isInteger);
  const k = field(o, 'components', 'an integer', isInteger);
  if (d < 1 || k < 1) throw new GmmFormatError(d < 1 ? 'dimensions' : 'components', 'must be ≥ 1');
  const labels = flattenLabels(o.labels, d);
  const logLikelihood = field(o, 'logLikelihood', 'a number or null', isNumberOrNull);
  return gmmFromParameters({
    dimensions: d,
    labels,
    weights: flatten(o.weights, [k], 'weights'),
    means: flatten(o.means, [k, d], 'means'),
    covariances: flatten(o.covariances, [k, d, d], 'covariances'),
    lnPriorClip: field(o, 'lnPriorClip', 'a number or null', isNumberOrNull),
    logLikelihood: logLikelihood ?? NaN,
    iterations: field(o, 'iterations', 'an integer', isInteger),
    converged: field(o, 'converged', 'a boolean', isBoolean),
    fit: readFit(o),
  });
}

function flattenLabels(v: unknown, d: number): string[] {
  if (!Array.isArray(v) || v.length !== d) throw new GmmFormatError('labels', `expected an array of ${d} names`);
  return v.map((e, i) => {
    if (!isString(e)) throw new GmmFormatError(`labels[${i}]`, 'expected a string');
    return e;
  });
}
