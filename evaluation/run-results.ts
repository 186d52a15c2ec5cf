/**
 * Where a finished run keeps what `xpflow evaluate` reads, from its audit: the
 * validation, the last flagging with the model and star fits it used (by content hash:
 * a stars-only stage leaves the model, so two stages hold the same model beside
 * different fits) or, where the run settled the brightness or the reddening after it,
 * the settled ones, the training inputs, and the recipe's seed and thresholds.
 */
import type { RunAudit } from '../io/catalogue/queries.js';
import { SELF_CLEAN_DEFAULTS } from '../models/forward/config.js';
import { parallaxCutOf, type Recipe } from '../models/forward/recipe.js';
import type { CleanThresholds } from '../models/forward/self-clean.js';
import { resolveInputs } from '../pipeline/stage-runner.js';
import { TRAINING_INPUTS, type TrainingInputs } from '../pipeline/training-data.js';
import { EvaluationError } from './evaluation-error.js';

/** The stages that may follow the last flagging, in the order the train workflow runs them. */
const SETTLEMENTS = ['settle_brightness', 'settle_reddening'];

export interface RunResults {
  validationPath: string;
  /** The last clean_N stage's outliers, and the model and stars it flagged with. */
  outliersPath: string;
  modelPath: string;
  starsPath: string;
  /** Where the run settled the brightness or the reddening after its last flagging: the final model and stars. */
  settledModelPath?: string;
  settledStarsPath?: string;
  /** The last flagging's R(λ) σ (extinction-uncertainty.ts); runs from before it have none. */
  extinctionUncertaintyPath?: string;
  inputs: TrainingInputs;
  recipe?: Recipe;
  seed?: number;
  /** The recipe's self-cleaning thresholds (docs/method.md's where the config holds no recipe). */
  thresholds: CleanThresholds;
  /** The ϖ/σ cut its parallax likelihood was truncated at, if it was (recipe.parallaxLikelihood). */
  parallaxCut?: number;
}

export function runResults(audit: RunAudit, runId: string): RunResults {
  const artifactAt = (stage: string, name: string) => audit.artifacts.find((a) => a.stage === stage && a.name === name);
  const path = (stage: string, name: string) => artifactAt(stage, name)?.path;
  const validationPath = path('validation', 'validation');
  const cleanStages = audit.stages
    .map((s) => s.stage)
    .filter((s) => s.startsWith('clean_'))
    .sort((a, b) => Number(a.slice(6)) - Number(b.slice(6)));
  const lastClean = cleanStages[cleanStages.length - 1];
  const outliersPath = lastClean ? path(lastClean, 'outliers') : undefined;
  if (!validationPath || !outliersPath)
    throw new EvaluationError(`run ${runId} has no training results (validation, clean_N)`);
  const inputsOf = (stage: string) =>
    JSON.parse(audit.stages.find((s) => s.stage === stage)?.input_hashes_json ?? '{}') as {
      model?: string;
      stars?: string;
    };
  const flagged = inputsOf(lastClean);
  // The settlements run in this order after the last flagging, each from the model and fits before it; the last one's are the final ones.
  const settlements = SETTLEMENTS.filter((stage) => audit.stages.some((s) => s.stage === stage));
  let from = { model: flagged.model, stars: flagged.stars, by: 'the last flagging' };
  for (const stage of settlements) {
    if (inputsOf(stage).model !== from.model || inputsOf(stage).stars !== from.stars) {
      throw new EvaluationError(`run ${runId}: ${stage} did not start from the model and fits of ${from.by}`);
    }
    from = { model: artifactAt(stage, 'model')?.sha256, stars: artifactAt(stage, 'stars')?.sha256, by: stage };
  }
  const lastSettlement = settlements.at(-1);
  const byHash = (name: string, sha: string | undefined) =>
    audit.artifacts.find((a) => a.name === name && a.sha256 === sha)?.path;
  if (inputsOf('validation').model !== from.model)
    throw new EvaluationError(`run ${runId}: the validated model is not the run's final one`);
  const starsPath = byHash('stars', flagged.stars);
  const modelPath = byHash('model', flagged.model);
  const settledPaths = lastSettlement
    ? { settledModelPath: path(lastSettlement, 'model'), settledStarsPath: path(lastSettlement, 'stars') }
    : {};
  if (!starsPath || !modelPath)
    throw new EvaluationError(`run ${runId}: no model and star fits beside its last flagging`);
  const inputs = resolveInputs(TRAINING_INPUTS, (stage, name) => {
    const p = path(stage, name);
    if (!p) throw new EvaluationError(`run ${runId}: no ${stage}/${name} artifact`);
    return p;
  });
  const config = JSON.parse(audit.run.config_json) as {
    seed?: number;
    cuts?: { minParallaxOverError?: number };
    training?: { recipe?: Recipe };
  };
  const recipe = config.training?.recipe;
  const sampleCut = config.cuts?.minParallaxOverError;
  const parallaxCut = recipe && sampleCut !== undefined ? parallaxCutOf(recipe, sampleCut) : undefined;
  const thresholds = {
    paramSigma: recipe?.selfClean?.paramSigma ?? SELF_CLEAN_DEFAULTS.paramSigma,
    fluxSigma: recipe?.selfClean?.fluxSigma ?? SELF_CLEAN_DEFAULTS.fluxSigma,
  };
  const extinctionUncertaintyPath = path(lastClean, 'extinction_curve');
  return {
    validationPath,
    outliersPath,
    modelPath,
    starsPath,
    ...settledPaths,
    extinctionUncertaintyPath,
    inputs,
    recipe,
    seed: config.seed,
    thresholds,
    parallaxCut,
  };
}
