import { describe, expect, it } from 'vitest';
import { DataVectorBuilder } from '../models/flux/data-vector.js';
import { linalgKernels, typescriptKernels } from '../models/linalg/kernels.js';
import { REAL_XP_CSV } from './helpers/paths.js';
import { readAll } from './helpers/xp.js';

describe('linear-algebra kernels', () => {
  it('the WebAssembly SIMD build is present (npm run build compiles kernels/linalg.ts)', () => {
    expect(linalgKernels().simd).toBe(true);
  });

  it('WebAssembly and TypeScript kernels give the same covariance and whitening', async () => {
    const records = await readAll(REAL_XP_CSV);
    const wasm = new DataVectorBuilder({ kernels: linalgKernels() });
    const ts = new DataVectorBuilder({ kernels: typescriptKernels() });
    for (const r of records) {
      const a = wasm.build(r, {});
      const b = ts.build(r, {});
      const rel = (x: Float64Array, y: Float64Array) => {
        let scale = 0;
        for (const v of y) if (Number.isFinite(v)) scale = Math.max(scale, Math.abs(v));
        let worst = 0;
        for (let i = 0; i < x.length; i++)
          if (Number.isFinite(y[i])) worst = Math.max(worst, Math.abs(x[i] - y[i]) / scale);
        return worst;
      };
      expect(rel(a.covariance, b.covariance)).toBeLessThan(1e-13);
      expect(rel(a.whitening, b.whitening)).toBeLessThan(1e-10);
    }
  });
});
