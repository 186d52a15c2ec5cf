import { initBackend } from './backend.js';
import * as tf from '@tensorflow/tfjs';
await initBackend(process.argv[2] as 'wasm' | 'cpu');
const minTime = (name: string, f: () => tf.Tensor, n = 30, reps = 5) => {
  for (let i = 0; i < 5; i++) tf.tidy(f);
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) tf.tidy(() => { f().dataSync(); });
    best = Math.min(best, (performance.now() - t0) / n);
  }
  console.log(name, best.toFixed(3), 'ms');
};
const z = tf.randomNormal([512, 32]);
const z66 = tf.randomNormal([512, 66]);
minTime('identity (dataSync)', () => tf.add(z, 0));
minTime('tanh', () => tf.tanh(z));
minTime('sigmoid', () => tf.sigmoid(z));
minTime('2sig(2z)-1', () => tf.sub(tf.mul(tf.sigmoid(tf.mul(z, 2)), 2), 1));
minTime('exp', () => tf.exp(z));
minTime('square', () => tf.square(z));
minTime('mul', () => tf.mul(z, z));
minTime('exp66', () => tf.exp(z66));
minTime('sub66', () => tf.sub(z66, z66));
minTime('sum66 axis1', () => tf.sum(z66, 1));
minTime('sum axis0', () => tf.sum(z66, 0));
minTime('transpose', () => tf.transpose(z));
