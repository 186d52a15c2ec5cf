/**
 * Benchmark: fitting the GMM prior (K = 16, full covariances, D = 3) to 1e5 and 1e6
 * synthetic stellar labels, drawn like test/fixtures/gmm/make_fixture.py (main
 * sequence, subgiants, giant branch, red clump, hot stars, LAMOST-like label noise).
 * Sizes from XPFLOW_BENCH_GMM_SIZES (comma-separated, default 100000,1000000).
 * Reports wall time, EM iterations and time per iteration (the E-step dominates).
 */
import { fitGmm, fitGmmAsync, lnPriorClip } from '../models/gmm/index.js';
import { GmmRandom } from '../models/gmm/random.js';
import type { BenchResult } from './bench-util.js';

function loggMainSequence(t: number): number {
  return t < 5 ? 4.6 : t < 6.3 ? 4.6 - 0.5 * (t - 5) : 3.95;
}

function teffGiantBranch(g: number): number {
  return g < 3.65 ? 5.2 - 0.44186 * (3.65 - g) : 5.9 - 1.4 * (4.15 - g);
}

/** One star's (Teff/kK, [Fe/H], log g) before label noise. */
function drawStar(r: GmmRandom): [number, number, number] {
  const u = r.uniform();
  const gauss = (m: number, s: number) => m + s * r.normal();
  if (u < 0.55) {
    const t = Math.min(7.5, Math.max(3.6, gauss(5.7, 0.75)));
    const f = gauss(-0.15, 0.25);
    return [t, f, loggMainSequence(t) + 0.12 * f + gauss(0, 0.1)];
  }
  if (u < 0.65) {
    const g = 3.5 + 0.6 * r.uniform();
    return [gauss(5.9, 0.25) - (g < 3.8 ? 0.8 * (4.1 - g) : 0), gauss(-0.2, 0.25), g];
  }
  if (u < 0.85) {
    const g = 3.6 - Math.min(2.8, -0.45 * Math.log((1 - r.uniform()) * (1 - r.uniform()))); // Γ(2, 0.45)
    const f = gauss(-0.3, 0.35);
    return [teffGiantBranch(g) - 0.25 * f + gauss(0, 0.07), f, g];
  }
  if (u < 0.97) {
    const f = gauss(-0.1, 0.2);
    return [gauss(4.75, 0.1) - 0.15 * f, f, gauss(2.45, 0.08)];
  }
  return [Math.exp(Math.log(7.5) + r.uniform() * Math.log(12 / 7.5)), gauss(-0.2, 0.3), gauss(4.0, 0.2)];
}

/** n synthetic label rows (n×3), deterministic in seed. */
export function syntheticLabels(n: number, seed = 1): Float64Array {
  const r = new GmmRandom(seed, 7);
  const out = new Float64Array(n * 3);
  const noise = [0.08, 0.05, 0.1];
  for (let i = 0; i < n; i++) {
    const s = drawStar(r);
    for (let a = 0; a < 3; a++) out[i * 3 + a] = s[a] + noise[a] * r.normal();
  }
  return out;
}

async function benchSize(n: number): Promise<BenchResult[]> {
  const data = syntheticLabels(n);
  const stamps: number[] = [];
  let t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const model = fitGmm(data, n, { seed: 0, onIteration: () => void stamps.push(performance.now()) });
  const fitS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  // Iteration i's callback comes right after its E-pass and M-step, so stamp gaps time one iteration.
  const perIterationMs = stamps.length > 1 ? (stamps[stamps.length - 1] - stamps[0]) / (stamps.length - 1) : NaN;
  const initS = (stamps[0] - t0) / 1000 - perIterationMs / 1000;
  t0 = performance.now();
  let longestGapMs = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    longestGapMs = Math.max(longestGapMs, performance.now() - last);
    last = performance.now();
  }, 5);
  await fitGmmAsync(data, n, { seed: 0 });
  clearInterval(timer);
  const asyncS = (performance.now() - t0) / 1000;
  t0 = performance.now();
  const clip = lnPriorClip(model, 0);
  const clipS = (performance.now() - t0) / 1000;
  // CPU seconds beside wall seconds: on a shared machine the wall time also counts waiting for a core.
  const detail = {
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    iterations: model.iterations,
    converged: model.converged,
    meanLogLik: model.logLikelihood,
  };
  return [
    { name: `fitGmm, n = ${n}, K = 16`, value: fitS, unit: 's', detail },
    { name: '  of which k-means++ and Lloyd', value: initS, unit: 's' },
    {
      name: '  one EM iteration (E-pass + M-step)',
      value: perIterationMs,
      unit: 'ms',
      detail: { nsPerPoint: (perIterationMs * 1e6) / n },
    },
    { name: `fitGmmAsync, n = ${n} (longest event-loop gap ${longestGapMs.toFixed(0)} ms)`, value: asyncS, unit: 's' },
    { name: `lnPriorClip (1e5 samples), n = ${n} model`, value: clipS, unit: 's', detail: { clip } },
  ];
}

export async function benchGmm(
  sizes = (process.env.XPFLOW_BENCH_GMM_SIZES ?? '100000,1000000').split(',').map(Number),
): Promise<BenchResult[]> {
  fitGmm(syntheticLabels(20_000, 2), 20_000); // warm-up: let V8 compile the kernels before timing
  const out: BenchResult[] = [];
  for (const n of sizes) out.push(...(await benchSize(n)));
  return out;
}
