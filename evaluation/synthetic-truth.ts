/**
 * How well a run recovered a synthetic sky's truth (which the pipeline never reads):
 * the learned extinction curve against the generator's mean law, self-cleaning recall
 * and precision on the injected defects (and at other thresholds: the trade-off between
 * them), the training stars' fitted parameters against
 * their true values, and the validation statistics; on request, the same R(λ) and
 * self-cleaning figures from a model trained on the truth (truth-reference.ts).
 *
 * Binaries: a companion adding a share f of the G-band light makes the star look
 * 1/√(1 − f) times nearer, so with the parallax criterion it stands out only when
 * ϖ_true (1/√(1 − f) − 1) / σ_ϖ exceeds the threshold (paramSigma). Recall is given for
 * all binaries and for those "visible" by that measure (companion_g_fraction in truth);
 * a faint companion changes nothing the model sees, and flagging it is not expected.
 * The fit may also take the extra light up in log g (flux ∝ 1/g at a given mass), and
 * the criterion weighs both: in ln flux, c = −ln(1 − f) splits into 2Δϖ/ϖ and
 * −ln 10·Δlog g, and the least the criterion can see of it is c / √((2σ_ϖ/ϖ)² +
 * (ln 10·σ_log g)²), with σ_log g the LAMOST error. Binaries beyond the threshold by
 * that measure are "conspicuous": the criterion sees them even where the spectrum
 * leaves log g free within its label's error (it usually constrains log g more).
 *
 * Luminosity outliers: the model predicts a star's light from Θ alone, but a giant's
 * or subgiant's radius (R² = GM/g) also follows its mass, which the generator draws
 * independently of Θ (log-normal, 20 % for giants and the clump; 13 % for subgiants),
 * as nature does. Such a star is
 * √(M/M̃) times nearer than the model thinks (M̃ the median mass of its population), and
 * when ϖ_true |√(M/M̃) − 1| / σ_ϖ exceeds paramSigma the parameter criterion rightly
 * finds it inconsistent. These are not injected defects; precision is reported both
 * against the injected defects alone and with these counted as rightly flagged.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { auditRun } from '../io/catalogue/queries.js';
import { queryRows } from '../io/duckdb-query.js';
import { createParquetViews, withMemoryDuckDB } from '../io/duckdb.js';
import { sqlModel } from '../io/sql-files.js';
import { quoteIdent, quoteLiteral } from '../io/sql-quote.js';
import { initBackend } from '../models/forward/backend.js';
import { spectraFromTrainingSet, type TrainingSet } from '../models/forward/data.js';
import type { ForwardModel } from '../models/forward/model.js';
import type { ExtinctionUncertainty } from '../models/forward/extinction-uncertainty.js';
import { criterionStatistics, flagsAt, type CleanThresholds } from '../models/forward/self-clean.js';
import type { PopulationName } from '../models/synth/config/population.js';
import { loadModel, loadStars, readJson } from '../pipeline/train-state.js';
import { loadTrainingSet } from '../pipeline/training-data.js';
import { EvaluationError } from './evaluation-error.js';
import { photometricParallaxRatios, type TrueStar } from './model-brightness.js';
import { runResults } from './run-results.js';
import { truthReference, type JudgedStar } from './truth-reference.js';
import type { DuckDBConnection } from '@duckdb/node-api';

export interface DefectScore {
  injected: number;
  flagged: number;
  recall: number;
}

/** Fitted − true over the training stars without an injected defect: median and 1.4826 × MAD. */
export interface ParameterRecovery {
  parameter: string;
  median: number;
  robustSd: number;
}

/** Fitted − true in one group of sql/truth_groups.sql: medians, and E's robust sd. */
export interface GroupRecovery {
  group: string;
  stars: number;
  teffK: number;
  logg: number;
  E: number;
  ESd: number;
  parallaxRatio: number;
}

export interface CleaningScore {
  trainingStars: number;
  flagged: number;
  precision: number;
  /** Counting the luminosity outliers (see above) as rightly flagged too. */
  precisionWithLuminosityOutliers: number;
  byDefect: Record<string, DefectScore>;
  /** Flagged stars without an injected defect, by population (true population of the generator), most first. */
  wronglyFlagged: { population: string; stars: number; luminosityOutliers: number }[];
}

