/**
 * The audit catalogue's tables (ARCHITECTURE.md "Data"), as Kysely types: every query
 * against the catalogue is checked against these.
 */
export interface RunsTable {
  run_id: string;
  workflow_id: string;
  config_json: string;
  input_dir: string;
  input_fingerprint_json: string;
  status: string;
  message: string | null;
  created_at: string;
  updated_at: string;
}

export interface StagesTable {
  run_id: string;
  stage: string;
  status: string;
  stage_key: string;
  reused: boolean;
  attempt: number;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
  rows_out: number | null;
  input_hashes_json: string;
  detail_json: string;
  message: string | null;
}

export interface ArtifactsTable {
  run_id: string;
  stage: string;
  name: string;
  path: string;
  format: string;
  rows: number | null;
  bytes: number;
  sha256: string;
}

export interface CutCountsTable {
  run_id: string;
  stage: string;
  cut_order: number;
  cut: string;
  description: string;
  rows_before: number;
  removed: number;
  failing_alone: number;
  rows_after: number;
}

export interface MetricsTable {
  run_id: string;
  stage: string;
  name: string;
  value: number;
  unit: string;
}

export interface CleanIterationsTable {
  run_id: string;
  iteration: number;
  n_train: number;
  n_outliers: number;
  n_new_outliers: number;
  n_returned: number;
  changed_fraction: number;
  chi2_threshold: number;
  label_threshold: number;
}

export interface SchemaMigrationsTable {
  version: number;
  description: string;
  applied_at: string;
}

export interface CatalogueDB {
  runs: RunsTable;
  stages: StagesTable;
  artifacts: ArtifactsTable;
  cut_counts: CutCountsTable;
  metrics: MetricsTable;
  clean_iterations: CleanIterationsTable;
  schema_migrations: SchemaMigrationsTable;
}
