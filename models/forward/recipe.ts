/**
 * The training recipe: the model's shape, the stages (which stars, what is optimised,
 * for how long and how fast) and the self-cleaning loop. DEFAULT_RECIPE follows
 * docs/method.md §5 — (1) the model on high-quality stars with labels fixed, (2) every
 * star's parameters with the model fixed, (3) both jointly on the high-quality stars,
 * (4) self-clean, (5) retrain jointly on the clean set and refit all stars, repeating
 * (4)–(5) until the outlier set settles — with the numbers of the authors'
 * default_recipe.json / train_stellar_model where the two agree, including the code's
 * inverse-label-density weights on every stage that trains the model. Parse JSON with
 * parseRecipe (recipe-validate.ts).
 */
import {
  DEFAULT_ACTIVATION,
  DEFAULT_HIDDEN,
  HQ_SELECTION,
  SELF_CLEAN_DEFAULTS,
  TRAINING_DEFAULTS,
  type HighQualityCut,
} from './config.js';
import type { Activation } from './dense.js';
import type { ModelOptions } from './model.js';
import type { Selection } from './selection.js';

export type Optimise = 'model' | 'stars' | 'both';
export const OPTIMISE: readonly Optimise[] = ['model', 'stars', 'both'];
export type Algorithm = 'sgd' | 'adam';
export type Weighting = 'none' | 'label_density';
export const WEIGHTINGS: readonly Weighting[] = ['none', 'label_density'];
export const ALGORITHMS: readonly Algorithm[] = ['sgd', 'adam'];
/** 'theta' = all three labels; 'teff', 'feh', 'logg' name one each. */
export type StarParamName = 'theta' | 'teff' | 'feh' | 'logg' | 'lnE' | 'lnPlx';
export const STAR_PARAM_NAMES: readonly StarParamName[] = ['theta', 'teff', 'feh', 'logg', 'lnE', 'lnPlx'];
/** The labels in Θ's column order. */
export type LabelName = 'teff' | 'feh' | 'logg';
export const LABEL_NAMES: readonly LabelName[] = ['teff', 'feh', 'logg'];
/**
 * The Gaia parallax term of each star: 'gaussian', N(ϖ_obs; ϖ, σ) (docs/method.md §5), or
 * 'truncated', the same divided by the chance that the star's measured parallax passed
 * the sample's ϖ/σ cut (loss.ts, TrainingSet.parallaxFloor).
 */
export type ParallaxLikelihood = 'gaussian' | 'truncated';
export const PARALLAX_LIKELIHOODS: readonly ParallaxLikelihood[] = ['gaussian', 'truncated'];

export interface StageRecipe {
  /** Unique within the recipe; checkpoints name it. */
  name: string;
  selection: Selection;
  optimise: Optimise;
  epochs: number;
  batchSize: number;
  /** 'sgd': SGD, momentum on the model, none on the stars (code); 'adam': Adam for both. */
  algorithm: Algorithm;
  lrModel: number;
  lrStars: number;
  /** Model momentum (SGD). */
  momentum: number;
  /** Learning rates × factor at each fraction of the stage's batches. */
  lrDrops: { factor: number; at: number[] };
  /** Clip the model gradient's global norm, and each star's 5-gradient's norm. */
  clipModel: number;
  clipStars: number;
  /** L2 on the MLP weights: l2 · Σw² / n_weights. */
  l2: number;
  /** Which star parameters move when stars are optimised (code var_update). */
  starParams: StarParamName[];
  /** Soften each star's own χ² too (code: no; the model's χ² is always softened). */
  softenStars: boolean;
  /**
   * Add the −2 ln E and −2 ln ϖ Jacobians of the log parameterisation (docs/method.md §5:
   * yes). They push each E and ϖ up by about σ²/value; on the default sky the fitted
   * E came out 1.6 % higher with them than without, R(λ) as much lower.
   */
  logJacobian: boolean;
  /**
   * Per-star weights on the model's loss: 'label_density' evens out the label
   * distribution (density-weights.ts; the authors' code weighs every model-training
   * stage so), 'none' weighs all stars alike. Ignored when only the stars are fitted.
   */
  weighting: Weighting;
  /**
   * Before the stage, reset the selected stars' ϖ to Gaia's where ϖ/σ ≥
   * PARALLAX_INIT_MIN_SNR (their fitted Θ and E stay). Only for model-only stages: the
   * model is then refitted to the Gaia parallaxes themselves, not to parallaxes that
   * have already absorbed the model's error.
   */
  parallaxFromGaia: boolean;
  /**
   * Fit each star's apparent scale ψ = ln ϖ + ½ m̄(Θ) in place of ln ϖ
   * (apparent-scale.ts): the same loss in coordinates where the model's brightness is
   * set by the parallax priors instead of being absorbed by the stars' ϖ.
   */
  apparentScale: boolean;
}

