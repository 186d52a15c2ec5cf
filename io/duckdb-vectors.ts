/**
 * Columnar reads from DuckDB result chunks: list cells as typed arrays straight from
 * the child vector (no per-element boxing), scalars as numbers/strings/bigints.
 */
import type { DuckDBVector } from '@duckdb/node-api';

interface ListLike {
  validity: { itemValid(i: number): boolean };
  getEntryOffset(i: number): number;
  getEntryLength(i: number): number;
  childVector: { items?: ArrayLike<number> };
}

const isList = (v: unknown): v is ListLike =>
  typeof (v as ListLike).getEntryOffset === 'function' && typeof (v as ListLike).getEntryLength === 'function';

/** The list at row i as a new Float64Array, or null for NULL / empty (elements must not be NULL: ingest checks). */
export function listAsFloat64(vector: DuckDBVector, i: number): Float64Array | null {
  if (isList(vector) && vector.childVector.items) {
    // Validity, not getItem: getItem copies the whole row into a JS array.
    if (!vector.validity.itemValid(i)) return null;
    const len = vector.getEntryLength(i);
    if (len === 0) return null;
    const off = vector.getEntryOffset(i);
    const items = vector.childVector.items;
    const out = new Float64Array(len);
    for (let k = 0; k < len; k++) out[k] = items[off + k];
    return out;
  }
  const value = vector.getItem(i) as { items?: unknown[] } | null;
  if (value === null || !Array.isArray(value.items) || value.items.length === 0) return null;
  return Float64Array.from(value.items as number[]);
}

export function numberAt(vector: DuckDBVector, i: number): number | null {
  const v = vector.getItem(i);
  if (v === null || v === undefined) return null;
  return typeof v === 'bigint' ? Number(v) : (v as number);
}

export function stringAt(vector: DuckDBVector, i: number): string | null {
  const v = vector.getItem(i);
  return v === null || v === undefined ? null : String(v);
}

export function bigintAt(vector: DuckDBVector, i: number): bigint | null {
  const v = vector.getItem(i);
  if (v === null || v === undefined) return null;
  return typeof v === 'bigint' ? v : BigInt(v as number);
}
