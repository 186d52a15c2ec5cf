/**
 * The brightness settlement: a line search along the model's overall brightness. Every
 * band's ln f_abs + g with every star's ln ϖ − g/2 leaves every flux as it was, so only
 * the priors see g: Gaia's parallaxes directly, and the labels through the Θ the stars
 * take up once refitted. Training moves along it only as fast as every star's fit can
 * follow the model, and it ends where the nearby stars have taken the model's error up in
 * Θ: on the synthetic skies 2–3 % too faint (as a ϖ ratio), with the distant stars' ϖ
 * that much high.
 *
 * Each trial shifts g from the starting point, refits the stars with the model held (the
 * recipe's refit stage, one seed for every trial) and scores the joint objective over the
 * clean stars: softened χ² plus each star's −2 ln prior. The search walks from g = 0 in
 * steps that double until the objective rises, and ends on the vertex of the parabola
 * through the best point and its neighbours. It keeps the best trial's model and stars.
 */
import { XpflowInputError } from '../../core/errors.js';
import { spectraFromTrainingSet, type SpectraSource, type TrainingSet } from './data.js';
import { fitDiagnostics } from './diagnostics.js';
import type { HighQualityCut } from './config.js';
import { softenChi2, starPrior } from './loss.js';
import type { ForwardModel } from './model.js';
import type { StageRecipe } from './recipe.js';
import type { StarParams } from './stars.js';
import { StageTrainer, type RunOptions } from './trainer.js';

export const BRIGHTNESS_FIRST_STEP = 0.02;
/** The walk goes no further than this (e^1: a model 2.7 times too faint or bright). */
export const BRIGHTNESS_MAX_OFFSET = 1;
/** 0, ±the first step, the doubling walk up to the largest offset, and the vertex. */
export const BRIGHTNESS_MAX_TRIALS = 3 + Math.ceil(Math.log2(BRIGHTNESS_MAX_OFFSET / BRIGHTNESS_FIRST_STEP)) + 1;

export interface BrightnessTrial {
  /** g: added to every band's ln f_abs. */
  offset: number;
  /** Σ over the clean stars of softened χ² + −2 ln prior after the refit. */
  objective: number;
}

export interface BrightnessSettlement {
  offset: number;
  /** From the parabola's curvature (σ² = 2 / J''); NaN when the search did not bracket a minimum. */
  sigma: number;
  /** The best objective less the one at g = 0 (both after a refit). */
  objectiveChange: number;
  bracketed: boolean;
  trials: BrightnessTrial[];
}

export class BrightnessSettlementError extends XpflowInputError {}

export interface BrightnessSettleOptions {
  data: TrainingSet;
  model: ForwardModel;
  stars: StarParams;
  /** A stars-only stage: how every trial refits the stars. */
  refit: StageRecipe;
  seed: number;
  /** Whose objective counts: the stars that train the model. */
  clean: Int32Array;
  outliers?: Uint8Array;
  highQuality?: HighQualityCut;
  /** Trials already scored (a resumed attempt): not run again, except the best one's refit. */
  known?: BrightnessTrial[];
  onTrial?: (trial: BrightnessTrial, trials: BrightnessTrial[]) => void | Promise<void>;
  run?: RunOptions;
}

/** Shifts the model's brightness by g and every star's ln ϖ by −g/2, in place. */
export function shiftBrightness(model: ForwardModel, stars: StarParams, g: number): void {
  const last = model.outputLayer;
  for (let j = 0; j < last.nOut; j++) model.params[last.bOffset + j] += g;
  for (let i = 0; i < stars.n; i++) stars.lnPlx[i] -= g / 2;
}

/**
 * The joint objective over the listed stars: softened χ² plus −2 ln prior. The χ² is
 * softened as in the model's loss, where the brightness is learnt (K = 20·66: for a clean
 * star's χ² ~ 90 it differs from the raw χ² the refit minimises by ~0.03).
 */
export function jointObjective(
  model: ForwardModel,
  data: TrainingSet,
  spectra: SpectraSource,
  stars: StarParams,
  which: Int32Array,
  jacobian: boolean,
): number {
  const { chi2 } = fitDiagnostics(model, spectra, stars, which);
  let sum = 0;
  for (let k = 0; k < which.length; k++) {
    const i = which[k];
    sum +=
      softenChi2(chi2[k]) +
      starPrior(data, i, stars.theta, 3 * i, stars.lnE[i], stars.lnPlx[i], undefined, 0, jacobian);
  }
  return sum;
}

