/**
 * The synthetic star's spectral energy distribution at the sample points: surface
 * flux F_λ = π B_λ(T_c) · exp(−τ(λ)), τ from the feature profiles and amplitudes.
 * Flux conservation (back-warming): the flux A the features remove, ultraviolet
 * included (metal blanketing and the Balmer continuum down to 100 nm), re-emerges by
 * raising the continuum temperature, σT_c⁴ = σTeff⁴ + A(Teff) (T_c/Teff)⁴, which is
 * what makes A stars' Paschen continuum bluer than a Teff black body. Then the flux
 * at parallax 1 mas (d = 1 kpc): F_λ · (R/d)², with R² = G M / g. Units W m⁻² nm⁻¹;
 * scaling by ϖ² gives any other distance.
 */
import { BLANKETING, JUMPS, PHYSICS } from '../config/spectrum.js';
import { SOLAR } from '../config/population.js';
import { featureAmplitudes } from './features.js';
import { GROUP, N_GROUPS, featureProfiles, type SparseProfile } from './profiles.js';
import { samplePoints, type SamplePoints } from './sample-points.js';

export interface StellarLabels {
  teff: number;
  logg: number;
  feh: number;
  /** Mass in M⊙ (sets the radius with log g). */
  mass: number;
}

/** R² in m² from mass (M⊙) and log g (cgs). */
export function radiusSquaredM2(mass: number, logg: number): number {
  return (SOLAR.gmM3S2 * mass) / 10 ** (logg - 2);
}

export class SedModel {
  readonly points: SamplePoints;
  private readonly profiles: SparseProfile[];
  /** 2πhc²/λ⁵ · 1e-9 (W m⁻² nm⁻¹ before the exponential) and hc/(λk) per point. */
  private readonly planckScale: Float64Array;
  private readonly planckExponent: Float64Array;
  private readonly tau: Float64Array;
  private readonly amplitudes = new Float64Array(N_GROUPS);
  /** Ultraviolet points (100–328 nm, 4 nm) for the flux the features remove there. */
  private readonly uv: { scale: Float64Array; exponent: Float64Array; metal: Float64Array; belowEdge: Float64Array };

  constructor() {
    this.points = samplePoints();
    this.profiles = featureProfiles();
    const { planckJs: h, speedOfLightMs: c, boltzmannJK: k } = PHYSICS;
    const n = this.points.nm.length;
    this.planckScale = new Float64Array(n);
    this.planckExponent = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const lm = this.points.nm[i] * 1e-9;
      this.planckScale[i] = ((2 * Math.PI * h * c * c) / lm ** 5) * 1e-9;
      this.planckExponent[i] = (h * c) / (lm * k);
    }
    this.tau = new Float64Array(n);
    this.uv = ultravioletPoints();
  }

  get length(): number {
    return this.points.nm.length;
  }

  /** Surface flux F_λ (W m⁻² nm⁻¹) into out; returns out. */
  surfaceFlux(teff: number, logg: number, feh: number, out: Float64Array): Float64Array {
    const a = featureAmplitudes(teff, logg, feh, this.amplitudes);
    const tau = this.tau;
    tau.fill(0);
    for (let g = 0; g < N_GROUPS; g++) {
      const amp = a[g];
      if (amp === 0) continue;
      const { index, value } = this.profiles[g];
      for (let k = 0; k < index.length; k++) tau[index[k]] += amp * value[k];
    }
    const n = this.length;
    const nFine = this.points.nFine;
    let removed = 0;
    for (let i = 0; i < nFine; i++) removed += this.planck(i, teff) * -Math.expm1(-tau[i]);
    removed = removed * this.points.stepNm + this.removedUltraviolet(teff, a);
    const total = PHYSICS.stefanBoltzmann * teff ** 4;
    const tc = teff * Math.min(1.3, (1 - Math.min(0.9, removed / total)) ** -0.25);
    for (let i = 0; i < n; i++) out[i] = this.planck(i, tc) * Math.exp(-tau[i]);
    return out;
  }

  private planck(i: number, t: number): number {
    const x = this.planckExponent[i] / t;
    return x > 700 ? 0 : this.planckScale[i] / Math.expm1(x);
  }

  /** W m⁻² removed below 330 nm by metal blanketing and the Balmer continuum. */
  private removedUltraviolet(teff: number, a: Float64Array): number {
    const { scale, exponent, metal, belowEdge } = this.uv;
    const jumpTau = (a[GROUP.balmerJumpGiant] + a[GROUP.balmerJumpDwarf]) * Math.LN10;
    const metalAmp = a[GROUP.metalContinuum];
    let s = 0;
    for (let i = 0; i < scale.length; i++) {
      const x = exponent[i] / teff;
      if (x > 700) continue;
      const t = metalAmp * metal[i] + jumpTau * belowEdge[i];
      s += (scale[i] / Math.expm1(x)) * -Math.expm1(-t);
    }
    return s * UV_STEP_NM;
  }

  /** Flux at parallax 1 mas (d = 1 kpc), W m⁻² nm⁻¹, into out; returns out. */
  fluxAt1Mas(labels: StellarLabels, out: Float64Array): Float64Array {
    this.surfaceFlux(labels.teff, labels.logg, labels.feh, out);
    const dilution = radiusSquaredM2(labels.mass, labels.logg) / (PHYSICS.kpcM * PHYSICS.kpcM);
    for (let i = 0; i < out.length; i++) out[i] *= dilution;
    return out;
  }
}

const UV_STEP_NM = 4;

function ultravioletPoints(): {
  scale: Float64Array;
  exponent: Float64Array;
  metal: Float64Array;
  belowEdge: Float64Array;
} {
  const { planckJs: h, speedOfLightMs: c, boltzmannJK: k } = PHYSICS;
  const nm = Array.from({ length: 58 }, (_, i) => 100 + UV_STEP_NM * i + UV_STEP_NM / 2);
  return {
    scale: Float64Array.from(nm, (l) => ((2 * Math.PI * h * c * c) / (l * 1e-9) ** 5) * 1e-9),
    exponent: Float64Array.from(nm, (l) => (h * c) / (l * 1e-9 * k)),
    metal: Float64Array.from(nm, (l) => (l / 400) ** -BLANKETING.lambdaExponent),
    belowEdge: Float64Array.from(nm, (l) => (l < JUMPS.balmerEdgeNm.dwarf ? 1 : 0)),
  };
}
