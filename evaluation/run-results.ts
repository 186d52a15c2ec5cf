/**
 * Where a finished run keeps what `xpflow evaluate` reads, from its audit: the
 * validation, the last flagging with the model and star fits it used (by content hash:
 * a stars-only stage leaves the model, so two stages hold the same model beside
 * different fits) or, where the run settled the reddening after it, the settled ones,
 * the training inputs, and the recipe's seed and thresholds.
 */
import type { RunAudit } from '../io/catalogue/queries.js';
import { SELF_CLEAN_DEFAULTS } from '../models/forward/config.js';
import { parallaxCutOf, type Recipe } from '../models/forward/recipe.js';
import type { CleanThresholds } from '../models/forward/self-clean.js';
import { resolveInputs } from '../pipeline/stage-runner.js';
import { TRAINING_INPUTS, type TrainingInputs } from '../pipeline/training-data.js';
import { EvaluationError } from './evaluation-error.js';

export interface RunResults {
  validationPath: string;
  /** The last clean_N stage's outliers, and the model and stars it flagged with. */
  outliersPath: string;
  modelPath: string;
  starsPath: string;
  /** Where the run settled the reddening after its last flagging: the final model and stars. */
  settledModelPath?: string;
  settledStarsPath?: string;
  /** The last flagging's R(λ) σ (extinction-uncertainty.ts); runs from before it have none. */
  extinctionUncertaintyPath?: string;
  inputs: TrainingInputs;
  recipe?: Recipe;
  seed?: number;
  /** The recipe's self-cleaning thresholds (METHOD.md's where the config holds no recipe). */
  thresholds: CleanThresholds;
  /** The ϖ/σ cut its parallax likelihood was truncated at, if it was (recipe.parallaxLikelihood). */
  parallaxCut?: number;
}

export function runResults(audit: RunAudit, runId: string): RunResults {
  const artifactAt = (stage: string, name: string) => audit.artifacts.find((a) => a.stage === stage && a.name === name);
  const path = (stage: string, name: string) => artifactAt(stage, name)?.path;
  const validationPath = path('validation', 'validation');
  const cleanStages = audit.stages.map((s) => s.stage).filter((s) => s.startsWith('clean_')).sort((a, b) => Number(a.slice(6)) - Number(b.slice(6)));
  const lastClean = cleanStages[cleanStages.length - 1];
  const outliersPath = lastClean ? path(lastClean, 'outliers') : undefined;
  if (!validationPath || !outliersPath) throw new EvaluationError(`run ${runId} has no training results (validation, clean_N)`);
  const inputsOf = (stage: string) => JSON.parse(audit.stages.find((s) => s.stage === stage)?.input_hashes_json ?? '{}') as { model?: string; stars?: string };
  const flagged = inputsOf(lastClean);
  // A reddening settlement starts from the model and fits the last flagging used; its outputs are the final ones.
  const settled = audit.stages.some((s) => s.stage === 'settle_reddening');
  if (settled && (inputsOf('settle_reddening').model !== flagged.model || inputsOf('settle_reddening').stars !== flagged.stars)) {
    throw new EvaluationError(`run ${runId}: the reddening settlement did not start from the model and fits of the last flagging`);
  }
  const byHash = (name: string, sha: string | undefined) => audit.artifacts.find((a) => a.name === name && a.sha256 === sha)?.path;
  const finalModelHash = settled ? artifactAt('settle_reddening', 'model')?.sha256 : flagged.model;
  if (inputsOf('validation').model !== finalModelHash) throw new EvaluationError(`run ${runId}: the validated model is not the run's final one`);
  const starsPath = byHash('stars', flagged.stars);
  const modelPath = byHash('model', flagged.model);
  const settledPaths = settled ? { settledModelPath: path('settle_reddening', 'model'), settledStarsPath: path('settle_reddening', 'stars') } : {};
  if (!starsPath || !modelPath) throw new EvaluationError(`run ${runId}: no model and star fits beside its last flagging`);
  const inputs = resolveInputs(TRAINING_INPUTS, (stage, name) => {
    const p = path(stage, name);
    if (!p) throw new EvaluationError(`run ${runId}: no ${stage}/${name} artifact`);
    return p;
  });
  const config = JSON.parse(audit.run.config_json) as { seed?: number; cuts?: { minParallaxOverError?: number }; training?: { recipe?: Recipe } };
  const recipe = config.training?.recipe;
  const sampleCut = config.cuts?.minParallaxOverError;
  const parallaxCut = recipe && sampleCut !== undefined ? parallaxCutOf(recipe, sampleCut) : undefined;
  const thresholds = { paramSigma: recipe?.selfClean?.paramSigma ?? SELF_CLEAN_DEFAULTS.paramSigma, fluxSigma: recipe?.selfClean?.fluxSigma ?? SELF_CLEAN_DEFAULTS.fluxSigma };
  const extinctionUncertaintyPath = path(lastClean, 'extinction_curve');
  return { validationPath, outliersPath, modelPath, starsPath, ...settledPaths, extinctionUncertaintyPath, inputs, recipe, seed: config.seed, thresholds, parallaxCut };
}
