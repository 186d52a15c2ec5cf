/**
 * Per-star weights on the model's loss that even out the label distribution (the
 * authors' code: train_recipe.py weigh_prior, "weighting": {"prior": true} in every
 * stage that trains the model; not in the paper, see docs/method.md §5). A 16-component GMM is fitted to the
 * training labels, p = its density relative to the densest star, w = 1/(p + 1e-9),
 * soft-clipped to w/(1 + w/5): about 0.83 in the crowded main sequence, up to 5 where
 * labels are rare (upper giant branch, hot stars). Without them the few stars in those
 * regions barely move the model, it stays wrong there, and self-cleaning then flags
 * those stars for what is the model's error.
 */
import { fitGmmAsync, scoreSamples } from '../gmm/index.js';
import { N_LABELS } from './config.js';

export const DENSITY_WEIGHTING = {
  components: 16,
  maxUpsampling: 5,
  floor: 1e-9,
  /** At most this many stars (an even stride through the set) fit the GMM (code: 1024 × 256). */
  maxFitStars: 262_144,
} as const;

/** w/(1 + w/max): ≈ w for small w, → max for large. */
export const softClip = (w: number, max: number) => w / (1 + w / max);

/**
 * Weights for n stars (labels n × 3); stars with a non-finite label get weight 1. The
 * GMM fit yields to the event loop, so an activity's heartbeats go on meanwhile.
 */
export async function labelDensityWeights(labels: Float32Array, n: number, seed: number): Promise<Float32Array> {
  const finite: number[] = [];
  for (let i = 0; i < n; i++) if ([0, 1, 2].every((k) => Number.isFinite(labels[i * N_LABELS + k]))) finite.push(i);
  const weights = new Float32Array(n).fill(1);
  if (finite.length <= DENSITY_WEIGHTING.components * 4) return weights;
  const all = new Float64Array(finite.length * N_LABELS);
  finite.forEach((i, j) => {
    for (let k = 0; k < N_LABELS; k++) all[j * N_LABELS + k] = labels[i * N_LABELS + k];
  });
  const stride = Math.ceil(finite.length / DENSITY_WEIGHTING.maxFitStars);
  const nFit = Math.ceil(finite.length / stride);
  const fitData =
    stride === 1
      ? all
      : Float64Array.from(
          { length: nFit * N_LABELS },
          (_, t) => all[Math.floor(t / N_LABELS) * stride * N_LABELS + (t % N_LABELS)],
        );
  const gmm = await fitGmmAsync(fitData, nFit, { components: DENSITY_WEIGHTING.components, seed });
  const lnP = scoreSamples(gmm, all, finite.length);
  let max = -Infinity;
  for (const v of lnP) if (v > max) max = v;
  finite.forEach((i, j) => {
    weights[i] = softClip(1 / (Math.exp(lnP[j] - max) + DENSITY_WEIGHTING.floor), DENSITY_WEIGHTING.maxUpsampling);
  });
  return weights;
}
