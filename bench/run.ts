/** npm run bench [-- NAME...]: runs the named benchmarks (all by default) and prints ratios. */
import { printResults, type BenchResult } from './bench-util.js';
import { benchCrossmatch } from './crossmatch.js';
import { benchGmm } from './gmm.js';
import { benchInfer } from './infer.js';
import { benchPreparation } from './preparation.js';
import { benchSynth } from './synth.js';
import { benchTrain } from './train.js';
import { benchXpConvert } from './xp-convert.js';

const benches: Record<string, { title: string; run: () => Promise<BenchResult[]> }> = {
  crossmatch: {
    title: 'Cross-match (issue: the durable pipeline)',
    run: () => benchCrossmatch(Number(process.env.XPFLOW_BENCH_XM_ROWS ?? 1_000_000)),
  },
  preparation: {
    title: 'Data preparation through Temporal (issue: the durable pipeline)',
    run: () => benchPreparation(Number(process.env.XPFLOW_BENCH_PREP_STARS ?? 1_000_000)),
  },
  train: {
    title: 'Forward-model training (issue: the forward model)',
    run: () => benchTrain((process.env.XPFLOW_BENCH_TRAIN_SIZES ?? '100000,1000000').split(',').map(Number)),
  },
  synth: {
    title: 'Synthetic sky generation (issue: synthetic sky)',
    run: () => benchSynth(Number(process.env.XPFLOW_BENCH_SYNTH_STARS ?? 1_000_000)),
  },
  infer: {
    title: 'Inference for every star (issue: the catalogue)',
    run: () => benchInfer(process.env.XPFLOW_DATA_DIR ?? 'xpflow-data'),
  },
  gmm: { title: 'GMM prior on stellar type (issue: the forward model)', run: () => benchGmm() },
  xp: {
    title: 'XP → fluxes (issue: XP spectra to fluxes)',
    run: () => benchXpConvert(Number(process.env.XPFLOW_BENCH_STARS ?? 100_000)),
  },
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
