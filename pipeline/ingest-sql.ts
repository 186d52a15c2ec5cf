/**
 * The SQL of the ingest stage, built from the typed table specs (models/catalogue):
 * one expression per column that reads the archive's format (Parquet types, or CSV
 * text with "(…)" arrays) into the spec's type, and one that says whether a present
 * value failed to convert. Identifiers and literals are always quoted.
 */
import type { ColumnSpec } from '../models/catalogue/input-tables.js';
import { quoteIdent, quoteLiteral } from '../io/sql-quote.js';

export type SourceFormat = 'parquet' | 'csv';

/** The file as a relation with a 1-based `__row` column (data rows, header excluded). */
export function sourceRelation(path: string, format: SourceFormat): string {
  return format === 'parquet'
    ? `(SELECT *, file_row_number + 1 AS __row FROM read_parquet(${quoteLiteral(path)}, file_row_number = true))`
    : `(SELECT *, row_number() OVER () AS __row FROM read_csv(${quoteLiteral(path)}, header = true, all_varchar = true, auto_detect = true))`;
}

const isArray = (c: ColumnSpec) => c.type.endsWith('[]');

/** The raw value with CSV's empty strings read as NULL. */
function raw(c: ColumnSpec, format: SourceFormat): string {
  const q = quoteIdent(c.name);
  return format === 'csv' ? `NULLIF(trim(${q}), '')` : q;
}

/** Converts one column to its spec type (NULL where it cannot). */
export function converted(c: ColumnSpec, format: SourceFormat, sourceType: string): string {
  const r = raw(c, format);
  if (isArray(c) && (format === 'csv' || sourceType === 'VARCHAR')) {
    return `TRY_CAST(string_split(trim(${r}, '()[] '), ',') AS ${c.type})`;
  }
  return `TRY_CAST(${r} AS ${c.type})`;
}

/** True where a value is present but did not convert (or an array element did not). */
export function conversionFailed(c: ColumnSpec, format: SourceFormat, sourceType: string): string {
  const value = converted(c, format, sourceType);
  const r = raw(c, format);
  const failed = `(${r} IS NOT NULL AND ${value} IS NULL)`;
  return isArray(c) ? `(${failed} OR list_count(${value}) < len(${value}))` : failed;
}

export function selectConverted(columns: ColumnSpec[], format: SourceFormat, sourceTypes: Map<string, string>): string {
  return columns.map((c) => `${converted(c, format, sourceTypes.get(c.name)!)} AS ${quoteIdent(c.name)}`).join(',\n  ');
}
