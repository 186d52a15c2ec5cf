/**
 * An RGB raster to draw plots on: filled rectangles, anti-aliased discs and line
 * segments (coverage from the distance to the shape), alpha blending, and an
 * optional clip rectangle. Pixels are 8-bit RGB, row-major, ready for io/png.ts.
 */
export type Rgb = readonly [number, number, number];
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export const WHITE: Rgb = [255, 255, 255];
export const BLACK: Rgb = [0, 0, 0];
export const GREY: Rgb = [150, 150, 150];

export class Canvas {
  readonly data: Uint8Array;
  private clip: Rect | null = null;

  constructor(
    readonly width: number,
    readonly height: number,
    background: Rgb = WHITE,
  ) {
    this.data = new Uint8Array(width * height * 3);
    for (let i = 0; i < width * height; i++) this.data.set(background, i * 3);
  }

  /** Restricts drawing to a rectangle (null: the whole canvas). */
  setClip(rect: Rect | null): void {
    this.clip = rect;
  }

  /** Mixes color into pixel (x, y) with weight alpha ∈ [0, 1]. */
  blend(x: number, y: number, color: Rgb, alpha: number): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height || !(alpha > 0)) return;
    const c = this.clip;
    if (c && (x < c.x || y < c.y || x >= c.x + c.w || y >= c.y + c.h)) return;
    const i = (y * this.width + x) * 3;
    const a = Math.min(1, alpha);
    for (let k = 0; k < 3; k++) this.data[i + k] = Math.round(this.data[i + k] * (1 - a) + color[k] * a);
  }

  fillRect(x: number, y: number, w: number, h: number, color: Rgb, alpha = 1): void {
    for (let yy = Math.round(y); yy < Math.round(y + h); yy++) {
      for (let xx = Math.round(x); xx < Math.round(x + w); xx++) this.blend(xx, yy, color, alpha);
    }
  }

  /** Anti-aliased filled disc of radius r centred at (cx, cy). */
  disc(cx: number, cy: number, r: number, color: Rgb, alpha = 1): void {
    for (let y = Math.floor(cy - r - 1); y <= Math.ceil(cy + r + 1); y++) {
      for (let x = Math.floor(cx - r - 1); x <= Math.ceil(cx + r + 1); x++) {
        const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
        this.blend(x, y, color, alpha * Math.min(1, Math.max(0, r + 0.5 - d)));
      }
    }
  }

  /** Anti-aliased segment of the given width (pixels). */
  line(x0: number, y0: number, x1: number, y1: number, color: Rgb, width = 1.5, alpha = 1): void {
    const half = width / 2;
    const dx = x1 - x0;
    const dy = y1 - y0;
    const len2 = dx * dx + dy * dy;
    for (let y = Math.floor(Math.min(y0, y1) - half - 1); y <= Math.ceil(Math.max(y0, y1) + half + 1); y++) {
      for (let x = Math.floor(Math.min(x0, x1) - half - 1); x <= Math.ceil(Math.max(x0, x1) + half + 1); x++) {
        const px = x + 0.5;
        const py = y + 0.5;
        const t = len2 > 0 ? Math.max(0, Math.min(1, ((px - x0) * dx + (py - y0) * dy) / len2)) : 0;
        const d = Math.hypot(px - (x0 + t * dx), py - (y0 + t * dy));
        const coverage = Math.min(1, Math.max(0, half + 0.5 - d));
        if (coverage > 0) this.blend(x, y, color, alpha * coverage);
      }
    }
  }
}

/** Linear interpolation through colour anchors spaced evenly on [0, 1]. */
export function colormap(anchors: readonly Rgb[], t: number): Rgb {
  const u = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (anchors.length - 1);
  const i = Math.min(anchors.length - 2, Math.floor(u));
  const f = u - i;
  const a = anchors[i];
  const b = anchors[i + 1];
  const mix = (k: number) => Math.round(a[k] + (b[k] - a[k]) * f);
  return [mix(0), mix(1), mix(2)];
}

/** matplotlib's viridis, five anchors. */
export const VIRIDIS: readonly Rgb[] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

/** Cool (red) to hot (blue) stars. */
export const STELLAR: readonly Rgb[] = [
  [170, 20, 20],
  [235, 110, 20],
  [205, 170, 0],
  [60, 150, 90],
  [40, 110, 210],
  [60, 40, 170],
];
