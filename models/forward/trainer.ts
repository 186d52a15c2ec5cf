/**
 * Runs one recipe stage over a TrainingSet: shuffled batches each epoch (own PRNG,
 * seeded), one forward/backward per batch (batch-step.ts), SGD/Adam updates of the
 * model and/or the stars, learning-rate drops. Between batches it yields to the event
 * loop (so a Temporal heartbeat can fire), reports progress every N batches, stops on
 * an AbortSignal, and calls onEpoch after each epoch, where the caller may take a
 * checkpoint(). restore(checkpoint) resumes mid-epoch; with the same seed and a
 * deterministic backend the result is bit-identical to an uninterrupted run.
 */
import { toApparentScale, toParallax } from './apparent-scale.js';
import { activeBackend } from './backend.js';
import { BatchStepper } from './batch-step.js';
import {
  decodeOptimiserInto,
  decodeStars,
  encodeOptimiser,
  encodeStars,
  CHECKPOINT_FORMAT,
  type EpochSums,
  type TrainerCheckpoint,
} from './checkpoint.js';
import type { Chi2Kernel } from './chi2.js';
import type { HighQualityCut } from './config.js';
import { spectraFromTrainingSet, validateTrainingSet, type SpectraSource, type TrainingSet } from './data.js';
import type { ForwardModel } from './model.js';
import { ModelOptimiser, StarOptimiser } from './optimiser.js';
import { Prng, type PrngState } from './prng.js';
import { lrMultiplier, type StageRecipe } from './recipe.js';
import { selectStars } from './selection.js';
import { modelFromJson, modelToJson } from './serialize.js';
import type { StarParams } from './stars.js';

export interface TrainerOptions {
  data: TrainingSet;
  model: ForwardModel;
  stars: StarParams;
  stage: StageRecipe;
  seed: number;
  /** Outlier flags (n), for the 'non_outliers' selection. */
  outliers?: Uint8Array;
  /** The cut of the 'hq' selection (the recipe's highQuality); default docs/method.md's. */
  highQuality?: HighQualityCut;
  /** Per-star weights (n) on the model's loss (density-weights.ts); default all 1. */
  weights?: Float32Array;
  /** Where fluxes and whitening come from (default: the TrainingSet's arrays). */
  spectra?: SpectraSource;
  /** Default: 'tensor' on tfjs-node, 'host' on wasm and cpu. */
  chi2Kernel?: Chi2Kernel;
}

export interface Progress {
  stage: string;
  epoch: number;
  epochs: number;
  /** Batches done in this epoch, and per epoch. */
  batch: number;
  batchesPerEpoch: number;
  step: number;
  totalSteps: number;
  lrModel: number;
  lrStars: number;
  /** Running means over this epoch so far, per star (NaN for the part not optimised). */
  modelLoss: number;
  starLoss: number;
  meanChi2: number;
}

export interface EpochReport extends Progress {
  seconds: number;
  nonFinite: number;
  skippedSteps: number;
}

export interface RunOptions {
  onProgress?: (p: Progress) => void | Promise<void>;
  onEpoch?: (e: EpochReport) => void | Promise<void>;
  /** Batches between onProgress calls (default 50). */
  progressEvery?: number;
  signal?: AbortSignal;
}

export interface RunResult {
  completed: boolean;
  epochs: EpochReport[];
}

const emptySums = (): EpochSums => ({ stars: 0, modelLoss: 0, starLoss: 0, chi2: 0, nonFinite: 0, skippedSteps: 0 });

export class StageTrainer {
  readonly selected: Int32Array;
  readonly batchesPerEpoch: number;
  readonly totalSteps: number;
  readonly model: ForwardModel;
  readonly stars: StarParams;
  private readonly stage: StageRecipe;
  private readonly seed: number;
  private readonly stepper: BatchStepper;
  private readonly modelOpt: ModelOptimiser;
  private readonly starOpt: StarOptimiser;
  private readonly prng: Prng;
  private perm: Int32Array = new Int32Array(0);
  private prngEpochStart: PrngState;
  private epoch = 0;
  private cursor = 0;
  private step = 0;
  private sums: EpochSums = emptySums();
  /** Whether the selected stars' ln ϖ slots hold ψ (apparent-scale.ts): only inside run(). */
  private apparent = false;

