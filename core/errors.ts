/**
 * The one error taxonomy. XpflowInputError is the base of every error that input or
 * configuration causes and that a retry cannot fix (a config field, a recipe, a model
 * file, a grid, a training set, a table, a command line). Its `name` is the subclass's
 * own (set once here, from new.target), so messages and logs say which kind it is.
 *
 * Where it is handled, once each:
 * - activities/temporal-progress.ts turns it into a non-retryable Temporal failure of the
 *   single type INPUT_FAILURE_TYPE (the subclass name goes in the failure's details), and
 *   the workflows' retry policy lists that same constant as non-retryable;
 * - cli/main.ts prints it as one line, without a stack trace.
 *
 * No module here may import anything but this folder: it is layer 0, and workflow code
 * imports it (so no Node built-ins either).
 */

/** The Temporal failure type every XpflowInputError surfaces as. */
export const INPUT_FAILURE_TYPE = 'XpflowInputError';

/** Marks instances across copies of this module (e.g. one loaded from dist/, one from source). */
const BRAND = Symbol.for('xpflow.inputError');

export class XpflowInputError extends Error {
  /** Never retried: the activity layer fails the stage on its first attempt. */
  readonly nonRetryable = true;
  readonly [BRAND] = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** True for an XpflowInputError (of any subclass, from any copy of this module). */
export function isInputError(err: unknown): err is XpflowInputError {
  return (
    err instanceof XpflowInputError ||
    (typeof err === 'object' && err !== null && (err as { [BRAND]?: unknown })[BRAND] === true)
  );
}

/** What a non-retryable input failure carries besides its message. */
export interface InputFailureDetails {
  /** The subclass's name, e.g. 'RecipeError'. */
  errorName: string;
}
