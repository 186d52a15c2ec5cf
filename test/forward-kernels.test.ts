/** The forward model's hand-written gradients and χ² kernels against tfjs autodiff and each other. */
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend, type BackendName } from '../models/forward/backend.js';
import { hostChi2, tensorChi2 } from '../models/forward/chi2.js';
import { N_FLUX } from '../models/forward/config.js';
import { spectraFromTrainingSet } from '../models/forward/data.js';
import { ACTIVATIONS, dense, denseAutodiff } from '../models/forward/dense.js';
import { ForwardModel } from '../models/forward/model.js';
import { Prng } from '../models/forward/prng.js';
import { makeToySet } from '../models/forward/toy.js';
import { WhitenKernel } from '../models/forward/wasm/whiten-kernel.js';
import { WHITEN_WASM_BASE64 } from '../models/forward/wasm/whiten-binary.js';
import { REPO_ROOT } from './helpers/paths.js';

/** max |a − b| / max |b|. */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst / scale;
}

function randn(prng: Prng, shape: number[], s = 1): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: n }, () => s * prng.normal()),
    shape,
  );
}

describe.each(['wasm', 'cpu'] as BackendName[])('dense layer gradients on %s', (backend) => {
  beforeAll(() => useBackend(backend));

  it.each(ACTIVATIONS)('custom gradient equals autodiff (%s), relative 1e-4', (act) => {
    const prng = new Prng(11);
    tf.tidy(() => {
      const x = randn(prng, [37, 9]) as tf.Tensor2D;
      const w = randn(prng, [9, 13], 0.5) as tf.Tensor2D;
      const b = randn(prng, [13], 0.3) as tf.Tensor1D;
      const dy = randn(prng, [37, 13]);
      const wT = tf.transpose(w) as tf.Tensor2D;
      const loss =
        (f: (a: tf.Tensor2D, c: tf.Tensor2D, d: tf.Tensor1D) => tf.Tensor2D) =>
        (...a: tf.Tensor[]) =>
          tf.sum(tf.mul(f(a[0] as tf.Tensor2D, a[1] as tf.Tensor2D, a[2] as tf.Tensor1D), dy));
      const mine = tf.grads(loss((a, c, d) => dense(a, c, wT, d, act)))([x, w, b]);
      const ref = tf.grads(loss((a, c, d) => denseAutodiff(a, c, d, act)))([x, w, b]);
      expect(relErr(dense(x, w, wT, b, act).dataSync(), denseAutodiff(x, w, b, act).dataSync())).toBeLessThan(1e-5);
      for (let k = 0; k < 3; k++) expect(relErr(mine[k].dataSync(), ref[k].dataSync())).toBeLessThan(1e-4);
    });
  });
});

describe('the model with a linear skip path', () => {
  it('gradients of ln f_abs on wasm (hand-written layers) equal autodiff on cpu, for weights, skip and Θ', async () => {
    const prng = new Prng(12);
    const labels = Float32Array.from(
      { length: 60 },
      (_, i) => [5 + prng.normal(), 0.3 * prng.normal(), 4 + prng.normal()][i % 3],
    );
    const model = ForwardModel.create(labels, { hidden: [8, 8], seed: 3, linearSkip: [2] });
    const skip = model.layout.layers[model.layout.layers.length - 1];
    for (let i = skip.wOffset; i < skip.bOffset; i++) model.params[i] = 0.2 * prng.normal();
    const theta = Float32Array.from({ length: 15 }, (_, i) => labels[i] + 0.5 * prng.normal());
    const dy = Float32Array.from({ length: 5 * 66 }, () => prng.normal());
    const grads = async (backend: BackendName) => {
      await useBackend(backend);
      return tf.tidy(() => {
        const b = model.bind();
        const th = tf.tensor2d(theta, [5, 3]);
        const f = (...a: tf.Tensor[]) =>
          tf.sum(
            tf.mul(
              model.lnFluxAbs(a.slice(0, -1), b.weightsT, a[a.length - 1] as tf.Tensor2D),
              tf.tensor2d(dy, [5, 66]),
            ),
          );
        return tf
          .grads(f)([...b.params.slice(0, -1), th])
          .map((g) => g.dataSync().slice());
      });
    };
    const mine = await grads('wasm');
    const ref = await grads('cpu');
    expect(mine).toHaveLength(2 * model.layout.layers.length + 1);
    mine.forEach((g, k) => expect(relErr(g, ref[k])).toBeLessThan(1e-4));
  });
});

