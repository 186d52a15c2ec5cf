/**
 * Naming the training steps of a recipe. Imports types only, so that the train
 * workflow can use it inside Temporal's deterministic sandbox.
 */
import type { Recipe, StageRecipe } from '../models/forward/recipe.js';

/** Which recipe stage a training step runs: the initial stages, or the self-cleaning ones. */
export interface StepRef {
  phase: 'stages' | 'clean';
  index: number;
  iteration: number;
}

export function stepStage(recipe: Recipe, step: StepRef): StageRecipe {
  return step.phase === 'stages' ? recipe.stages[step.index] : recipe.selfClean.stages[step.index];
}

export function stepName(recipe: Recipe, step: StepRef): string {
  const s = stepStage(recipe, step);
  return step.phase === 'stages'
    ? `train_${step.index + 1}_${s.name}`
    : `train_c${step.iteration}_${step.index + 1}_${s.name}`;
}