/** The run's criterion at other thresholds, its final model and star fits held (self-clean.ts criterionStatistics). */
export interface ThresholdScore extends CleanThresholds {
  score: CleaningScore;
}

export interface ExtinctionError {
  maxRelativeError: number;
  medianRelativeError: number;
  worstWavelengthNm: number;
  /** R/R_true − 1 (signed): its range over the XP wavelengths, and per NIR band. */
  xpRange: [number, number];
  nir: { band: string; relativeError: number }[];
  /**
   * (R − R_true)/σ_R with the σ the stars allow along the directions χ² cannot see
   * (the last flagging's extinction_curve.json), where the run has one.
   */
  inSigma?: {
    greyOffsetSigma: number;
    scaleSigma: number;
    xpRange: [number, number];
    nir: { band: string; z: number }[];
  };
}

export interface TruthEvaluation {
  runId: string;
  extinction: ExtinctionError;
  cleaning: CleaningScore;
  /** The run's thresholds. */
  cleaningThresholds: CleanThresholds;
  /** The precision–recall trade-off: the same flagging at the thresholds of THRESHOLD_GRID and the run's own. */
  thresholds: ThresholdScore[];
  /** The same criterion and R(λ) from a model trained on the true parameters (truth-reference.ts), when asked for. */
  reference?: { epochs: number; without: string[]; cleaning: CleaningScore; extinction: ExtinctionError };
  parameters: ParameterRecovery[];
  /** The same by group (population, and the hot and upper-giant-branch ends). */
  parametersByGroup: GroupRecovery[];
  /** Photometric ϖ at the true Θ and E over the true ϖ (model-brightness.ts), by group. */
  modelBrightness: { group: string; stars: number; medianRatio: number }[];
  validation: {
    stars: number;
    cleanStars: number;
    medianReducedChi2: number;
    medianReducedChi2AllStars: number;
    maxAbsMeanResidual: number;
    worstWavelengthNm: number;
  };
}

const DEFECTS = ['unresolved_binary', 'wrong_lamost_logg', 'spurious_parallax', 'contaminated_nir'] as const;
/** Per-defect rows of the report (columns of sql/truth_judged.sql); visible_binary and conspicuous_binary are subsets of unresolved_binary. */
const REPORTED = [...DEFECTS, 'visible_binary', 'conspicuous_binary', 'luminosity_outlier'] as const;
/** The populations whose mass the generator draws apart from Θ (models/synth/population.ts); elsewhere mass follows Teff. */
const MASS_FREE_POPULATIONS: readonly PopulationName[] = ['subgiant', 'giant', 'red_clump'];
const PARAMETERS = ['teff_kK', 'feh', 'logg', 'E', 'parallax_ratio'] as const;

/** Where evaluate re-thresholds the criterion: the seed's (3.5, 4) and stricter ones. */
export const THRESHOLD_GRID: readonly CleanThresholds[] = [3.5, 4, 4.5, 5].flatMap((paramSigma) =>
  [4, 4.5, 5].map((fluxSigma) => ({ paramSigma, fluxSigma })),
);

const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
/** A DuckDB list literal for a parameter that SQL casts and unnests ($ids::BIGINT[]). */
const listLiteral = (a: ArrayLike<number | string | boolean>) => `[${Array.from(a).join(',')}]`;

export interface EvaluateOptions {
  /** Also compute the truth-trained reference, training its model for this many epochs (truth-reference.ts). */
  referenceEpochs?: number;
  /** Populations the reference's model does not train on. */
  referenceWithout?: string[];
}

