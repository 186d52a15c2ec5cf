/**
 * The eight input tables of docs/method.md §1 with the real archives' column names and
 * types (DuckDB type names), plus the synthetic sky's `truth`. The synthetic sky
 * writes exactly these; ingest checks every input file against them.
 * `nullable: false` columns must be present in every row.
 */
export type ColumnType =
  'BIGINT' | 'INTEGER' | 'SMALLINT' | 'DOUBLE' | 'FLOAT' | 'VARCHAR' | 'BOOLEAN' | 'DOUBLE[]' | 'FLOAT[]';

export interface ColumnSpec {
  name: string;
  type: ColumnType;
  nullable: boolean;
}

export interface TableSpec {
  name: InputTableName | 'truth';
  /** Where it comes from in reality. */
  source: string;
  /** The column that identifies a row (unique). */
  key: string;
  columns: ColumnSpec[];
}

export type InputTableName =
  | 'gaia_source'
  | 'xp_continuous_mean_spectrum'
  | 'gaiaedr3_spurious'
  | 'lamost_dr8'
  | 'hot_payne'
  | 'tmass_psc'
  | 'unwise'
  | 'reddening_prior';

const col = (name: string, type: ColumnType, nullable = true): ColumnSpec => ({ name, type, nullable });

const xpBand = (b: 'bp' | 'rp'): ColumnSpec[] => [
  col(`${b}_basis_function_id`, 'SMALLINT'),
  col(`${b}_degrees_of_freedom`, 'SMALLINT'),
  col(`${b}_n_parameters`, 'SMALLINT'),
  col(`${b}_n_measurements`, 'SMALLINT'),
  col(`${b}_n_rejected_measurements`, 'SMALLINT'),
  col(`${b}_standard_deviation`, 'FLOAT'),
  col(`${b}_chi_squared`, 'FLOAT'),
  col(`${b}_coefficients`, 'DOUBLE[]'),
  col(`${b}_coefficient_errors`, 'FLOAT[]'),
  col(`${b}_coefficient_correlations`, 'FLOAT[]'),
  col(`${b}_n_relevant_bases`, 'SMALLINT'),
  col(`${b}_relative_shrinking`, 'FLOAT'),
];

const spectroscopicLabels: ColumnSpec[] = [
  col('obsid', 'BIGINT', false),
  col('ra', 'DOUBLE', false),
  col('dec', 'DOUBLE', false),
  col('gaia_source_id', 'BIGINT'),
  col('teff', 'FLOAT'),
  col('teff_err', 'FLOAT'),
  col('logg', 'FLOAT'),
  col('logg_err', 'FLOAT'),
  col('feh', 'FLOAT'),
  col('feh_err', 'FLOAT'),
  col('snrg', 'FLOAT'),
  col('snrr', 'FLOAT'),
  col('snri', 'FLOAT'),
  col('snrz', 'FLOAT'),
];

