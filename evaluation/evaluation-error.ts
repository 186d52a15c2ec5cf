/** A run or sky that cannot be evaluated as asked: the CLI prints its message, no stack. */
export class EvaluationError extends Error {
  override name = 'EvaluationError';
}
