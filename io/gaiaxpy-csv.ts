/**
 * Writes sampled spectra in GaiaXPy calibrate()'s CSV layout: OUT.csv with
 * source_id,flux,flux_error (arrays as "(…)"), and OUT_sampling.csv with pos.
 */
import { atomicWriter, type AtomicWriter } from '../core/atomic-file.js';
import { pythonTuple } from './python-float.js';

export interface CalibratedCsvWriter {
  add(sourceId: bigint, flux: ArrayLike<number>, fluxError: ArrayLike<number>): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

export function samplingPathFor(out: string): string {
  return out.toLowerCase().endsWith('.csv') ? `${out.slice(0, -4)}_sampling.csv` : `${out}_sampling.csv`;
}

/** GaiaXPy writes NaN where a pixel has no data; our σ there is +∞, written as nan too. */
function asGaiaXpyErrors(flux: ArrayLike<number>, fluxError: ArrayLike<number>): Float64Array {
  return Float64Array.from(fluxError, (s, i) => (Number.isNaN(flux[i]) ? NaN : s));
}

export async function calibratedCsvWriter(out: string, wavelengths: ArrayLike<number>): Promise<CalibratedCsvWriter> {
  const main: AtomicWriter = atomicWriter(out);
  const sampling: AtomicWriter = atomicWriter(samplingPathFor(out));
  await main.write('source_id,flux,flux_error\n');
  await sampling.write(`pos\n"${pythonTuple(wavelengths)}"\n`);
  return {
    async add(sourceId, flux, fluxError) {
      await main.write(`${sourceId},"${pythonTuple(flux)}","${pythonTuple(asGaiaXpyErrors(flux, fluxError))}"\n`);
    },
    async commit() {
      await main.commit();
      await sampling.commit();
    },
    async abort() {
      await main.abort();
      await sampling.abort();
    },
  };
}
