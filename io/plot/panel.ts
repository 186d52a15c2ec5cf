/**
 * One plot panel on a canvas: data → pixel mapping (linear or log, either
 * direction: give min > max to reverse an axis), a frame with ticks, tick labels,
 * axis labels and a title, clipped polylines and scatter points, a legend, and a
 * colour bar. Ticks are "nice" (1, 2, 5 × 10^k) unless given.
 */
import { BLACK, GREY, colormap, type Canvas, type Rect, type Rgb } from './canvas.js';
import { GLYPH_HEIGHT, drawText, textWidth } from './font.js';

export interface Axis {
  min: number;
  max: number;
  label: string;
  log?: boolean;
  ticks?: number[];
  format?: (v: number) => string;
}

export interface LegendEntry {
  label: string;
  color: Rgb;
}

const TEXT = 2;
const SMALL = 1;

export function niceTicks(a: number, b: number, target = 6): number[] {
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  const raw = (hi - lo) / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

const defaultFormat = (v: number) =>
  Math.abs(v) >= 1000 || Number.isInteger(v) ? String(Math.round(v)) : String(Number(v.toPrecision(3)));

export class Panel {
  constructor(
    readonly canvas: Canvas,
    readonly rect: Rect,
    readonly x: Axis,
    readonly y: Axis,
    readonly title = '',
  ) {}

  private frac(axis: Axis, v: number): number {
    if (axis.log) return (Math.log10(v) - Math.log10(axis.min)) / (Math.log10(axis.max) - Math.log10(axis.min));
    return (v - axis.min) / (axis.max - axis.min);
  }

  px(v: number): number {
    return this.rect.x + this.frac(this.x, v) * this.rect.w;
  }

  py(v: number): number {
    return this.rect.y + (1 - this.frac(this.y, v)) * this.rect.h;
  }

  frame(): void {
    const { canvas: c, rect: r } = this;
    c.setClip(null);
    for (const [x0, y0, x1, y1] of [
      [r.x, r.y, r.x + r.w, r.y],
      [r.x, r.y + r.h, r.x + r.w, r.y + r.h],
      [r.x, r.y, r.x, r.y + r.h],
      [r.x + r.w, r.y, r.x + r.w, r.y + r.h],
    ])
      c.line(x0, y0, x1, y1, BLACK, 1.2);
    const fx = this.x.format ?? defaultFormat;
    for (const v of this.x.ticks ?? niceTicks(this.x.min, this.x.max)) {
      const p = this.px(v);
      c.line(p, r.y + r.h, p, r.y + r.h - 6, BLACK, 1.2);
      const s = fx(v);
      drawText(c, p - textWidth(s, TEXT) / 2, r.y + r.h + 6, s, BLACK, TEXT);
    }
    const fy = this.y.format ?? defaultFormat;
    for (const v of this.y.ticks ?? niceTicks(this.y.min, this.y.max)) {
      const p = this.py(v);
      c.line(r.x, p, r.x + 6, p, BLACK, 1.2);
      const s = fy(v);
      drawText(c, r.x - 6 - textWidth(s, TEXT), p - GLYPH_HEIGHT, s, BLACK, TEXT);
    }
    drawText(c, r.x + r.w / 2 - textWidth(this.x.label, TEXT) / 2, r.y + r.h + 30, this.x.label, BLACK, TEXT);
    drawText(c, r.x - 70, r.y + r.h / 2 + textWidth(this.y.label, TEXT) / 2, this.y.label, BLACK, TEXT, true);
    if (this.title) drawText(c, r.x + r.w / 2 - textWidth(this.title, TEXT) / 2, r.y - 24, this.title, BLACK, TEXT);
  }

  polyline(xs: ArrayLike<number>, ys: ArrayLike<number>, color: Rgb, width = 2): void {
    this.canvas.setClip(this.rect);
    for (let i = 1; i < xs.length; i++) {
      if (![xs[i - 1], ys[i - 1], xs[i], ys[i]].every(Number.isFinite)) continue;
      this.canvas.line(this.px(xs[i - 1]), this.py(ys[i - 1]), this.px(xs[i]), this.py(ys[i]), color, width);
    }
    this.canvas.setClip(null);
  }

  scatter(xs: ArrayLike<number>, ys: ArrayLike<number>, colors: (i: number) => Rgb, radius = 1.5, alpha = 0.6): void {
    this.canvas.setClip(this.rect);
    for (let i = 0; i < xs.length; i++) {
      if (Number.isFinite(xs[i]) && Number.isFinite(ys[i]))
        this.canvas.disc(this.px(xs[i]), this.py(ys[i]), radius, colors(i), alpha);
    }
    this.canvas.setClip(null);
  }

  /** Legend in the panel's top-right corner. */
  legend(entries: LegendEntry[]): void {
    const width = Math.max(...entries.map((e) => textWidth(e.label, SMALL + 1))) + 44;
    const x = this.rect.x + this.rect.w - width - 8;
    let y = this.rect.y + 10;
    this.canvas.fillRect(x - 6, y - 6, width + 6, entries.length * 20 + 6, [255, 255, 255], 0.85);
    for (const e of entries) {
      this.canvas.line(x, y + 7, x + 30, y + 7, e.color, 3);
      drawText(this.canvas, x + 38, y, e.label, BLACK, SMALL + 1);
      y += 20;
    }
  }
}

/** A vertical colour bar with its value range and label. */
export function colorBar(
  canvas: Canvas,
  rect: Rect,
  anchors: readonly Rgb[],
  min: number,
  max: number,
  label: string,
): void {
  for (let y = 0; y < rect.h; y++)
    canvas.fillRect(rect.x, rect.y + rect.h - 1 - y, rect.w, 1, colormap(anchors, y / (rect.h - 1)));
  canvas.line(rect.x, rect.y, rect.x + rect.w, rect.y, GREY, 1);
  canvas.line(rect.x, rect.y + rect.h, rect.x + rect.w, rect.y + rect.h, GREY, 1);
  for (const v of niceTicks(min, max, 5)) {
    const y = rect.y + rect.h - ((v - min) / (max - min)) * rect.h;
    canvas.line(rect.x + rect.w, y, rect.x + rect.w + 5, y, BLACK, 1.2);
    drawText(canvas, rect.x + rect.w + 9, y - GLYPH_HEIGHT, defaultFormat(v), BLACK, TEXT);
  }
  drawText(canvas, rect.x, rect.y - 24, label, BLACK, TEXT);
}