export async function evaluateAgainstTruth(
  dataDir: string,
  runId: string,
  skyDir: string,
  options: EvaluateOptions = {},
): Promise<TruthEvaluation> {
  const audit = await auditRun(dataDir, runId);
  if (!audit) throw new EvaluationError(`no run ${runId} in ${dataDir}`);
  const {
    validationPath,
    outliersPath,
    modelPath,
    starsPath,
    settledModelPath,
    settledStarsPath,
    extinctionUncertaintyPath,
    inputs,
    recipe,
    seed,
    thresholds: own,
    parallaxCut,
  } = runResults(audit, runId);
  const uncertainty = extinctionUncertaintyPath
    ? readJson<Pick<ExtinctionUncertainty, 'sigma' | 'greyOffset' | 'scale'>>(extinctionUncertaintyPath)
    : undefined;
  const validation = readJson<{
    stars: number;
    cleanStars: number;
    medianReducedChi2: number;
    medianReducedChi2AllStars: number;
    wavelengthsNm: number[];
    meanResidualPerWavelength: number[];
    extinctionCurve: number[];
  }>(validationPath);
  const lawFile = join(skyDir, 'extinction_law.json');
  if (!existsSync(lawFile)) throw new EvaluationError(`${lawFile} not found: is ${skyDir} a synthetic sky?`);
  const law = readJson<{ R: number[]; wavelengthsNm: number[]; bands: string[] }>(lawFile);
  const absResidual = validation.meanResidualPerWavelength.map((v) => (Number.isFinite(v) ? Math.abs(v) : 0));
  const worstRes = absResidual.indexOf(Math.max(...absResidual));

  const flags = readJson<{ sourceId: string[]; outliers: number[] }>(outliersPath);
  // With the run's parallax likelihood: the reference refits every star by the run's refit stage.
  const data = await loadTrainingSet(inputs, 'train', { parallaxCut });
  const st = loadStars(starsPath, data.sourceId);
  const trainingIds = Array.from(data.sourceId, String);
  const model = loadModel(modelPath);
  await initBackend();
  // The same model and fits gave the run's last flagging: at its own thresholds they must give its flags.
  const statistics = criterionStatistics(data, spectraFromTrainingSet(data), model, st);
  const ownFlags = flagsAt(statistics, own);
  const runFlag = new Map(flags.sourceId.map((id, i) => [id, flags.outliers[i]]));
  const differing = trainingIds.filter((id, i) => ownFlags[i] !== runFlag.get(id)).length;
  if (differing)
    throw new EvaluationError(
      `run ${runId}: its final model and star fits do not reproduce its last flagging (${outliersPath}) at its thresholds: ${differing} stars differ`,
    );
  // The parameters and the model's brightness are judged on the run's final fits and model (a settlement's, if any).
  const final =
    settledStarsPath && settledModelPath
      ? { stars: loadStars(settledStarsPath, data.sourceId), model: loadModel(settledModelPath) }
      : { stars: st, model };
  const { cleaning, thresholds, reference, parameters, parametersByGroup, brightness } = await withMemoryDuckDB(
    async (c) => {
      await c.run(
        'CREATE TABLE fit (source_id BIGINT, teff_kK DOUBLE, feh DOUBLE, logg DOUBLE, E DOUBLE, parallax DOUBLE)',
      );
      await c.run(
        `INSERT INTO fit SELECT unnest($ids::BIGINT[]), unnest($t::DOUBLE[]), unnest($f::DOUBLE[]), unnest($g::DOUBLE[]), unnest($e::DOUBLE[]), unnest($p::DOUBLE[])`,
        {
          ids: listLiteral(trainingIds),
          t: listLiteral(final.stars.theta.filter((_, i) => i % 3 === 0)),
          f: listLiteral(final.stars.theta.filter((_, i) => i % 3 === 1)),
          g: listLiteral(final.stars.theta.filter((_, i) => i % 3 === 2)),
          e: listLiteral(Array.from(final.stars.lnE, Math.exp)),
          p: listLiteral(Array.from(final.stars.lnPlx, Math.exp)),
        },
      );
      await createParquetViews(c, {
        truth: join(skyDir, 'truth.parquet'),
        gaia: join(skyDir, 'gaia_source.parquet'),
        labels: inputs.training_sample,
      });
      const judge = (paramSigma: number) => ({
        threshold: paramSigma,
        mass_free_populations: listLiteral(MASS_FREE_POPULATIONS.map(quoteLiteral)),
      });
      const cleaning = await scoreFlags(c, 'judged', flags.sourceId, flags.outliers, judge(own.paramSigma));
      const isOwn = (t: CleanThresholds) => t.paramSigma === own.paramSigma && t.fluxSigma === own.fluxSigma;
      const grid = [...THRESHOLD_GRID, ...(THRESHOLD_GRID.some(isOwn) ? [] : [own])];
      const thresholds: ThresholdScore[] = [];
      for (const [k, t] of grid.entries()) {
        // At the run's own thresholds the flags are the run's (checked above), already scored.
        thresholds.push({
          ...t,
          score: isOwn(t)
            ? cleaning
            : await scoreFlags(c, `judged_at_${k}`, trainingIds, flagsAt(statistics, t), judge(t.paramSigma)),
        });
      }
      await c.run(`CREATE VIEW truth_groups AS ${sqlModel('truth_groups')}`);
      const rows = await queryRows<{ source_id: bigint } & JudgedStar>(
        c,
        'SELECT source_id, teff, feh, logg, E, parallax, defective, population FROM judged',
      );
      const truth = new Map(rows.map((r) => [String(r.source_id), r]));
      let reference: TruthEvaluation['reference'];
      if (options.referenceEpochs !== undefined) {
        if (!recipe || seed === undefined)
          throw new EvaluationError(
            `run ${runId}: its config holds no training recipe or seed, which the reference needs`,
          );
        const without = options.referenceWithout ?? [];
        const ref = await truthReference(data, truth, recipe, seed, options.referenceEpochs, without);
        reference = {
          epochs: options.referenceEpochs,
          without,
          cleaning: await scoreFlags(c, 'judged_reference', ref.sourceId, ref.outliers, judge(own.paramSigma)),
          extinction: extinctionError(ref.extinctionCurve, law),
        };
      }
      const recovery = await queryRows<Record<string, number>>(c, sqlModel('truth_parameter_recovery'));
      const r = recovery[0];
      const byGroup = await queryRows<{
        group: string;
        stars: bigint;
        teff_k: number;
        logg: number;
        e: number;
        e_sd: number;
        parallax_ratio: number;
      }>(c, sqlModel('truth_parameter_recovery_by_group'));
      const brightness = await modelBrightness(
        c,
        data,
        new Map([...truth].filter(([, t]) => !t.defective)),
        final.model,
      );
      return {
        cleaning,
        thresholds,
        reference,
        parameters: PARAMETERS.map((p) => ({
          parameter: p,
          median: Number(r[`${p}_median`]),
          robustSd: Number(r[`${p}_sd`]),
        })),
        parametersByGroup: byGroup.map((g) => ({
          group: g.group,
          stars: Number(g.stars),
          teffK: g.teff_k,
          logg: g.logg,
          E: g.e,
          ESd: g.e_sd,
          parallaxRatio: g.parallax_ratio,
        })),
        brightness,
      };
    },
  );
  return {
    runId,
    extinction: extinctionError(validation.extinctionCurve, law, uncertainty),
    cleaning,
    cleaningThresholds: own,
    thresholds,
    ...(reference ? { reference } : {}),
    parameters,
    parametersByGroup,
    modelBrightness: brightness,
    validation: {
      stars: validation.stars,
      cleanStars: validation.cleanStars,
      medianReducedChi2: validation.medianReducedChi2,
      medianReducedChi2AllStars: validation.medianReducedChi2AllStars,
      maxAbsMeanResidual: absResidual[worstRes],
      worstWavelengthNm: validation.wavelengthsNm[worstRes],
    },
  };
}

