import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runResults } from '../evaluation/run-results.js';
import { evaluateAgainstTruth } from '../evaluation/synthetic-truth.js';
import { loadTrainingSet } from '../pipeline/training-data.js';
import { loadModel } from '../pipeline/train-state.js';
import { auditRun } from '../io/catalogue/queries.js';
import { withCatalogue } from '../io/catalogue/catalogue.js';
import { prepareRun, type PreparedRun } from '../pipeline/prepare-run.js';
import { sql } from 'kysely';
import { currentTrainExecution, workflowIdFor } from '../temporal/runs.js';
import type { RunSummary } from '../workflows/reprocess.js';
import { isolatedSettings, makeSky, runWithWorker, tempDir, withClient } from './helpers/pipeline.js';

describe('the reprocess workflow on a real Temporal server and DuckDB file', () => {
  let sky: string;
  let dataDir: string;
  let prepared: PreparedRun;
  let summary: RunSummary;
  const settings = isolatedSettings('pipeline');

  // The run every test reads, made once: a slow machine makes the hook slow, never one test
  // time out while its run goes on behind the next.
  beforeAll(async () => {
    sky = await makeSky({ stars: 3000, seed: 11, lamostFraction: 0.5 });
    dataDir = tempDir('data');
    prepared = await prepareRun({ inputDir: sky, dataDir });
    summary = await runWithWorker(settings, prepared);
  }, 1_200_000);

  it('runs ingest → crossmatch → quality cuts → fluxes → split → training → inference, and records every stage', async () => {
    const all = summary.stages.map((s) => s.stage);
    // Inference follows the training: the plan, one shard (3,000 stars, at most 10,000 a shard), the catalogue.
    const trainEnd = all.indexOf('validation') + 1;
    expect(all.slice(trainEnd)).toEqual(['infer_plan', 'infer_shards', 'catalogue']);
    expect(summary.catalogue?.rows).toBe(summary.stages.find((s) => s.stage === 'fluxes')!.rowsOut);
    const names = all.slice(0, trainEnd);
    expect(names.slice(0, 5)).toEqual(['ingest', 'crossmatch', 'quality_cuts', 'fluxes', 'split']);
    expect(names.slice(5, 8)).toEqual(['train_1_model_hq', 'train_2_stars_all', 'train_3_joint_all']);
    expect(names).toContain('clean_1');
    expect(names.slice(-2)).toEqual(['prior', 'validation']);
    // Self-cleaning ends on a flagging of the final model: one more clean_N than retraining rounds.
    const cleans = names.filter((n) => n.startsWith('clean_'));
    const rounds = new Set(names.filter((n) => n.startsWith('train_c')).map((n) => n.split('_')[1])).size;
    // The quick recipe then settles the model's brightness and puts the fitted E in the units of the reddening prior.
    expect(names[names.length - 3]).toBe('settle_reddening');
    expect(names[names.length - 4]).toBe('settle_brightness');
    expect(names[names.length - 5]).toBe(cleans[cleans.length - 1]);
    expect(cleans.length).toBe(rounds + 1);
    expect(summary.stages.every((s) => !s.reused)).toBe(true);

    const audit = (await auditRun(dataDir, prepared.run.runId))!;
    expect(audit.run.status).toBe('completed');
    expect(audit.stages.length).toBe(all.length);
    expect(audit.stages.every((s) => s.status === 'completed')).toBe(true);
    const iterations = await withCatalogue(dataDir, 'read', ({ db }) =>
      db
        .selectFrom('clean_iterations')
        .selectAll()
        .where('run_id', '=', prepared.run.runId)
        .orderBy('iteration')
        .execute(),
    );
    expect(iterations.length).toBe(names.filter((n) => n.startsWith('clean_')).length);
    expect(Number(iterations[0].n_train)).toBe(
      audit.metrics.find((m) => m.stage === 'split' && m.name === 'train')!.value,
    );

    // Each flagging states R(λ)'s σ along the directions χ² cannot see: the grey offset
    // matters most where R is least, at W2; the model's R is the one written.
    const lastClean = cleans[cleans.length - 1];
    const curveFile = audit.artifacts.find((a) => a.stage === lastClean && a.name === 'extinction_curve')!;
    const curve = JSON.parse(readFileSync(curveFile.path, 'utf8')) as {
      extinctionCurve: number[];
      sigma: number[];
      greyOffset: { sigma: number };
      wavelengthsNm: number[];
    };
    const flaggedFile = audit.artifacts.find((a) => a.stage === names[names.length - 6] && a.name === 'model')!;
    const model = JSON.parse(readFileSync(flaggedFile.path, 'utf8')) as { extinctionCurve: number[] };
    expect(curve.extinctionCurve).toEqual(model.extinctionCurve);
    // The brightness settlement starts from the flagged model and moves its output biases by
    // its offset alone; the reddening settlement starts from it.
    const inputsOf = (stage: string) =>
      JSON.parse(audit.stages.find((s) => s.stage === stage)!.input_hashes_json) as { model: string };
    const brightFile = audit.artifacts.find((a) => a.stage === 'settle_brightness' && a.name === 'model')!;
    expect(inputsOf('settle_brightness').model).toBe(flaggedFile.sha256);
    expect(inputsOf('settle_reddening').model).toBe(brightFile.sha256);
    const offset = audit.metrics.find((m) => m.stage === 'settle_brightness' && m.name === 'brightness_offset')!.value;
    expect(Math.abs(offset)).toBeLessThan(0.5);
    const [flaggedParams, brightParams] = [flaggedFile, brightFile].map((f) => loadModel(f.path).params);
    const moved = flaggedParams.map((p, k) => brightParams[k] - p);
    expect(moved.filter((d) => d !== 0).length).toBe(offset === 0 ? 0 : 66);
    expect(moved.filter((d) => d !== 0).every((d) => Math.abs(d - offset) < 1e-5)).toBe(true);
    // The reddening settlement divides that R(λ) by its E scale, and the validation uses its model.
    const settledFile = audit.artifacts.find((a) => a.stage === 'settle_reddening' && a.name === 'model')!;
    const settled = JSON.parse(readFileSync(settledFile.path, 'utf8')) as { extinctionCurve: number[] };
    const scale = audit.metrics.find((m) => m.stage === 'settle_reddening' && m.name === 'extinction_scale')!.value;
    expect(scale).toBeGreaterThan(0.8);
    expect(scale).toBeLessThan(1.2);
    settled.extinctionCurve.forEach((r, j) => expect(r * scale).toBeCloseTo(model.extinctionCurve[j], 5));
    expect(JSON.parse(audit.stages.find((s) => s.stage === 'validation')!.input_hashes_json).model).toBe(
      settledFile.sha256,
    );
    expect(curve.sigma.length).toBe(66);
    expect(curve.sigma.every((s) => s >= curve.greyOffset.sigma && Number.isFinite(s))).toBe(true);
    const relative = curve.sigma.map((s, j) => s / curve.extinctionCurve[j]);
    expect(relative.indexOf(Math.max(...relative))).toBe(curve.wavelengthsNm.indexOf(4602.8));
    expect(audit.metrics.find((m) => m.stage === lastClean && m.name === 'r_max_relative_sigma')!.value).toBeCloseTo(
      Math.max(...relative),
      6,
    );

    // Ingest holds every input row.
    const manifest = JSON.parse(readFileSync(join(sky, 'manifest.json'), 'utf8')) as {
      tables: Record<string, { rows: number }>;
    };
    for (const a of audit.artifacts.filter((x) => x.stage === 'ingest'))
      expect(Number(a.rows)).toBe(manifest.tables[a.name].rows);

    // The cuts chain: each starts where the last ended, and they end at the training sample.
    const cuts = audit.cuts;
    expect(cuts.map((k) => k.cut)).toEqual([
      'has_labels',
      'labels_finite',
      'lamost_snr',
      'teff_err',
      'feh_err',
      'logg_err',
      'parallax_snr',
      'fidelity',
      'bp_rp_excess',
    ]);
    expect(Number(cuts[0].rows_before)).toBe(manifest.tables.gaia_source.rows);
    for (let i = 0; i < cuts.length; i++) {
      expect(Number(cuts[i].rows_after)).toBe(Number(cuts[i].rows_before) - Number(cuts[i].removed));
      if (i > 0) expect(Number(cuts[i].rows_before)).toBe(Number(cuts[i - 1].rows_after));
    }
    const sample = audit.artifacts.find((a) => a.name === 'training_sample')!;
    expect(Number(sample.rows)).toBe(Number(cuts[cuts.length - 1].rows_after));
    expect(Number(sample.rows)).toBeGreaterThan(300);

    // Cross-match counts are recorded and add up.
    const m = (name: string) => audit.metrics.find((x) => x.name === name)!.value;
    expect(m('lamost_dr8.matched') + m('lamost_dr8.unmatched_gaia')).toBe(manifest.tables.gaia_source.rows);
    expect(m('tmass_psc.matched')).toBeGreaterThan(0.5 * manifest.tables.gaia_source.rows);

    // The split is 80/20 within sampling noise, and the catalogue answers SQL over the outputs.
    const split = audit.metrics.filter((x) => x.stage === 'split');
    const train = split.find((x) => x.name === 'train')!.value;
    const validation = split.find((x) => x.name === 'validation')!.value;
    expect(train / (train + validation)).toBeGreaterThan(0.75);
    expect(train / (train + validation)).toBeLessThan(0.85);
    const fluxRows = await withCatalogue(dataDir, 'read', async ({ db }) => {
      const r = await sql<{
        n: bigint;
      }>`SELECT count(*) AS n FROM ${sql.id(`run_${prepared.run.runId}`, 'fluxes__fluxes')}`.execute(db);
      return Number(r.rows[0].n);
    });
    expect(fluxRows).toBe(manifest.tables.xp_continuous_mean_spectrum.rows);

    // The quick recipe truncates the parallax likelihood at the sample's cut: every training star
    // passed it, so each lies above its floor (3σ less the zero point, which is a few 10 µas).
    const results = runResults(audit, prepared.run.runId);
    expect(results.parallaxCut).toBe(3);
    const trainingSet = await loadTrainingSet(results.inputs, 'train', { parallaxCut: results.parallaxCut });
    for (let i = 0; i < trainingSet.n; i++) {
      expect(trainingSet.parallax[i]).toBeGreaterThan(trainingSet.parallaxFloor![i]);
      expect(Math.abs(trainingSet.parallaxFloor![i] - 3 * trainingSet.parallaxErr[i])).toBeLessThan(0.1);
    }

    // The run against the sky's truth (xpflow evaluate): every part is there and consistent.
    const e = await evaluateAgainstTruth(dataDir, prepared.run.runId, sky);
    expect(e.cleaning.trainingStars).toBe(train);
    expect(e.validation.stars).toBe(validation);
    expect(e.validation.cleanStars).toBeGreaterThan(0.6 * validation);
    expect(e.validation.cleanStars).toBeLessThanOrEqual(validation);
    expect(e.parameters.map((p) => p.parameter)).toEqual(['teff_kK', 'feh', 'logg', 'E', 'parallax_ratio']);
    for (const p of e.parameters) expect(Number.isFinite(p.median) && Number.isFinite(p.robustSd)).toBe(true);
    // By group: the same defect-free stars in the same groups as the model-brightness table.
    expect(e.parametersByGroup.map((g) => [g.group, g.stars])).toEqual(
      e.modelBrightness.map((g) => [g.group, g.stars]),
    );
    expect(e.parametersByGroup.map((g) => g.group)).toContain('main_sequence');
    for (const g of e.parametersByGroup)
      expect([g.teffK, g.logg, g.E, g.ESd, g.parallaxRatio].every(Number.isFinite)).toBe(true);
    expect(Object.keys(e.cleaning.byDefect)).toEqual([
      'unresolved_binary',
      'wrong_lamost_logg',
      'spurious_parallax',
      'contaminated_nir',
      'visible_binary',
      'conspicuous_binary',
      'luminosity_outlier',
    ]);
    expect(e.cleaning.byDefect.visible_binary.injected).toBeLessThanOrEqual(
      e.cleaning.byDefect.unresolved_binary.injected,
    );
    // Conspicuous (seen even with log g taking up part of the light) is the stricter measure.
    expect(e.cleaning.byDefect.conspicuous_binary.injected).toBeLessThanOrEqual(
      e.cleaning.byDefect.visible_binary.injected,
    );
    expect(e.cleaning.precisionWithLuminosityOutliers).toBeGreaterThanOrEqual(e.cleaning.precision);
    const wronglyFlagged = e.cleaning.wronglyFlagged.reduce((a, p) => a + p.stars, 0);
    expect(Math.round(e.cleaning.flagged * (1 - e.cleaning.precision))).toBe(wronglyFlagged);
    // Re-thresholded from the final model and fits: at the run's own thresholds that is the run's flagging
    // (evaluate refuses a run whose fits do not reproduce it), and stricter thresholds flag a subset.
    const at = (p: number, f: number) => e.thresholds.find((t) => t.paramSigma === p && t.fluxSigma === f)!.score;
    expect(at(e.cleaningThresholds.paramSigma, e.cleaningThresholds.fluxSigma)).toEqual(e.cleaning);
    for (const p of [3.5, 4, 4.5])
      for (const f of [4, 4.5]) {
        expect(at(p + 0.5, f).flagged).toBeLessThanOrEqual(at(p, f).flagged);
        expect(at(p, f + 0.5).flagged).toBeLessThanOrEqual(at(p, f).flagged);
        expect(at(p, f + 0.5).byDefect.contaminated_nir.flagged).toBeLessThanOrEqual(
          at(p, f).byDefect.contaminated_nir.flagged,
        );
      }
    expect(at(5, 5).flagged).toBeLessThan(at(3.5, 4).flagged);
    // The truth-trained reference judges the same training stars, with the same injected defects.
    const withReference = await evaluateAgainstTruth(dataDir, prepared.run.runId, sky, {
      referenceEpochs: 20,
      referenceWithout: ['giant'],
    });
    const reference = withReference.reference!;
    expect(reference.epochs).toBe(20);
    expect(reference.without).toEqual(['giant']);
    await expect(
      evaluateAgainstTruth(dataDir, prepared.run.runId, sky, { referenceEpochs: 20, referenceWithout: ['giants'] }),
    ).rejects.toThrow(/no training star of population giants/);
    expect(reference.cleaning.trainingStars).toBe(train);
    expect(reference.cleaning.flagged).toBeGreaterThan(0);
    for (const [d, s] of Object.entries(e.cleaning.byDefect))
      expect(reference.cleaning.byDefect[d].injected).toBe(s.injected);
    expect(reference.extinction.nir.map((b) => b.band)).toEqual(['J', 'H', 'Ks', 'W1', 'W2']);
    expect(withReference.cleaning).toEqual(e.cleaning);
    expect(withReference.extinction).toEqual(e.extinction);
    expect(e.extinction.medianRelativeError).toBeLessThan(0.2);
    expect(e.extinction.nir.map((b) => b.band)).toEqual(['J', 'H', 'Ks', 'W1', 'W2']);
    expect(
      Math.max(...e.extinction.nir.map((b) => Math.abs(b.relativeError)), ...e.extinction.xpRange.map(Math.abs)),
    ).toBeCloseTo(e.extinction.maxRelativeError, 10);
    // In σ: (R − R_true)/σ_R = (relative error) · R_true/σ_R, with σ_R the last flagging's (curve, above).
    const inSigma = e.extinction.inSigma!;
    const law = JSON.parse(readFileSync(join(sky, 'extinction_law.json'), 'utf8')) as { R: number[] };
    expect(inSigma.greyOffsetSigma).toBe(curve.greyOffset.sigma);
    inSigma.nir.forEach((b, k) =>
      expect(b.z).toBeCloseTo((e.extinction.nir[k].relativeError * law.R[61 + k]) / curve.sigma[61 + k], 8),
    );
    const brightness = new Map(e.modelBrightness.map((g) => [g.group, g]));
    expect(brightness.get('main_sequence')!.stars).toBeGreaterThan(50);
    console.info(
      `model brightness: ${e.modelBrightness.map((g) => `${g.group} ${g.stars} ${g.medianRatio.toFixed(3)}`).join('; ')}`,
    );
    // The main sequence is most of the training set: the model's brightness must be about right there.
    expect(Math.abs(brightness.get('main_sequence')!.medianRatio - 1)).toBeLessThan(0.1);
  }, 600_000);

  it('re-running the same config reuses every stage and gives the same outputs', async () => {
    const before = (await auditRun(dataDir, prepared.run.runId))!.artifacts.map(
      (a) => `${a.stage}/${a.name}:${a.sha256}`,
    );
    const again = await prepareRun({ inputDir: sky, dataDir });
    expect(again.run.runId).toBe(prepared.run.runId);
    const rerun = await runWithWorker(settings, again);
    expect(rerun.stages.every((s) => s.reused)).toBe(true);
    const audit = (await auditRun(dataDir, prepared.run.runId))!;
    expect(audit.stages.every((s) => s.reused)).toBe(true);
    expect(audit.artifacts.map((a) => `${a.stage}/${a.name}:${a.sha256}`)).toEqual(before);
  }, 600_000);

  it("a run started again: its progress leaves out the previous execution's train child", async () => {
    await withClient(async (client) => {
      const runId = prepared.run.runId;
      const finished = await currentTrainExecution(client, runId);
      expect(finished?.status.name).toBe('COMPLETED');
      // A new execution on a task queue no worker polls: it never gets to start its child,
      // and the child's workflow id still names the finished execution's.
      const handle = await client.workflow.start('reprocess', {
        taskQueue: `${settings.taskQueue}-unpolled`,
        workflowId: workflowIdFor(runId),
        args: [{ run: prepared.run, inputFingerprint: prepared.inputFingerprint }],
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      });
      try {
        expect((await client.workflow.getHandle(`${workflowIdFor(runId)}/train`).describe()).runId).toBe(
          finished!.runId,
        );
        expect(await currentTrainExecution(client, runId)).toBeUndefined();
      } finally {
        await handle.terminate('test done');
      }
    });
  });

  it('a changed config gets a new run id; stages it does not touch are reused from the first run', async () => {
    const other = await prepareRun({ inputDir: sky, dataDir, overrides: { split: { trainFraction: 0.7 } } });
    expect(other.run.runId).not.toBe(prepared.run.runId);
    const changed = await runWithWorker(settings, other);
    const reused = Object.fromEntries(changed.stages.map((s) => [s.stage, s.reused]));
    expect(reused).toMatchObject({
      ingest: true,
      crossmatch: true,
      quality_cuts: true,
      fluxes: true,
      split: false,
      train_1_model_hq: false,
      prior: false,
    });
  }, 1_200_000);
});
