/**
 * Builds the trainer's TrainingSet for one side of the split from the preparation
 * stages' outputs: labels and priors from the training sample, the parallax corrected
 * for the Lindegren et al. (2021) zero point, and each star's 66 fluxes with the full
 * covariance's whitening factor recomputed from its XP coefficients (not stored: see
 * the flux stage).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { DataVectorBuilder } from '../models/flux/data-vector.js';
import type { TrainingSet } from '../models/forward/data.js';
import { toXpRecord } from '../models/xp/record.js';
import { numberAt } from '../io/duckdb-vectors.js';
import { createParquetViews, withMemoryDuckDB } from '../io/duckdb.js';
import { sqlModel } from '../io/sql-files.js';
import { FLUX_INPUTS } from './fluxes.js';
import { rowOf, vectorsOf, zeroPointCorrectedParallax } from './star-rows.js';

/** What a training set is read from: the views of sql/training_stars.sql, by [stage, artifact]. */
export const TRAINING_INPUTS = {
  ...FLUX_INPUTS,
  training_sample: ['quality_cuts', 'training_sample'],
  split: ['split', 'split'],
} as const;

/** The Parquet files of TRAINING_INPUTS. */
export type TrainingInputs = Record<keyof typeof TRAINING_INPUTS, string>;

const N = 66;

function allocate(n: number, spectra: boolean): TrainingSet {
  const m = spectra ? n : 0;
  return {
    n,
    nFlux: N,
    sourceId: new BigInt64Array(n),
    flux: new Float32Array(m * N),
    whitening: new Float32Array(m * N * N),
    labels: new Float32Array(n * 3),
    labelErr: new Float32Array(n * 3),
    parallax: new Float32Array(n),
    parallaxErr: new Float32Array(n),
    ePrior: new Float32Array(n),
    ePriorErr: new Float32Array(n),
    fluxErr: new Float32Array(m * N),
  };
}

async function count(c: DuckDBConnection, side: string): Promise<number> {
  const r = await c.runAndReadAll(`SELECT count(*) FROM (${sqlModel('training_stars')})`, { split: side });
  return Number(r.getRows()[0][0]);
}

export interface LoadOptions {
  /**
   * The ϖ/σ cut the sample was selected by (quality cuts), to record each star's
   * parallax floor (TrainingSet.parallaxFloor) for a likelihood that knows of the cut;
   * absent = no floors.
   */
  parallaxCut?: number;
  /**
   * false: labels, priors and source ids only, the fluxes and their whitening left
   * empty (length 0), for a stage that needs no spectra. Default true.
   */
  spectra?: boolean;
  onProgress?: (done: number, total: number) => void;
}

export async function loadTrainingSet(
  inputs: TrainingInputs,
  side: 'train' | 'validation',
  { parallaxCut, spectra = true, onProgress }: LoadOptions = {},
): Promise<TrainingSet> {
  return withMemoryDuckDB(async (c) => {
    await createParquetViews(c, inputs);
    await c.run(`CREATE TEMP VIEW flux_inputs AS ${sqlModel('flux_inputs')}`);
    const n = await count(c, side);
    const set = allocate(n, spectra);
    if (parallaxCut !== undefined) set.parallaxFloor = new Float32Array(n);
    const builder = new DataVectorBuilder();
    const out = builder.allocate();
    const result = await c.stream(sqlModel('training_stars'), { split: side });
    const names = result.columnNames();
    let i = 0;
    for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
      const vectors = vectorsOf(chunk, names);
      const num = (name: string, row: number) => numberAt(vectors.get(name)!, row) ?? NaN;
      for (let r = 0; r < chunk.rowCount; r++, i++) {
        const { raw, nir } = rowOf(vectors, r);
        const record = toXpRecord(raw, 55, { file: inputs.xp });
        set.sourceId[i] = record.sourceId;
        if (spectra) {
          builder.build(record, nir, out);
          set.flux.set(out.flux, i * N);
          set.fluxErr!.set(out.fluxError, i * N);
          set.whitening.set(out.whitening, i * N * N);
        }
        set.labels.set([num('teff', r) / 1000, num('feh', r), num('logg', r)], i * 3);
        set.labelErr.set([num('teff_err', r) / 1000, num('feh_err', r), num('logg_err', r)], i * 3);
        const { parallax, zeroPoint } = zeroPointCorrectedParallax(vectors, r);
        set.parallax[i] = parallax;
        set.parallaxErr[i] = num('parallax_error', r);
        // The cut is on the measured parallax (sql/training_cuts.sql); the floor is in the corrected one.
        if (set.parallaxFloor && parallaxCut !== undefined)
          set.parallaxFloor[i] = parallaxCut * set.parallaxErr[i] - zeroPoint;
        set.ePrior[i] = num('E_prior', r);
        set.ePriorErr[i] = num('E_prior_err', r);
      }
      onProgress?.(i, n);
    }
    return set;
  });
}
