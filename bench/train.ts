/**
 * Benchmark: training throughput of the forward model, in star-epochs per second for
 * a joint (model + stars) stage at batch 512, on the wasm and cpu tfjs backends in one
 * run, at 100,000 and 1,000,000 stars. Spectra are the toy model's (diagonal whitening;
 * the kernels' cost does not depend on the values). 100k stars hold their own 1.7 GB of
 * whitening; 1M stars (17 GB, beyond one Float32Array) read a 100k-star pool tiled,
 * so memory access stays realistic. Each size runs a fraction of an epoch (after a
 * warm-up) and the epoch time is extrapolated from it, as the results say. Also: the
 * χ² kernel (host SIMD vs batched-matMul tensor) and the custom dense gradients vs
 * tfjs autodiff for the 3×32 MLP.
 */
import * as tf from '@tensorflow/tfjs';
import { backendInfo, useBackend, type BackendName } from '../models/forward/backend.js';
import type { Chi2Kernel } from '../models/forward/chi2.js';
import { dense, denseAutodiff } from '../models/forward/dense.js';
import { ForwardModel } from '../models/forward/model.js';
import { stage } from '../models/forward/recipe.js';
import { StarParams } from '../models/forward/stars.js';
import { tiledPriors, tiledSpectra } from '../models/forward/tiled-spectra.js';
import { makeToySet } from '../models/forward/toy.js';
import { StageTrainer } from '../models/forward/trainer.js';
import type { SpectraSource, TrainingSet } from '../models/forward/data.js';
import type { BenchResult } from './bench-util.js';

const BATCH = 512;
const WARMUP = 5;
const POOL = 100_000;

interface BenchSet {
  data: TrainingSet;
  /** Set when the spectra are tiled from a pool. */
  spectra?: SpectraSource;
}

/** Sets of each size: their own spectra up to POOL stars, else tiled from a POOL-star set. */
function benchSets(sizes: number[]): Map<number, BenchSet> {
  const toy = (n: number) => makeToySet({ n, seed: 1, missingNirFrac: 0.1 }).data;
  const sets = new Map<number, BenchSet>();
  let pool: TrainingSet | undefined;
  for (const n of [...sizes].sort((a, b) => a - b)) {
    if (n <= POOL) {
      sets.set(n, { data: toy(n) });
      if (n === POOL) pool = sets.get(n)!.data;
    } else {
      pool ??= toy(POOL);
      sets.set(n, { data: tiledPriors(pool, n), spectra: tiledSpectra(pool, n) });
    }
  }
  return sets;
}

interface Rate {
  starEpochsPerSecond: number;
  batches: number;
  seconds: number;
}

/** Times `batches` batches of a joint stage after a warm-up, then aborts the stage. */
async function timeJoint({ data, spectra }: BenchSet, kernel: Chi2Kernel, batches: number): Promise<Rate> {
  const model = ForwardModel.create(data.labels, { seed: 1 });
  const { stars } = StarParams.fromPriors(data);
  const s = stage('bench_joint', 'all', 'both', { epochs: 1, batchSize: BATCH });
  const trainer = new StageTrainer({ data, model, stars, stage: s, seed: 1, spectra, chi2Kernel: kernel });
  const abort = new AbortController();
  const want = Math.min(batches, trainer.batchesPerEpoch - WARMUP - 1);
  let t0 = 0;
  let seconds = 0;
  await trainer.run({
    progressEvery: 1,
    signal: abort.signal,
    onProgress: (p) => {
      if (p.batch === WARMUP) t0 = performance.now();
      if (p.batch === WARMUP + want) {
        seconds = (performance.now() - t0) / 1000;
        abort.abort();
      }
    },
  });
  return { starEpochsPerSecond: (want * BATCH) / seconds, batches: want, seconds };
}

