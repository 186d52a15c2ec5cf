/**
 * Run ids and stage keys must not change when the code is reorganised: a run id hashes
 * the resolved config (recipe included) and the inputs' fingerprints; a stage key hashes
 * the stage's name, version, config and input hashes. The expected values below were
 * computed at commit 76066a1 (before the core/ layer and the typed resolved recipe); the
 * run ids were computed again when the config gained its `inference` section (the run id
 * hashes the whole config, so every run id changed then), the stage keys are unchanged:
 * each hashes only its own slice of the config.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QUICK_RECIPE } from '../models/forward/recipes.js';
import { LABEL_ERROR_FLOOR } from '../models/config/science.js';
import { prepareRun, type RunRequest } from '../pipeline/prepare-run.js';
import { stageKeyOf } from '../pipeline/stage-runner.js';
import { makeSky, tempDir } from './helpers/pipeline.js';

const EXPECTED = {
  // Run ids since the config's `inference` section (before it: rfaea8cc45235, r2b2eed8fe389, r14b1dd776483).
  defaultRun: 're7437aad9963',
  pipelineStageKeys: {
    crossmatch: 'da6d53f6af8b20a705ee70489ff673a84484e1789a793e44e2aec626822340ff',
    quality_cuts: 'c5a608b55e5ca02016b2ae5344f98aef788902c4d924fbee5080c9654561d89f',
    split: '005d4c93ab11402dc4a0cf59c881b7d99b4ed161cccac48fb473c015d3f9d5bc',
    prior: 'fe8912c9852d590dd20e9a385257c565907d3f914f292204cd349dc9d1509970',
    train_1: 'b650e4a0a8d6f8f9ffda554af5b588849881d2c1bef50397f9f6e024d354462e',
  },
  paperRecipe: 'r9c5d9d7c06de',
  inlineRecipe: 're7437aad9963',
  recipeFile: 're7437aad9963',
  overridden: 'rfa5116ddb7f4',
};

async function runIdOf(request: Omit<RunRequest, 'dataDir'>): Promise<string> {
  return (await prepareRun({ ...request, dataDir: tempDir('data-id') })).run.runId;
}

describe('run ids are those since the inference config, stage keys those of commit 76066a1', () => {
  it('on a small generated sky, for the default config and each way of giving a recipe', async () => {
    const sky = await makeSky({ stars: 300, seed: 7, lamostFraction: 0.5 });
    const prepared = await prepareRun({ inputDir: sky, dataDir: tempDir('data-id') });
    const { config } = prepared.run;
    const hashes = { training_sample: 'a'.repeat(64), gaia_source: 'b'.repeat(64) };
    const keys = {
      crossmatch: stageKeyOf({ stage: 'crossmatch', config: config.crossmatch, inputHashes: hashes }),
      quality_cuts: stageKeyOf({
        stage: 'quality_cuts',
        config: { cuts: config.cuts, labelFloor: LABEL_ERROR_FLOOR },
        inputHashes: hashes,
      }),
      split: stageKeyOf({
        stage: 'split',
        config: { seed: config.seed, trainFraction: config.split.trainFraction },
        inputHashes: hashes,
      }),
      prior: stageKeyOf({
        stage: 'prior',
        config: { components: config.training.priorComponents, seed: config.seed },
        inputHashes: hashes,
      }),
      train_1: stageKeyOf({ stage: 'train_1_model_hq', config: config.training.recipe, inputHashes: hashes }),
    };
    const recipeFile = join(mkdtempSync(join(tmpdir(), 'xpflow-recipe-')), 'recipe.json');
    writeFileSync(recipeFile, JSON.stringify(QUICK_RECIPE));
    const configFile = join(mkdtempSync(join(tmpdir(), 'xpflow-config-')), 'config.json');
    writeFileSync(configFile, JSON.stringify({ seed: 11, cuts: { minLamostSnr: 20 }, split: { trainFraction: 0.7 } }));
    const got = {
      defaultRun: prepared.run.runId,
      pipelineStageKeys: keys,
      paperRecipe: await runIdOf({ inputDir: sky, overrides: { training: { recipe: 'paper' } } }),
      inlineRecipe: await runIdOf({
        inputDir: sky,
        overrides: { training: { recipe: structuredClone(QUICK_RECIPE) } },
      }),
      recipeFile: await runIdOf({ inputDir: sky, overrides: { training: { recipe: recipeFile } } }),
      overridden: await runIdOf({ inputDir: sky, configFile }),
    };
    expect(got).toEqual(EXPECTED);
  }, 240_000);
});
