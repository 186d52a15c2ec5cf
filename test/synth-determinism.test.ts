/**
 * Same seed, same bytes; another seed, other bytes; and a star does not depend on
 * which stars were made before it (each has its own random stream).
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSky } from '../models/synth/generate.js';
import { StarFactory } from '../models/synth/star.js';

const dirs: string[] = [];
const fresh = () => {
  const d = mkdtempSync(join(tmpdir(), 'xpflow-synth-det-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const STARS = 2000;

describe('synthetic sky determinism', () => {
  it('gives byte-identical files for the same seed, different files for another', async () => {
    const [a, b, c] = [fresh(), fresh(), fresh()];
    const ma = await generateSky({ out: a, stars: STARS, seed: 11, lamostFraction: 0.2 });
    await generateSky({ out: b, stars: STARS, seed: 11, lamostFraction: 0.2, chunkSize: 100 });
    const mc = await generateSky({ out: c, stars: STARS, seed: 12, lamostFraction: 0.2 });
    const files = readdirSync(a).sort();
    expect(readdirSync(b).sort()).toEqual(files);
    expect(files).toContain('manifest.json');
    expect(files.filter((f) => f.startsWith('.'))).toEqual([]);
    for (const f of files) expect(readFileSync(join(b, f)).equals(readFileSync(join(a, f))), f).toBe(true);
    for (const t of Object.keys(ma.tables)) expect(mc.tables[t].sha256, t).not.toBe(ma.tables[t].sha256);
  });

  it('makes star i the same whatever was made before it', () => {
    const f1 = new StarFactory({ seed: 3, binaryRate: 0.1 });
    const f2 = new StarFactory({ seed: 3, binaryRate: 0.1 });
    for (let i = 0; i < 20; i++) f1.make(i);
    const late = f1.make(57);
    const early = f2.make(57);
    expect(late.sourceId).toBe(early.sourceId);
    expect(late.labels).toEqual(early.labels);
    expect(Array.from(late.xpBp)).toEqual(Array.from(early.xpBp));
  });
});
