/**
 * The GMM prior's errors. Both are bad input that no retry can fix, so they carry
 * nonRetryable (the activity layer turns that into a non-retryable failure).
 */

/** A bad argument or option of a fit, score or sample call (extends RangeError). */
export class GmmInputError extends RangeError {
  readonly nonRetryable = true;
  override name = 'GmmInputError';
}

/** A model field that is missing, malformed or inconsistent (on load or construction). */
export class GmmFormatError extends Error {
  readonly nonRetryable = true;
  override name = 'GmmFormatError';
  constructor(
    readonly field: string,
    detail: string,
  ) {
    super(`GMM ${field}: ${detail}`);
  }
}
