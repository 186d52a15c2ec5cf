/**
 * Real DR3 XP error and correlation patterns (dr3-templates.json, origin inside it)
 * as noise templates: per template and band, the 55 coefficient errors, the
 * correlation matrix's strict lower triangle as the archive writes it, and its
 * Cholesky factor for drawing correlated noise.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { XpBandName } from '../../xp/calibration-files.js';
import { choleskyInPlace } from '../../linalg/cholesky.js';

export type TemplateName = 'faint' | 'bright';
/** Template ids as the staging tables store them. */
export const TEMPLATE_IDS: Record<TemplateName, number> = { faint: 0, bright: 1 };
export const TEMPLATE_NAMES: readonly TemplateName[] = ['faint', 'bright'];

export interface BandTemplate {
  c0: number;
  nMeasurements: number;
  standardDeviation: number;
  errors: Float64Array;
  /** Strict lower triangle, row-major (1485 values for 55 coefficients). */
  correlations: Float64Array;
  /** Lower Cholesky factor of the full correlation matrix, row-major n×n. */
  choleskyFactor: Float64Array;
}

export type XpTemplates = Record<TemplateName, Record<XpBandName, BandTemplate>>;

interface TemplateFile {
  origin: string;
  templates: Record<
    TemplateName,
    Record<
      XpBandName,
      { c0: number; nMeasurements: number; standardDeviation: number; errors: number[]; correlations: number[] }
    >
  >;
}

const FILE = 'dr3-templates.json';

function templatePath(): string {
  // Compiled code runs from dist/models/synth/xp; the data stays beside the sources.
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, FILE), join(here, '..', '..', '..', '..', 'models', 'synth', 'xp', FILE)];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`${FILE} not found; looked in ${candidates.join(', ')}`);
  return found;
}

/** Full symmetric matrix with unit diagonal from the strict lower triangle. */
export function expandCorrelations(lower: ArrayLike<number>, n: number): Float64Array {
  const full = new Float64Array(n * n);
  let idx = 0;
  for (let i = 0; i < n; i++) {
    full[i * n + i] = 1;
    for (let j = 0; j < i; j++) {
      full[i * n + j] = lower[idx];
      full[j * n + i] = lower[idx];
      idx++;
    }
  }
  return full;
}

let cached: XpTemplates | undefined;

export function xpTemplates(): XpTemplates {
  if (cached) return cached;
  const file = JSON.parse(readFileSync(templatePath(), 'utf8')) as TemplateFile;
  const build = (t: TemplateFile['templates'][TemplateName][XpBandName]): BandTemplate => {
    const n = t.errors.length;
    const factor = expandCorrelations(t.correlations, n);
    choleskyInPlace(factor, n, 1e-8);
    return {
      c0: t.c0,
      nMeasurements: t.nMeasurements,
      standardDeviation: t.standardDeviation,
      errors: Float64Array.from(t.errors),
      correlations: Float64Array.from(t.correlations),
      choleskyFactor: factor,
    };
  };
  cached = {
    faint: { bp: build(file.templates.faint.bp), rp: build(file.templates.faint.rp) },
    bright: { bp: build(file.templates.bright.bp), rp: build(file.templates.bright.rp) },
  };
  return cached;
}
