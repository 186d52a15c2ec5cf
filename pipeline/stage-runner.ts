/**
 * Runs one stage as a function of its inputs and config: the stage key hashes the
 * stage's name and version, its config and its inputs' hashes. Outputs with the same
 * key (from this run or another) are reused; otherwise the stage writes into a
 * temporary folder that is renamed into runs/<run>/<stage>/ only when complete, so a
 * killed attempt leaves nothing half-written. A work folder survives attempts for
 * checkpoints.
 */
import {
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { isInputError, XpflowInputError } from '../core/errors.js';
import { canonicalJson, sha256Hex } from '../core/run-config.js';
import { sha256File } from '../io/file-hash.js';
import type {
  ArtifactFormat,
  ArtifactRef,
  CutCount,
  Metric,
  NoDetail,
  RunRef,
  StageDetail,
  StageName,
  StageOutcome,
  StageProgress,
} from './types.js';

/** Bump a stage's version when its code changes what it produces. */
export const STAGE_VERSIONS: Record<string, number> = {
  ingest: 1,
  crossmatch: 1,
  quality_cuts: 1,
  fluxes: 1,
  split: 1,
  train: 1,
  clean: 3,
  prior: 1,
  validation: 2,
  /** infer_plan and infer_<shard> (one family); 2: the plan's detail holds counts, its shards are in its file. */
  infer: 2,
  catalogue: 1,
};

/** train_2_stars_all → train */
const stageFamily = (stage: StageName) => stage.split('_')[0];

const OUTCOME_FILE = 'stage.json';

export interface StageWork {
  /** Write outputs here (renamed into place when the stage completes). */
  outDir: string;
  /** Checkpoints that must survive a killed attempt. */
  workDir: string;
  progress: StageProgress;
}

export interface ComputedStage<TDetail extends StageDetail = NoDetail> {
  /** Files written in outDir: name → file name and row count (format: by the file's extension unless given). */
  artifacts: { name: string; file: string; rows: number | null; format?: ArtifactFormat }[];
  cutCounts?: CutCount[];
  metrics?: Metric[];
  /** The stage kind's detail (pipeline/types.ts); absent: none. */
  detail?: TDetail;
}

export interface StageSpec<TDetail extends StageDetail = NoDetail> {
  stage: StageName;
  /** The part of the config this stage depends on. */
  config: unknown;
  /** Input name → content hash. */
  inputHashes: Record<string, string>;
  compute(work: StageWork): Promise<ComputedStage<TDetail>>;
}

export function runsDir(dataDir: string): string {
  return join(dataDir, 'runs');
}

export function stageDir(dataDir: string, runId: string, stage: StageName): string {
  return join(runsDir(dataDir), runId, stage);
}

export function stageKeyOf(spec: Pick<StageSpec<StageDetail>, 'stage' | 'config' | 'inputHashes'>): string {
  return sha256Hex(
    canonicalJson({
      stage: spec.stage,
      version: STAGE_VERSIONS[spec.stage] ?? STAGE_VERSIONS[stageFamily(spec.stage)] ?? 1,
      config: spec.config,
      inputs: spec.inputHashes,
    }),
  );
}

/** A stage's recorded outcome; its detail is that of the stage kind whose key matched. */
export function readOutcome<TDetail extends StageDetail>(dir: string): StageOutcome<TDetail> | undefined {
  const file = join(dir, OUTCOME_FILE);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as StageOutcome<TDetail>;
}

/** A finished stage with this key in another run of the same data dir. */
function findReusable<TDetail extends StageDetail>(
  run: RunRef,
  stage: StageName,
  key: string,
): StageOutcome<TDetail> | undefined {
  const root = runsDir(run.dataDir);
  if (!existsSync(root)) return undefined;
  for (const other of readdirSync(root)) {
    if (other === run.runId) continue;
    const outcome = readOutcome<TDetail>(join(root, other, stage));
    if (outcome?.stageKey === key) return outcome;
  }
  return undefined;
}

export async function runStage<TDetail extends StageDetail = NoDetail>(
  run: RunRef,
  spec: StageSpec<TDetail>,
  progress: StageProgress,
): Promise<StageOutcome<TDetail>> {
  const started = new Date();
  const key = stageKeyOf(spec);
  const finalDir = stageDir(run.dataDir, run.runId, spec.stage);
  const existing = readOutcome<TDetail>(finalDir);
  if (existing?.stageKey === key)
    return { ...existing, reused: true, reusedFrom: existing.reusedFrom ?? run.runId, attempt: progress.attempt };

  const runDir = join(runsDir(run.dataDir), run.runId);
  const outDir = join(runDir, `.${spec.stage}.tmp`);
  const workDir = join(runDir, `.${spec.stage}.work-${key.slice(0, 16)}`);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  mkdirSync(workDir, { recursive: true });

  const donor = findReusable<TDetail>(run, spec.stage, key);
  let computed: ComputedStage<TDetail>;
  if (donor) {
    for (const a of donor.artifacts) linkSync(a.path, join(outDir, basename(a.path)));
    computed = {
      artifacts: donor.artifacts.map((a) => ({ name: a.name, file: basename(a.path), rows: a.rows, format: a.format })),
      cutCounts: donor.cutCounts,
      metrics: donor.metrics,
      detail: donor.detail,
    };
  } else {
    try {
      computed = await spec.compute({ outDir, workDir, progress });
    } catch (e) {
      // Nothing half-written stays behind; checkpoints stay only for an attempt that may follow.
      rmSync(outDir, { recursive: true, force: true });
      if (isInputError(e)) rmSync(workDir, { recursive: true, force: true });
      throw e;
    }
  }

  const nonFinite = (computed.metrics ?? []).find((m) => !Number.isFinite(m.value));
  if (nonFinite) {
    rmSync(outDir, { recursive: true, force: true });
    rmSync(workDir, { recursive: true, force: true });
    throw new StageOutputError(
      `stage ${spec.stage}: metric ${nonFinite.name} is ${nonFinite.value}; the catalogue holds finite numbers only`,
    );
  }

  const artifacts: ArtifactRef[] = [];
  for (const a of computed.artifacts) {
    const tmpPath = join(outDir, a.file);
    artifacts.push({
      name: a.name,
      path: join(finalDir, a.file),
      format: a.format ?? (a.file.endsWith('.parquet') ? 'parquet' : 'json'),
      rows: a.rows,
      bytes: statSync(tmpPath).size,
      sha256: await sha256File(tmpPath),
    });
  }
  const finished = new Date();
  const outcome: StageOutcome<TDetail> = {
    runId: run.runId,
    stage: spec.stage,
    stageKey: key,
    reused: donor !== undefined,
    reusedFrom: donor ? donor.runId : null,
    attempt: progress.attempt,
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationMs: finished.getTime() - started.getTime(),
    inputHashes: spec.inputHashes,
    artifacts,
    rowsOut: artifacts.reduce<number | null>((n, a) => (a.rows === null ? n : (n ?? 0) + a.rows), null),
    cutCounts: computed.cutCounts ?? [],
    metrics: computed.metrics ?? [],
    // A stage kind without a detail (NoDetail) records an empty one.
    detail: computed.detail ?? ({} as TDetail),
  };
  writeFileSync(join(outDir, OUTCOME_FILE), `${JSON.stringify(outcome, null, 2)}\n`);
  rmSync(finalDir, { recursive: true, force: true });
  renameSync(outDir, finalDir);
  rmSync(workDir, { recursive: true, force: true });
  return outcome;
}

/** A stage computed something the record cannot hold (a bug, not bad luck): never retried. */
export class StageOutputError extends XpflowInputError {}

/** The artifact of an earlier stage by name, or a clear error. */
export function artifact(outcome: StageOutcome, name: string): ArtifactRef {
  const found = outcome.artifacts.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`stage ${outcome.stage} has no artifact "${name}"`);
  return found;
}

/** Named artifacts → their paths (what the stage reads) and hashes (what its key depends on). */
export function splitRefs<K extends string>(
  refs: Record<K, ArtifactRef>,
): { paths: Record<K, string>; hashes: Record<K, string> } {
  const entries = Object.entries(refs) as [K, ArtifactRef][];
  return {
    paths: Object.fromEntries(entries.map(([k, a]) => [k, a.path])) as Record<K, string>,
    hashes: Object.fromEntries(entries.map(([k, a]) => [k, a.sha256])) as Record<K, string>,
  };
}

/** An input table (view name → [stage, artifact name]) with each entry resolved by `find`. */
export function resolveInputs<K extends string, T>(
  table: Record<K, readonly [string, string]>,
  find: (stage: string, artifact: string) => T,
): Record<K, T> {
  return Object.fromEntries(
    (Object.entries(table) as [K, readonly [string, string]][]).map(([view, [stage, name]]) => [
      view,
      find(stage, name),
    ]),
  ) as Record<K, T>;
}
