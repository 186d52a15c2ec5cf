/** xpflow audit <run> [stage]: what each stage produced, from what, and what each cut removed. */
import { parseArgs } from 'node:util';
import { auditRun } from '../../io/catalogue/queries.js';
import { runSchema } from '../../io/catalogue/record.js';
import { dataDirOf, dataDirOption } from '../options.js';
import { formatTable } from '../table.js';
import { UsageError } from '../usage-error.js';

export const usage = `xpflow audit RUN [STAGE] [--data-dir DIR]

  Stages (status, reuse, time, rows, input hashes), artifacts (path, rows, sha256), the
  training cuts in order, and each stage's metrics. The same tables are in
  DIR/xpflow.duckdb (runs, stages, artifacts, cut_counts, metrics), with a view per
  artifact in schema run_<id>.`;

export async function auditCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, options: dataDirOption, allowPositionals: true });
  const [runId, stage] = positionals;
  if (!runId) throw new UsageError(usage);
  const audit = await auditRun(dataDirOf(values['data-dir']), runId, stage);
  if (!audit) throw new UsageError(`no run ${runId} in the catalogue`);
  const w = (s: string) => process.stdout.write(`${s}\n`);
  w(`run ${runId}: ${audit.run.status}, input ${audit.run.input_dir}`);
  w(
    `\nstages\n${formatTable(
      ['stage', 'status', 'reused', 'attempt', 'seconds', 'rows', 'stage key'],
      audit.stages.map((s) => [
        s.stage,
        s.status,
        s.reused,
        s.attempt,
        s.duration_ms === null ? '' : (Number(s.duration_ms) / 1000).toFixed(2),
        s.rows_out === null ? '' : Number(s.rows_out),
        s.stage_key.slice(0, 12),
      ]),
    )}`,
  );
  w(
    `\nartifacts\n${formatTable(
      ['stage', 'name', 'rows', 'bytes', 'sha256', 'path'],
      audit.artifacts.map((a) => [
        a.stage,
        a.name,
        a.rows === null ? '' : Number(a.rows),
        Number(a.bytes),
        a.sha256.slice(0, 12),
        a.path,
      ]),
    )}`,
  );
  if (audit.cuts.length) {
    w(
      `\ntraining cuts\n${formatTable(
        ['#', 'cut', 'before', 'removed', 'failing alone', 'after', 'rule'],
        audit.cuts.map((k) => [
          k.cut_order,
          k.cut,
          Number(k.rows_before),
          Number(k.removed),
          Number(k.failing_alone),
          Number(k.rows_after),
          k.description,
        ]),
      )}`,
    );
  }
  if (audit.metrics.length)
    w(
      `\nmetrics\n${formatTable(
        ['stage', 'metric', 'value', 'unit'],
        audit.metrics.map((m) => [m.stage, m.name, m.value, m.unit]),
      )}`,
    );
  w(
    `\nSQL: duckdb ${dataDirOf(values['data-dir'])}/xpflow.duckdb  -- e.g. SELECT * FROM "${runSchema(runId)}"."ingest__gaia_source" LIMIT 5`,
  );
}