/** The 3×32 MLP's forward + backward at batch 512: custom dense gradients vs tfjs autodiff. */
function denseSpeedup(): { customMs: number; autodiffMs: number } {
  const sizes = [3, 32, 32, 32, 66];
  const result = { customMs: NaN, autodiffMs: NaN };
  tf.tidy(() => {
    const ws = sizes
      .slice(1)
      .map((o, i) => tf.mul(tf.randomNormal([sizes[i], o], 0, 1, 'float32', 1), 0.3) as tf.Tensor2D);
    const wts = ws.map((w) => tf.transpose(w) as tf.Tensor2D);
    const bs = sizes.slice(1).map((o) => tf.zeros([o]) as tf.Tensor1D);
    const x = tf.randomNormal([BATCH, 3], 0, 1, 'float32', 2) as tf.Tensor2D;
    const mlp =
      (custom: boolean) =>
      (...p: tf.Tensor[]) => {
        let h = p[0] as tf.Tensor2D;
        for (let l = 0; l < 4; l++) {
          const act = l < 3 ? 'tanh' : 'linear';
          const [w, b] = [p[1 + 2 * l] as tf.Tensor2D, p[2 + 2 * l] as tf.Tensor1D];
          h = custom ? dense(h, w, wts[l], b, act) : denseAutodiff(h, w, b, act);
        }
        return tf.sum(h);
      };
    const args = [x, ...ws.flatMap((w, i) => [w, bs[i]])];
    const time = (custom: boolean) => {
      const run = () =>
        tf.tidy(() =>
          tf
            .grads(mlp(custom))(args)
            .forEach((g) => g.dataSync()),
        );
      for (let i = 0; i < 5; i++) run();
      let best = Infinity;
      for (let r = 0; r < 5; r++) {
        const t = performance.now();
        for (let i = 0; i < 10; i++) run();
        best = Math.min(best, (performance.now() - t) / 10);
      }
      return best;
    };
    result.customMs = time(true);
    result.autodiffMs = time(false);
  });
  return result;
}

export async function benchTrain(sizes: number[] = [100_000, 1_000_000]): Promise<BenchResult[]> {
  const batches = Number(process.env.XPFLOW_BENCH_TRAIN_BATCHES ?? 100);
  const sets = benchSets(sizes);
  const out: BenchResult[] = [];
  for (const backend of ['wasm', 'cpu'] as BackendName[]) {
    await useBackend(backend);
    const info = await backendInfo();
    const rates = new Map<number, number>();
    for (const n of sizes) {
      const set = sets.get(n)!;
      for (const kernel of ['host', 'tensor'] as Chi2Kernel[]) {
        if (kernel === 'tensor' && n !== sizes[0]) continue; // the kernel comparison once, at the first size
        const r = await timeJoint(set, kernel, backend === 'cpu' ? Math.ceil(batches / 4) : batches);
        if (kernel === 'host') rates.set(n, r.starEpochsPerSecond);
        const epochSeconds = n / r.starEpochsPerSecond;
        out.push({
          name: `joint epoch, ${backend} (${kernel} χ²), ${n.toLocaleString('en')} stars`,
          value: r.starEpochsPerSecond,
          unit: 'star-epochs/s',
          detail: {
            ...info,
            measuredBatches: r.batches,
            measuredSeconds: r.seconds,
            fractionOfEpoch: (r.batches * BATCH) / n,
            extrapolatedEpochSeconds: epochSeconds,
            spectra: set.spectra ? `tiled from a ${POOL.toLocaleString('en')}-star pool` : 'own',
          },
        });
      }
    }
    if (sizes.length > 1) {
      const [a, b] = [sizes[0], sizes[sizes.length - 1]];
      out.push({
        name: `scaling ${backend}: rate at ${b.toLocaleString('en')} / rate at ${a.toLocaleString('en')}`,
        value: rates.get(b)! / rates.get(a)!,
        unit: '×',
      });
    }
    const d = denseSpeedup();
    out.push({
      name: `MLP forward+backward at batch 512, ${backend}: autodiff / custom dense gradients`,
      value: d.autodiffMs / d.customMs,
      unit: '×',
      detail: d,
    });
  }
  return out;
}
