/**
 * One row of Gaia DR3 `xp_continuous_mean_spectrum`, checked. A band is missing when
 * its coefficient, error and correlation arrays are all empty (the archive leaves
 * them null); anything else malformed is rejected with the source_id and column.
 */
import { XpflowInputError } from '../../core/errors.js';
import type { XpBandName } from './calibration-files.js';

export interface XpBandData {
  nParameters: number;
  coefficients: Float64Array;
  errors: Float64Array;
  /** Strictly lower triangle of the correlation matrix, row-major (unit diagonal implied). */
  correlations: Float64Array;
  standardDeviation: number;
}

export interface XpRecord {
  sourceId: bigint;
  bp: XpBandData | null;
  rp: XpBandData | null;
}

/** What a reader hands over before checking: archive column names, arrays parsed. */
export interface RawXpRow {
  source_id: bigint | null;
  bp_n_parameters: number | null;
  bp_coefficients: Float64Array | null;
  bp_coefficient_errors: Float64Array | null;
  bp_coefficient_correlations: Float64Array | null;
  bp_standard_deviation: number | null;
  rp_n_parameters: number | null;
  rp_coefficients: Float64Array | null;
  rp_coefficient_errors: Float64Array | null;
  rp_coefficient_correlations: Float64Array | null;
  rp_standard_deviation: number | null;
}

export interface InputLocation {
  file?: string;
  /** 1-based data row (header excluded). */
  row?: number;
}

/** Bad input that can never succeed: names file, row, source and column. */
export class XpInputError extends XpflowInputError {
  constructor(
    readonly location: InputLocation & { sourceId?: string; column?: string },
    readonly detail: string,
  ) {
    const where = [
      location.file,
      location.row !== undefined ? `row ${location.row}` : undefined,
      location.sourceId !== undefined ? `source_id ${location.sourceId}` : undefined,
      location.column !== undefined ? `column ${location.column}` : undefined,
    ].filter(Boolean);
    super(`${where.join(', ')}: ${detail}`);
    this.name = 'XpInputError';
  }
}

const isEmpty = (a: Float64Array | null): boolean => a === null || a.length === 0;

export function toXpRecord(raw: RawXpRow, expectedCoefficients: number, at: InputLocation = {}): XpRecord {
  if (raw.source_id === null) throw new XpInputError({ ...at, column: 'source_id' }, 'source_id is missing');
  const sourceId = raw.source_id.toString();
  const band = (name: XpBandName): XpBandData | null => {
    const fail = (column: string, detail: string): never => {
      throw new XpInputError({ ...at, sourceId, column: `${name}_${column}` }, detail);
    };
    const coefficients = raw[`${name}_coefficients`];
    const errors = raw[`${name}_coefficient_errors`];
    const correlations = raw[`${name}_coefficient_correlations`];
    if (isEmpty(coefficients) && isEmpty(errors) && isEmpty(correlations)) return null;
    const n = raw[`${name}_n_parameters`];
    if (n === null || !Number.isInteger(n) || n <= 0)
      fail('n_parameters', `must be a positive integer when coefficients are given, got ${n}`);
    if (n !== expectedCoefficients) fail('n_parameters', `is ${n}; the calibration expects ${expectedCoefficients}`);
    const checkArray = (column: string, a: Float64Array | null, length: number): Float64Array => {
      if (a === null || a.length !== length) return fail(column, `expected ${length} values, got ${a?.length ?? 0}`);
      for (let i = 0; i < a.length; i++) {
        if (!Number.isFinite(a[i])) fail(column, `element ${i} is ${a[i]}`);
      }
      return a;
    };
    const coef = checkArray('coefficients', coefficients, n!);
    const err = checkArray('coefficient_errors', errors, n!);
    for (let i = 0; i < err.length; i++)
      if (err[i] < 0) fail('coefficient_errors', `element ${i} is negative (${err[i]})`);
    const corr = checkArray('coefficient_correlations', correlations, (n! * (n! - 1)) / 2);
    for (let i = 0; i < corr.length; i++) {
      if (Math.abs(corr[i]) > 1 + 1e-6) fail('coefficient_correlations', `element ${i} is ${corr[i]}, outside [-1, 1]`);
    }
    const sd = raw[`${name}_standard_deviation`];
    if (sd !== null && !(Number.isFinite(sd) && sd > 0)) fail('standard_deviation', `must be positive, got ${sd}`);
    return { nParameters: n!, coefficients: coef, errors: err, correlations: corr, standardDeviation: sd ?? NaN };
  };
  return { sourceId: raw.source_id, bp: band('bp'), rp: band('rp') };
}
