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
  SMALLINT,
  VARCHAR,
  type DuckDBAppender,
  type DuckDBConnection,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import type { Cell, Row } from './row.js';
import type { ScalarType, StagingTable } from './staging.js';

const DUCKDB_TYPES: Record<ScalarType, DuckDBType> = { BIGINT, INTEGER, SMALLINT, DOUBLE, FLOAT, VARCHAR, BOOLEAN };
export const CHUNK_ROWS = 2048;

export class ChunkAppender {
  private readonly rows: Row[] = [];
  private readonly types: DuckDBType[];
  private written = 0;

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
      for (let i = 0; i < n; i++) vector.setItem(i, this.convert(this.rows[i][c.field], c.type, c.element, c.name, i));
      vector.flush();
    });
    this.appender.appendDataChunk(chunk);
    this.written += n;
    this.rows.length = 0;
  }

  close(): void {
    this.flush();
    this.appender.closeSync();
  }

  private convert(cell: Cell | undefined, type: ScalarType, element: number | undefined, column: string, i: number): DuckDBValue {
    const fail = (why: string): never => {
      throw new Error(`synth ${this.table.spec.name}.${column}, row ${this.written + i + 1}: ${why}`);
    };
    if (cell === undefined) return fail('no value (field missing from the row)');
    if (cell === null) return null;
    let v: number | bigint | string | boolean;
    if (cell instanceof Float64Array) {
      if (element === undefined) return fail('array given for a scalar column');
      v = cell[element];
    } else if (element !== undefined) {
      return fail('scalar given for an array column');
    } else {
      v = cell;
    }
    switch (type) {
      case 'BIGINT':
        if (typeof v === 'bigint') return v;
        if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
        return fail(`expected an integer, got ${String(v)}`);
      case 'INTEGER':
      case 'SMALLINT':
        if (typeof v === 'number' && Number.isInteger(v)) return v;
        return fail(`expected an integer, got ${String(v)}`);
      case 'DOUBLE':
      case 'FLOAT':
        if (typeof v === 'number' && Number.isFinite(v)) return v;
        return fail(`expected a finite number, got ${String(v)}`);
      case 'VARCHAR':
        return typeof v === 'string' ? v : fail(`expected a string, got ${String(v)}`);
      case 'BOOLEAN':
        return typeof v === 'boolean' ? v : fail(`expected a boolean, got ${String(v)}`);
    }
  }
}
