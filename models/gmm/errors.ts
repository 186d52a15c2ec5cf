/**
 * The GMM prior's errors. Both are bad input that no retry can fix: XpflowInputErrors,
 * which the activity layer turns into non-retryable failures.
 */
import { XpflowInputError } from '../../core/errors.js';

/** A bad argument or option of a fit, score or sample call. */
export class GmmInputError extends XpflowInputError {}

/** A model field that is missing, malformed or inconsistent (on load or construction). */
export class GmmFormatError extends XpflowInputError {
  constructor(
    readonly field: string,
    detail: string,
  ) {
    super(`GMM ${field}: ${detail}`);
  }
}
