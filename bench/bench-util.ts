import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  detail?: Record<string, unknown>;
}

const here = dirname(fileURLToPath(import.meta.url));
/** The repository root, from bench/ or dist/bench/. */
export const REPO_ROOT = here.includes(`${join('dist', 'bench')}`) ? join(here, '..', '..') : join(here, '..');

export function printResults(title: string, results: BenchResult[]): void {
  process.stdout.write(`\n## ${title}\n`);
  for (const r of results) {
    const detail = r.detail
      ? `  ${JSON.stringify(r.detail, (_, v) => (typeof v === 'number' ? Number(v.toPrecision(4)) : v))}`
      : '';
    process.stdout.write(`- ${r.name}: ${r.value.toPrecision(4)} ${r.unit}${detail}\n`);
  }
}
