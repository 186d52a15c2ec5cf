/**
 * Buffers rows of one staging table and appends them to DuckDB a data chunk (up to
 * 2048 rows) at a time, writing each column vector from the buffered values. A value
 * that is not finite, or of the wrong kind, is an error naming table, column and row:
 * the sky must never hold a silently invented value.
 */
import {
  BIGINT,
  BOOLEAN,
  DOUBLE,
  DuckDBDataChunk,
  FLOAT,
  INTEGER,
  LIST,
  SMALLINT,
  VARCHAR,
  listValue,
  type DuckDBAppender,
  type DuckDBConnection,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import type { Cell, Row } from './row.js';
import type { ColumnType } from '../../catalogue/input-tables.js';
import type { StagingTable } from './staging.js';

const DUCKDB_TYPES: Record<ColumnType, DuckDBType> = {
  BIGINT,
  INTEGER,
  SMALLINT,
  DOUBLE,
  FLOAT,
  VARCHAR,
  BOOLEAN,
  'DOUBLE[]': LIST(DOUBLE),
  'FLOAT[]': LIST(FLOAT),
};
export const CHUNK_ROWS = 2048;
const FLUSH_EVERY_CHUNKS = 8;

export class ChunkAppender {
  private readonly rows: Row[] = [];
  private readonly types: DuckDBType[];
  private written = 0;
  private chunksSinceFlush = 0;

  private constructor(
    private readonly table: StagingTable,
    private readonly appender: DuckDBAppender,
    private readonly chunkRows: number,
  ) {
    this.types = table.columns.map((c) => DUCKDB_TYPES[c.type]);
  }

  static async open(connection: DuckDBConnection, table: StagingTable, chunkRows = CHUNK_ROWS): Promise<ChunkAppender> {
    if (!(chunkRows >= 1 && chunkRows <= CHUNK_ROWS)) throw new RangeError(`chunk rows must be in 1…${CHUNK_ROWS}`);
    return new ChunkAppender(table, await connection.createAppender(table.stage), chunkRows);
  }

  get rowCount(): number {
    return this.written + this.rows.length;
  }

  add(row: Row): void {
    this.rows.push(row);
    if (this.rows.length >= this.chunkRows) this.flush();
  }

  flush(): void {
    const n = this.rows.length;
    if (n === 0) return;
    const chunk = DuckDBDataChunk.create(this.types, n);
    this.table.columns.forEach((c, j) => {
      const vector = chunk.getColumnVector(j);
      for (let i = 0; i < n; i++) {
        vector.setItem(i, this.checked(this.rows[i][c.field], c.type, c.name, i));
      }
      vector.flush();
    });
    this.appender.appendDataChunk(chunk);
    this.written += n;
    this.rows.length = 0;
    // The appender holds rows until flushed: hand them to the table (and its buffer manager) regularly.
    if (++this.chunksSinceFlush >= FLUSH_EVERY_CHUNKS) {
      this.appender.flushSync();
      this.chunksSinceFlush = 0;
    }
  }

  /** Appends every buffered row and hands them to the table (before a checkpoint). */
  flushAll(): void {
    this.flush();
    this.appender.flushSync();
    this.chunksSinceFlush = 0;
  }

  close(): void {
    this.flush();
    this.appender.closeSync();
  }

  /** The value in the form the column's vector takes, or an error naming table, column and row. */
  private checked(v: Cell | undefined, type: ColumnType, column: string, i: number): DuckDBValue {
    if (v === null) return null;
    switch (type) {
      case 'DOUBLE[]':
      case 'FLOAT[]':
        if (v instanceof Float64Array && v.every(Number.isFinite)) return listValue(Array.from(v));
        break;
      case 'DOUBLE':
      case 'FLOAT':
        if (typeof v === 'number' && Number.isFinite(v)) return v;
        break;
      case 'BIGINT':
        if (typeof v === 'bigint') return v;
        if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
        break;
      case 'INTEGER':
      case 'SMALLINT':
        if (typeof v === 'number' && Number.isInteger(v)) return v;
        break;
      case 'VARCHAR':
        if (typeof v === 'string') return v;
        break;
      case 'BOOLEAN':
        if (typeof v === 'boolean') return v;
        break;
    }
    const what =
      v === undefined
        ? 'missing from the row'
        : `${v instanceof Float64Array ? 'an array with non-finite values or in a scalar column' : String(v)} is not a valid ${type}`;
    throw new Error(`synth ${this.table.spec.name}.${column}, row ${this.written + i + 1}: ${what}`);
  }
}