export const INPUT_TABLES: Record<InputTableName, TableSpec> = {
  gaia_source: {
    name: 'gaia_source',
    source: 'Gaia DR3 gaiadr3.gaia_source',
    key: 'source_id',
    columns: [
      col('source_id', 'BIGINT', false),
      col('ra', 'DOUBLE', false),
      col('dec', 'DOUBLE', false),
      col('parallax', 'DOUBLE'),
      col('parallax_error', 'FLOAT'),
      col('phot_g_mean_mag', 'FLOAT'),
      col('phot_bp_rp_excess_factor', 'FLOAT'),
      col('ruwe', 'FLOAT'),
      col('nu_eff_used_in_astrometry', 'FLOAT'),
      col('pseudocolour', 'FLOAT'),
      col('ecl_lat', 'DOUBLE'),
      col('astrometric_params_solved', 'SMALLINT'),
    ],
  },
  xp_continuous_mean_spectrum: {
    name: 'xp_continuous_mean_spectrum',
    source: 'Gaia DR3 gaiadr3.xp_continuous_mean_spectrum',
    key: 'source_id',
    columns: [col('source_id', 'BIGINT', false), col('solution_id', 'BIGINT'), ...xpBand('bp'), ...xpBand('rp')],
  },
  gaiaedr3_spurious: {
    name: 'gaiaedr3_spurious',
    source: 'Rybizki et al. 2022 (gaiaedr3_spurious)',
    key: 'source_id',
    columns: [col('source_id', 'BIGINT', false), col('fidelity_v2', 'FLOAT'), col('norm_dg', 'FLOAT')],
  },
  lamost_dr8: {
    name: 'lamost_dr8',
    source: 'LAMOST DR8 LRS stellar parameters',
    key: 'obsid',
    columns: spectroscopicLabels,
  },
  hot_payne: {
    name: 'hot_payne',
    source: 'Xiang et al. 2022, the Hot Payne',
    key: 'obsid',
    columns: spectroscopicLabels,
  },
  tmass_psc: {
    name: 'tmass_psc',
    source: '2MASS Point Source Catalog',
    key: 'pts_key',
    columns: [
      col('pts_key', 'BIGINT', false),
      col('ra', 'DOUBLE', false),
      col('dec', 'DOUBLE', false),
      col('j_m', 'FLOAT'),
      col('j_msigcom', 'FLOAT'),
      col('h_m', 'FLOAT'),
      col('h_msigcom', 'FLOAT'),
      col('k_m', 'FLOAT'),
      col('k_msigcom', 'FLOAT'),
      col('ph_qual', 'VARCHAR'),
    ],
  },
  unwise: {
    name: 'unwise',
    source: 'unWISE catalogue (Schlafly et al. 2019), Vega nanomaggies',
    key: 'unwise_objid',
    columns: [
      col('unwise_objid', 'VARCHAR', false),
      col('ra', 'DOUBLE', false),
      col('dec', 'DOUBLE', false),
      col('flux_w1', 'FLOAT'),
      col('dflux_w1', 'FLOAT'),
      col('fracflux_w1', 'FLOAT'),
      col('qf_w1', 'FLOAT'),
      col('flux_w2', 'FLOAT'),
      col('dflux_w2', 'FLOAT'),
      col('fracflux_w2', 'FLOAT'),
      col('qf_w2', 'FLOAT'),
    ],
  },
  reddening_prior: {
    name: 'reddening_prior',
    source: 'Bayestar19 mean/std along the line of sight (SFD where |z| > 400 pc)',
    key: 'source_id',
    columns: [col('source_id', 'BIGINT', false), col('E', 'FLOAT'), col('E_err', 'FLOAT')],
  },
};

/** The synthetic sky's ground truth: never read by the pipeline. */
export const TRUTH_TABLE: TableSpec = {
  name: 'truth',
  source: 'xpflow synth',
  key: 'source_id',
  columns: [
    col('source_id', 'BIGINT', false),
    col('population', 'VARCHAR', false),
    col('teff', 'DOUBLE', false),
    col('feh', 'DOUBLE', false),
    col('logg', 'DOUBLE', false),
    col('mass', 'DOUBLE', false),
    col('E', 'DOUBLE', false),
    col('parallax', 'DOUBLE', false),
    col('R_V', 'DOUBLE', false),
    col('in_lamost', 'BOOLEAN', false),
    col('unresolved_binary', 'BOOLEAN', false),
    col('companion_g_fraction', 'DOUBLE', false),
    col('wrong_lamost_logg', 'BOOLEAN', false),
    col('spurious_parallax', 'BOOLEAN', false),
    col('contaminated_nir', 'BOOLEAN', false),
    col('missing_bp', 'BOOLEAN', false),
    col('missing_rp', 'BOOLEAN', false),
  ],
};

export const INPUT_TABLE_NAMES = Object.keys(INPUT_TABLES) as InputTableName[];
