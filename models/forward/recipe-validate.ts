/**
 * parseRecipe: JSON (already parsed) → a complete, checked Recipe. Stage fields left
 * out take STAGE_DEFAULTS; unknown fields are errors (a typo must not silently fall
 * back to a default). Every error is a RecipeError naming the field's path, e.g.
 * `recipe.stages[1].lrModel: expected a number > 0, got -1`.
 */
import { XpflowInputError } from '../../core/errors.js';
import { HQ_SELECTION, type HighQualityCut } from './config.js';
import { ACTIVATIONS, type Activation } from './dense.js';
import {
  ALGORITHMS,
  DEFAULT_RECIPE,
  LABEL_NAMES,
  OPTIMISE,
  PARALLAX_LIKELIHOODS,
  STAGE_DEFAULTS,
  STAR_PARAM_NAMES,
  WEIGHTINGS,
  type Recipe,
  type SelfCleanRecipe,
  type StageRecipe,
} from './recipe.js';
import { SELECTIONS } from './selection.js';

/** A recipe field that is missing, unknown or out of range: names its path. */
export class RecipeError extends XpflowInputError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

type Obj = Record<string, unknown>;

function object(v: unknown, path: string, known: readonly string[]): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new RecipeError(path, `expected an object, got ${JSON.stringify(v)}`);
  for (const k of Object.keys(v))
    if (!known.includes(k)) throw new RecipeError(`${path}.${k}`, `unknown field (known: ${known.join(', ')})`);
  return v as Obj;
}

function num(v: unknown, path: string, check: (x: number) => boolean, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || !check(v))
    throw new RecipeError(path, `expected ${what}, got ${JSON.stringify(v)}`);
  return v;
}

const positive = (v: unknown, p: string) => num(v, p, (x) => x > 0, 'a number > 0');
const nonNegative = (v: unknown, p: string) => num(v, p, (x) => x >= 0, 'a number ≥ 0');
const count = (v: unknown, p: string) => num(v, p, (x) => Number.isInteger(x) && x >= 1, 'an integer ≥ 1');

function boolean(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') throw new RecipeError(path, `expected true or false, got ${JSON.stringify(v)}`);
  return v;
}

function oneOf<T extends string>(v: unknown, path: string, options: readonly T[]): T {
  if (typeof v !== 'string' || !options.includes(v as T))
    throw new RecipeError(path, `expected one of ${options.join(', ')}, got ${JSON.stringify(v)}`);
  return v as T;
}

function array(v: unknown, path: string, minLength = 0): unknown[] {
  if (!Array.isArray(v) || v.length < minLength)
    throw new RecipeError(path, `expected an array of at least ${minLength} item(s)`);
  return v;
}

/** A field's value, or the default when absent. */
function opt<T>(o: Obj, key: string, path: string, fallback: T, parse: (v: unknown, p: string) => T): T {
  return o[key] === undefined ? structuredClone(fallback) : parse(o[key], `${path}.${key}`);
}

const STAGE_FIELDS = ['name', 'selection', 'optimise', ...Object.keys(STAGE_DEFAULTS)];

function parseStage(v: unknown, path: string): StageRecipe {
  const o = object(v, path, STAGE_FIELDS);
  const d = STAGE_DEFAULTS;
  if (typeof o.name !== 'string' || o.name === '') throw new RecipeError(`${path}.name`, 'expected a non-empty string');
  const lrDrops = opt(o, 'lrDrops', path, d.lrDrops, (x, p) => {
    const ld = object(x, p, ['factor', 'at']);
    return {
      factor: num(ld.factor, `${p}.factor`, (f) => f > 0 && f <= 1, 'a number in (0, 1]'),
      at: array(ld.at, `${p}.at`).map((a, i) => num(a, `${p}.at[${i}]`, (f) => f > 0 && f < 1, 'a fraction in (0, 1)')),
    };
  });
  const stage: StageRecipe = {
    name: o.name,
    selection: oneOf(o.selection, `${path}.selection`, SELECTIONS),
    optimise: oneOf(o.optimise, `${path}.optimise`, OPTIMISE),
    epochs: opt(o, 'epochs', path, d.epochs, count),
    batchSize: opt(o, 'batchSize', path, d.batchSize, count),
    algorithm: opt(o, 'algorithm', path, d.algorithm, (x, p) => oneOf(x, p, ALGORITHMS)),
    lrModel: opt(o, 'lrModel', path, d.lrModel, positive),
    lrStars: opt(o, 'lrStars', path, d.lrStars, positive),
    momentum: opt(o, 'momentum', path, d.momentum, (x, p) => num(x, p, (m) => m >= 0 && m < 1, 'a number in [0, 1)')),
    lrDrops,
    clipModel: opt(o, 'clipModel', path, d.clipModel, positive),
    clipStars: opt(o, 'clipStars', path, d.clipStars, positive),
    l2: opt(o, 'l2', path, d.l2, nonNegative),
    starParams: opt(o, 'starParams', path, d.starParams, (x, p) =>
      array(x, p, 1).map((s, i) => oneOf(s, `${p}[${i}]`, STAR_PARAM_NAMES)),
    ),
    softenStars: opt(o, 'softenStars', path, d.softenStars, boolean),
    logJacobian: opt(o, 'logJacobian', path, d.logJacobian, boolean),
    weighting: opt(o, 'weighting', path, d.weighting, (x, p) => oneOf(x, p, WEIGHTINGS)),
    parallaxFromGaia: opt(o, 'parallaxFromGaia', path, d.parallaxFromGaia, boolean),
    apparentScale: opt(o, 'apparentScale', path, d.apparentScale, boolean),
  };
  if (stage.apparentScale && stage.softenStars) {
    throw new RecipeError(
      `${path}.apparentScale`,
      'cannot be combined with softenStars (the softened star χ² would scale the parallax prior too)',
    );
  }
  if (stage.parallaxFromGaia && stage.optimise !== 'model') {
    throw new RecipeError(
      `${path}.parallaxFromGaia`,
      `only a stage that optimises the model alone may reset the parallaxes (optimise is '${stage.optimise}')`,
    );
  }
  return stage;
}

