/** npm run bench [-- NAME...]: runs the named benchmarks (all by default) and prints ratios. */
import { printResults, type BenchResult } from './bench-util.js';
import { benchCrossmatch } from './crossmatch.js';
import { benchXpConvert } from './xp-convert.js';

const benches: Record<string, { title: string; run: () => Promise<BenchResult[]> }> = {
  crossmatch: { title: 'Cross-match (issue: the durable pipeline)', run: () => benchCrossmatch(Number(process.env.XPFLOW_BENCH_XM_ROWS ?? 1_000_000)) },
  xp: { title: 'XP → fluxes (issue: XP spectra to fluxes)', run: () => benchXpConvert(Number(process.env.XPFLOW_BENCH_STARS ?? 100_000)) },
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
for (const name of wanted.length ? wanted : Object.keys(benches)) {
  const b = benches[name];
  if (!b) {
    process.stderr.write(`unknown benchmark ${name}; known: ${Object.keys(benches).join(', ')}\n`);
    process.exit(2);
  }
  printResults(b.title, await b.run());
}
