import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataVectorBuilder } from '../models/flux/data-vector.js';
import { whitenedChi2 } from '../models/linalg/cholesky.js';
import { PIPELINE_GRID } from '../models/xp/grid.js';
import { XpFluxSampler } from '../models/xp/sample-flux.js';
import { xpSampler } from '../models/xp/sampler.js';
import { FIXTURES, REAL_XP_CSV } from './helpers/paths.js';
import { readAll } from './helpers/xp.js';

interface Reference {
  wavelengths: number[];
  sources: { source_id: string; flux: number[]; covariance: number[][] }[];
}
const reference = JSON.parse(readFileSync(join(FIXTURES, 'gaiaxpy', 'pipeline_covariance.json'), 'utf8')) as Reference;

/** Dense solve by Gaussian elimination with partial pivoting: an independent route to Σ⁻¹ r. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    for (let r = c + 1; r < n; r++) {
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r][n];
    for (let k = r + 1; k < n; k++) s -= m[r][k] * x[k];
    x[r] = s / m[r][r];
  }
  return x;
}

describe('XP pixel covariance (docs/method.md §3)', () => {
  it('equals the numpy reference built on GaiaXPy design matrices, all error terms on', async () => {
    const records = await readAll(REAL_XP_CSV);
    const sampler = new XpFluxSampler(xpSampler(PIPELINE_GRID), { covariance: true });
    const n = reference.wavelengths.length;
    for (const r of records) {
      const ref = reference.sources.find((s) => s.source_id === r.sourceId.toString())!;
      const got = sampler.sample(r);
      let worst = 0;
      for (let i = 0; i < n; i++) {
        worst = Math.max(worst, Math.abs(got.flux[i] - ref.flux[i]) / Math.abs(ref.flux[i]));
        for (let j = 0; j < n; j++) {
          const scale = Math.sqrt(ref.covariance[i][i] * ref.covariance[j][j]);
          worst = Math.max(worst, Math.abs(got.covariance[i * n + j] - ref.covariance[i][j]) / scale);
        }
      }
      expect(worst).toBeLessThan(1e-10);
    }
  });

  it('is symmetric positive definite and W satisfies WᵀW = Σ⁻¹ (66-vector, model units)', async () => {
    const records = await readAll(REAL_XP_CSV);
    const builder = new DataVectorBuilder();
    const n = builder.n;
    expect(n).toBe(66);
    for (const r of records) {
      const v = builder.build(r, {});
      expect(v.flooredPivots).toBe(0);
      const xpN = builder.nXp;
      // Symmetric.
      for (let i = 0; i < xpN; i++)
        for (let j = 0; j < i; j++) expect(v.covariance[i * n + j]).toBe(v.covariance[j * n + i]);
      // W Σ Wᵀ = I on the XP block ⇔ Wᵀ W = Σ⁻¹.
      let worst = 0;
      for (let i = 0; i < xpN; i++) {
        for (let j = 0; j < xpN; j++) {
          let s = 0;
          for (let k = 0; k < xpN; k++) {
            let t = 0;
            for (let l = 0; l < xpN; l++) t += v.covariance[k * n + l] * v.whitening[j * n + l];
            s += v.whitening[i * n + k] * t;
          }
          worst = Math.max(worst, Math.abs(s - (i === j ? 1 : 0)));
        }
      }
      expect(worst).toBeLessThan(1e-8);
      // χ² through W equals rᵀ Σ⁻¹ r by an independent solve.
      const sigma = Array.from({ length: xpN }, (_, i) => Array.from(v.covariance.subarray(i * n, i * n + xpN)));
      const residual = Array.from({ length: n }, (_, i) => (i < xpN ? v.fluxError[i] * Math.sin(3.7 * i) : 0));
      const x = solve(sigma, residual.slice(0, xpN));
      const direct = x.reduce((acc, xi, i) => acc + xi * residual[i], 0);
      expect(Math.abs(whitenedChi2(v.whitening, n, residual) - direct) / direct).toBeLessThan(1e-8);
    }
  });

  it('gives uncovered pixels infinite variance and zero weight in χ² (one band missing)', async () => {
    const records = await readAll(join(FIXTURES, 'gaiaxpy', 'one_band_input.csv'));
    const builder = new DataVectorBuilder();
    const n = builder.n;
    for (const r of records) {
      const v = builder.build(r, {});
      let uncovered = 0;
      for (let i = 0; i < n; i++) {
        if (Number.isFinite(v.fluxError[i])) continue;
        uncovered++;
        expect(v.flux[i]).toBeNaN();
        for (let j = 0; j < n; j++) {
          expect(v.whitening[i * n + j]).toBe(0);
          expect(v.whitening[j * n + i]).toBe(0);
        }
      }
      expect(uncovered).toBeGreaterThan(5 + 20); // all NIR (none given) and the missing band's pixels
      const residual = Array.from(v.flux, (f, i) => (Number.isFinite(f) ? 0.01 * f * Math.cos(i) : NaN));
      expect(Number.isFinite(whitenedChi2(v.whitening, n, residual))).toBe(true);
    }
  });
});
