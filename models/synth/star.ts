/**
 * One synthetic star, truth only: type and labels, its SED (plus an unresolved
 * companion's), a position drawn from its Galactic component such that its
 * reddened G is within the XP limit, the dust to it, and what reaches the observer
 * (reddened, scaled by ϖ²) with its noiseless XP coefficients and true magnitudes.
 * Every draw comes from the star's own stream, so star i is the same however the
 * sky is chunked; the catalogue builders (observe/) continue that stream.
 */
import { GAIA_SELECTION } from './config/surveys.js';
import { R_V, type ComponentName } from './config/galaxy.js';
import type { PopulationName } from './config/population.js';
import { eclipticLatitude, gaiaSourceId, galacticVectorToIcrs } from './coords.js';
import { DustMap, crowding } from './dust.js';
import { extinctionTable, type ExtinctionTable } from './extinction.js';
import { samplePosition, type Position } from './galaxy.js';
import { gaiaPhotometry, magnitude, nirBandFlux, nirMagnitude, type GaiaPhotometry } from './photometry.js';
import { drawCompanion, drawFeh, drawLabels, drawPopulation } from './population.js';
import { Rng, STREAM } from './random.js';
import { SedModel, type StellarLabels } from './spectrum/sed.js';
import { project, xpProjection, type XpProjection } from './xp/projection.js';
import { NIR_BANDS } from '../config/science.js';

export interface SynthStar {
  index: number;
  sourceId: bigint;
  population: PopulationName;
  component: ComponentName;
  labels: StellarLabels;
  companion: StellarLabels | null;
  /** The companion's share of the G-band photons (unreddened), 0 without one: how visible the binary is. */
  companionGFraction: number;
  position: Position;
  ra: number;
  dec: number;
  eclLat: number;
  /** 0 (empty sky) … 1 (bulge, plane). */
  crowding: number;
  ebv: number;
  /** E(B−V) through the whole Galaxy along the sight line (what SFD-like maps give). */
  ebvTotal: number;
  rv: number;
  /** True parallax in mas. */
  parallax: number;
  /** Noiseless magnitudes of what reaches the observer. */
  g: number;
  bp: number;
  rp: number;
  /** True NIR Vega magnitudes (J, H, Ks, W1, W2). */
  nir: Float64Array;
  /** Noiseless XP coefficients. */
  xpBp: Float64Array;
  xpRp: Float64Array;
  /** Observed-frame flux at the sample points (W m⁻² nm⁻¹); a buffer reused by the next star. */
  flux: Float64Array;
  /** The star's random stream, positioned after the truth draws. */
  rng: Rng;
}

export interface StarFactoryOptions {
  seed: number;
  binaryRate: number;
}

const MAX_TYPE_ATTEMPTS = 200;
/** Far enough that the dust layer (h_z 0.1 kpc) is crossed in every direction out of the plane. */
const TOTAL_COLUMN_KPC = 30;
const MAX_PLACEMENT_TRIES = 30;

export class StarFactory {
  readonly sed = new SedModel();
  private readonly phot: GaiaPhotometry = gaiaPhotometry();
  private readonly ext: ExtinctionTable;
  private readonly proj: XpProjection = xpProjection();
  private readonly dust: DustMap;
  private readonly absFlux: Float64Array;
  private readonly companionFlux: Float64Array;
  private readonly obsFlux: Float64Array;
  private readonly gPhotons: Float64Array;

  constructor(private readonly opts: StarFactoryOptions) {
    this.ext = extinctionTable(this.sed.points.nm);
    this.dust = new DustMap(opts.seed);
    this.absFlux = new Float64Array(this.sed.length);
    this.companionFlux = new Float64Array(this.sed.length);
    this.obsFlux = new Float64Array(this.sed.length);
    this.gPhotons = new Float64Array(this.sed.points.nFine);
  }

  make(index: number): SynthStar {
    const rng = new Rng(this.opts.seed, STREAM.star, index);
    for (let attempt = 0; attempt < MAX_TYPE_ATTEMPTS; attempt++) {
      const { population, component } = drawPopulation(rng);
      const labels = drawLabels(rng, population, component, drawFeh(rng, component));
      const companion = rng.chance(this.opts.binaryRate) ? drawCompanion(rng, labels) : null;
      const companionGFraction = this.absoluteFlux(labels, companion);
      const rv = rng.truncatedGauss(R_V.mean, R_V.sd, R_V.min, R_V.max);
      const placed = this.place(rng, component, rv);
      if (!placed) continue;
      return this.finish(index, rng, { population, component, labels, companion, companionGFraction, rv, ...placed });
    }
    throw new Error(`star ${index}: no visible placement after ${MAX_TYPE_ATTEMPTS} types`);
  }