  constructor(o: TrainerOptions) {
    validateTrainingSet(o.data, { spectra: !o.spectra });
    if (o.stars.n !== o.data.n) throw new Error(`stars: ${o.stars.n} parameters for ${o.data.n} stars`);
    this.model = o.model;
    this.stars = o.stars;
    this.stage = o.stage;
    this.seed = o.seed;
    this.selected = selectStars(o.data, o.stage.selection, o.outliers, o.highQuality);
    if (this.selected.length === 0)
      throw new Error(`stage ${o.stage.name}: selection '${o.stage.selection}' holds no star`);
    // A resumed stage's restore() then overwrites these with the checkpoint's parameters.
    if (o.stage.parallaxFromGaia) o.stars.resetParallaxToGaia(o.data, this.selected);
    this.batchesPerEpoch = Math.ceil(this.selected.length / o.stage.batchSize);
    this.totalSteps = this.batchesPerEpoch * o.stage.epochs;
    const kernel = o.chi2Kernel ?? (activeBackend() === 'node' ? 'tensor' : 'host');
    if (o.weights && (o.weights.length !== o.data.n || !o.weights.every((w) => w > 0 && Number.isFinite(w)))) {
      throw new Error(`weights: expected ${o.data.n} finite values > 0`);
    }
    this.stepper = new BatchStepper(
      o.model,
      o.spectra ?? spectraFromTrainingSet(o.data),
      o.data,
      kernel,
      o.stage.batchSize,
      o.weights,
    );
    this.modelOpt = new ModelOptimiser(o.model.layout.size, o.stage.algorithm, o.stage.momentum);
    this.starOpt = new StarOptimiser(o.stage.optimise === 'model' ? 0 : o.data.n, o.stage.algorithm);
    this.prng = new Prng(o.seed, 2);
    this.prngEpochStart = this.prng.state();
    this.startEpoch();
  }

  get done(): boolean {
    return this.epoch >= this.stage.epochs;
  }

  /** Draws this epoch's order from the PRNG (remembering the state it started from). */
  private startEpoch(): void {
    this.prngEpochStart = this.prng.state();
    this.perm = this.prng.shuffle(this.selected.slice());
  }

  /** Trains until the stage ends or `signal` aborts (then completed = false). */
  async run(opts: RunOptions = {}): Promise<RunResult> {
    if (this.stage.apparentScale && !this.apparent) {
      toApparentScale(this.model, this.stars, this.selected);
      this.apparent = true;
    }
    try {
      return await this.runEpochs(opts);
    } finally {
      if (this.apparent) {
        toParallax(this.model, this.stars, this.selected);
        this.apparent = false;
      }
    }
  }

