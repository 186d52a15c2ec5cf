/** xpflow evaluate <run> --sky DIR: compare a run on a synthetic sky with the sky's truth. */
import { parseArgs } from 'node:util';
import { evaluateAgainstTruth } from '../../evaluation/synthetic-truth.js';
import { dataDirOf, dataDirOption } from '../options.js';
import { UsageError } from '../usage-error.js';

export const usage = `xpflow evaluate RUN --sky DIR [--data-dir DIR] [--json]

  For a run on a synthetic sky (xpflow synth): the learned R(λ) against the generator's
  mean extinction law, self-cleaning recall and precision on the injected defects
  (binaries also counting only those bright enough to show in the parallax), the
  training stars' fitted parameters against the truth, the model's brightness error by
  population (which fitted parallaxes absorb), and the validation statistics.
  Reads DIR/truth.parquet and DIR/gaia_source.parquet; the pipeline never reads truth.`;

export async function evaluateCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, options: { sky: { type: 'string' }, json: { type: 'boolean', default: false }, ...dataDirOption }, allowPositionals: true });
  if (!positionals[0] || !values.sky) throw new UsageError(usage);
  const e = await evaluateAgainstTruth(dataDirOf(values['data-dir']), positionals[0], values.sky);
  if (values.json) {
    process.stdout.write(`${JSON.stringify(e, null, 2)}\n`);
    return;
  }
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  const w = (s: string) => process.stdout.write(`${s}\n`);
  w(`run ${e.runId} against the truth of ${values.sky}`);
  w(`extinction curve: max |R/R_true − 1| = ${pct(e.extinction.maxRelativeError)} (at ${e.extinction.worstWavelengthNm} nm), median ${pct(e.extinction.medianRelativeError)}`);
  const signedPct = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(1)}`;
  const [xpLo, xpHi] = e.extinction.xpRange;
  w(`  R/R_true − 1: XP ${signedPct(xpLo)} … ${signedPct(xpHi)} %; ${e.extinction.nir.map((b) => `${b.band} ${signedPct(b.relativeError)}`).join(', ')} %`);
  const v = e.validation;
  w(`validation: ${v.cleanStars} of ${v.stars} held-out stars clean; median reduced χ² ${v.medianReducedChi2.toFixed(3)} (all stars ${v.medianReducedChi2AllStars.toFixed(3)}); max |mean Δf/σ| ${v.maxAbsMeanResidual.toFixed(3)} (at ${v.worstWavelengthNm} nm)`);
  w(`self-cleaning: ${e.cleaning.flagged} of ${e.cleaning.trainingStars} training stars flagged; precision ${pct(e.cleaning.precision)} (flagged stars with an injected defect), ${pct(e.cleaning.precisionWithLuminosityOutliers)} counting luminosity outliers`);
  w('fitted − true, training stars without a defect (median, robust sd):');
  for (const p of e.parameters) w(`  ${p.parameter.padEnd(15)} ${p.median.toFixed(4).padStart(8)}  ${p.robustSd.toFixed(4)}`);
  for (const [d, s] of Object.entries(e.cleaning.byDefect)) w(`  ${d.padEnd(20)} injected ${String(s.injected).padStart(5)}  flagged ${String(s.flagged).padStart(5)}  recall ${pct(s.recall)}`);
  w('model brightness, training stars without a defect: photometric ϖ at the true Θ and E over the true ϖ (median; > 1: the model is too faint):');
  for (const g of e.modelBrightness) w(`  ${g.group.padEnd(20)} ${String(g.stars).padStart(5)} stars  ${g.medianRatio.toFixed(3)}`);
}
