/** Ordered, append-only schema migrations of the catalogue; each runs once, in a transaction. */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    description: 'runs, stages, artifacts, cut_counts, metrics, clean_iterations',
    sql: `
      CREATE TABLE runs (
        run_id VARCHAR PRIMARY KEY, workflow_id VARCHAR NOT NULL, config_json VARCHAR NOT NULL,
        input_dir VARCHAR NOT NULL, input_fingerprint_json VARCHAR NOT NULL, status VARCHAR NOT NULL,
        message VARCHAR, created_at VARCHAR NOT NULL, updated_at VARCHAR NOT NULL);
      CREATE TABLE stages (
        run_id VARCHAR NOT NULL, stage VARCHAR NOT NULL, status VARCHAR NOT NULL, stage_key VARCHAR NOT NULL,
        reused BOOLEAN NOT NULL, attempt INTEGER NOT NULL, started_at VARCHAR, finished_at VARCHAR,
        duration_ms DOUBLE, rows_out BIGINT, input_hashes_json VARCHAR NOT NULL, detail_json VARCHAR NOT NULL,
        message VARCHAR, PRIMARY KEY (run_id, stage));
      CREATE TABLE artifacts (
        run_id VARCHAR NOT NULL, stage VARCHAR NOT NULL, name VARCHAR NOT NULL, path VARCHAR NOT NULL,
        format VARCHAR NOT NULL, rows BIGINT, bytes BIGINT NOT NULL, sha256 VARCHAR NOT NULL,
        PRIMARY KEY (run_id, stage, name));
      CREATE TABLE cut_counts (
        run_id VARCHAR NOT NULL, stage VARCHAR NOT NULL, cut_order INTEGER NOT NULL, cut VARCHAR NOT NULL,
        description VARCHAR NOT NULL, rows_before BIGINT NOT NULL, removed BIGINT NOT NULL,
        failing_alone BIGINT NOT NULL, rows_after BIGINT NOT NULL, PRIMARY KEY (run_id, stage, cut));
      CREATE TABLE metrics (
        run_id VARCHAR NOT NULL, stage VARCHAR NOT NULL, name VARCHAR NOT NULL, value DOUBLE NOT NULL,
        unit VARCHAR NOT NULL, PRIMARY KEY (run_id, stage, name));
      CREATE TABLE clean_iterations (
        run_id VARCHAR NOT NULL, iteration INTEGER NOT NULL, n_train BIGINT NOT NULL, n_outliers BIGINT NOT NULL,
        n_new_outliers BIGINT NOT NULL, n_returned BIGINT NOT NULL, changed_fraction DOUBLE NOT NULL,
        chi2_threshold DOUBLE NOT NULL, label_threshold DOUBLE NOT NULL, PRIMARY KEY (run_id, iteration));
    `,
  },
];
