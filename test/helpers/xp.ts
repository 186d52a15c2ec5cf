import { readFileSync } from 'node:fs';
import { readXpFile } from '../../io/xp-table.js';
import type { XpRecord } from '../../models/xp/record.js';
import { parseNumberArray, splitCsvLine } from '../../models/xp/parse-array.js';

export async function readAll(path: string): Promise<XpRecord[]> {
  const out: XpRecord[] = [];
  for await (const batch of readXpFile(path, 55)) out.push(...batch.records);
  return out;
}

/** GaiaXPy calibrate() CSV (arrays as "(…)" or JSON with null for NaN) → per source_id. */
export function readCalibrated(path: string): Map<string, { flux: number[]; error: number[] }> {
  const [, ...lines] = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim());
  const parse = (s: string): number[] =>
    s.startsWith('[')
      ? (JSON.parse(s) as (number | null)[]).map((v) => (v === null ? NaN : v))
      : Array.from(parseNumberArray(s)!);
  return new Map(
    lines.map((l) => {
      const [id, flux, error] = splitCsvLine(l);
      return [id, { flux: parse(flux), error: parse(error) }];
    }),
  );
}

export function maxRelativeDifference(ours: ArrayLike<number>, theirs: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < theirs.length; i++) {
    if (!Number.isFinite(theirs[i])) continue;
    worst = Math.max(worst, Math.abs(ours[i] - theirs[i]) / Math.abs(theirs[i]));
  }
  return worst;
}
