/** xpflow evaluate <run> --sky DIR: compare a run on a synthetic sky with the sky's truth. */
import { parseArgs } from 'node:util';
import { catalogueAgainstTruth, type CatalogueRecoveryRow } from '../../evaluation/catalogue-truth.js';
import { evaluateAgainstTruth, type CleaningScore, type ExtinctionError } from '../../evaluation/synthetic-truth.js';
import { REFERENCE_EPOCHS } from '../../evaluation/truth-reference.js';
import { dataDirOf, dataDirOption } from '../options.js';
import { UsageError } from '../usage-error.js';

export const usage = `xpflow evaluate RUN --sky DIR [--reference [--reference-epochs N] [--reference-without POP,…]] [--data-dir DIR] [--json]

  For a run on a synthetic sky (xpflow synth): the learned R(λ) against the generator's
  mean extinction law, self-cleaning recall and precision on the injected defects
  (binaries also counting only those bright enough to show in the parallax, and
  those that show even where log g takes up part of the light) and
  their trade-off at other thresholds (the run's final model and fits held), the
  training stars' fitted parameters against the truth, the model's brightness error by
  population (which fitted parallaxes absorb), and the validation statistics.
  Reads DIR/truth.parquet and DIR/gaia_source.parquet; the pipeline never reads truth.

  --reference  also a reference: a model of the run's architecture trained on
               the defect-free training stars at their true parameters (N epochs,
               default ${REFERENCE_EPOCHS}; a few minutes on the default sky), its R(λ),
               and the run's self-cleaning criterion applied with it: what a model
               that had every advantage gets, to read the run's figures against.
               --reference-without leaves populations (truth.parquet's population,
               e.g. giant,red_clump,subgiant) out of its training.`;