function parseStages(v: unknown, path: string, minLength: number): StageRecipe[] {
  return array(v, path, minLength).map((s, i) => parseStage(s, `${path}[${i}]`));
}

function parseSelfClean(v: unknown, path: string): SelfCleanRecipe {
  const o = object(v, path, ['paramSigma', 'fluxSigma', 'maxIterations', 'minChangedFraction', 'stages']);
  const d = DEFAULT_RECIPE.selfClean;
  return {
    paramSigma: opt(o, 'paramSigma', path, d.paramSigma, positive),
    fluxSigma: opt(o, 'fluxSigma', path, d.fluxSigma, positive),
    maxIterations: opt(o, 'maxIterations', path, d.maxIterations, (x, p) =>
      num(x, p, (n) => Number.isInteger(n) && n >= 0, 'an integer ≥ 0'),
    ),
    minChangedFraction: opt(o, 'minChangedFraction', path, d.minChangedFraction, (x, p) =>
      num(x, p, (f) => f >= 0 && f <= 1, 'a fraction in [0, 1]'),
    ),
    stages: opt(o, 'stages', path, d.stages, (x, p) => parseStages(x, p, 0)),
  };
}

function parseModel(v: unknown, path: string): Recipe['model'] {
  const o = object(v, path, ['hidden', 'activation', 'linearSkip']);
  const model: Recipe['model'] = {
    hidden: opt(o, 'hidden', path, DEFAULT_RECIPE.model.hidden, (x, p) =>
      array(x, p, 1).map((h, i) => count(h, `${p}[${i}]`)),
    ),
    activation: opt(o, 'activation', path, DEFAULT_RECIPE.model.activation, (x, p): Activation =>
      oneOf(x, p, ACTIVATIONS),
    ),
  };
  if (o.linearSkip !== undefined) {
    const names = array(o.linearSkip, `${path}.linearSkip`, 1).map((x, i) =>
      oneOf(x, `${path}.linearSkip[${i}]`, LABEL_NAMES),
    );
    if (new Set(names).size !== names.length) throw new RecipeError(`${path}.linearSkip`, 'names a label twice');
    model.linearSkip = LABEL_NAMES.filter((n) => names.includes(n));
  }
  return model;
}

function parseHighQuality(v: unknown, path: string): HighQualityCut {
  const o = object(v, path, Object.keys(HQ_SELECTION));
  const d = HQ_SELECTION;
  return {
    minParallaxOverError: opt(o, 'minParallaxOverError', path, d.minParallaxOverError, nonNegative),
    maxLabelError: opt(o, 'maxLabelError', path, d.maxLabelError, positive),
    teffErrorFraction: opt(o, 'teffErrorFraction', path, d.teffErrorFraction, (x, p) =>
      num(x, p, (f) => f >= 0 && f < 1, 'a fraction in [0, 1)'),
    ),
  };
}

function parseBrightnessRefit(v: unknown, path: string): StageRecipe {
  const refit = parseStage(v, path);
  if (refit.optimise !== 'stars')
    throw new RecipeError(
      `${path}.optimise`,
      `the brightness settlement refits the stars alone: expected 'stars', got '${refit.optimise}'`,
    );
  return refit;
}

/** Checks a parsed JSON recipe and fills defaults. */
export function parseRecipe(json: unknown): Recipe {
  const o = object(json, 'recipe', [
    'version',
    'model',
    'highQuality',
    'parallaxLikelihood',
    'settleReddening',
    'settleBrightness',
    'stages',
    'selfClean',
  ]);
  if (o.version !== 1) throw new RecipeError('recipe.version', `expected 1, got ${JSON.stringify(o.version)}`);
  const recipe: Recipe = {
    version: 1,
    model: opt(o, 'model', 'recipe', DEFAULT_RECIPE.model, parseModel),
    ...(o.highQuality !== undefined ? { highQuality: parseHighQuality(o.highQuality, 'recipe.highQuality') } : {}),
    ...(o.parallaxLikelihood !== undefined
      ? { parallaxLikelihood: oneOf(o.parallaxLikelihood, 'recipe.parallaxLikelihood', PARALLAX_LIKELIHOODS) }
      : {}),
    ...(o.settleReddening !== undefined
      ? { settleReddening: boolean(o.settleReddening, 'recipe.settleReddening') }
      : {}),
    ...(o.settleBrightness !== undefined
      ? { settleBrightness: parseBrightnessRefit(o.settleBrightness, 'recipe.settleBrightness') }
      : {}),
    stages: parseStages(o.stages, 'recipe.stages', 1),
    selfClean: opt(o, 'selfClean', 'recipe', DEFAULT_RECIPE.selfClean, parseSelfClean),
  };
  const seen = new Set<string>();
  [...recipe.stages, ...recipe.selfClean.stages, ...(recipe.settleBrightness ? [recipe.settleBrightness] : [])].forEach(
    (s) => {
      if (seen.has(s.name)) throw new RecipeError('recipe.stages', `stage name "${s.name}" is used twice`);
      seen.add(s.name);
    },
  );
  return recipe;
}