  /**
   * Flux at ϖ = 1 mas of the star and its companion into absFlux; G-band photon weights
   * into gPhotons. Returns the companion's share of the G-band photons.
   */
  private absoluteFlux(labels: StellarLabels, companion: StellarLabels | null): number {
    this.sed.fluxAt1Mas(labels, this.absFlux);
    const w = this.phot.weights.G;
    let companionG = 0;
    if (companion) {
      this.sed.fluxAt1Mas(companion, this.companionFlux);
      for (let i = 0; i < w.length; i++) companionG += w[i] * this.companionFlux[i];
      for (let i = 0; i < this.absFlux.length; i++) this.absFlux[i] += this.companionFlux[i];
    }
    let totalG = 0;
    for (let i = 0; i < w.length; i++) {
      this.gPhotons[i] = w[i] * this.absFlux[i];
      totalG += this.gPhotons[i];
    }
    return companion ? companionG / totalG : 0;
  }

  /** Reddened apparent G at parallax ϖ (mas). */
  private apparentG(parallax: number, ebv: number, rv: number): number {
    const k = -0.4 * Math.LN10 * ebv;
    const { a, b } = this.ext;
    let s = 0;
    for (let i = 0; i < this.gPhotons.length; i++) s += this.gPhotons[i] * Math.exp(k * (rv * a[i] + b[i]));
    return -2.5 * Math.log10(s * parallax * parallax) + this.phot.zeroPoints.G;
  }

  private place(rng: Rng, component: ComponentName, rv: number): { position: Position; ebv: number } | null {
    const gAt1Mas = this.apparentG(1, 0, rv);
    // Unreddened: G = G(1 mas) − 5 log10 ϖ ≤ limit  ⇔  d ≤ 10^((limit − G(1 mas))/5) kpc.
    const dLim = 10 ** ((GAIA_SELECTION.gLimit - gAt1Mas) / 5);
    for (let t = 0; t < MAX_PLACEMENT_TRIES; t++) {
      const position = samplePosition(rng, component, dLim);
      if (!position) return null;
      const d = position.distanceKpc;
      const ebv = this.dust.reddening(position.x / d, position.y / d, position.z / d, d);
      if (this.apparentG(1 / d, ebv, rv) <= GAIA_SELECTION.gLimit) return { position, ebv };
    }
    return null;
  }

  private finish(
    index: number,
    rng: Rng,
    t: Pick<
      SynthStar,
      'population' | 'component' | 'labels' | 'companion' | 'companionGFraction' | 'rv' | 'position' | 'ebv'
    >,
  ): SynthStar {
    const { position, ebv, rv } = t;
    const d = position.distanceKpc;
    const parallax = 1 / d;
    const k = -0.4 * Math.LN10 * ebv;
    const { a, b } = this.ext;
    const f = this.obsFlux;
    for (let i = 0; i < f.length; i++) f[i] = this.absFlux[i] * parallax * parallax * Math.exp(k * (rv * a[i] + b[i]));
    const { ra, dec } = galacticVectorToIcrs(position.x / d, position.y / d, position.z / d);
    const nir = Float64Array.from(NIR_BANDS, (_, j) => nirMagnitude(j, nirBandFlux(this.sed.points, f, j)));
    return {
      index,
      sourceId: gaiaSourceId(ra, dec, index + 1),
      ...t,
      ra,
      dec,
      eclLat: eclipticLatitude(ra, dec),
      ebvTotal: this.dust.reddening(position.x / d, position.y / d, position.z / d, TOTAL_COLUMN_KPC),
      crowding: crowding(position.l, position.b),
      parallax,
      g: magnitude(this.phot, 'G', f),
      bp: magnitude(this.phot, 'BP', f),
      rp: magnitude(this.phot, 'RP', f),
      nir,
      xpBp: project(this.proj.bp, f, new Float64Array(this.proj.nCoefficients)),
      xpRp: project(this.proj.rp, f, new Float64Array(this.proj.nCoefficients)),
      flux: f,
      rng,
    };
  }
}
