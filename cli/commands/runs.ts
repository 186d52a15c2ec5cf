/** xpflow runs: the runs the catalogue knows, newest first. */
import { parseArgs } from 'node:util';
import { listRuns } from '../../io/catalogue/queries.js';
import { dataDirOf, dataDirOption } from '../options.js';
import { formatTable } from '../table.js';

export const usage = `xpflow runs [--data-dir DIR]

  Lists the runs recorded in DIR/xpflow.duckdb with their status and inputs.`;

export async function runsCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: dataDirOption });
  const runs = await listRuns(dataDirOf(values['data-dir']));
  if (!runs.length) {
    process.stdout.write('no runs yet\n');
    return;
  }
  process.stdout.write(
    `${formatTable(
      ['run', 'status', 'started', 'updated', 'input'],
      runs.map((r) => [r.run_id, r.status, r.created_at, r.updated_at, r.input_dir]),
    )}\n`,
  );
}
