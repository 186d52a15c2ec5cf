/**
 * A stage killed mid-epoch and resumed from its checkpoint (through JSON, into a fresh
 * model, stars and trainer) ends bit-identical to an uninterrupted run with the same
 * seed; and training leaks no tensors.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../models/forward/backend.js';
import { decodeStars, type TrainerCheckpoint } from '../models/forward/checkpoint.js';
import { ForwardModel } from '../models/forward/model.js';
import { stage, type Algorithm, type Optimise } from '../models/forward/recipe.js';
import { modelFromJson } from '../models/forward/serialize.js';
import { StarParams } from '../models/forward/stars.js';
import { makeToySet } from '../models/forward/toy.js';
import { StageTrainer } from '../models/forward/trainer.js';

const { data } = makeToySet({ n: 600, seed: 8, missingNirFrac: 0.2 });

const resumeStage = (algorithm: Algorithm, optimise: Optimise, apparentScale = false) =>
  stage('resume_test', 'all', optimise, {
    algorithm,
    epochs: 5,
    batchSize: 128,
    lrModel: 1e-3,
    lrStars: 1e-3,
    lrDrops: { factor: 0.1, at: [0.5] },
    apparentScale,
  });

function fresh(algorithm: Algorithm, optimise: Optimise, apparentScale = false) {
  const model = ForwardModel.create(data.labels, { seed: 2, hidden: [16, 16] });
  const { stars } = StarParams.fromPriors(data);
  return {
    model,
    stars,
    trainer: new StageTrainer({ data, model, stars, stage: resumeStage(algorithm, optimise, apparentScale), seed: 42 }),
  };
}

describe('checkpoint and resume', () => {
  beforeAll(() => useBackend('wasm'));

  it.each([
    ['sgd', 'both'],
    ['adam', 'both'],
    ['sgd', 'stars'],
    ['adam', 'both', true],
  ] as [Algorithm, Optimise, boolean?][])(
    '%s/%s (apparent scale: %s): killed at epoch 2 batch 3, resumed, ends bit-identical',
    async (algorithm, optimise, apparentScale = false) => {
      const a = fresh(algorithm, optimise, apparentScale);
      const full = await a.trainer.run();
      expect(full.completed).toBe(true);

      const b = fresh(algorithm, optimise, apparentScale);
      const abort = new AbortController();
      let saved = '';
      const part = await b.trainer.run({
        progressEvery: 1,
        onProgress: (p) => {
          if (p.epoch === 2 && p.batch === 3) {
            saved = JSON.stringify(b.trainer.checkpoint());
            abort.abort(); // the process "dies" right after this checkpoint
          }
        },
        signal: abort.signal,
      });
      expect(part.completed).toBe(false);

      const cp = JSON.parse(saved) as TrainerCheckpoint;
      expect([cp.epoch, cp.cursor, cp.step]).toEqual([2, 3 * 128, 2 * 5 + 3]);
      // Taken inside the stage, an apparent-scale checkpoint holds ψ, and says so.
      expect(cp.starsApparent).toBe(apparentScale);
      // The aborted run handed its stars back in ln ϖ: the checkpoint's ψ differ from them by ½ m̄(Θ).
      const held = decodeStars(cp.stars, data.n).lnPlx;
      expect(Buffer.from(held.buffer).equals(Buffer.from(b.stars.lnPlx.buffer))).toBe(!apparentScale);
      const c = fresh(algorithm, optimise, apparentScale);
      const model = modelFromJson(cp.model);
      const trainer = new StageTrainer({
        data,
        model,
        stars: c.stars,
        stage: resumeStage(algorithm, optimise, apparentScale),
        seed: 42,
      });
      trainer.restore(cp);
      const rest = await trainer.run();
      expect(rest.completed).toBe(true);
      expect(rest.epochs.map((e) => e.epoch)).toEqual([2, 3, 4]);
      expect(rest.epochs.at(-1)!.starLoss).toBe(full.epochs.at(-1)!.starLoss);

      expect(Buffer.from(model.params.buffer).equals(Buffer.from(a.model.params.buffer))).toBe(true);
      for (const k of ['theta', 'lnE', 'lnPlx'] as const) {
        expect(Buffer.from(c.stars[k].buffer).equals(Buffer.from(a.stars[k].buffer))).toBe(true);
      }
      // And training moved something, so the comparison is not vacuous.
      const untouched = fresh(algorithm, optimise);
      expect(Buffer.from(untouched.stars.lnE.buffer).equals(Buffer.from(a.stars.lnE.buffer))).toBe(false);
    },
  );

  it('refuses a checkpoint from another stage, recipe or seed', () => {
    const a = fresh('sgd', 'both');
    const cp = a.trainer.checkpoint();
    const other = { ...cp, seed: 43 };
    expect(() => a.trainer.restore(other)).toThrow('checkpoint seed');
    expect(() => a.trainer.restore({ ...cp, stage: 'x' })).toThrow('checkpoint stage');
    expect(() => a.trainer.restore({ ...cp, stageRecipe: { ...cp.stageRecipe, epochs: 6 } })).toThrow(
      'checkpoint stageRecipe.epochs',
    );
  });

  it('leaks no tensors across epochs', async () => {
    const a = fresh('adam', 'both');
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    await a.trainer.run({ onEpoch: () => void counts.push(tf.memory().numTensors) });
    expect(counts).toEqual([before, before, before, before, before]);
  });
});
