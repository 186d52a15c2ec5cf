import { initBackend } from './backend.js';
import * as tf from '@tensorflow/tfjs';
import { dense, denseAutodiff } from './dense.js';
await initBackend(process.argv[2] as 'wasm' | 'cpu');
const B = 512;
const sizes = [3, 32, 32, 32, 66];
const ws = sizes.slice(1).map((o, i) => tf.randomNormal([sizes[i], o]).mul(0.3) as tf.Tensor2D);
const wts = ws.map((w) => tf.transpose(w) as tf.Tensor2D);
const bs = sizes.slice(1).map((o) => tf.zeros([o]) as tf.Tensor1D);
const x = tf.randomNormal([B, 3]) as tf.Tensor2D;
const minTime = (name: string, f: () => tf.Tensor[] | tf.Tensor, n = 20, reps = 5) => {
  for (let i = 0; i < 5; i++) tf.tidy(f);
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) tf.tidy(() => { const y = f(); for (const t of Array.isArray(y) ? y : [y]) t.dataSync(); });
    best = Math.min(best, (performance.now() - t0) / n);
  }
  console.log(name, best.toFixed(3), 'ms');
};
const mlp = (custom: boolean) => (xx: tf.Tensor, ...p: tf.Tensor[]) => {
  let h = xx as tf.Tensor2D;
  for (let l = 0; l < 4; l++) {
    const act = l < 3 ? 'tanh' : 'linear';
    h = custom ? dense(h, p[2 * l] as tf.Tensor2D, wts[l], p[2 * l + 1] as tf.Tensor1D, act) : denseAutodiff(h, p[2 * l] as tf.Tensor2D, p[2 * l + 1] as tf.Tensor1D, act);
  }
  return tf.sum(tf.exp(h));
};
const params = ws.flatMap((w, i) => [w, bs[i]]);
minTime('mlp fwd', () => mlp(true)(x, ...params));
minTime('mlp grads autodiff', () => tf.grads(mlp(false))([x, ...params]));
minTime('mlp grads custom', () => tf.grads(mlp(true))([x, ...params]));
minTime('matMul 512x32x66', () => tf.matMul(tf.ones([B, 32]), ws[3]));
minTime('matMul T 32x512x66', () => tf.matMul(tf.ones([B, 32]), tf.ones([B, 66]), true, false));
minTime('exp', () => tf.exp(tf.ones([B, 66])));
minTime('noop tensor', () => tf.scalar(1));
