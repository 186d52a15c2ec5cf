/**
 * Shapes of the SED's absorption features at the sample points, computed once: each
 * feature group is an optical-depth profile Φ_g(λ) that a star scales by its own
 * amplitude (features.ts), so a star's optical depth is τ(λ) = Σ_g a_g Φ_g(λ).
 * Lines are unit-area Gaussians (a = equivalent width in nm), jumps are smoothed
 * steps of ln 10 (a = jump in dex), molecular bands are a sharp head fading redward
 * (a step times an exponential, convolved with the line-spread Gaussian: an
 * exponentially modified Gaussian), all broadened by the XP line-spread function.
 */
import {
  BALMER_LINES,
  BLANKETING,
  CAH_BANDS,
  CO_BANDS,
  H2O_BANDS,
  H_MINUS_BUMP,
  JUMPS,
  METAL_LINES,
  PASCHEN_LINES,
  TIO_BANDS,
  VO_BANDS,
  type BandSpec,
  type LineSpec,
} from '../config/spectrum.js';
import { samplePoints, xpLsfSigmaNm } from './sample-points.js';

export const FEATURE_GROUPS = [
  'metalContinuum',
  'balmerJumpGiant',
  'balmerJumpDwarf',
  'paschenJump',
  'balmer',
  'paschen',
  'caHK',
  'chGBand',
  'mgB',
  'naD',
  'caTriplet',
  'heI',
  'tio',
  'vo',
  'cah',
  'co',
  'h2o',
  'hMinus',
] as const;
export type FeatureGroup = (typeof FEATURE_GROUPS)[number];
export const N_GROUPS = FEATURE_GROUPS.length;
export const GROUP: Record<FeatureGroup, number> = Object.fromEntries(FEATURE_GROUPS.map((g, i) => [g, i])) as Record<
  FeatureGroup,
  number
>;

/** One group's profile, stored sparsely: sample indices and values. */
export interface SparseProfile {
  index: Int32Array;
  value: Float64Array;
}

/** Complementary error function, Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * z);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const r = poly * Math.exp(-z * z);
  return x >= 0 ? r : 2 - r;
}

const SQRT2 = Math.SQRT2;
const SQRT2PI = Math.sqrt(2 * Math.PI);

function lineShape(lines: readonly LineSpec[]): (nm: number) => number {
  return (nm) => {
    let s = 0;
    for (const l of lines) {
      const lsf = xpLsfSigmaNm(l.nm);
      const sigma = Math.sqrt(lsf * lsf + l.sigmaNm * l.sigmaNm);
      const u = (nm - l.nm) / sigma;
      if (Math.abs(u) < 8) s += (l.weight * Math.exp(-0.5 * u * u)) / (sigma * SQRT2PI);
    }
    return s;
  };
}

/** Step of ln 10 below the edge, smoothed by the intrinsic width and the LSF. */
function edgeShape(edgeNm: number, sigmaNm: number): (nm: number) => number {
  const lsf = xpLsfSigmaNm(edgeNm);
  const s = Math.sqrt(lsf * lsf + sigmaNm * sigmaNm);
  return (nm) => 0.5 * erfc((nm - edgeNm) / (s * SQRT2)) * Math.LN10;
}

/** Head at h, e-folding L redward, convolved with a Gaussian of σ (0: unconvolved). */
function bandShape(bands: readonly BandSpec[]): (nm: number) => number {
  return (nm) => {
    let s = 0;
    for (const b of bands) {
      const x = nm - b.headNm;
      const L = b.decayNm;
      const sigma = xpLsfSigmaNm(b.headNm);
      if (sigma === 0) {
        if (x >= 0) s += b.depth * Math.exp(-x / L);
        continue;
      }
      if (x < -8 * sigma || x > 12 * L) continue;
      const arg = (sigma / L - x / sigma) / SQRT2;
      // exp(σ²/2L² − x/L) · ½ erfc(arg), evaluated stably for large arguments.
      const e = (sigma * sigma) / (2 * L * L) - x / L;
      s += b.depth * 0.5 * Math.exp(e) * erfc(arg);
    }
    return s;
  };
}

function gaussianBands(): (nm: number) => number {
  return (nm) => {
    let s = 0;
    for (const b of H2O_BANDS) {
      const u = (nm - b.nm) / b.sigmaNm;
      s += b.depth * Math.exp(-0.5 * u * u);
    }
    return s;
  };
}

const SHAPES: Record<FeatureGroup, (nm: number) => number> = {
  metalContinuum: (nm) => (nm / 400) ** -BLANKETING.lambdaExponent,
  balmerJumpGiant: edgeShape(JUMPS.balmerEdgeNm.giant, JUMPS.balmerEdgeNm.sigmaNm),
  balmerJumpDwarf: edgeShape(JUMPS.balmerEdgeNm.dwarf, JUMPS.balmerEdgeNm.sigmaNm),
  paschenJump: edgeShape(JUMPS.paschen.edgeNm, JUMPS.paschen.sigmaNm),
  balmer: lineShape(BALMER_LINES),
  paschen: lineShape(PASCHEN_LINES),
  caHK: lineShape(METAL_LINES.caHK),
  chGBand: lineShape(METAL_LINES.chGBand),
  mgB: lineShape(METAL_LINES.mgB),
  naD: lineShape(METAL_LINES.naD),
  caTriplet: lineShape(METAL_LINES.caTriplet),
  heI: lineShape(METAL_LINES.heI),
  tio: bandShape(TIO_BANDS),
  vo: bandShape(VO_BANDS),
  cah: bandShape(CAH_BANDS),
  co: bandShape(CO_BANDS),
  h2o: gaussianBands(),
  hMinus: (nm) => {
    const u = Math.log(nm / H_MINUS_BUMP.nm) / H_MINUS_BUMP.lnSigma;
    return H_MINUS_BUMP.depth * Math.exp(-0.5 * u * u);
  },
};

let cached: SparseProfile[] | undefined;

/** The profiles at samplePoints(), in FEATURE_GROUPS order; values below 1e-9 dropped. */
export function featureProfiles(): SparseProfile[] {
  if (cached) return cached;
  const { nm } = samplePoints();
  cached = FEATURE_GROUPS.map((g) => {
    const shape = SHAPES[g];
    const index: number[] = [];
    const value: number[] = [];
    for (let i = 0; i < nm.length; i++) {
      const v = shape(nm[i]);
      if (Math.abs(v) > 1e-9) {
        index.push(i);
        value.push(v);
      }
    }
    return { index: Int32Array.from(index), value: Float64Array.from(value) };
  });
  return cached;
}