export async function settleBrightness(
  o: BrightnessSettleOptions,
): Promise<BrightnessSettlement & { model: ForwardModel; stars: StarParams }> {
  if (o.refit.optimise !== 'stars')
    throw new BrightnessSettlementError(
      `brightness settlement: the refit stage "${o.refit.name}" must optimise the stars alone, not '${o.refit.optimise}'`,
    );
  if (o.clean.length === 0) throw new BrightnessSettlementError('brightness settlement: no clean star to score');
  const trials: BrightnessTrial[] = [...(o.known ?? [])];
  const spectra = spectraFromTrainingSet(o.data);
  // The best trial run in this attempt, with its model and stars.
  const kept: { best?: { offset: number; objective: number; model: ForwardModel; stars: StarParams } } = {};

  const refitAt = async (g: number) => {
    const model = o.model.clone();
    const stars = o.stars.clone();
    shiftBrightness(model, stars, g);
    const trainer = new StageTrainer({
      data: o.data,
      model,
      stars,
      stage: o.refit,
      seed: o.seed,
      outliers: o.outliers,
      highQuality: o.highQuality,
      spectra,
    });
    await trainer.run(o.run);
    const objective = jointObjective(model, o.data, spectra, stars, o.clean, o.refit.logJacobian);
    if (!Number.isFinite(objective))
      throw new BrightnessSettlementError(`brightness settlement: objective ${objective} at g = ${g}`);
    return { offset: g, objective, model, stars };
  };
  const score = async (g: number): Promise<number> => {
    const seen = trials.find((t) => t.offset === g);
    if (seen) return seen.objective;
    const r = await refitAt(g);
    const trial = { offset: g, objective: r.objective };
    trials.push(trial);
    if (!kept.best || r.objective < kept.best.objective) kept.best = r;
    await o.onTrial?.(trial, trials);
    return r.objective;
  };

  const { sigma, bracketed } = await searchBrightness(score);
  const winner = trials.reduce((m, t) => (t.objective < m.objective ? t : m));
  const chosen = kept.best?.offset === winner.offset ? kept.best : await refitAt(winner.offset);
  return {
    offset: winner.offset,
    sigma,
    objectiveChange: winner.objective - trials.find((t) => t.offset === 0)!.objective,
    bracketed,
    trials: [...trials].sort((x, y) => x.offset - y.offset),
    model: chosen.model,
    stars: chosen.stars,
  };
}

/**
 * The search on its own: walks downhill from 0 in steps that double from
 * BRIGHTNESS_FIRST_STEP, up to BRIGHTNESS_MAX_OFFSET, until the objective rises (three
 * points then bracket the minimum), and scores the vertex of the parabola through them.
 * Which points it scores depends only on the scores, so an attempt that reuses an earlier
 * one's scores follows the same path. σ² = 2 / J'' from the parabola (J = −2 ln L); NaN
 * when not bracketed.
 */
export async function searchBrightness(
  score: (g: number) => Promise<number>,
): Promise<{ sigma: number; bracketed: boolean }> {
  const step = BRIGHTNESS_FIRST_STEP;
  const j0 = await score(0);
  let bracket: [number, number, number] | null = null;
  let direction = 1;
  if ((await score(step)) >= j0) {
    if ((await score(-step)) < j0) direction = -1;
    else bracket = [-step, 0, step];
  }
  // The last step stops at the largest offset.
  for (let previous = 0, current = direction * step; !bracket && Math.abs(current) < BRIGHTNESS_MAX_OFFSET;) {
    const next = direction * Math.min(2 * Math.abs(current), BRIGHTNESS_MAX_OFFSET);
    if ((await score(next)) >= (await score(current))) bracket = [previous, current, next];
    previous = current;
    current = next;
  }
  if (!bracket) return { sigma: NaN, bracketed: false };
  const points: { g: number; j: number }[] = [];
  for (const g of bracket) points.push({ g, j: await score(g) });
  const [a, b, c] = points;
  // The parabola through the three points: J(g) = J(a) + d1 (g − a) + ½ J'' (g − a)(g − b).
  const d1 = (b.j - a.j) / (b.g - a.g);
  const d2 = (c.j - b.j) / (c.g - b.g);
  const curvature = (2 * (d2 - d1)) / (c.g - a.g);
  if (!(curvature > 0)) return { sigma: NaN, bracketed: true };
  const vertex = (a.g + b.g) / 2 - d1 / curvature;
  if (vertex > Math.min(a.g, c.g) && vertex < Math.max(a.g, c.g)) await score(vertex);
  return { sigma: Math.sqrt(2 / curvature), bracketed: true };
}
