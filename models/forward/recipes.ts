/**
 * Named recipes. "paper" is DEFAULT_RECIPE (docs/method.md §5: SGD + momentum, lr 1e-4,
 * 512 epochs a stage), for millions of stars. "quick" keeps the paper's stages and
 * self-cleaning for skies of ~10⁴ training stars; its departures, one line each (the
 * reasoning and the measurements: docs/recipes.md, under the same headings):
 * - Adam for 120–240 epochs a stage: SGD at 1e-4 has not moved from its start by then.
 * - High-quality stars also admit a Teff error up to 4 % of Teff (LAMOST's Teff errors grow with Teff).
 * - log g held in the joint stages where the stars-only stage before them left it.
 * - The first joint stage on all stars, not the high-quality ones only.
 * - No density weights in the first model stage (model_hq); the later model stages have them.
 * - 64-wide hidden layers and a linear path from log g to every output (model.linearSkip).
 * - Re-anchoring on Gaia parallaxes after the first joint stage (parallaxFromGaia).
 * - Joint stages in the apparent scale ψ = ln ϖ + ½ m̄(Θ) (apparentScale; ln ϖ in the second half of each self-cleaning one).
 * - Self-cleaning at 4σ (parameters) and 4.5σ (fluxes), not the seed's 3.5σ and 4σ.
 * - A truncated Gaia parallax likelihood that knows the sample's ϖ/σ > 3 cut (parallaxLikelihood).
 * - The brightness settlement after self-cleaning (settleBrightness, brightness-settle.ts).
 * - The reddening settlement after it (settleReddening, reddening-settle.ts).
 */
import { HQ_SELECTION } from './config.js';
import { DEFAULT_RECIPE, stage, type Recipe, type StarParamName } from './recipe.js';

/** The joint stages: log g held at its last fit, density-weighted model loss, apparent-scale coordinates (see above). */
const JOINT = {
  starParams: ['teff', 'feh', 'lnE', 'lnPlx'] as StarParamName[],
  weighting: 'label_density' as const,
  apparentScale: true,
};

const adam = (epochs: number) => ({
  algorithm: 'adam' as const,
  epochs,
  batchSize: 256,
  l2: 0,
  lrDrops: { factor: 0.1, at: [0.6, 0.85] },
});

export const QUICK_RECIPE: Recipe = {
  ...structuredClone(DEFAULT_RECIPE),
  model: { ...structuredClone(DEFAULT_RECIPE.model), hidden: [64, 64, 64], linearSkip: ['logg'] },
  highQuality: { ...HQ_SELECTION, teffErrorFraction: 0.04 },
  parallaxLikelihood: 'truncated',
  settleReddening: true,
  settleBrightness: stage('brightness_refit', 'all', 'stars', { ...adam(120), lrStars: 1e-2 }),
  stages: [
    stage('model_hq', 'hq', 'model', { ...adam(120), lrModel: 3e-3 }),
    stage('stars_all', 'all', 'stars', { ...adam(120), lrStars: 1e-2 }),
    stage('joint_all', 'all', 'both', { ...adam(240), lrModel: 3e-3, lrStars: 1e-2, ...JOINT }),
    stage('model_hq_anchor', 'hq', 'model', {
      ...adam(120),
      lrModel: 1e-3,
      weighting: 'label_density',
      parallaxFromGaia: true,
    }),
    stage('stars_all_anchor', 'all', 'stars', { ...adam(120), lrStars: 1e-2 }),
  ],
  selfClean: {
    ...structuredClone(DEFAULT_RECIPE.selfClean),
    paramSigma: 4,
    fluxSigma: 4.5,
    maxIterations: 3,
    minChangedFraction: 0.05,
    stages: [
      stage('joint_clean_psi', 'non_outliers', 'both', { ...adam(90), lrModel: 1e-3, lrStars: 1e-2, ...JOINT }),
      stage('joint_clean', 'non_outliers', 'both', {
        ...adam(90),
        lrModel: 1e-3,
        lrStars: 1e-2,
        ...JOINT,
        apparentScale: false,
      }),
      stage('stars_refit', 'all', 'stars', { ...adam(120), lrStars: 1e-2 }),
    ],
  },
};

export const RECIPES: Record<string, Recipe> = { paper: DEFAULT_RECIPE, quick: QUICK_RECIPE };
