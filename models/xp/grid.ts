/**
 * Wavelength grids for XP sampling. "default" is GaiaXPy's tabulated grid
 * (336–1020 nm, step 2); "start:stop:step" an inclusive range in nm (the pipeline's
 * is 392:992:10); "a,b,c" an explicit list.
 */
import { XpflowInputError } from '../../core/errors.js';
import { PIPELINE_GRID_NM } from '../config/science.js';

export type GridSpec = { kind: 'default' } | { kind: 'custom'; wavelengths: Float64Array };

/** A --grid that is not a wavelength grid. */
export class GridSpecError extends XpflowInputError {}

/** Inclusive arithmetic range, robust to rounding: (stop − start)/step must be whole. */
export function wavelengthRange(start: number, stop: number, step: number): Float64Array {
  if (!(step > 0) || !(stop >= start)) throw new GridSpecError(`bad range ${start}:${stop}:${step}`);
  const n = Math.round((stop - start) / step) + 1;
  if (Math.abs(start + (n - 1) * step - stop) > 1e-9 * Math.max(1, Math.abs(stop))) {
    throw new GridSpecError(`range ${start}:${stop}:${step}: stop is not start plus a whole number of steps`);
  }
  return Float64Array.from({ length: n }, (_, i) => start + i * step);
}

export const PIPELINE_GRID: GridSpec = {
  kind: 'custom',
  wavelengths: wavelengthRange(PIPELINE_GRID_NM.start, PIPELINE_GRID_NM.stop, PIPELINE_GRID_NM.step),
};

export function parseGridSpec(text: string): GridSpec {
  const s = text.trim();
  if (s === 'default') return { kind: 'default' };
  if (s === 'pipeline') return PIPELINE_GRID;
  let wavelengths: Float64Array;
  if (s.includes(':')) {
    const parts = s.split(':').map(Number);
    if (parts.length !== 3 || parts.some((p) => !Number.isFinite(p))) {
      throw new GridSpecError(`grid "${text}": expected start:stop:step in nm`);
    }
    wavelengths = wavelengthRange(parts[0], parts[1], parts[2]);
  } else {
    const values = s.split(',').map((p) => Number(p.trim()));
    if (values.length === 0 || values.some((v) => !Number.isFinite(v))) {
      throw new GridSpecError(`grid "${text}": expected default, start:stop:step or a comma-separated list in nm`);
    }
    wavelengths = Float64Array.from(values);
  }
  for (let i = 1; i < wavelengths.length; i++) {
    if (!(wavelengths[i] > wavelengths[i - 1])) throw new GridSpecError(`grid "${text}": wavelengths must increase`);
  }
  // GaiaXPy's validate_wl_sampling: the instrument model covers 330–1050 nm.
  if (wavelengths[0] < 330 || wavelengths[wavelengths.length - 1] > 1050) {
    throw new GridSpecError(`grid "${text}": wavelengths must lie within 330–1050 nm`);
  }
  return { kind: 'custom', wavelengths };
}