export async function evaluateCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      sky: { type: 'string' },
      reference: { type: 'boolean', default: false },
      'reference-epochs': { type: 'string' },
      'reference-without': { type: 'string' },
      json: { type: 'boolean', default: false },
      ...dataDirOption,
    },
    allowPositionals: true,
  });
  if (!positionals[0] || !values.sky) throw new UsageError(usage);
  const epochs = values['reference-epochs'] === undefined ? REFERENCE_EPOCHS : Number(values['reference-epochs']);
  if (!Number.isInteger(epochs) || epochs < 1)
    throw new UsageError(
      `--reference-epochs: expected a positive integer, got ${values['reference-epochs']}\n\n${usage}`,
    );
  for (const o of ['reference-epochs', 'reference-without'] as const)
    if (values[o] !== undefined && !values.reference) throw new UsageError(`--${o} needs --reference\n\n${usage}`);
  const without =
    values['reference-without']
      ?.split(',')
      .map((p) => p.trim())
      .filter(Boolean) ?? [];
  const e = await evaluateAgainstTruth(
    dataDirOf(values['data-dir']),
    positionals[0],
    values.sky,
    values.reference ? { referenceEpochs: epochs, referenceWithout: without } : {},
  );
  const catalogue = await catalogueAgainstTruth(dataDirOf(values['data-dir']), positionals[0], values.sky);
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ ...e, catalogue }, null, 2)}\n`);
    return;
  }
  const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)} %` : '—');
  const w = (s: string) => process.stdout.write(`${s}\n`);
  w(`run ${e.runId} against the truth of ${values.sky}`);
  const signed = (x: number, digits: number, width = 0) =>
    `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(digits)}`.padStart(width);
  const signedPct = (x: number) => signed(100 * x, 1);
  const extinction = (what: string, x: ExtinctionError, indent = '') => {
    w(
      `${indent}${what}: max |R/R_true − 1| = ${pct(x.maxRelativeError)} (at ${x.worstWavelengthNm} nm), median ${pct(x.medianRelativeError)}`,
    );
    w(
      `${indent}  R/R_true − 1: XP ${signedPct(x.xpRange[0])} … ${signedPct(x.xpRange[1])} %; ${x.nir.map((b) => `${b.band} ${signedPct(b.relativeError)}`).join(', ')} %`,
    );
    const z = x.inSigma;
    if (z) {
      w(
        `${indent}  (R − R_true)/σ_R, σ_R what the stars allow (grey offset ±${z.greyOffsetSigma.toFixed(4)}, scale ±${(100 * z.scaleSigma).toFixed(2)} %): XP ${signed(z.xpRange[0], 1)} … ${signed(z.xpRange[1], 1)}; ${z.nir.map((b) => `${b.band} ${signed(b.z, 1)}`).join(', ')}`,
      );
    }
  };
  const reference = e.reference
    ? `the reference (a model trained ${e.reference.epochs} epochs on the true parameters${e.reference.without.length ? `, without ${e.reference.without.join(', ')}` : ''})`
    : '';
  extinction('extinction curve', e.extinction);
  if (e.reference) extinction(reference, e.reference.extinction, '  ');
  const v = e.validation;
  w(
    `validation: ${v.cleanStars} of ${v.stars} held-out stars clean; median reduced χ² ${v.medianReducedChi2.toFixed(3)} (all stars ${v.medianReducedChi2AllStars.toFixed(3)}); max |mean Δf/σ| ${v.maxAbsMeanResidual.toFixed(3)} (at ${v.worstWavelengthNm} nm)`,
  );
  const cleaning = (what: string, c: CleaningScore, indent = '') => {
    w(
      `${indent}${what}: ${c.flagged} of ${c.trainingStars} training stars flagged; precision ${pct(c.precision)} (flagged stars with an injected defect), ${pct(c.precisionWithLuminosityOutliers)} counting luminosity outliers`,
    );
    for (const [d, s] of Object.entries(c.byDefect))
      w(
        `${indent}  ${d.padEnd(20)} injected ${String(s.injected).padStart(5)}  flagged ${String(s.flagged).padStart(5)}  recall ${pct(s.recall)}`,
      );
    w(
      `${indent}  flagged without a defect: ${c.wronglyFlagged.map((p) => `${p.population} ${p.stars}${p.luminosityOutliers ? ` (${p.luminosityOutliers} luminosity outlier${p.luminosityOutliers === 1 ? '' : 's'})` : ''}`).join(', ') || 'none'}`,
    );
  };
  cleaning('self-cleaning', e.cleaning);
  if (e.reference) cleaning(reference, e.reference.cleaning, '  ');
  w(
    '  at other thresholds, the final model and star fits held (param: (Δlog g/σ)² + (Δϖ/σ)² > param²; flux: any |Δf/σ| > flux):',
  );
  const recalls = {
    wrong_lamost_logg: 'log g',
    spurious_parallax: 'ϖ',
    contaminated_nir: 'NIR',
    unresolved_binary: 'binaries',
    visible_binary: 'visible',
    conspicuous_binary: 'conspicuous',
  } as const;
  w(
    `  ${'param'.padStart(5)} ${'flux'.padStart(4)} ${'flagged'.padStart(7)}  precision (with lum.)  recall: ${Object.values(recalls).join(' / ')}`,
  );
  for (const t of e.thresholds) {
    const c = t.score;
    const mark =
      t.paramSigma === e.cleaningThresholds.paramSigma && t.fluxSigma === e.cleaningThresholds.fluxSigma
        ? '  ← the run'
        : '';
    w(
      `  ${t.paramSigma.toFixed(2).padStart(5)} ${t.fluxSigma.toFixed(2).padStart(4)} ${String(c.flagged).padStart(7)}  ${pct(c.precision).padStart(7)} (${pct(c.precisionWithLuminosityOutliers)})     ${Object.keys(
        recalls,
      )
        .map((d) => pct(c.byDefect[d].recall))
        .join(' / ')}${mark}`,
    );
  }
  w('fitted − true, training stars without a defect (median, robust sd):');
  for (const p of e.parameters)
    w(`  ${p.parameter.padEnd(15)} ${p.median.toFixed(4).padStart(8)}  ${p.robustSd.toFixed(4)}`);
  w('  by group (medians; E also its robust sd):');
  w(
    `  ${'group'.padEnd(20)} ${'stars'.padStart(5)}  ${'Teff K'.padStart(6)}  ${'log g'.padStart(6)}  ${'E'.padStart(7)}  ${'E sd'.padStart(6)}  ϖ ratio`,
  );
  for (const g of e.parametersByGroup) {
    w(
      `  ${g.group.padEnd(20)} ${String(g.stars).padStart(5)}  ${signed(g.teffK, 0, 6)}  ${signed(g.logg, 3, 6)}  ${signed(g.E, 4, 7)}  ${g.ESd.toFixed(4).padStart(6)}  ${g.parallaxRatio.toFixed(3)}`,
    );
  }
  w(
    'model brightness, training stars without a defect: photometric ϖ at the true Θ and E over the true ϖ (median; > 1: the model is too faint):',
  );
  for (const g of e.modelBrightness)
    w(`  ${g.group.padEnd(20)} ${String(g.stars).padStart(5)} stars  ${g.medianRatio.toFixed(3)}`);
  if (catalogue) printCatalogueRecovery(catalogue, w);
}

/** The catalogue against the truth: bias, robust sd and pull width by set and G bin. */
function printCatalogueRecovery(rows: CatalogueRecoveryRow[], w: (s: string) => void): void {
  w(
    'catalogue (every star, from its spectrum, NIR, parallax and the priors), stars without an injected defect: fit − true as bias / robust sd [pull sd]:',
  );
  const columns = [
    ['Teff K', 'teff', 0],
    ['[Fe/H]', 'feh', 3],
    ['log g', 'logg', 3],
    ['E', 'E', 4],
    ['ϖ mas', 'parallax', 4],
  ] as const;
  w(
    `  ${'set'.padEnd(8)} ${'G'.padEnd(7)} ${'stars'.padStart(6)} ${'flagged'.padStart(7)}  ${columns.map(([label]) => label.padEnd(24)).join('')}`,
  );
  for (const r of rows)
    w(
      `  ${r.starSet.padEnd(8)} ${r.gBin.padEnd(7)} ${String(r.stars).padStart(6)} ${String(r.flagged).padStart(7)}  ${columns
        .map(([, key, digits]) => {
          const p = r.parameters[key];
          return `${p.bias.toFixed(digits)} / ${p.sd.toFixed(digits)} [${p.pullSd.toFixed(2)}]`.padEnd(24);
        })
        .join('')}`,
    );
}