/** A learned R(λ) against the generator's mean law, on the law's wavelengths; in σ where its uncertainty is given. */
function extinctionError(
  curve: ArrayLike<number>,
  law: { R: number[]; wavelengthsNm: number[]; bands: string[] },
  uncertainty?: Pick<ExtinctionUncertainty, 'sigma' | 'greyOffset' | 'scale'>,
): ExtinctionError {
  const signed = law.R.map((r, i) => curve[i] / r - 1);
  const rel = signed.map(Math.abs);
  const isXp = (i: number) => law.bands[i].startsWith('XP');
  const xp = signed.filter((_, i) => isXp(i));
  const worst = rel.indexOf(Math.max(...rel));
  const nir = <T>(f: (band: string, i: number) => T) => law.bands.flatMap((band, i) => (isXp(i) ? [] : [f(band, i)]));
  const z = uncertainty ? law.R.map((r, i) => (curve[i] - r) / uncertainty.sigma[i]) : undefined;
  return {
    maxRelativeError: rel[worst],
    medianRelativeError: median(rel),
    worstWavelengthNm: law.wavelengthsNm[worst],
    xpRange: [Math.min(...xp), Math.max(...xp)],
    nir: nir((band, i) => ({ band, relativeError: signed[i] })),
    ...(uncertainty && z
      ? {
          inSigma: {
            greyOffsetSigma: uncertainty.greyOffset.sigma,
            scaleSigma: uncertainty.scale.sigma,
            xpRange: [Math.min(...z.filter((_, i) => isXp(i))), Math.max(...z.filter((_, i) => isXp(i)))] as [
              number,
              number,
            ],
            nir: nir((band, i) => ({ band, z: z[i] })),
          },
        }
      : {}),
  };
}

