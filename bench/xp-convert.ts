/**
 * Benchmark: XP coefficients → the 66-flux data vector, per core (one thread), at
 * 100,000 stars: with covariance + whitening (the pipeline's need), covariance only,
 * flux + errors, and flux alone; the differences say where the time goes.
 */
import { join } from 'node:path';
import { DataVectorBuilder } from '../models/flux/data-vector.js';
import { NO_XP_ERROR_TERMS } from '../models/config/science.js';
import { PIPELINE_GRID } from '../models/xp/grid.js';
import type { XpRecord } from '../models/xp/record.js';
import { XpFluxSampler } from '../models/xp/sample-flux.js';
import { linalgKernels, typescriptKernels } from '../models/linalg/kernels.js';
import { xpSampler } from '../models/xp/sampler.js';
import { readXpFile } from '../io/xp-table.js';
import { REPO_ROOT, type BenchResult } from './bench-util.js';

// GaiaXPy's two real DR3 sources (BSD-3), vendored with the tests.
const REAL_XP = join(REPO_ROOT, 'test', 'fixtures', 'gaiaxpy', 'real', 'XP_CONTINUOUS_RAW.csv');

/** Real DR3 rows, each copy's coefficients scaled a little so no two stars are equal. */
async function stars(count: number): Promise<XpRecord[]> {
  const real: XpRecord[] = [];
  for await (const b of readXpFile(REAL_XP, 55)) real.push(...b.records);
  return Array.from({ length: count }, (_, i) => {
    const r = real[i % real.length];
    const f = 1 + (1e-3 * ((i * 7919) % 1000)) / 1000;
    const scale = (band: XpRecord['bp']) => band && { ...band, coefficients: band.coefficients.map((c) => c * f) };
    return { sourceId: BigInt(i), bp: scale(r.bp), rp: scale(r.rp) };
  });
}

function rate(label: string, records: XpRecord[], convert: (r: XpRecord) => void): BenchResult {
  for (let i = 0; i < Math.min(2000, records.length); i++) convert(records[i]); // warm up the JIT
  const t0 = process.hrtime.bigint();
  for (const r of records) convert(r);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return {
    name: label,
    value: records.length / seconds,
    unit: 'stars/s/core',
    detail: { stars: records.length, seconds },
  };
}

export async function benchXpConvert(count = 100_000): Promise<BenchResult[]> {
  const records = await stars(count);
  const full = new DataVectorBuilder();
  const fullOut = full.allocate();
  const covOnly = new DataVectorBuilder({ whitening: false });
  const covOut = covOnly.allocate();
  const errors = new DataVectorBuilder({ covariance: false, whitening: false });
  const errOut = errors.allocate();
  const fluxOnly = new XpFluxSampler(xpSampler(PIPELINE_GRID), {
    covariance: false,
    errors: false,
    errorTerms: NO_XP_ERROR_TERMS,
  });
  const fluxOut = fluxOnly.allocate();
  const tsFull = new DataVectorBuilder({ kernels: typescriptKernels() });
  const tsOut = tsFull.allocate();
  const simd = linalgKernels().simd ? 'WebAssembly SIMD' : 'TypeScript (wasm not built)';
  const results = [
    rate(`xp→66 flux + covariance + whitening [${simd} kernels]`, records, (r) => full.build(r, {}, fullOut)),
    rate('xp→66 flux + covariance', records, (r) => covOnly.build(r, {}, covOut)),
    rate('xp→66 flux + errors (no covariance)', records, (r) => errors.build(r, {}, errOut)),
    rate('xp→61 flux only', records, (r) => fluxOnly.sample(r, fluxOut)),
  ];
  const tsRate = rate(
    'xp→66 flux + covariance + whitening [TypeScript kernels]',
    records.slice(0, Math.ceil(records.length / 5)),
    (r) => tsFull.build(r, {}, tsOut),
  );
  const us = results.map((r) => 1e6 / r.value);
  results.push({
    name: 'time per star (µs): whitening | covariance beyond errors | errors beyond flux | flux',
    value: us[0],
    unit: 'µs/star total',
    detail: {
      whitening: us[0] - us[1],
      covarianceBeyondErrors: us[1] - us[2],
      errorsBeyondFlux: us[2] - us[3],
      flux: us[3],
    },
  });
  results.push(tsRate, {
    name: 'speed-up of the WebAssembly kernels over TypeScript (same run)',
    value: results[0].value / tsRate.value,
    unit: '×',
  });
  return results;
}