  private async runEpochs(opts: RunOptions): Promise<RunResult> {
    const reports: EpochReport[] = [];
    const every = Math.max(1, opts.progressEvery ?? 50);
    let t0 = performance.now();
    let lastYield = performance.now();
    while (!this.done) {
      if (opts.signal?.aborted) return { completed: false, epochs: reports };
      this.trainBatch();
      // Counted over the stage, not the epoch: an epoch may be a single batch.
      if (opts.onProgress && this.step % every === 0) await opts.onProgress(this.progress());
      // Let timers run (a Temporal heartbeat) at least every 50 ms of training.
      if (performance.now() - lastYield > 50) {
        await new Promise((resolve) => setImmediate(resolve));
        lastYield = performance.now();
      }
      if (this.cursor >= this.perm.length) {
        const report: EpochReport = {
          ...this.progress(),
          seconds: (performance.now() - t0) / 1000,
          nonFinite: this.sums.nonFinite,
          skippedSteps: this.sums.skippedSteps,
        };
        reports.push(report);
        this.epoch++;
        this.cursor = 0;
        this.sums = emptySums();
        if (!this.done) this.startEpoch();
        if (opts.onEpoch) await opts.onEpoch(report);
        t0 = performance.now();
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return { completed: true, epochs: reports };
  }

  private learningRates(): [number, number] {
    const m = lrMultiplier(this.stage, this.step, this.totalSteps);
    return [this.stage.lrModel * m, this.stage.lrStars * m];
  }

  private trainBatch(): void {
    const count = Math.min(this.stage.batchSize, this.perm.length - this.cursor);
    const idx = this.perm.subarray(this.cursor, this.cursor + count);
    const [lrModel, lrStars] = this.learningRates();
    const r = this.stepper.step(this.stars, idx, count, this.stage);
    if (r.modelGrad) {
      if (r.modelGrad.every(Number.isFinite)) this.modelOpt.step(this.model.params, r.modelGrad, lrModel);
      else this.sums.skippedSteps++;
    }
    if (r.starGrad) this.starOpt.step(this.stars, idx, count, r.starGrad, lrStars);
    const s = this.sums;
    s.stars += count;
    s.modelLoss += r.modelLoss * count;
    s.starLoss += r.starLoss * count;
    s.chi2 += r.chi2Sum;
    s.nonFinite += r.nonFinite;
    this.cursor += count;
    this.step++;
  }

  progress(): Progress {
    const [lrModel, lrStars] = this.learningRates();
    const n = Math.max(1, this.sums.stars);
    return {
      stage: this.stage.name,
      epoch: this.epoch,
      epochs: this.stage.epochs,
      batch: Math.ceil(this.cursor / this.stage.batchSize),
      batchesPerEpoch: this.batchesPerEpoch,
      step: this.step,
      totalSteps: this.totalSteps,
      lrModel,
      lrStars,
      modelLoss: this.sums.modelLoss / n,
      starLoss: this.sums.starLoss / n,
      meanChi2: this.sums.chi2 / Math.max(1, this.sums.stars - this.sums.nonFinite),
    };
  }

  checkpoint(): TrainerCheckpoint {
    return {
      format: CHECKPOINT_FORMAT,
      version: 1,
      stage: this.stage.name,
      stageRecipe: structuredClone(this.stage),
      seed: this.seed,
      nStars: this.stars.n,
      nSelected: this.selected.length,
      epoch: this.epoch,
      cursor: this.cursor,
      step: this.step,
      prngEpochStart: this.prngEpochStart,
      sums: { ...this.sums },
      model: modelToJson(this.model),
      stars: encodeStars(this.stars),
      starsApparent: this.apparent,
      modelOptimiser: encodeOptimiser(this.modelOpt.state),
      starOptimiser: encodeOptimiser(this.starOpt.state),
    };
  }

  /** Puts the trainer (its model and stars, in place) back where the checkpoint was taken. */
  restore(cp: TrainerCheckpoint): void {
    const want = {
      format: CHECKPOINT_FORMAT,
      stage: this.stage.name,
      seed: this.seed,
      nStars: this.stars.n,
      nSelected: this.selected.length,
    };
    for (const [k, v] of Object.entries(want)) {
      const got = (cp as unknown as Record<string, unknown>)[k];
      if (got !== v) throw new Error(`checkpoint ${k}: ${JSON.stringify(got)}, this trainer has ${JSON.stringify(v)}`);
    }
    for (const [k, v] of Object.entries(this.stage)) {
      const got = (cp.stageRecipe as unknown as Record<string, unknown>)?.[k];
      if (JSON.stringify(got) !== JSON.stringify(v))
        throw new Error(`checkpoint stageRecipe.${k}: ${JSON.stringify(got)}, this stage has ${JSON.stringify(v)}`);
    }
    const m = modelFromJson(cp.model);
    if (JSON.stringify(m.architecture) !== JSON.stringify(this.model.architecture))
      throw new Error('checkpoint model: architecture differs');
    this.model.params.set(m.params);
    Object.assign(this.model.standardisation, m.standardisation);
    const st = decodeStars(cp.stars, this.stars.n);
    this.stars.theta.set(st.theta);
    this.stars.lnE.set(st.lnE);
    this.stars.lnPlx.set(st.lnPlx);
    this.apparent = cp.starsApparent === true;
    decodeOptimiserInto(cp.modelOptimiser, this.modelOpt.state, 'modelOptimiser');
    decodeOptimiserInto(cp.starOptimiser, this.starOpt.state, 'starOptimiser');
    this.epoch = cp.epoch;
    this.cursor = cp.cursor;
    this.step = cp.step;
    this.sums = { ...cp.sums };
    this.prng.setState(cp.prngEpochStart);
    this.startEpoch();
  }
}
