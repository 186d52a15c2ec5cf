/**
 * A row of a synthetic table before it is written: archive column name → value.
 * Arrays (XP coefficients and errors) are typed arrays; a missing value is null.
 */
export type Cell = number | bigint | string | boolean | null | Float64Array;
export type Row = Record<string, Cell>;

/** What one star contributes to each table (several rows where extra sources are made). */
export interface StarRows {
  gaia_source: Row;
  xp_continuous_mean_spectrum: Row;
  gaiaedr3_spurious: Row;
  reddening_prior: Row;
  lamost_dr8: Row[];
  hot_payne: Row[];
  tmass_psc: Row[];
  unwise: Row[];
  truth: Row;
}
