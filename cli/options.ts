/** Options shared by the commands: where the data lives. */
import { resolve } from 'node:path';

export const DEFAULT_DATA_DIR = 'xpflow-data';

export function dataDirOf(flag: string | undefined): string {
  return resolve(flag ?? process.env.XPFLOW_DATA_DIR ?? DEFAULT_DATA_DIR);
}

export const dataDirOption = { 'data-dir': { type: 'string' as const } };