export interface SelfCleanRecipe {
  paramSigma: number;
  fluxSigma: number;
  /** Retraining rounds at most; 0 turns self-cleaning off. */
  maxIterations: number;
  /** The outlier set has settled when it changes by less than this fraction. */
  minChangedFraction: number;
  /** Stages run after each flagging (retrain on the clean set, refit every star). */
  stages: StageRecipe[];
}

export interface Recipe {
  version: 1;
  /**
   * linearSkip: the labels whose standardised values also reach ln f_abs through a
   * linear path beside the MLP (model-params.ts); absent = none.
   */
  model: { hidden: number[]; activation: Activation; linearSkip?: LabelName[] };
  /** The cut of the 'hq' selection; absent = docs/method.md's (HQ_SELECTION). */
  highQuality?: HighQualityCut;
  /** Absent = 'gaussian' (docs/method.md). */
  parallaxLikelihood?: ParallaxLikelihood;
  /**
   * After self-cleaning, put the fitted E in the units of the reddening prior along the
   * directions χ² cannot see (reddening-settle.ts): a `settle_reddening` stage between
   * the last flagging and the prior. Absent = no (docs/method.md has no such step).
   */
  settleReddening?: boolean;
  /**
   * After self-cleaning, a line search along the model's overall brightness, scored by the
   * joint objective with the stars refitted by this stars-only stage at every trial
   * (brightness-settle.ts): a `settle_brightness` stage between the last flagging and the
   * reddening settlement. Absent = no (docs/method.md has no such step).
   */
  settleBrightness?: StageRecipe;
  stages: StageRecipe[];
  selfClean: SelfCleanRecipe;
}

/** Every optional stage field with its default; name, selection and optimise are required. */
export type StageDefaults = Omit<StageRecipe, 'name' | 'selection' | 'optimise'>;

export const STAGE_DEFAULTS: StageDefaults = {
  epochs: TRAINING_DEFAULTS.epochs,
  batchSize: TRAINING_DEFAULTS.batchSize,
  algorithm: 'sgd',
  lrModel: TRAINING_DEFAULTS.lrModel,
  lrStars: TRAINING_DEFAULTS.lrStars,
  momentum: TRAINING_DEFAULTS.momentum,
  lrDrops: { factor: TRAINING_DEFAULTS.lrDropFactor, at: [...TRAINING_DEFAULTS.lrDropAt] },
  clipModel: TRAINING_DEFAULTS.clipModel,
  clipStars: TRAINING_DEFAULTS.clipStars,
  l2: TRAINING_DEFAULTS.l2,
  starParams: ['theta', 'lnE', 'lnPlx'],
  softenStars: false,
  logJacobian: true,
  weighting: 'none',
  parallaxFromGaia: false,
  apparentScale: false,
};

export function stage(
  name: string,
  selection: Selection,
  optimise: Optimise,
  overrides: Partial<StageDefaults> = {},
): StageRecipe {
  return { ...structuredClone(STAGE_DEFAULTS), name, selection, optimise, ...overrides };
}

/** The authors' code weighs every model-training stage by inverse label density. */
const DENSITY = { weighting: 'label_density' } as const;

export const DEFAULT_RECIPE: Recipe = {
  version: 1,
  model: { hidden: [...DEFAULT_HIDDEN], activation: DEFAULT_ACTIVATION },
  stages: [
    stage('model_hq', 'hq', 'model', DENSITY),
    stage('stars_all', 'all', 'stars'),
    stage('joint_hq', 'hq', 'both', DENSITY),
  ],
  selfClean: {
    paramSigma: SELF_CLEAN_DEFAULTS.paramSigma,
    fluxSigma: SELF_CLEAN_DEFAULTS.fluxSigma,
    maxIterations: SELF_CLEAN_DEFAULTS.maxIterations,
    minChangedFraction: SELF_CLEAN_DEFAULTS.minChangedFraction,
    stages: [stage('joint_clean', 'non_outliers', 'both', DENSITY), stage('stars_refit', 'all', 'stars')],
  },
};

/** The learning-rate multiplier after `step` of `total` batches. */
export function lrMultiplier(s: StageRecipe, step: number, total: number): number {
  let m = 1;
  for (const at of s.lrDrops.at) if (step >= Math.floor(at * total)) m *= s.lrDrops.factor;
  return m;
}

/** The cut a recipe's 'hq' stages select by. */
export function highQualityOf(r: Recipe): HighQualityCut {
  return r.highQuality ?? HQ_SELECTION;
}

/** The ϖ/σ cut a recipe's parallax likelihood is truncated at: the sample's, or none. */
export function parallaxCutOf(r: Recipe, sampleCut: number): number | undefined {
  return r.parallaxLikelihood === 'truncated' ? sampleCut : undefined;
}

/** The model options a recipe's `model` block stands for (label names → Θ columns). */
export function modelOptionsOf(m: Recipe['model']): ModelOptions {
  const { linearSkip, ...rest } = m;
  return { ...rest, ...(linearSkip ? { linearSkip: linearSkip.map((n) => LABEL_NAMES.indexOf(n)) } : {}) };
}
