/**
 * Reads GaiaXPy's external-calibration files (BSD-3, see calibration/LICENSE-GaiaXPy.txt),
 * shipped in models/xp/calibration/: per band the dispersion (λ → pseudo-wavelength),
 * the response curve and the inverse bases; and XpFilter_v375wiv142r.xml, the
 * tabulated design matrices and merge weights of GaiaXPy's default grid.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseNumberArray, splitCsvLine } from './parse-array.js';

export type XpBandName = 'bp' | 'rp';

export interface InstrumentModel {
  band: XpBandName;
  dispersion: { wavelength: Float64Array; pseudoWavelength: Float64Array };
  response: { wavelength: Float64Array; response: Float64Array };
  nBases: number;
  pwlRange: [number, number];
  normRange: [number, number];
  nInverseBasesCoefficients: number;
  /** nBases × nInverseBasesCoefficients, row-major. */
  inverseBasesCoefficients: Float64Array;
  nTransformedBases: number;
  /** nBases × nTransformedBases, row-major. */
  transformationMatrix: Float64Array;
}

export interface TabulatedSampling {
  wavelengths: Float64Array;
  weights: Record<XpBandName, Float64Array>;
  /** Per band, wavelength-major: element [p * nCoefficients + k]. */
  designMatrices: Record<XpBandName, Float64Array>;
  nCoefficients: number;
}

const MODEL_FILES: Record<XpBandName, string> = { bp: 'bpC03_v375wi', rp: 'rpC03_v142r' };
const FILTER_FILE = 'XpFilter_v375wiv142r.xml';

export const CALIBRATION_DIR = resolveCalibrationDir();

function resolveCalibrationDir(): string {
  // Compiled code runs from dist/models/xp; the data stays beside the sources.
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'calibration'), join(here, '..', '..', '..', 'models', 'xp', 'calibration')];
  const found = candidates.find((c) => existsSync(join(c, FILTER_FILE)));
  if (found) return found;
  throw new Error(`GaiaXPy calibration files not found; looked in ${candidates.join(', ')}`);
}

function readTwoRowTable(path: string): [Float64Array, Float64Array] {
  const lines = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  if (lines.length !== 2) throw new Error(`${path}: expected 2 rows, found ${lines.length}`);
  const rows = lines.map((l, i) => {
    const a = parseNumberArray(l);
    if (!a) throw new Error(`${path}: row ${i + 1} holds a value that is not a number`);
    return a;
  });
  if (rows[0].length !== rows[1].length) throw new Error(`${path}: rows differ in length`);
  return [rows[0], rows[1]];
}

export function loadInstrumentModel(band: XpBandName, dir = CALIBRATION_DIR): InstrumentModel {
  const stem = join(dir, MODEL_FILES[band]);
  const [dw, dp] = readTwoRowTable(`${stem}_dispersion.csv`);
  const [rw, rr] = readTwoRowTable(`${stem}_response.csv`);
  const basesPath = `${stem}_bases.csv`;
  const [header, row] = readFileSync(basesPath, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const names = splitCsvLine(header);
  const fields = splitCsvLine(row);
  const get = (name: string): string => {
    const i = names.indexOf(name);
    if (i < 0) throw new Error(`${basesPath}: no column ${name}`);
    return fields[i];
  };
  const num = (name: string): number => Number(get(name));
  const arr = (name: string, expected: number): Float64Array => {
    const a = parseNumberArray(get(name));
    if (!a || a.length !== expected) throw new Error(`${basesPath}: column ${name} should hold ${expected} numbers`);
    return a;
  };
  const nBases = num('nBases');
  const nInv = num('nInverseBasesCoefficients');
  const nTr = num('nTransformedBases');
  return {
    band,
    dispersion: { wavelength: dw, pseudoWavelength: dp },
    response: { wavelength: rw, response: rr },
    nBases,
    pwlRange: [num('pwlRangeMin'), num('pwlRangeMax')],
    normRange: [num('normRangeMin'), num('normRangeMax')],
    nInverseBasesCoefficients: nInv,
    inverseBasesCoefficients: arr('inverseBasesCoefficients', nBases * nInv),
    nTransformedBases: nTr,
    transformationMatrix: arr('transformationMatrix', nBases * nTr),
  };
}

function xmlValues(xml: string, tag: string): { values: Float64Array; attributes: string } {
  const m = new RegExp(`<${tag}([^>]*)>([\\s\\S]*?)</${tag}>`).exec(xml);
  if (!m) throw new Error(`${FILTER_FILE}: no <${tag}> element`);
  const values = [...m[2].matchAll(/<value>([^<]*)<\/value>/g)].map((v) => Number(v[1]));
  return { values: Float64Array.from(values), attributes: m[1] };
}

export function loadTabulatedSampling(dir = CALIBRATION_DIR): TabulatedSampling {
  const xml = readFileSync(join(dir, FILTER_FILE), 'utf8');
  const wavelengths = xmlValues(xml, 'sampleMeanWavelengths').values;
  const weights = { bp: xmlValues(xml, 'bpWeights').values, rp: xmlValues(xml, 'rpWeights').values };
  const bp = xmlValues(xml, 'bpSampledBases');
  const rp = xmlValues(xml, 'rpSampledBases');
  const dim = Number(/dimension="(\d+)"/.exec(bp.attributes)?.[1]);
  for (const [name, m] of [
    ['bp', bp.values],
    ['rp', rp.values],
  ] as const) {
    if (m.length !== dim * wavelengths.length) {
      throw new Error(
        `${FILTER_FILE}: ${name}SampledBases holds ${m.length} values, expected ${dim}×${wavelengths.length}`,
      );
    }
  }
  return { wavelengths, weights, designMatrices: { bp: bp.values, rp: rp.values }, nCoefficients: dim };
}
