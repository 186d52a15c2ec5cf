/** A command-line mistake: printed without a stack trace, exit code 2. */
import { XpflowInputError } from '../core/errors.js';
export class UsageError extends XpflowInputError {}
