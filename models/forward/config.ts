/**
 * The forward model's science numbers, each with its source. docs/method.md §4–5 is the
 * summary; "code" means the authors' TensorFlow code (Astrozxy/gaia_XP_forward_model:
 * model.py, train.py, default_recipe.json), "paper" Zhang, Green & Rix 2023 (v1).
 * Nothing else in models/forward hard-codes one of these.
 */
import { NIR_BANDS, PIPELINE_GRID_NM } from '../config/science.js';

/** The data vector: 61 XP pixels + 5 NIR bands (docs/method.md §3). */
export const N_XP = Math.round((PIPELINE_GRID_NM.stop - PIPELINE_GRID_NM.start) / PIPELINE_GRID_NM.step) + 1;
export const N_FLUX = N_XP + NIR_BANDS.length;
/** Θ = (Teff/1000 K, [Fe/H], log g). */
export const N_LABELS = 3;
/** Free parameters per star: Θ (3), ln E, ln ϖ. */
export const N_STAR_PARAMS = N_LABELS + 2;
/** Indices of Teff and log g within Θ. */
export const TEFF_INDEX = 0;
export const LOGG_INDEX = 2;

/** The model's wavelengths in nm: the XP grid, then J, H, Ks, W1, W2 (docs/method.md §3). */
export const MODEL_WAVELENGTHS_NM: readonly number[] = [
  ...Array.from({ length: N_XP }, (_, i) => PIPELINE_GRID_NM.start + i * PIPELINE_GRID_NM.step),
  ...NIR_BANDS.map((b) => b.wavelengthUm * 1000),
];

/** MLP Θ → ln f_abs (docs/method.md §4; code FluxModel: n_hidden=3, hidden_size=32, tanh). */
export const DEFAULT_HIDDEN: readonly number[] = [32, 32, 32];
export const DEFAULT_ACTIVATION = 'tanh';

/**
 * Initial extinction curve: R(λ) = R_550 · (λ / 550 nm)^(−slope) at every wavelength,
 * NIR included (a power law close to CCM's λ^−1.61 in the infrared; R_V ≈ 3.1).
 * The code's guess is R_550 = 2 with the same slope 1.5; the curve is learned either
 * way, and the E prior (Bayestar19 units) fixes its scale.
 */
export const EXTINCTION_INIT = { r550: 3.1, pivotNm: 550, slope: 1.5 } as const;

/** Softened χ²: K·asinh(χ²/K), K = 20 × 66 (docs/method.md §5; code chi2_turnover = 20). */
export const CHI2_TURNOVER_PER_FLUX = 20;
export const CHI2_SOFTENING = CHI2_TURNOVER_PER_FLUX * N_FLUX;

/** Floors when taking logs of initial values (code train_stellar_model: E ≥ 1e-4, ϖ ≥ 1e-6). */
export const E_INIT_FLOOR = 1e-4;
export const PARALLAX_INIT_FLOOR_MAS = 1e-6;
/**
 * Initial ϖ: Gaia's when ϖ/σ ≥ this; otherwise the photometric guess (model flux
 * ratio) when a model is given, else max(ϖ, σ_ϖ). Our choice, not the authors'.
 */
export const PARALLAX_INIT_MIN_SNR = 5;

/**
 * The 'hq' selection: ϖ/σ above minParallaxOverError and every label σ below
 * maxLabelError (Teff in kK); teffErrorFraction, where above 0, also admits a Teff σ up
 * to that fraction of the Teff label.
 */
export interface HighQualityCut {
  minParallaxOverError: number;
  maxLabelError: number;
  teffErrorFraction: number;
}

/** High-quality stars (docs/method.md §5; code idx_hq): ϖ/σ > 10 and every label σ < 0.2. */
export const HQ_SELECTION: Readonly<HighQualityCut> = {
  minParallaxOverError: 10,
  maxLabelError: 0.2,
  teffErrorFraction: 0,
};

/** Optimiser defaults (docs/method.md §5; code train_stellar_model and default_recipe.json). */
export const TRAINING_DEFAULTS = {
  lrModel: 1e-4,
  lrStars: 1e-4,
  /** Model momentum 0.5; the stars take plain SGD (code: a batch's stars differ each step). */
  momentum: 0.5,
  /** Learning rate × 0.1 at ¼, ½ and ¾ of the stage's batches (code n_drops = 4). */
  lrDropFactor: 0.1,
  lrDropAt: [0.25, 0.5, 0.75] as readonly number[],
  batchSize: 512,
  epochs: 512,
  /** Model gradient: clip by global norm; stars: clip each star's 5-vector (code: 1000). */
  clipModel: 1000,
  clipStars: 1000,
  /** L2 on the MLP weights (not biases), as l2 · Σw² / n_weights (default_recipe.json: 5). */
  l2: 5,
} as const;

/** Adam constants (Kingma & Ba 2015; the code uses Adam for inference, docs/method.md §7). */
export const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 } as const;

/** Self-cleaning (docs/method.md §5, seed values). */
export const SELF_CLEAN_DEFAULTS = {
  /** Outlier when (Δlog g/σ)² + (Δϖ/σ)² > paramSigma², Δ = fitted − catalogue. */
  paramSigma: 3.5,
  /** Outlier when any pixel has |f_pred − f_obs| > fluxSigma · σ. */
  fluxSigma: 4,
  /** Retraining rounds at most; flagging runs once more after the last (see cleaningDone). */
  maxIterations: 5,
  /** Stop when (n_new + n_returned) / max(1, previous n_outliers) is below this. Our choice. */
  minChangedFraction: 0.01,
} as const;
