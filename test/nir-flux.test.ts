import { describe, expect, it } from 'vitest';
import { nirFluxes, vegaMagnitudeToFlux } from '../models/nir/nir-flux.js';

const tmass = { j_m: 10.0, j_msigcom: 0.02, h_m: 9.5, h_msigcom: 0.03, k_m: 9.2, k_msigcom: 0.04, ph_qual: 'AAA' };
const unwise = {
  flux_w1: 1,
  dflux_w1: 0.01,
  fracflux_w1: 0.95,
  qf_w1: 1,
  flux_w2: 1,
  dflux_w2: 0.02,
  fracflux_w2: 0.9,
  qf_w2: 0.99,
};

function run(input: Parameters<typeof nirFluxes>[0], unit = 1) {
  const flux = new Float64Array(5);
  const err = new Float64Array(5);
  const used = nirFluxes(input, unit, flux, err);
  return { flux, err, used };
}

describe('NIR fluxes (docs/method.md §3)', () => {
  it('match hand-computed f_λ = 3631 Jy·c/λ²·10^(−0.4(m+Δm)) for a Vega-magnitude star', () => {
    // Computed by hand (python, c = 2.99792458e8 m/s, λ in m, ×1e-9 per nm):
    const hand = [3.0868323048088614e-16, 1.7361406786655742e-16, 8.878542280222985e-17];
    const { flux, err, used } = run({ tmass });
    expect(used & 0b111).toBe(0b111);
    hand.forEach((h, i) => expect(Math.abs(flux[i] - h) / h).toBeLessThan(1e-12));
    // σ_f = 1.0857·σ_m·f ⊕ 1 % floor.
    const sJ = Math.hypot((2.5 / Math.LN10) * 0.02 * hand[0], 0.01 * hand[0]);
    expect(Math.abs(err[0] - sJ) / sJ).toBeLessThan(1e-12);
  });

  it('unWISE: 1 Vega nanomaggy is magnitude 22.5', () => {
    const hand = [8.062755134308661e-23, 2.3724809996107882e-23];
    const { flux, err, used } = run({ unwise });
    expect(used).toBe(0b11000);
    expect(Math.abs(flux[3] - hand[0]) / hand[0]).toBeLessThan(1e-12);
    expect(Math.abs(flux[4] - hand[1]) / hand[1]).toBeLessThan(1e-12);
    expect(Math.abs(err[3] - Math.hypot(0.01, 0.01) * hand[0]) / hand[0]).toBeLessThan(1e-12);
  });

  it('puts a magnitude-0 star within 4 % of the published Vega zero points (Cohen+2003, Jarrett+2011)', () => {
    // W m⁻² nm⁻¹ (published in W cm⁻² µm⁻¹ ×10).
    const published = [3.129e-12, 1.133e-12, 4.283e-13, 8.1787e-14, 2.415e-14];
    published.forEach((p, i) => expect(Math.abs(vegaMagnitudeToFlux(i, 0) - p) / p).toBeLessThan(0.04));
  });

  it('gives a missing, poor or crowded band NaN flux and infinite error', () => {
    expect(run({}).used).toBe(0);
    expect(Array.from(run({}).err)).toEqual([Infinity, Infinity, Infinity, Infinity, Infinity]);
    expect(run({ tmass: { ...tmass, ph_qual: 'ABA' } }).used).toBe(0b101);
    expect(run({ tmass: { ...tmass, h_msigcom: 0.25 } }).used).toBe(0b101);
    expect(run({ tmass: { ...tmass, k_m: null } }).used).toBe(0b011);
    expect(run({ tmass, unwise, normDg: -4 }).used).toBe(0);
    expect(run({ tmass, unwise, normDg: -7 }).used).toBe(0b00111);
    expect(run({ tmass, unwise, normDg: -12 }).used).toBe(0b11111);
    expect(run({ tmass, unwise, normDg: null }).used).toBe(0b11111);
    expect(run({ unwise: { ...unwise, fracflux_w1: 0.5 } }).used).toBe(0b10000);
    expect(run({ unwise: { ...unwise, dflux_w2: 0.3 } }).used).toBe(0b01000);
    expect(run({ unwise: { ...unwise, flux_w1: -1 } }).used).toBe(0b10000);
    const r = run({ unwise: { ...unwise, qf_w2: 0.5 } });
    expect(r.flux[4]).toBeNaN();
    expect(r.err[4]).toBe(Infinity);
  });

  it('scales to the model unit', () => {
    const a = run({ tmass }).flux[0];
    const b = run({ tmass }, 1e-18).flux[0];
    expect(Math.abs(b / a / 1e18 - 1)).toBeLessThan(1e-12);
  });
});
