/**
 * The synth commands: argument parsing (presets, overrides, rates, mistakes), and
 * synth-plots writing two valid PNGs from a small sky.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSynthArgs } from '../cli/commands/synth.js';
import { writeSkyPlots } from '../cli/commands/synth-plots.js';
import { UsageError } from '../cli/usage-error.js';
import { crc32, encodePng } from '../io/png.js';
import { generateSky } from '../models/synth/generate.js';
import { DEFAULT_SKY } from '../models/synth/presets.js';
import { resolveSkyOptions, SkyOptionsError } from '../models/synth/options.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('xpflow synth arguments', () => {
  it('takes a preset and lets flags override it', () => {
    const o = parseSynthArgs(['--out', 'x', '--preset', 'default', '--seed', '7', '--binary-rate', '0.1']);
    expect(o.stars).toBe(DEFAULT_SKY.stars);
    expect(o.lamostFraction).toBe(DEFAULT_SKY.lamostFraction);
    expect(o.seed).toBe(7);
    expect(o.rates?.unresolvedBinary).toBe(0.1);
    const r = resolveSkyOptions(o);
    expect(r.rates.spuriousParallax).toBeGreaterThan(0);
    expect(r.memoryLimit).toBe('512MB');
  });

  it('refuses mistakes with a usage error', () => {
    expect(() => parseSynthArgs(['--stars', '10'])).toThrow(UsageError);
    expect(() => parseSynthArgs(['--out', 'x'])).toThrow(UsageError);
    expect(() => parseSynthArgs(['--out', 'x', '--stars', '1e3.5'])).toThrow(UsageError);
    expect(() => parseSynthArgs(['--out', 'x', '--stars', '10', '--format', 'json'])).toThrow(UsageError);
    expect(() => parseSynthArgs(['--out', 'x', '--preset', 'nope'])).toThrow(UsageError);
    expect(() => resolveSkyOptions(parseSynthArgs(['--out', 'x', '--stars', '10', '--unmatched-rate', '2']))).toThrow(
      SkyOptionsError,
    );
    expect(() => resolveSkyOptions({ out: 'x', stars: 20_000_000 })).toThrow(SkyOptionsError);
  });
});

describe('PNG and plots', () => {
  it('encodes valid PNG chunks around the pixels', () => {
    const rgb = Uint8Array.from({ length: 4 * 3 * 3 }, (_, i) => (i * 37) % 256);
    const png = encodePng(4, 3, rgb);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    let at = 8;
    const chunks: Record<string, Buffer> = {};
    while (at < png.length) {
      const len = png.readUInt32BE(at);
      const type = png.toString('ascii', at + 4, at + 8);
      expect(png.readUInt32BE(at + 8 + len)).toBe(crc32(png, at + 4, at + 8 + len));
      chunks[type] = png.subarray(at + 8, at + 8 + len);
      at += 12 + len;
    }
    expect(Object.keys(chunks)).toEqual(['IHDR', 'IDAT', 'IEND']);
    const raw = inflateSync(chunks.IDAT);
    // Undo the Sub filter and compare.
    const out = new Uint8Array(rgb.length);
    for (let y = 0; y < 3; y++) {
      expect(raw[y * 13]).toBe(1);
      for (let i = 0; i < 12; i++) out[y * 12 + i] = (raw[y * 13 + 1 + i] + (i >= 3 ? out[y * 12 + i - 3] : 0)) & 0xff;
    }
    expect(out).toEqual(rgb);
    expect(crc32(Buffer.from('IEND'))).toBe(0xae426082);
  });

  it('writes spectra.png and kiel.png for a sky', async () => {
    const sky = mkdtempSync(join(tmpdir(), 'xpflow-synth-plot-'));
    dirs.push(sky);
    await generateSky({ out: sky, stars: 1500, seed: 4, lamostFraction: 0.1 });
    const paths = await writeSkyPlots(sky, join(sky, 'plots'));
    expect(paths.map((p) => p.split('/').pop())).toEqual(['spectra.png', 'kiel.png']);
    for (const p of paths) expect(readFileSync(p).subarray(1, 4).toString()).toBe('PNG');
  });
});
