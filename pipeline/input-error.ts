/**
 * Input that can never succeed: a missing file or column, a wrong type, an empty table,
 * duplicate keys, NaN positions. Names the file, column and row; never retried.
 */
import { XpflowInputError } from '../core/errors.js';
export interface InputLocation {
  file?: string;
  column?: string;
  /** 1-based data row (header excluded). */
  row?: number;
}

export class InputError extends XpflowInputError {
  constructor(
    readonly location: InputLocation,
    readonly detail: string,
  ) {
    const where = [
      location.file,
      location.column && `column ${location.column}`,
      location.row !== undefined && `row ${location.row}`,
    ]
      .filter(Boolean)
      .join(', ');
    super(where ? `${where}: ${detail}` : detail);
  }
}