/**
 * Judges one set of flags against the truth into table `judged` (sql/truth_judged.sql,
 * the flags given as its `flags` input; evaluateAgainstTruth's later queries read the
 * run's, table 'judged') and scores them.
 */
async function scoreFlags(
  c: DuckDBConnection,
  judged: string,
  ids: ArrayLike<string | number>,
  outliers: ArrayLike<number>,
  params: Record<string, string | number>,
): Promise<CleaningScore> {
  const [table, flags] = [quoteIdent(judged), quoteIdent(`${judged}_flags`)];
  await c.run(`CREATE TABLE ${flags} (source_id BIGINT, outlier BOOLEAN)`);
  await c.run(`INSERT INTO ${flags} SELECT unnest($ids::BIGINT[]), unnest($f::BOOLEAN[])`, {
    ids: listLiteral(ids),
    f: listLiteral(Array.from(outliers, Boolean)),
  });
  await c.run(`CREATE TABLE ${table} AS WITH flags AS (SELECT * FROM ${flags}) ${sqlModel('truth_judged')}`, params);
  const [counts] = await queryRows<Record<string, bigint>>(
    c,
    `SELECT count(*) AS n, count(*) FILTER (WHERE outlier) AS flagged, count(*) FILTER (WHERE outlier AND defective) AS flagged_defective,
       count(*) FILTER (WHERE outlier AND (defective OR luminosity_outlier)) AS flagged_explained,
       ${REPORTED.map((d) => `count(*) FILTER (WHERE ${d}) AS ${d}_n, count(*) FILTER (WHERE ${d} AND outlier) AS ${d}_hit`).join(', ')}
     FROM ${table}`,
  );
  const wrong = await queryRows<{ population: string; stars: bigint; luminosity_outliers: bigint }>(
    c,
    `SELECT population, count(*) AS stars, count(*) FILTER (WHERE luminosity_outlier) AS luminosity_outliers
     FROM ${table} WHERE outlier AND NOT defective GROUP BY population ORDER BY stars DESC, population`,
  );
  const n = (k: string) => Number(counts[k]);
  return {
    trainingStars: n('n'),
    flagged: n('flagged'),
    precision: n('flagged') ? n('flagged_defective') / n('flagged') : NaN,
    precisionWithLuminosityOutliers: n('flagged') ? n('flagged_explained') / n('flagged') : NaN,
    byDefect: Object.fromEntries(
      REPORTED.map((d) => [
        d,
        { injected: n(`${d}_n`), flagged: n(`${d}_hit`), recall: n(`${d}_n`) ? n(`${d}_hit`) / n(`${d}_n`) : NaN },
      ]),
    ),
    wronglyFlagged: wrong.map((r) => ({
      population: r.population,
      stars: Number(r.stars),
      luminosityOutliers: Number(r.luminosity_outliers),
    })),
  };
}

/** The model-brightness ratios of the training stars in `truth` (the defect-free ones), grouped by sql/truth_model_brightness.sql. */
async function modelBrightness(
  c: DuckDBConnection,
  data: TrainingSet,
  truth: Map<string, TrueStar>,
  model: ForwardModel,
) {
  const { sourceId, ratio } = await photometricParallaxRatios(data, model, truth);
  await c.run('CREATE TABLE brightness (source_id BIGINT, ratio DOUBLE)');
  await c.run('INSERT INTO brightness SELECT unnest($ids::BIGINT[]), unnest($r::DOUBLE[])', {
    ids: listLiteral(sourceId),
    r: listLiteral(ratio),
  });
  const groups = await queryRows<{ group: string; stars: bigint; median_ratio: number }>(
    c,
    sqlModel('truth_model_brightness'),
  );
  return groups.map((g) => ({ group: g.group, stars: Number(g.stars), medianRatio: g.median_ratio }));
}
