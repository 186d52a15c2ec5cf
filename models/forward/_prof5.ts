import { initBackend } from './backend.js';
import { makeToySet } from './toy.js';
import { ForwardModel } from './model.js';
import { StarParams } from './stars.js';
import { BatchStepper } from './batch-step.js';
import { stage } from './recipe.js';
import { spectraFromTrainingSet } from './data.js';
await initBackend(process.argv[2] as 'wasm' | 'cpu');
const { data } = makeToySet({ n: 4096, seed: 3 });
const model = ForwardModel.create(data.labels, { seed: 1 });
const { stars } = StarParams.fromPriors(data);
const B = 512;
const kernel = (process.argv[3] ?? 'host') as 'host' | 'tensor';
const stepper = new BatchStepper(model, spectraFromTrainingSet(data), data, kernel, B);
const st = stage('x', 'all', (process.argv[4] ?? 'both') as 'both', { batchSize: B });
const idx = Int32Array.from({ length: B }, (_, i) => (i * 7) % data.n);
let best = Infinity;
for (let r = 0; r < 8; r++) {
  const t0 = performance.now();
  for (let i = 0; i < 20; i++) stepper.step(stars, idx, B, st);
  best = Math.min(best, (performance.now() - t0) / 20);
}
console.log(kernel, st.optimise, best.toFixed(2), 'ms/batch (min of 8×20)');
