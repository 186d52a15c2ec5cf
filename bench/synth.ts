/**
 * Benchmark: the synthetic sky at 1 million stars (by default): stars made per second
 * per core (generation is one JavaScript thread plus one DuckDB thread), the same
 * end to end including sorting and writing the files, peak memory, and bytes per
 * star on disk. Writes to a temporary folder, removed afterwards. Peak RSS is the
 * process's: run `npm run bench -- synth` alone for a clean number.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSky } from '../models/synth/generate.js';
import type { BenchResult } from './bench-util.js';

export async function benchSynth(stars = 1_000_000): Promise<BenchResult[]> {
  const out = mkdtempSync(join(tmpdir(), 'xpflow-bench-synth-'));
  try {
    const r = await runSky({ out, stars, seed: 1, lamostFraction: 0.01 });
    const tables = Object.values(r.manifest.tables);
    const bytes = tables.reduce((s, t) => s + t.bytes, 0);
    const xpBytes = r.manifest.tables.xp_continuous_mean_spectrum.bytes;
    const total = r.generateSeconds + r.writeSeconds;
    const peakMiB = process.resourceUsage().maxRSS / 1024;
    return [
      {
        name: 'synth: stars made and staged',
        value: stars / r.generateSeconds,
        unit: 'stars/s/core',
        detail: { stars, seconds: r.generateSeconds },
      },
      {
        name: 'synth: end to end (incl. sort + write)',
        value: stars / total,
        unit: 'stars/s/core',
        detail: { seconds: total, writeSeconds: r.writeSeconds },
      },
      { name: 'synth: peak memory (RSS)', value: peakMiB, unit: 'MiB', detail: { memoryLimit: '512MB (DuckDB)' } },
      {
        name: 'synth: bytes per star on disk',
        value: bytes / stars,
        unit: 'B/star',
        detail: { xpBytesPerStar: xpBytes / stars, totalMB: bytes / 1e6 },
      },
    ];
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
