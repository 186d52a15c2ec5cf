/** A run or sky that cannot be evaluated as asked: the CLI prints its message, no stack. */
import { XpflowInputError } from '../core/errors.js';
export class EvaluationError extends XpflowInputError {}
