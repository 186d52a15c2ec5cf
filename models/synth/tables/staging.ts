/**
 * The staging layout of each synthetic table inside the temporary DuckDB file, and
 * the SQL that turns it into the archive layout of models/catalogue/input-tables.ts.
 * Columns are staged as they are written, lists included, except the XP
 * correlations: they repeat across stars, so they are staged as a template id and
 * expanded from the real DR3 patterns only when the file is written (after sorting).
 */
import type { ColumnSpec, ColumnType, TableSpec } from '../../catalogue/input-tables.js';
import { TEMPLATE_IDS, TEMPLATE_NAMES, xpTemplates } from '../xp/templates.js';

export interface StagingColumn {
  /** Column in the staging table. */
  name: string;
  type: ColumnType;
  /** Row field it comes from. */
  field: string;
}

export interface StagingTable {
  spec: TableSpec;
  stage: string;
  columns: StagingColumn[];
}

const CORRELATIONS = /^(bp|rp)_coefficient_correlations$/;

/** Staging columns of a table spec; the row field `<band>_template` stands for the correlations. */
export function stagingTable(spec: TableSpec): StagingTable {
  const columns: StagingColumn[] = [];
  for (const c of spec.columns) {
    const corr = CORRELATIONS.exec(c.name);
    if (corr) columns.push({ name: `${corr[1]}_template`, type: 'SMALLINT', field: `${corr[1]}_template` });
    else columns.push({ name: c.name, type: c.type, field: c.name });
  }
  return { spec, stage: `stage_${spec.name}`, columns };
}

export function createStageSql(t: StagingTable): string {
  return `CREATE TABLE ${t.stage} (${t.columns.map((c) => `"${c.name}" ${c.type}`).join(', ')})`;
}

function floatList(values: ArrayLike<number>): string {
  return `[${Array.from(values, (v) => String(v)).join(',')}]::FLOAT[]`;
}

/** The expression that rebuilds one archive column from the staging columns. */
function columnExpression(c: ColumnSpec, csv: boolean): string {
  const corr = CORRELATIONS.exec(c.name);
  let expr: string;
  if (corr) {
    const band = corr[1] as 'bp' | 'rp';
    const cases = TEMPLATE_NAMES.map(
      (t) => `WHEN ${TEMPLATE_IDS[t]} THEN ${floatList(xpTemplates()[t][band].correlations)}`,
    );
    expr = `CASE "${band}_template" ${cases.join(' ')} END`;
  } else if (c.type === 'DOUBLE[]' || c.type === 'FLOAT[]') {
    expr = `"${c.name}"`;
  } else {
    return `"${c.name}"`;
  }
  // The Gaia archive's CSV writes arrays as "(a, b, ...)".
  return csv ? `'(' || array_to_string(${expr}, ', ') || ')' AS "${c.name}"` : `${expr} AS "${c.name}"`;
}

export function exportSelectSql(t: StagingTable, from: string, csv: boolean): string {
  return `SELECT ${t.spec.columns.map((c) => columnExpression(c, csv)).join(', ')} FROM ${from}`;
}

/** True when the table holds XP arrays: sorted into a table before the correlations are expanded. */
export function hasArrays(t: StagingTable): boolean {
  return t.columns.some((c) => c.type === 'DOUBLE[]' || c.type === 'FLOAT[]');
}
