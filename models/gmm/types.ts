/**
 * Types and defaults of the Gaussian-mixture prior on stellar type (docs/method.md §6):
 * the fitted model, the fit options (scikit-learn's GaussianMixture semantics and
 * defaults where it has them) and the fit's provenance.
 */

/** The prior's label order: Teff in kK, [Fe/H], log g (docs/method.md §4 Θ). */
export const STELLAR_LABELS: readonly string[] = ['teff_kK', 'feh', 'logg'];

/**
 * A fitted (or loaded) mixture. Arrays are row-major: means K×D, covariances and
 * precisionCholesky K×D×D. precisionCholesky follows scikit-learn: the upper-triangular
 * P_k with P_k P_kᵀ = Σ_k⁻¹, so ln N(x | k) = −½(D ln 2π + |(x − μ_k)ᵀ P_k|²) + Σ ln diag(P_k).
 * Treat as immutable: every function here returns a new model.
 */
export interface GmmModel {
  readonly components: number;
  readonly dimensions: number;
  /** Name of each dimension, in order (STELLAR_LABELS for the prior). */
  readonly labels: readonly string[];
  readonly weights: Float64Array;
  readonly means: Float64Array;
  readonly covariances: Float64Array;
  readonly precisionCholesky: Float64Array;
  /** Mean ln p per training point at the returned parameters (NaN for a model built from parameters). */
  readonly logLikelihood: number;
  /** EM iterations of the chosen restart. */
  readonly iterations: number;
  /** Whether that restart met tol within maxIter. */
  readonly converged: boolean;
  /** ln p below which a star is flagged (0.1st percentile over GMM samples), once computed. */
  readonly lnPriorClip: number | null;
  /** How it was fitted (null for a model built from parameters). */
  readonly fit: GmmFitInfo | null;
}

/** Provenance of a fit: enough to repeat it on the same data. */
export interface GmmFitInfo {
  readonly samples: number;
  readonly seed: number;
  readonly nInit: number;
  /** Which restart (0-based) was kept. */
  readonly bestInit: number;
  readonly regCovar: number;
  readonly tol: number;
  readonly maxIter: number;
  readonly kmeansIterations: number;
  readonly emptyComponents: EmptyComponentPolicy;
  /** Components re-created by splitting during the kept restart (see em-step.ts). */
  readonly splits: number;
}

/**
 * What EM does with a component whose effective count falls below
 * minComponentCount (or whose covariance is not positive definite):
 * 'split' replaces it by half of the heaviest component, cut along that component's
 * principal axis (at most maxSplits times per restart, then 'floor');
 * 'floor' keeps scikit-learn's behaviour: the component keeps its (near-zero) weight
 * and its covariance falls to reg_covar·I.
 */
export type EmptyComponentPolicy = 'split' | 'floor';

export interface GmmFitOptions {
  /** K (default 16). */
  readonly components?: number;
  /** D (default 3); data holds n×D values, row-major. */
  readonly dimensions?: number;
  /** Names of the dimensions (default STELLAR_LABELS for D = 3, else x0, x1, …). */
  readonly labels?: readonly string[];
  /** Added to every covariance diagonal (default 1e-6, scikit-learn's reg_covar). */
  readonly regCovar?: number;
  /** Stop when the mean log-likelihood changes by less than this (default 1e-3). */
  readonly tol?: number;
  /** EM iterations per restart (default 500). */
  readonly maxIter?: number;
  /** Restarts, each from its own k-means++ seeding; the best final likelihood wins (default 1). */
  readonly nInit?: number;
  /** Seed of all randomness (default 0). */
  readonly seed?: number;
  /** Lloyd iterations after k-means++ (default 20; stops early like scikit-learn's KMeans, tol 1e-4). */
  readonly kmeansIterations?: number;
  /** Default 'split'. */
  readonly emptyComponents?: EmptyComponentPolicy;
  /** Effective count below which a component counts as empty (default D + 1). */
  readonly minComponentCount?: number;
  /** Splits allowed per restart (default K). */
  readonly maxSplits?: number;
  /** Called after every EM iteration with the mean log-likelihood of the parameters it started from. */
  readonly onIteration?: (iteration: number, meanLogLikelihood: number, init: number) => void | Promise<void>;
}

export interface GmmAsyncOptions extends GmmFitOptions {
  /** Hand the event loop a turn after this much work (default 50 ms). */
  readonly yieldEveryMs?: number;
  /** Called at every yield (about every yieldEveryMs), also during k-means: e.g. to heartbeat. */
  readonly onYield?: () => void;
  /** Aborts the fit at the next yield. */
  readonly signal?: AbortSignal;
}

/** Options with every default filled in. */
export interface ResolvedFitOptions {
  readonly components: number;
  readonly dimensions: number;
  readonly labels: readonly string[];
  readonly regCovar: number;
  readonly tol: number;
  readonly maxIter: number;
  readonly nInit: number;
  readonly seed: number;
  readonly kmeansIterations: number;
  readonly emptyComponents: EmptyComponentPolicy;
  readonly minComponentCount: number;
  readonly maxSplits: number;
}
