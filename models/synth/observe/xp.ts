/**
 * The XP row of a synthetic star: per band, noiseless coefficients plus noise drawn
 * from the published covariance C = diag(e)·Corr·diag(e), with e the real DR3 error
 * pattern scaled by brightness (background + photon + calibration terms) and by the
 * number of transits, and Corr a real DR3 correlation pattern (xp/templates.ts).
 * Missing BP or RP rows (injected) leave every column of that band null.
 */
import type { XpBandName } from '../../xp/calibration-files.js';
import { XP_NOISE } from '../config/surveys.js';
import type { Rng } from '../random.js';
import type { SynthStar } from '../star.js';
import type { Row } from '../tables/row.js';
import { TEMPLATE_IDS, xpTemplates, type BandTemplate, type TemplateName } from '../xp/templates.js';

export interface XpObservation {
  row: Row;
  missingBp: boolean;
  missingRp: boolean;
}

export interface XpOptions {
  missingBpRate: number;
  missingRpRate: number;
}

/** Draws which band (if any) is missing, then observes the present ones. */
export function observeXp(star: SynthStar, nTransits: number, opts: XpOptions): XpObservation {
  const { rng } = star;
  const u = rng.uniform();
  const missingBp = u < opts.missingBpRate;
  const missingRp = !missingBp && u < opts.missingBpRate + opts.missingRpRate;
  const template: TemplateName = star.g < XP_NOISE.brightTemplateBelowG ? 'bright' : 'faint';
  const row: Row = { source_id: star.sourceId, solution_id: XP_NOISE.solutionId };
  const binary = star.companion !== null;
  observeBand(row, 'bp', missingBp ? null : star.xpBp, rng, template, nTransits, binary);
  observeBand(row, 'rp', missingRp ? null : star.xpRp, rng, template, nTransits, binary);
  return { row, missingBp, missingRp };
}

const BAND_FIELDS = [
  'basis_function_id',
  'degrees_of_freedom',
  'n_parameters',
  'n_measurements',
  'n_rejected_measurements',
  'standard_deviation',
  'chi_squared',
  'coefficients',
  'coefficient_errors',
  'template',
  'n_relevant_bases',
  'relative_shrinking',
] as const;

function observeBand(
  row: Row,
  band: XpBandName,
  noiseless: Float64Array | null,
  rng: Rng,
  template: TemplateName,
  nTransits: number,
  binary: boolean,
): void {
  if (!noiseless) {
    for (const f of BAND_FIELDS) row[`${band}_${f}`] = null;
    return;
  }
  const templates = xpTemplates();
  const shape = templates.faint[band];
  const corr = templates[template][band];
  const n = noiseless.length;
  const errors = coefficientErrors(rng, shape, noiseless[0], nTransits);
  const coefficients = correlatedNoise(rng, corr, errors, noiseless);
  let relevant = 0;
  for (let k = 0; k < n; k++) if (Math.abs(coefficients[k]) > XP_NOISE.relevantSigma * errors[k]) relevant++;
  const sd = XP_NOISE.standardDeviation;
  const standardDeviation =
    sd.median * Math.exp(rng.gauss(0, sd.lnSd)) * (binary ? 1 + rng.between(0, sd.binaryExtra) : 1);
  const nMeasurements = Math.round(nTransits * XP_NOISE.samplesPerTransit * rng.between(0.95, 1.05));
  const nRejected = Math.round(nMeasurements * XP_NOISE.rejectedFraction * Math.exp(rng.gauss(0, 0.5)));
  const dof = nMeasurements - n;
  Object.assign(row, {
    [`${band}_basis_function_id`]: XP_NOISE.basisFunctionId[band],
    [`${band}_degrees_of_freedom`]: dof,
    [`${band}_n_parameters`]: n,
    [`${band}_n_measurements`]: nMeasurements,
    [`${band}_n_rejected_measurements`]: nRejected,
    [`${band}_standard_deviation`]: standardDeviation,
    [`${band}_chi_squared`]: standardDeviation * standardDeviation * dof,
    [`${band}_coefficients`]: coefficients,
    [`${band}_coefficient_errors`]: errors,
    [`${band}_template`]: TEMPLATE_IDS[template],
    [`${band}_n_relevant_bases`]: Math.max(1, relevant),
    [`${band}_relative_shrinking`]: 1,
  });
}

/** e_k = e_k(template) · sqrt(bg + ph·x + cal·x²) · sqrt(N_ref/N), x = c0/c0(template), 5 % scatter. */
export function coefficientErrors(rng: Rng, shape: BandTemplate, c0: number, nTransits: number): Float64Array {
  const v = XP_NOISE.varianceAtTemplate;
  const x = Math.max(0, c0 / shape.c0);
  const scale =
    Math.sqrt(v.background + v.photon * x + v.calibration * x * x) * Math.sqrt(XP_NOISE.referenceTransits / nTransits);
  const out = new Float64Array(shape.errors.length);
  for (let k = 0; k < out.length; k++) {
    // Errors are stored as FLOAT: round now so the noise is drawn from what is published.
    out[k] = Math.fround(shape.errors[k] * scale * Math.exp(rng.gauss(0, XP_NOISE.perCoefficientLnScatter)));
  }
  return out;
}

/** c + diag(e) · L · z, z ~ N(0, I), L the Cholesky factor of the template correlation. */
function correlatedNoise(rng: Rng, tpl: BandTemplate, errors: Float64Array, noiseless: Float64Array): Float64Array {
  const n = noiseless.length;
  const z = new Float64Array(n);
  for (let k = 0; k < n; k++) z[k] = rng.normal();
  const out = new Float64Array(n);
  const l = tpl.choleskyFactor;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k <= i; k++) s += l[i * n + k] * z[k];
    out[i] = noiseless[i] + errors[i] * s;
  }
  return out;
}
