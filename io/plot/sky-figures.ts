/**
 * The synthetic sky's two pictures: XP spectra (as the pipeline samples them) across
 * Teff at low extinction and across E at solar Teff, with the generating SED over
 * each in grey; and a Kiel diagram (Teff against log g, coloured by [Fe/H]).
 */
import { BLACK, Canvas, GREY, STELLAR, VIRIDIS, colormap, type Rgb } from './canvas.js';
import { drawText } from './font.js';
import { Panel, colorBar } from './panel.js';
import type { SampledSpectrum, TruthStar } from './sky-data.js';

export interface SpectrumCurve {
  spectrum: SampledSpectrum;
  model: Float64Array | null;
}

function normalised(values: ArrayLike<number>, by: number): Float64Array {
  return Float64Array.from(values, (v) => v / by);
}

function maxFinite(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i]) && a[i] > m) m = a[i];
  return m || 1;
}

function spectraPanel(
  panel: Panel,
  curves: SpectrumCurve[],
  color: (c: SpectrumCurve, i: number) => Rgb,
  label: (c: SpectrumCurve) => string,
): void {
  panel.frame();
  curves.forEach((c, i) => {
    const peak = maxFinite(c.spectrum.flux);
    const w = c.spectrum.wavelengths;
    const col = color(c, i);
    const up = normalised(
      Array.from(c.spectrum.flux, (f, k) => f + c.spectrum.error[k]),
      peak,
    );
    const down = normalised(
      Array.from(c.spectrum.flux, (f, k) => f - c.spectrum.error[k]),
      peak,
    );
    panel.polyline(w, up, col, 0.8);
    panel.polyline(w, down, col, 0.8);
    panel.polyline(w, normalised(c.spectrum.flux, peak), col, 2.5);
    if (c.model) panel.polyline(w, normalised(c.model, peak), GREY, 1.2);
  });
  panel.legend(curves.map((c, i) => ({ label: label(c), color: color(c, i) })));
}

export function spectraFigure(acrossTeff: SpectrumCurve[], acrossE: SpectrumCurve[]): Canvas {
  const canvas = new Canvas(1600, 680);
  const wl = { min: 380, max: 1000, label: 'wavelength (nm)' };
  const flux = { min: 0, max: 1.12, label: 'flux / peak' };
  const left = new Panel(canvas, { x: 110, y: 70, w: 640, h: 500 }, wl, flux, 'XP spectra across Teff (E < 0.08)');
  const right = new Panel(canvas, { x: 900, y: 70, w: 640, h: 500 }, wl, flux, 'across E(B-V), Teff ~ 5800 K');
  const logT = (t: number) => (Math.log10(t) - Math.log10(3000)) / (Math.log10(16000) - Math.log10(3000));
  spectraPanel(
    left,
    acrossTeff,
    (c) => colormap(STELLAR, logT(c.spectrum.star.teff)),
    (c) => `${Math.round(c.spectrum.star.teff)} K`,
  );
  const eColor = (_: SpectrumCurve, i: number) => colormap(VIRIDIS, acrossE.length > 1 ? i / (acrossE.length - 1) : 0);
  spectraPanel(right, acrossE, eColor, (c) => `E=${c.spectrum.star.E.toFixed(2)}`);
  drawText(canvas, 110, 640, 'coloured: sampled XP flux (+/- 1 sigma);  grey: generating SED (shape)', BLACK, 2);
  return canvas;
}

export function kielFigure(stars: TruthStar[]): Canvas {
  const canvas = new Canvas(1000, 820);
  const teffTicks = [3000, 4000, 5000, 6000, 8000, 10000, 15000, 20000];
  const panel = new Panel(
    canvas,
    { x: 110, y: 70, w: 700, h: 640 },
    {
      min: 22000,
      max: 2800,
      label: 'Teff (K)',
      log: true,
      ticks: teffTicks,
      format: (v) => (v >= 10000 ? `${v / 1000}k` : String(v)),
    },
    { min: 5.5, max: 0, label: 'log g' },
    `Kiel diagram, ${stars.length} stars`,
  );
  panel.frame();
  const fehMin = -2.5;
  const fehMax = 0.5;
  const order = [...stars.keys()].sort((a, b) => stars[a].feh - stars[b].feh);
  const xs = order.map((i) => stars[i].teff);
  const ys = order.map((i) => stars[i].logg);
  panel.scatter(xs, ys, (k) => colormap(VIRIDIS, (stars[order[k]].feh - fehMin) / (fehMax - fehMin)), 1.6, 0.55);
  colorBar(canvas, { x: 860, y: 110, w: 24, h: 560 }, VIRIDIS, fehMin, fehMax, '[Fe/H]');
  return canvas;
}
