import { initBackend } from './backend.js';
import { makeToySet } from './toy.js';
import { ForwardModel } from './model.js';
import { StarParams } from './stars.js';
import { BatchStepper } from './batch-step.js';
import { stage } from './recipe.js';
import { spectraFromTrainingSet } from './data.js';
import * as tf from '@tensorflow/tfjs';

const be = await initBackend(process.argv[2] as 'wasm' | 'cpu');
const { data } = makeToySet({ n: 4096, seed: 3 });
const model = ForwardModel.create(data.labels, { seed: 1 });
const { stars } = StarParams.fromPriors(data);
const B = Number(process.argv[3] ?? 512);
for (const kernel of ['host', 'tensor'] as const) {
  const stepper = new BatchStepper(model, spectraFromTrainingSet(data), data, kernel, B);
  for (const opt of ['model', 'stars', 'both'] as const) {
    const st = stage('x', 'all', opt, { batchSize: B });
    const idx = Int32Array.from({ length: B }, (_, i) => (i * 7) % data.n);
    for (let i = 0; i < 5; i++) stepper.step(stars, idx, B, st);
    const n = 30;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) stepper.step(stars, idx, B, st);
    const ms = (performance.now() - t0) / n;
    console.log(be, kernel, opt, ms.toFixed(2), 'ms/batch', (B / ms * 1000).toFixed(0), 'stars/s');
  }
}
// forward only
const t0 = performance.now();
for (let i = 0; i < 30; i++) model.predictHost(stars.theta, stars.lnE, stars.lnPlx, B);
console.log('predict only', ((performance.now() - t0) / 30).toFixed(2));
tf.env().set('DEBUG', false);
