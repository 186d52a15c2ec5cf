/** Loads the parameterised SQL models of sql/ (one file per model, dbt style). */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// Sources run from io/, compiled code from dist/io/.
const SQL_DIR = [join(here, '..', 'sql'), join(here, '..', '..', 'sql')].find((d) => existsSync(d));

const cache = new Map<string, string>();

export function sqlModel(name: string): string {
  if (!SQL_DIR) throw new Error(`sql/ folder not found near ${here}`);
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(join(SQL_DIR, `${name}.sql`), 'utf8');
    cache.set(name, text);
  }
  return text;
}