describe('χ² kernels', () => {
  beforeAll(() => useBackend('wasm'));

  /** Random lower-triangular W with a few missing pixels (zero rows and columns). */
  function problem(count: number) {
    const { data } = makeToySet({ n: count, seed: 4, missingNirFrac: 0.5 });
    const prng = new Prng(5);
    const M = N_FLUX;
    for (let s = 0; s < count; s++) {
      for (let i = 0; i < M; i++) {
        const missing = data.whitening[s * M * M + i * M + i] === 0;
        for (let j = 0; j < i; j++) {
          const otherMissing = data.whitening[s * M * M + j * M + j] === 0;
          if (!missing && !otherMissing)
            data.whitening[s * M * M + i * M + j] = (0.2 * prng.normal()) / data.fluxErr![s * M + i];
        }
      }
    }
    const lnPred = Float32Array.from(
      { length: count * M },
      (_, k) => Math.log(Math.abs(data.flux[k]) || 1) + 0.03 * prng.normal(),
    );
    return { data, lnPred, stars: Int32Array.from({ length: count }, (_, i) => i) };
  }

  it('host (SIMD and plain JS) and tensor kernels agree on χ² and its gradient', () => {
    const count = 40;
    const { data, lnPred, stars } = problem(count);
    const spectra = spectraFromTrainingSet(data);
    const flux = new Float32Array(count * N_FLUX);
    const whit = new Float32Array(count * N_FLUX * N_FLUX);
    spectra.gather(stars, count, flux, whit);
    const simd = WhitenKernel.create(64);
    expect(simd).toBeDefined();
    const ops = [hostChi2(spectra, stars, count, simd), hostChi2(spectra, stars, count), tensorChi2(flux, whit, count)];
    const dy = Float32Array.from({ length: count }, (_, k) => (k === 3 ? 0 : 1 + k / count));
    const results = ops.map((op) =>
      tf.tidy(() => {
        const x = tf.tensor2d(lnPred, [count, N_FLUX]);
        const { value, grads } = tf.valueAndGrads((a: tf.Tensor) =>
          tf.sum(tf.mul(op(a as tf.Tensor2D), tf.tensor1d(dy))),
        )([x]);
        return { value: value.dataSync()[0], grad: grads[0].dataSync().slice() };
      }),
    );
    for (const r of results.slice(1)) {
      expect(Math.abs(r.value / results[0].value - 1)).toBeLessThan(1e-5);
      expect(relErr(r.grad, results[0].grad)).toBeLessThan(1e-4);
    }
    // Star 3 has weight 0: its gradient is exactly 0.
    expect(results[0].grad.subarray(3 * N_FLUX, 4 * N_FLUX).every((g) => g === 0)).toBe(true);
  });

  it('the embedded kernel matches a fresh build of whiten.as.ts', async () => {
    const asc = join(REPO_ROOT, 'node_modules', '.bin', 'asc');
    if (!existsSync(asc)) return; // the AssemblyScript compiler is a dev dependency
    const embed = join(REPO_ROOT, 'models', 'forward', 'wasm', 'embed-wasm.mjs');
    const { buildWhitenWasm } = (await import(embed)) as { buildWhitenWasm: () => Buffer };
    expect(buildWhitenWasm().toString('base64')).toBe(WHITEN_WASM_BASE64);
  });
});
